import { foldToHalfWidth } from './normalise.ts';

const MAINLAND_MOBILE = /^1[3-9]\d{9}$/;

/**
 * A mainland China mobile number in its 11-digit form, or null. Spaces, hyphens, full-width digits
 * (typed with a Chinese input method) and a +86 / 0086 prefix are accepted and removed.
 */
export function normaliseMainlandMobile(raw: string): string | null {
  const folded = foldToHalfWidth(raw).replaceAll('-', '');
  const national = folded.replace(/^(?:\+86|0086|86)(?=1\d{10}$)/, '');
  return MAINLAND_MOBILE.test(national) ? national : null;
}

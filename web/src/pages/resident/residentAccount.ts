import type { Me } from '../../api/types';

/** The built-in role of a self-registered resident. */
export const RESIDENT_ROLE = 'resident';

/**
 * True when the signed-in account is a resident's own: it belongs on the mobile pages (/m), not in
 * the staff console. Decided by role rather than permission, because an administrator's `*` grants
 * the residents' permissions too.
 */
export function isResidentAccount(me: Me | null | undefined): boolean {
  return me?.roles.some((role) => role.code === RESIDENT_ROLE) ?? false;
}

import { normaliseMainlandMobile } from './mobile.ts';
import { validateResidentId } from './resident-id.ts';

/** What a person search box's text asks for, as filter fields; none when the box is blank. */
export interface PersonSearchTerms {
  /** A complete, valid ID number: found by its blind index, since the number is never stored in clear. */
  idNumberIndex?: Uint8Array;
  /** A mainland mobile number, when the caller searches phones too: found by its blind index. */
  phoneIndex?: Uint8Array;
  /** Anything else: the start of a name. */
  namePrefix?: string;
}

/**
 * Reads the text of a person search box: a valid ID number (15 or 18 characters, normalised)
 * becomes its blind index; with `phones`, a mainland mobile number (see normaliseMainlandMobile)
 * becomes the phone's blind index; anything else is a name prefix.
 */
export function personSearchTerms(
  text: string | undefined,
  cipher: { blindIndex(normalisedValue: string): Uint8Array },
  options: { phones?: boolean } = {},
): PersonSearchTerms {
  const q = text?.trim();
  if (!q) return {};
  const id = validateResidentId(q);
  if (id.isValid) return { idNumberIndex: cipher.blindIndex(id.idNumber) };
  const mobile = options.phones ? normaliseMainlandMobile(q) : null;
  if (mobile) return { phoneIndex: cipher.blindIndex(mobile) };
  return { namePrefix: q };
}

import { maskIdNumber } from '../../platform/crypto/masking.ts';
import { normaliseResidentId } from '../../platform/identity/index.ts';

/** How a finding was dismissed (排除): the pair is not the same person, the payment is explained, or another reason. */
export const DISMISSAL_REASONS = ['false_match', 'explained', 'other'] as const;
/** One dismissal reason. */
export type DismissalReason = (typeof DISMISSAL_REASONS)[number];

/** Link methods from the weakest to the strongest; an unknown method ranks below all. */
const METHOD_STRENGTH = ['fuzzy', 'repaired', 'exact'];

// Keys whose string values are (or hold) an ID number, whatever the rule calls them.
const ID_KEY = /(id_?number|id_?as_?written|id_?raw|id_?clean|id_?norm|linked_?id)$/iu;
// A run of 14+ digits (half- or full-width, spaces allowed inside) ending in a digit or X: an ID
// number written anywhere, e.g. inside a computation sentence.
const ID_RUN = /[0-9０-９](?:[0-9０-９\s\u3000]{12,})[0-9０-９XxＸｘ]/gu;
// Source fields that change between two extracts of the same record (its line, counts, months so
// far) and so say nothing about which record was linked.
const VOLATILE_SOURCE_KEYS = new Set(['row', 'rowNumber', 'line', 'monthsAtStake', 'recordsForThisId', 'isKept']);

/**
 * The evidence with every ID number masked as on screen (area code and last four kept). Values
 * under ID-like keys are masked whole; ID-like digit runs inside any other text are masked too, so
 * that new rules' evidence is covered without knowing its shape.
 */
export function maskEvidence(value: unknown, key = ''): unknown {
  if (typeof value === 'string') {
    if (ID_KEY.test(key) && /\d/u.test(value)) return maskIdNumber(value.trim());
    return value.replace(ID_RUN, (run) => maskIdNumber(run));
  }
  if (Array.isArray(value)) return value.map((item) => maskEvidence(item, key));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, maskEvidence(v, k)]));
  }
  return value;
}

/**
 * Which records a suspicion links, independent of where they sit in this month's files: each
 * source's dataset with its ID as written (normalised), or its stable fields when it names no ID,
 * sorted. Two runs linking the same records give the same text; a different linked record (another
 * death entry, a third enrolment) gives another.
 */
export function linkedRecordsOf(evidence: Record<string, unknown>): string {
  const sources = Array.isArray(evidence.sources) ? evidence.sources : [];
  const identities = sources.map((source) => {
    if (source === null || typeof source !== 'object') return String(source);
    const record = source as Record<string, unknown>;
    const dataset = typeof record.dataset === 'string' ? record.dataset : '';
    const written = record.idAsWritten;
    if (typeof written === 'string' && written.trim() !== '') return `${dataset}|${normaliseResidentId(written)}`;
    const stable = Object.entries(record)
      .filter(([k, v]) => k !== 'dataset' && !VOLATILE_SOURCE_KEYS.has(k) && v !== null && typeof v !== 'object')
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => `${k}=${String(v)}`);
    return `${dataset}|${stable.join(',')}`;
  });
  return identities.sort().join('\n');
}

/** The facts about a suspicion that decide whether it is new compared with an earlier one. */
export interface EvidenceFacts {
  linkedRecordsIndex: Uint8Array;
  matchMethod: string;
  amountCents: number;
}

/**
 * Whether a suspicion raised again differs materially from the one a person already judged
 * (dismissed, or confirmed and settled), so that it deserves a new finding:
 * - it links different records (another death entry, another enrolment), or
 * - it is linked more strongly than before (fuzzy → repaired → exact), or
 * - more money is at stake than when it was judged — except after a dismissal as a false match,
 *   where the auditor found the two records are not the same person, which more months of the
 *   same pair cannot change.
 */
export function isMaterialChange(previous: EvidenceFacts & { dismissalReason: DismissalReason | null }, current: EvidenceFacts): boolean {
  if (!sameBytes(previous.linkedRecordsIndex, current.linkedRecordsIndex)) return true;
  if (METHOD_STRENGTH.indexOf(current.matchMethod) > METHOD_STRENGTH.indexOf(previous.matchMethod)) return true;
  if (previous.dismissalReason === 'false_match') return false;
  return current.amountCents > previous.amountCents;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, index) => byte === b[index]);
}

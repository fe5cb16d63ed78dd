import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, testDatabaseKinds } from '../testing/test-database.ts';
import { BinaryRecordWriter, binaryColumns, type ElementType } from './binary-arrays.ts';
import type { DatabaseHandle } from './database.ts';

const TYPES: ElementType[] = ['bytea', 'text', 'int8', 'date'];

interface Row {
  b: Uint8Array | null;
  t: string | null;
  n: number | null;
  d: string | null;
}

function recordsOf(rows: Row[], writer = new BinaryRecordWriter(16)): Uint8Array[] {
  for (const row of rows) {
    writer.bytea(row.b).text(row.t).int8(row.n).date(row.d);
    writer.endRecord();
  }
  return writer.finish();
}

describe('binary records and columns', () => {
  it('refuses values its columns cannot carry, and records of the wrong width', () => {
    const writer = new BinaryRecordWriter();
    expect(() => writer.int8(1.5)).toThrow(/not an integer/);
    expect(() => writer.int8(2 ** 53)).toThrow(/not an integer/);
    expect(() => writer.date('2024/01/02')).toThrow(/YYYY-MM-DD/);
    const [record] = recordsOf([{ b: null, t: 'x', n: 1, d: null }]);
    expect(() => binaryColumns([record!], ['bytea', 'text', 'int8', 'date', 'text'])).toThrow(/has 4 fields, not 5/);
    expect(() => binaryColumns([record!], ['bytea', 'text', 'int8'])).toThrow(/more than 3 fields/);
  });

  it('keeps the records it handed out when it starts afresh', () => {
    const writer = new BinaryRecordWriter(8);
    const first = recordsOf([{ b: null, t: '甲', n: 1, d: null }], writer);
    const copy = Uint8Array.from(first[0]!);
    recordsOf([{ b: null, t: '乙乙乙乙乙乙', n: 2, d: null }], writer);
    expect(first[0]).toEqual(copy);
  });
});

describe.each(testDatabaseKinds())('binary array parameters on %s', (kind) => {
  let handle: DatabaseHandle;
  beforeAll(async () => {
    handle = await createTestDatabase(kind);
  });
  afterAll(async () => {
    await handle.close();
  });

  async function roundTrip(rows: Row[]): Promise<Row[]> {
    const columns = binaryColumns(recordsOf(rows), TYPES);
    const result = await sql<{ b: Uint8Array | null; t: string | null; n: number | null; d: string | null }>`
      SELECT u.b, u.t, u.n, u.d
      FROM unnest(${columns[0]}::bytea[], ${columns[1]}::text[], ${columns[2]}::int8[], ${columns[3]}::date[]) WITH ORDINALITY AS u(b, t, n, d, i)
      ORDER BY u.i`.execute(handle.db);
    return result.rows.map((r) => ({ b: r.b === null ? null : Uint8Array.from(r.b), t: r.t, n: r.n, d: r.d }));
  }

  it('reads back every value, null and edge case as written, in order', async () => {
    const rows: Row[] = [
      { b: Uint8Array.from([0, 1, 2, 255]), t: '王小明', n: 1, d: '1985-03-07' },
      { b: null, t: null, n: null, d: null },
      { b: new Uint8Array(0), t: '', n: 0, d: '2000-01-01' },
      { b: Uint8Array.from({ length: 300 }, (_, i) => i % 256), t: '𠀋 "quoted" \\ {braces}, commas', n: Number.MAX_SAFE_INTEGER, d: '1899-12-31' },
      { b: Uint8Array.from([7]), t: 'Ünïcödé ✓', n: -42, d: '2099-02-28' },
    ];
    expect(await roundTrip(rows)).toEqual(rows);
  });

  it('carries a thousand rows in one statement', async () => {
    const rows: Row[] = Array.from({ length: 1000 }, (_, i) => ({
      b: Uint8Array.from([i % 256, i >> 8]),
      t: `居民${i}`,
      n: i * 1_000_003,
      d: `19${String(10 + (i % 90)).padStart(2, '0')}-0${1 + (i % 9)}-1${i % 10}`,
    }));
    expect(await roundTrip(rows)).toEqual(rows);
  });
});

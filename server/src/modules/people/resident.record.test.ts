import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../platform/db/database.ts';
import { createTestDatabase, testDatabaseKinds } from '../../platform/testing/test-database.ts';
import { insertPlaceFixture, PATHS } from '../../testing/fixtures.ts';
import { upsertResidents } from './people.repository.ts';
import { residentRecords, type ResidentRowWithoutHousehold } from './resident.record.ts';

describe.each(testDatabaseKinds())('resident records on %s', (kind) => {
  let handle: DatabaseHandle;
  let gridA: number;
  beforeAll(async () => {
    handle = await createTestDatabase(kind);
    gridA = (await insertPlaceFixture(handle.db)).gridA;
  });
  afterAll(async () => {
    await handle.close();
  });

  function row(index: string, tags: string[]): ResidentRowWithoutHousehold {
    return {
      id_number_index: Buffer.from(index),
      id_number_enc: Uint8Array.from([1, 2, 3]),
      id_number_masked: '5001**********123X',
      name: '王"小\\明',
      gender: 'female',
      birth_date: '1962-02-28',
      ethnicity: null,
      phone_index: null,
      phone_enc: null,
      phone_masked: null,
      address_enc: null,
      address_masked: '渝中区**路',
      relation_to_head: null,
      place_id: gridA,
      place_path: PATHS.gridA,
      tags,
      record_hash: Uint8Array.from([9]),
    };
  }

  it('stores every column as given, tags with quotes, backslashes, braces and the word NULL included', async () => {
    const tags = ['低保户', 'a"b', 'c\\d', '{x}', 'NULL', ' spaced '];
    const written = await upsertResidents(handle.db, residentRecords([{ row: row('tags-1', tags), householdNumber: null }, { row: row('tags-2', []), householdNumber: null }]));
    expect(written).toMatchObject({ inserted: 2, updated: 0 });
    const stored = await handle.db.selectFrom('residents').selectAll().where('id', 'in', written.ids).orderBy('id').execute();
    expect(stored.map((r) => r.tags)).toEqual([tags, []]);
    expect(stored[0]).toMatchObject({ name: '王"小\\明', gender: 'female', birth_date: '1962-02-28', ethnicity: null, phone_index: null, address_masked: '渝中区**路', place_id: gridA, place_path: PATHS.gridA, household_id: null });
    expect(Uint8Array.from(stored[0]!.id_number_enc)).toEqual(Uint8Array.from([1, 2, 3]));
  });

  it('writes nothing when the same records come again', async () => {
    const records = residentRecords([{ row: row('again-1', ['x']), householdNumber: null }]);
    expect(await upsertResidents(handle.db, records)).toMatchObject({ inserted: 1 });
    expect(await upsertResidents(handle.db, records)).toMatchObject({ inserted: 0, updated: 0 });
  });
});

import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertPlaceFixture, PATHS } from '../../../testing/fixtures.ts';
import { createTestDatabase, testDatabaseKinds } from '../../testing/test-database.ts';
import { openDatabase, type DatabaseHandle, type Executor } from '../database.ts';

/** The SQLSTATE and constraint of a refused statement, or 'accepted'. */
async function outcome(statement: Promise<unknown>): Promise<string> {
  try {
    await statement;
    return 'accepted';
  } catch (error) {
    const { code, constraint } = error as { code?: string; constraint?: string };
    return `${code} ${constraint}`;
  }
}

let sequence = 0;
/** A resident row with the required columns, in `placeId` and optionally a household. */
function resident(placeId: number, householdId: number | null = null) {
  sequence += 1;
  return {
    id_number_index: Buffer.from(`index-${sequence}-${Math.random()}`),
    id_number_enc: Buffer.from('enc'),
    id_number_masked: '5001**********1234',
    name: `居民${sequence}`,
    gender: 'male' as const,
    birth_date: '1980-01-01',
    place_id: placeId,
    place_path: PATHS.gridA,
    household_id: householdId,
  };
}

function household(db: Executor, placeId: number, number: string) {
  return db.insertInto('households').values({ household_number: number, place_id: placeId, place_path: PATHS.gridA }).returning('id').executeTakeFirstOrThrow();
}

describe.each(testDatabaseKinds())('references checked per statement on %s', (kind) => {
  let handle: DatabaseHandle;
  let places: Awaited<ReturnType<typeof insertPlaceFixture>>;
  beforeAll(async () => {
    handle = await createTestDatabase(kind);
    places = await insertPlaceFixture(handle.db);
  });
  afterAll(async () => {
    await handle.close();
  });

  it('refuses residents and households naming a place or household that does not exist, the whole statement', async () => {
    const { db } = handle;
    const home = await household(db, places.gridA, 'H-EXISTS');
    expect(await outcome(db.insertInto('residents').values([resident(places.gridA, home.id), resident(places.gridA)]).execute())).toBe('accepted');
    expect(await outcome(db.insertInto('residents').values([resident(places.gridA), resident(999_999)]).execute())).toBe('23503 residents_place_id_fkey');
    expect(await outcome(db.insertInto('residents').values([resident(places.gridA, home.id), resident(places.gridA, 999_999)]).execute())).toBe('23503 residents_household_id_fkey');
    expect(await outcome(household(db, 999_999, 'H-NOWHERE'))).toBe('23503 households_place_id_fkey');
    const before = await db.selectFrom('residents').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(before.n)).toBe(2);
  });

  it('refuses an update that points a row at nothing, and accepts one that points it elsewhere', async () => {
    const { db } = handle;
    const { id } = await db.insertInto('residents').values(resident(places.gridA)).returning('id').executeTakeFirstOrThrow();
    expect(await outcome(db.updateTable('residents').set({ place_id: 999_999 }).where('id', '=', id).execute())).toBe('23503 residents_place_id_fkey');
    expect(await outcome(db.updateTable('residents').set({ household_id: 999_999 }).where('id', '=', id).execute())).toBe('23503 residents_household_id_fkey');
    expect(await outcome(db.updateTable('residents').set({ place_id: places.gridB }).where('id', '=', id).execute())).toBe('accepted');
  });

  it('refuses deleting or renumbering a place or household still named, and allows it once it is not', async () => {
    const { db } = handle;
    const home = await household(db, places.gridB, 'H-DELETE');
    const { id } = await db.insertInto('residents').values(resident(places.gridB, home.id)).returning('id').executeTakeFirstOrThrow();
    expect(await outcome(db.deleteFrom('households').where('id', '=', home.id).execute())).toBe('23503 residents_household_id_fkey');
    expect(await outcome(db.updateTable('households').set({ id: 888_888 }).where('id', '=', home.id).execute())).toBe('23503 residents_household_id_fkey');
    expect(await outcome(db.updateTable('households').set({ address_masked: '某路**号' }).where('id', '=', home.id).execute())).toBe('accepted');
    expect(await outcome(sql`UPDATE places SET id = 777777 WHERE id = ${places.gridB}`.execute(db))).toMatch(/^23503 (residents|households)_place_id_fkey$/);

    await db.updateTable('residents').set({ household_id: null }).where('id', '=', id).execute();
    expect(await outcome(db.deleteFrom('households').where('id', '=', home.id).execute())).toBe('accepted');
  });
});

const url = process.env.TEST_DATABASE_URL;

describe.skipIf(!url)('references checked per statement, under concurrency (PostgreSQL)', () => {
  it('makes a delete of a household wait for a transaction adding a member, then refuses it', async () => {
    const handle = await createTestDatabase('postgresql');
    const second = await openDatabase({ kind: 'postgresql', url: handle.connectionString!, maxConnections: 1 });
    try {
      const places = await insertPlaceFixture(handle.db);
      const home = await household(handle.db, places.gridA, 'H-RACE');
      let releaseWriter!: () => void;
      const writerMayCommit = new Promise<void>((resolve) => (releaseWriter = resolve));
      let memberAdded!: () => void;
      const added = new Promise<void>((resolve) => (memberAdded = resolve));
      const writer = handle.db.transaction().execute(async (trx) => {
        await trx.insertInto('residents').values(resident(places.gridA, home.id)).execute();
        memberAdded();
        await writerMayCommit;
      });
      await added;
      let deleteSettled = false;
      const deletion = outcome(second.db.deleteFrom('households').where('id', '=', home.id).execute()).finally(() => (deleteSettled = true));
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(deleteSettled).toBe(false);
      releaseWriter();
      await writer;
      expect(await deletion).toBe('23503 residents_household_id_fkey');
    } finally {
      await second.close();
      await handle.close();
    }
  });
});

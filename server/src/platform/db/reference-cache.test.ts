import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, testDatabaseKinds } from '../testing/test-database.ts';
import type { DatabaseHandle } from './database.ts';
import { cachedReference, withReferenceSnapshot } from './reference-cache.ts';

describe.each(testDatabaseKinds())('reference cache on %s', (kind) => {
  let handle: DatabaseHandle;
  let loads = 0;
  const activeRules = async () => {
    loads += 1;
    return (await sql<{ n: number }>`SELECT count(*)::int AS n FROM triage_rules WHERE is_active`.execute(handle.db)).rows[0]!.n;
  };
  const rules = () => cachedReference(handle.db, handle.db, 'triage_rules', 'count', activeRules);
  const addRule = () => sql`INSERT INTO triage_rules (priority, scale, handler_level) VALUES (1, 'minor', 'community')`.execute(handle.db);

  beforeAll(async () => {
    handle = await createTestDatabase(kind);
  });
  afterAll(() => handle.close());

  it('loads once while the data is unchanged and again after any change, by hand in SQL included', async () => {
    const before = await rules();
    expect(await rules()).toBe(before);
    expect(loads).toBe(1);
    await addRule();
    expect(await rules()).toBe(before + 1);
    expect(loads).toBe(2);
    await sql`UPDATE triage_rules SET is_active = false`.execute(handle.db);
    expect(await rules()).toBe(0);
    expect(loads).toBe(3);
  });

  it('reads the versions once per snapshot: a change made during it shows in the next one', async () => {
    const first = await rules();
    await withReferenceSnapshot(async () => {
      expect(await rules()).toBe(first);
      await addRule();
      expect(await rules()).toBe(first);
    });
    expect(await rules()).toBe(first + 1);
  });

  it('lets concurrent snapshots share one read of the versions, and a later one read afresh', async () => {
    let versionReads = 0;
    const counted = handle.db.withPlugin({
      transformQuery: (args) => {
        if (JSON.stringify(args.node).includes('reference_versions')) versionReads += 1;
        return args.node;
      },
      transformResult: async (args) => args.result,
    });
    const countedRules = () => cachedReference(counted, counted, 'triage_rules', 'count', activeRules);
    const answers = await Promise.all(Array.from({ length: 5 }, () => withReferenceSnapshot(countedRules)));
    expect(new Set(answers).size).toBe(1);
    expect(versionReads).toBe(1);
    await addRule();
    expect(await withReferenceSnapshot(countedRules)).toBe(answers[0]! + 1);
    expect(versionReads).toBe(2);
  });

  it('does not keep what a transaction loaded (it may see its own uncommitted edits)', async () => {
    const committed = await rules();
    await handle.db
      .transaction()
      .execute(async (trx) => {
        await sql`INSERT INTO triage_rules (priority, scale, handler_level) VALUES (2, 'minor', 'grid')`.execute(trx);
        expect(await cachedReference(handle.db, trx, 'triage_rules', 'count', async (ex) => (await sql<{ n: number }>`SELECT count(*)::int AS n FROM triage_rules WHERE is_active`.execute(ex)).rows[0]!.n)).toBe(committed + 1);
        throw new Error('roll back');
      })
      .catch(() => undefined);
    expect(await rules()).toBe(committed);
  });
});

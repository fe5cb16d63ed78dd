import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../db/database.ts';
import { createTestDatabase, testDatabaseKinds } from '../testing/test-database.ts';
import { appendAudit, sealAuditTrail } from './audit.repository.ts';
import { verifyAuditChain } from './audit.service.ts';

const actor = { userId: null, name: 'tester', ip: '127.0.0.1' };

describe.each(testDatabaseKinds())('audit hash chain on %s', (kind) => {
  let handle: DatabaseHandle;
  beforeAll(async () => {
    handle = await createTestDatabase(kind);
    for (let i = 0; i < 5; i++) {
      await handle.db.transaction().execute((trx) =>
        appendAudit(trx, actor, { action: 'test.write', entityType: 'thing', entityId: i, details: { b: i, a: [1, { z: 'x', y: null }] } }),
      );
    }
  });
  afterAll(() => handle.close());

  it('keeps written entries pending until they are sealed, then verifies the chain as intact', async () => {
    expect(await verifyAuditChain(handle.db)).toMatchObject({ checked: 0, pending: 5, isIntact: true });
    expect(await sealAuditTrail(handle.db, 2)).toBe(5);
    expect(await verifyAuditChain(handle.db)).toMatchObject({ checked: 5, pending: 0, isIntact: true, problems: [] });
    expect(await sealAuditTrail(handle.db)).toBe(0);
  });

  it('seals entries committed after the last seal onto the end of the same chain', async () => {
    await handle.db.transaction().execute((trx) => appendAudit(trx, actor, { action: 'test.late', entityType: 'thing', entityId: 'late' }));
    expect(await sealAuditTrail(handle.db)).toBe(1);
    const rows = await handle.db.selectFrom('audit_log').select(['seal_seq', 'prev_hash', 'hash']).orderBy('seal_seq').execute();
    expect(rows.map((r) => Number(r.seal_seq))).toEqual([1, 2, 3, 4, 5, 6]);
    expect(rows[5]!.prev_hash).toBe(rows[4]!.hash);
    expect(await verifyAuditChain(handle.db)).toMatchObject({ checked: 6, isIntact: true });
  });

  it('seals entries written by concurrent transactions without losing or repeating one', async () => {
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        handle.db.transaction().execute((trx) => appendAudit(trx, actor, { action: 'test.concurrent', entityType: 'thing', entityId: i })),
      ),
    );
    const [sealedA, sealedB] = await Promise.all([sealAuditTrail(handle.db, 3), sealAuditTrail(handle.db, 3)]);
    expect(sealedA + sealedB).toBe(20);
    expect(await verifyAuditChain(handle.db)).toMatchObject({ checked: 26, pending: 0, isIntact: true });
  });

  it('detects a row whose details were changed by SQL', async () => {
    const third = await handle.db.selectFrom('audit_log').select('id').orderBy('id').offset(2).limit(1).executeTakeFirstOrThrow();
    await sql`UPDATE audit_log SET details = '{"b": 99}' WHERE id = ${third.id}`.execute(handle.db);
    const result = await verifyAuditChain(handle.db);
    expect(result.isIntact).toBe(false);
    expect(result.problems).toContainEqual({ id: third.id, reason: 'hash_mismatch' });
  });

  it('detects a deleted row through the broken link of its successor', async () => {
    const rows = await handle.db.selectFrom('audit_log').select('id').orderBy('seal_seq').execute();
    await sql`DELETE FROM audit_log WHERE id = ${rows[1]!.id}`.execute(handle.db);
    const result = await verifyAuditChain(handle.db);
    expect(result.problems).toContainEqual({ id: rows[2]!.id, reason: 'chain_broken' });
  });
});

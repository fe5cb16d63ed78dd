import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../db/database.ts';
import { createTestDatabase, testDatabaseKinds } from '../testing/test-database.ts';
import { appendAudit } from './audit.repository.ts';
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

  it('verifies an untouched chain as intact', async () => {
    const result = await verifyAuditChain(handle.db);
    expect(result).toMatchObject({ checked: 5, isIntact: true, problems: [] });
  });

  it('detects a row whose details were changed by SQL', async () => {
    const third = await handle.db.selectFrom('audit_log').select('id').orderBy('id').offset(2).limit(1).executeTakeFirstOrThrow();
    await sql`UPDATE audit_log SET details = '{"b": 99}' WHERE id = ${third.id}`.execute(handle.db);
    const result = await verifyAuditChain(handle.db);
    expect(result.isIntact).toBe(false);
    expect(result.problems).toContainEqual({ id: third.id, reason: 'hash_mismatch' });
  });

  it('detects a deleted row through the broken link of its successor', async () => {
    const rows = await handle.db.selectFrom('audit_log').select('id').orderBy('id').execute();
    await sql`DELETE FROM audit_log WHERE id = ${rows[1]!.id}`.execute(handle.db);
    const result = await verifyAuditChain(handle.db);
    expect(result.problems).toContainEqual({ id: rows[2]!.id, reason: 'chain_broken' });
  });
});

import type { Executor } from '../db/database.ts';
import type { AuditRow } from '../db/schema.ts';
import { chainHash, GENESIS_HASH, readAuditBatch } from './audit.repository.ts';

/** One broken link found by {@link verifyAuditChain}. */
export interface AuditProblem {
  id: number;
  reason: 'hash_mismatch' | 'chain_broken';
}

/** Outcome of walking the whole chain. */
export interface AuditVerification {
  checked: number;
  isIntact: boolean;
  headHash: string;
  problems: AuditProblem[];
}

/** Recomputes the stored hash of one row from its own fields. */
export function recomputeHash(row: AuditRow): string {
  return chainHash(row.prev_hash, {
    at: row.at.toISOString(),
    actorId: row.actor_id === null ? null : Number(row.actor_id),
    actorName: row.actor_name,
    action: row.action,
    entityType: row.entity_type,
    entityId: row.entity_id,
    ip: row.ip,
    details: row.details,
  });
}

/**
 * Walks the audit trail in order and recomputes every link. A row edited by SQL no longer matches
 * its hash; a deleted or inserted row breaks the link from its successor.
 */
export async function verifyAuditChain(db: Executor, batchSize = 5000): Promise<AuditVerification> {
  const problems: AuditProblem[] = [];
  let expectedPrev = GENESIS_HASH;
  let lastId = 0;
  let checked = 0;
  for (;;) {
    const rows = await readAuditBatch(db, lastId, batchSize);
    if (rows.length === 0) break;
    for (const row of rows) {
      if (row.prev_hash !== expectedPrev) problems.push({ id: row.id, reason: 'chain_broken' });
      if (recomputeHash(row) !== row.hash) problems.push({ id: row.id, reason: 'hash_mismatch' });
      expectedPrev = row.hash;
      lastId = row.id;
      checked += 1;
    }
  }
  return { checked, isIntact: problems.length === 0, headHash: expectedPrev, problems };
}

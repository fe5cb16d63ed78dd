import type { Executor } from '../db/database.ts';
import { chainHash, countUnsealed, GENESIS_HASH, hashedFieldsOf, readAuditBatch } from './audit.repository.ts';

/** One broken link found by {@link verifyAuditChain}. */
export interface AuditProblem {
  id: number;
  reason: 'hash_mismatch' | 'chain_broken';
}

/** Outcome of walking the whole chain. */
export interface AuditVerification {
  checked: number;
  /** Entries committed but not sealed into the chain yet (normally sealed within seconds). */
  pending: number;
  isIntact: boolean;
  headHash: string;
  problems: AuditProblem[];
}

/**
 * Walks the sealed audit trail in chain order and recomputes every link. A row edited by SQL no
 * longer matches its hash; a deleted or inserted row breaks the link from its successor.
 */
export async function verifyAuditChain(db: Executor, batchSize = 5000): Promise<AuditVerification> {
  const problems: AuditProblem[] = [];
  let expectedPrev = GENESIS_HASH;
  let lastSeq = 0;
  let checked = 0;
  for (;;) {
    const rows = await readAuditBatch(db, lastSeq, batchSize);
    if (rows.length === 0) break;
    for (const row of rows) {
      if (row.prev_hash !== expectedPrev) problems.push({ id: row.id, reason: 'chain_broken' });
      if (row.prev_hash === null || chainHash(row.prev_hash, hashedFieldsOf(row)) !== row.hash) problems.push({ id: row.id, reason: 'hash_mismatch' });
      expectedPrev = row.hash ?? '';
      lastSeq = Number(row.seal_seq);
      checked += 1;
    }
  }
  return { checked, pending: await countUnsealed(db), isIntact: problems.length === 0, headHash: expectedPrev, problems };
}

import { type Kysely, sql } from 'kysely';

/**
 * Audit entries are written without their hash and sealed into the chain shortly after commit
 * (see platform/audit `sealAuditTrail`), so writers no longer queue on one lock. `seal_seq` is the
 * chain order; entries written before this migration were chained in id order.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE audit_log ALTER COLUMN prev_hash DROP NOT NULL, ALTER COLUMN hash DROP NOT NULL, ADD COLUMN seal_seq bigint`.execute(db);
  await sql`UPDATE audit_log SET seal_seq = id`.execute(db);
  await sql`CREATE UNIQUE INDEX audit_log_seal_seq ON audit_log (seal_seq)`.execute(db);
  await sql`CREATE INDEX audit_log_unsealed ON audit_log (id) WHERE seal_seq IS NULL`.execute(db);
}

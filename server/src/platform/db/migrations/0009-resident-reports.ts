import { type Kysely, sql } from 'kysely';

/**
 * Residents' own accounts and the reports they file through the 随手拍 door. A resident signs in
 * with a mobile number, which like every other phone is kept only encrypted (SM4), searchable by
 * its blind index (HMAC-SM3) and shown masked; the unique index makes one account per number.
 * An appeal filed by a signed-in resident points at that account, so the resident can follow it
 * and rate the result.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE users ADD COLUMN phone_index bytea`.execute(db);
  await sql`ALTER TABLE users ADD COLUMN phone_enc bytea`.execute(db);
  await sql`ALTER TABLE users ADD COLUMN phone_masked text`.execute(db);
  await sql`CREATE UNIQUE INDEX users_phone_index ON users (phone_index) WHERE phone_index IS NOT NULL`.execute(db);

  await sql`ALTER TABLE appeals ADD COLUMN reporter_user_id bigint REFERENCES users(id)`.execute(db);
  // "My reports", newest first.
  await sql`CREATE INDEX appeals_reporter_user ON appeals (reporter_user_id, matter_id DESC) WHERE reporter_user_id IS NOT NULL`.execute(db);
}

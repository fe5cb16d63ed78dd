import { type Kysely, sql } from 'kysely';

/** Duplicates merged into one matter keep their own row and reporter, pointing at the primary. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE matters ADD COLUMN merged_into_id bigint REFERENCES matters(id)`.execute(db);
  await sql`CREATE INDEX matters_merged_into ON matters (merged_into_id) WHERE merged_into_id IS NOT NULL`.execute(db);
}

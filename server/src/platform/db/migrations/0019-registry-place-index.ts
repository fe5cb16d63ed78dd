import { type Kysely, sql } from 'kysely';

/**
 * Residents and households are found by region through their place id (a B-tree) and the place
 * tree's own path index, no longer through a GiST index on their copy of the path: keeping that
 * GiST index up to date was the largest single cost of importing residents (see
 * platform/auth/scope.ts `placeInScope`).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX residents_place_gist`.execute(db);
  // With the name after the place, "surname 王 in this community" reads only the 王 of each of its
  // places, and a plain list by place reads the same index by its first column.
  await sql`CREATE INDEX residents_place_name ON residents (place_id, name COLLATE "C" text_pattern_ops)`.execute(db);
  await sql`DROP INDEX households_place_gist`.execute(db);
  await sql`CREATE INDEX households_place ON households (place_id)`.execute(db);
}

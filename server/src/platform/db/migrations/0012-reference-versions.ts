import { type Kysely, sql } from 'kysely';

/** Reference tables whose every change bumps a version, and the version each bumps. */
export const VERSIONED_TABLES: Record<string, string> = {
  calendar_years: 'calendar',
  calendar_days: 'calendar',
  matter_types: 'matter_types',
  appeal_categories: 'appeal_categories',
  appeal_category_attributes: 'appeal_categories',
  triage_rules: 'triage_rules',
  places: 'places',
};

/**
 * A version per kind of reference data, bumped by a statement trigger on every change to its
 * tables (by the application or by hand in SQL), so every process can cache reference data and
 * know with one small read whether its copy is still current (platform/db/reference-cache.ts).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE TABLE reference_versions (name text PRIMARY KEY, version bigint NOT NULL)`.execute(db);
  await sql`
    CREATE FUNCTION bump_reference_version() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      INSERT INTO reference_versions (name, version) VALUES (TG_ARGV[0], 1)
      ON CONFLICT (name) DO UPDATE SET version = reference_versions.version + 1;
      RETURN NULL;
    END $$`.execute(db);
  for (const [table, name] of Object.entries(VERSIONED_TABLES)) await versionTable(db, table, name);
}

/** Makes every change to `table` bump the version `name` (later migrations version more tables). */
export async function versionTable(db: Kysely<unknown>, table: string, name: string): Promise<void> {
  await sql`INSERT INTO reference_versions (name, version) VALUES (${name}, 1) ON CONFLICT DO NOTHING`.execute(db);
  await sql`
    CREATE TRIGGER ${sql.raw(`${table}_version`)} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ${sql.table(table)}
    FOR EACH STATEMENT EXECUTE FUNCTION bump_reference_version(${sql.lit(name)})`.execute(db);
}

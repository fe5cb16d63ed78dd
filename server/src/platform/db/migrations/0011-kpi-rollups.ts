import { type Kysely, sql } from 'kysely';

/**
 * KPI facts and monthly rollups of appeals, both derived from the timeline by the KPI refresher
 * (modules/appeals/kpi.repository.ts) so that a dashboard over millions of matters reads
 * thousands of rows. `appeal_kpi_state` holds the last timeline event folded in.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE appeal_kpi_facts (
      matter_id bigint PRIMARY KEY REFERENCES matters(id),
      created_at timestamptz NOT NULL,
      month date NOT NULL,
      place_path ltree NOT NULL,
      category_code text NOT NULL,
      handler_key text NOT NULL,
      first_due timestamptz,
      first_response_at timestamptz,
      first_closed_at timestamptz,
      was_escalated boolean NOT NULL,
      last_callback text,
      last_solved boolean
    )`.execute(db);
  // No GiST on the paths: queries narrow by period first (this index, or the rollups' key) and the
  // region test is cheap on what remains, while every refresh would pay for GiST upkeep.
  await sql`CREATE INDEX appeal_kpi_facts_created ON appeal_kpi_facts (created_at)`.execute(db);
  await sql`
    CREATE TABLE appeal_kpi_monthly (
      dimension text NOT NULL CHECK (dimension IN ('place','category','organisation')),
      month date NOT NULL,
      area_path ltree NOT NULL,
      key text NOT NULL,
      total integer NOT NULL,
      responded_in_time integer NOT NULL,
      responded integer NOT NULL,
      closed integer NOT NULL,
      closed_in_time integer NOT NULL,
      callbacks integer NOT NULL,
      satisfied integer NOT NULL,
      solved integer NOT NULL,
      handling_hours_sum double precision NOT NULL,
      PRIMARY KEY (dimension, month, area_path, key)
    )`.execute(db);
  await sql`CREATE TABLE appeal_kpi_state (id integer PRIMARY KEY CHECK (id = 1), last_event_id bigint NOT NULL)`.execute(db);
  await sql`INSERT INTO appeal_kpi_state VALUES (1, 0)`.execute(db);
}

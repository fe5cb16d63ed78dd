import { type Kysely, sql } from 'kysely';

/**
 * A step whose deadline falls in a year without holiday data (the State Council publishes next
 * year's arrangement late in the year) is taken anyway, with its deadline pending that year:
 * refusing the resident's appeal would lose it, and guessing the holidays would give a wrong
 * deadline. `due_pending_year` names the year awaited; once an administrator enters it, the
 * matters engine sets the deadline from the step's start and arms its timers (timeline entry
 * `deadline_set`).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE matters ADD COLUMN due_pending_year integer`.execute(db);
  await sql`CREATE INDEX matters_due_pending ON matters (due_pending_year) WHERE due_pending_year IS NOT NULL`.execute(db);
  await sql`ALTER TABLE matter_events DROP CONSTRAINT matter_events_kind_check`.execute(db);
  await sql`
    ALTER TABLE matter_events ADD CONSTRAINT matter_events_kind_check
      CHECK (kind IN ('created','transition','note','warned','escalated','assigned','co_handler_added','co_handler_reported','co_handler_withdrawn','deadline_set'))`.execute(db);
}

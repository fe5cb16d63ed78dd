import { loadShippedCalendar } from '../calendar/calendar.reference.ts';
import type { Db } from './database.ts';
import { migrateToLatest } from './migrate.ts';
import { upsertBuiltinRoles } from '../auth/auth.repository.ts';

/**
 * Brings a database to a usable state: schema migrations, then the reference data every
 * installation needs (built-in roles, the shipped holiday calendar). Safe to run at every start.
 */
export async function prepareDatabase(db: Db): Promise<void> {
  await migrateToLatest(db);
  for (const step of REFERENCE_DATA_STEPS) await step(db);
}

/** Reference-data loaders, each idempotent; platform parts register theirs here. */
const REFERENCE_DATA_STEPS: Array<(db: Db) => Promise<void>> = [upsertBuiltinRoles, loadShippedCalendar];

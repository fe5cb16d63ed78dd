import type { Db } from '../db/database.ts';
import { insertYearIfMissing } from './calendar.repository.ts';
import { SHIPPED_CALENDAR_YEARS } from './holidays.ts';

/**
 * Reference-data step: stores each shipped calendar year that the database does not have yet. Safe to
 * run at every start; a year already present, shipped or edited by an administrator, is left alone.
 */
export async function loadShippedCalendar(db: Db): Promise<void> {
  for (const shipped of SHIPPED_CALENDAR_YEARS) {
    await insertYearIfMissing(db, shipped.year, shipped.source, shipped.days);
  }
}

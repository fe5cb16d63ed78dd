import { sql } from 'kysely';
import type { Executor } from '../db/database.ts';
import { assertCalendarYear, WorkingCalendar, type CalendarDay } from './calendar.ts';

/** One year of the stored calendar, as an administrator sees it in the list. */
export interface CalendarYearSummary {
  year: number;
  source: string;
  updatedAt: Date;
  holidayCount: number;
  workdayCount: number;
}

/** Builds the working calendar from every stored year and listed day. */
export async function loadCalendar(db: Executor): Promise<WorkingCalendar> {
  // Sequential on purpose: a transaction on PGlite is one connection.
  const years = await db.selectFrom('calendar_years').select('year').execute();
  const days = await db.selectFrom('calendar_days').select(['day', 'kind', 'name']).execute();
  return new WorkingCalendar({
    years: years.map((row) => row.year),
    days: days.map((row) => ({ date: row.day, kind: row.kind, name: row.name })),
  });
}

/** The stored years, ascending, with how many holidays and make-up working days each lists. */
export async function listYears(db: Executor): Promise<CalendarYearSummary[]> {
  const years = await db.selectFrom('calendar_years').select(['year', 'source', 'updated_at']).orderBy('year').execute();
  // A few dozen rows a year: counting in memory is simpler than a GROUP BY on an extracted year.
  const days = await db.selectFrom('calendar_days').select(['day', 'kind']).execute();
  return years.map((row) => {
    const ofYear = days.filter((day) => day.day.startsWith(`${row.year}-`));
    return {
      year: row.year,
      source: row.source,
      updatedAt: row.updated_at,
      holidayCount: ofYear.filter((day) => day.kind === 'holiday').length,
      workdayCount: ofYear.filter((day) => day.kind === 'workday').length,
    };
  });
}

/**
 * Sets one year's listed days and source, replacing whatever was stored for that year; this is how an
 * administrator enters a new year's notice. Pass the use case's transaction (and write its audit entry
 * there); given the bare database it opens its own so a year is never left half-replaced.
 */
export async function replaceYear(trx: Executor, year: number, source: string, days: readonly CalendarDay[]): Promise<void> {
  assertCalendarYear(year, source, days);
  await inTransaction(trx, async (executor) => {
    await deleteDaysOfYear(executor, year);
    await insertDays(executor, days);
    await executor
      .insertInto('calendar_years')
      .values({ year, source, updated_at: sql`now()` })
      .onConflict((conflict) => conflict.column('year').doUpdateSet({ source, updated_at: sql`now()` }))
      .execute();
  });
}

/**
 * Stores a year only if no row for it exists, and reports whether it did. Used by the reference-data
 * loader, so a year an administrator has edited is never overwritten.
 */
export async function insertYearIfMissing(trx: Executor, year: number, source: string, days: readonly CalendarDay[]): Promise<boolean> {
  assertCalendarYear(year, source, days);
  return inTransaction(trx, async (executor) => {
    // ON CONFLICT makes two servers starting at once agree on which of them inserts the days.
    const inserted = await executor
      .insertInto('calendar_years')
      .values({ year, source })
      .onConflict((conflict) => conflict.column('year').doNothing())
      .returning('year')
      .executeTakeFirst();
    if (!inserted) return false;
    // Days left behind by a deleted year row belong to no stored year; the shipped list replaces them.
    await deleteDaysOfYear(executor, year);
    await insertDays(executor, days);
    return true;
  });
}

async function inTransaction<T>(executor: Executor, work: (trx: Executor) => Promise<T>): Promise<T> {
  return executor.isTransaction ? work(executor) : executor.transaction().execute(work);
}

async function deleteDaysOfYear(executor: Executor, year: number): Promise<void> {
  await executor.deleteFrom('calendar_days').where('day', '>=', `${year}-01-01`).where('day', '<=', `${year}-12-31`).execute();
}

async function insertDays(executor: Executor, days: readonly CalendarDay[]): Promise<void> {
  if (days.length === 0) return;
  await executor
    .insertInto('calendar_days')
    .values(days.map((day) => ({ day: day.date, kind: day.kind, name: day.name })))
    .execute();
}

import type { WorkingCalendar } from '../../platform/calendar/index.ts';
import { isAppError } from '../../platform/errors.ts';
import type { TimeLimit } from './matter-type.ts';

// Deadlines are reckoned on the calendar of China Standard Time (UTC+8, no daylight saving).
const CHINA_OFFSET_MS = 8 * 3_600_000;
const DAY_MS = 86_400_000;

/** The calendar date in China of an instant, `YYYY-MM-DD`. */
export function chinaDate(instant: Date): string {
  return new Date(instant.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 10);
}

/** The instant a China calendar day ends (midnight at its close, China time). */
export function endOfChinaDay(date: string): Date {
  return new Date(Date.parse(`${date}T00:00:00Z`) + DAY_MS - CHINA_OFFSET_MS);
}

/**
 * When a step started at `start` is due. Working days: by the end of the n-th working day after
 * the start day (a matter received on the eve of a holiday gets its days after the holiday).
 * Hours: clock hours from the start.
 */
export function computeDue(calendar: WorkingCalendar, start: Date, limit: TimeLimit): Date {
  if ('hours' in limit) return new Date(start.getTime() + limit.hours * 3_600_000);
  return endOfChinaDay(calendar.addWorkingDays(chinaDate(start), limit.workingDays));
}

/**
 * A step's deadline: when it is due, or — when the deadline runs into a year whose holidays have
 * not been entered yet — the year it waits for (`due` is then null: the step is taken, not refused,
 * and its deadline is set once the year is entered). No limit: neither.
 */
export function stepDeadline(calendar: WorkingCalendar, start: Date, limit: TimeLimit | undefined): { due: Date | null; pendingYear: number | null } {
  if (!limit) return { due: null, pendingYear: null };
  try {
    return { due: computeDue(calendar, start, limit), pendingYear: null };
  } catch (error) {
    if (!isAppError(error, 'CALENDAR_YEAR_MISSING')) throw error;
    return { due: null, pendingYear: Number((error.details as { year: number }).year) };
  }
}

/** The moment `ratio` of the way from start to due (the warning before a deadline). */
export function pointInStep(start: Date, due: Date, ratio: number): Date {
  return new Date(start.getTime() + Math.round((due.getTime() - start.getTime()) * ratio));
}

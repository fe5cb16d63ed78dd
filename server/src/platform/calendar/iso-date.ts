import { AppError } from '../errors.ts';

const MS_PER_DAY = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/u;

/**
 * Days since 1970-01-01 for a `YYYY-MM-DD` date. Working in whole UTC days keeps the arithmetic
 * free of time zones and daylight saving; throws VALIDATION_FAILED for anything but a real date.
 */
export function toDayNumber(date: string): number {
  const match = ISO_DATE.exec(date);
  if (match) {
    const dayNumber = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) / MS_PER_DAY;
    // Date.UTC rolls 31 April over to 1 May; the round trip catches that.
    if (Number.isInteger(dayNumber) && fromDayNumber(dayNumber) === date) return dayNumber;
  }
  throw new AppError('VALIDATION_FAILED', `"${date}" is not a calendar date in the form YYYY-MM-DD`, { date });
}

/** The `YYYY-MM-DD` date of a day number. */
export function fromDayNumber(dayNumber: number): string {
  return new Date(dayNumber * MS_PER_DAY).toISOString().slice(0, 10);
}

/** Day of the week of a day number, 0 for Sunday to 6 for Saturday. */
export function weekdayOf(dayNumber: number): number {
  return new Date(dayNumber * MS_PER_DAY).getUTCDay();
}

/** True for Saturday and Sunday. */
export function isWeekend(dayNumber: number): boolean {
  const weekday = weekdayOf(dayNumber);
  return weekday === 0 || weekday === 6;
}

/** Every date from `first` to `last`, both included. */
export function datesFromTo(first: string, last: string): string[] {
  const dates: string[] = [];
  for (let day = toDayNumber(first); day <= toDayNumber(last); day++) dates.push(fromDayNumber(day));
  return dates;
}

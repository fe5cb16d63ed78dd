import { AppError } from '../errors.ts';
import { fromDayNumber, isWeekend, toDayNumber } from './iso-date.ts';

/** A listed day: a statutory holiday, or a weekend day that is worked in exchange (调休上班). */
export type CalendarDayKind = 'holiday' | 'workday';

/** One listed day of the calendar; every day not listed is a working day unless it is Saturday or Sunday. */
export interface CalendarDay {
  /** `YYYY-MM-DD`. */
  date: string;
  kind: CalendarDayKind;
  /** What the day is, e.g. 国庆节 or 调休上班. */
  name: string;
}

/** What a working calendar is built from: the years whose days are known, and their listed days. */
export interface CalendarData {
  years: Iterable<number>;
  days: Iterable<CalendarDay>;
}

/**
 * The official working-day calendar: weekends are off unless listed as make-up working days, listed
 * holidays are off. Dates are `YYYY-MM-DD` strings. A date in a year without data throws
 * CALENDAR_YEAR_MISSING rather than guessing, because a guessed deadline is a wrong deadline.
 */
export class WorkingCalendar {
  readonly #years: ReadonlySet<number>;
  readonly #days: ReadonlyMap<string, CalendarDay>;

  constructor(data: CalendarData) {
    this.#years = new Set(data.years);
    this.#days = new Map([...data.days].map((day) => [day.date, day]));
  }

  /** The years this calendar has data for, ascending. */
  get years(): number[] {
    return [...this.#years].sort((a, b) => a - b);
  }

  /** True when the calendar has data for `year`. */
  hasYear(year: number): boolean {
    return this.#years.has(year);
  }

  /** The listed holidays and make-up working days of one year, in date order. */
  daysOf(year: number): CalendarDay[] {
    const prefix = `${year}-`;
    return [...this.#days.values()].filter((day) => day.date.startsWith(prefix)).sort((a, b) => (a.date < b.date ? -1 : 1));
  }

  /** The listed holiday or make-up working day on `date`, if any (for showing why a day is off). */
  findDay(date: string): CalendarDay | undefined {
    this.#requireYear(toDayNumber(date));
    return this.#days.get(date);
  }

  /** True when `date` is a working day. */
  isWorkingDay(date: string): boolean {
    return this.#isWorking(toDayNumber(date));
  }

  /** The first working day strictly after `date`. */
  nextWorkingDay(date: string): string {
    return this.addWorkingDays(date, 1);
  }

  /** The last working day strictly before `date`. */
  previousWorkingDay(date: string): string {
    return this.addWorkingDays(date, -1);
  }

  /**
   * The deadline is the n-th working day after the start day: the start day itself never counts, so
   * `addWorkingDays('2025-09-30', 1)` is `2025-10-09` across the National Day holiday. With n = 0 the
   * result is the start day if it is a working day, else the next working day; a negative n counts
   * back the same way (the |n|-th working day before the start day).
   */
  addWorkingDays(date: string, n: number): string {
    if (!Number.isSafeInteger(n)) throw new AppError('VALIDATION_FAILED', `working days must be a whole number, found ${n}`, { n });
    let day = toDayNumber(date);
    this.#requireYear(day);
    if (n === 0) {
      while (!this.#isWorking(day)) day++;
      return fromDayNumber(day);
    }
    const step = n > 0 ? 1 : -1;
    for (let remaining = Math.abs(n); remaining > 0; ) {
      day += step;
      if (this.#isWorking(day)) remaining--;
    }
    return fromDayNumber(day);
  }

  /**
   * Working days in the half-open interval (from, to]: how many working days a case took if it started
   * on `from` and ended on `to`. Negative when `to` is before `from`; zero when they are equal.
   */
  workingDaysBetween(from: string, to: string): number {
    const start = toDayNumber(from);
    const end = toDayNumber(to);
    this.#requireYear(start);
    this.#requireYear(end);
    const [low, high, sign] = start <= end ? [start, end, 1] : [end, start, -1];
    let count = 0;
    for (let day = low + 1; day <= high; day++) if (this.#isWorking(day)) count++;
    return sign * count;
  }

  #isWorking(dayNumber: number): boolean {
    this.#requireYear(dayNumber);
    const listed = this.#days.get(fromDayNumber(dayNumber));
    if (listed) return listed.kind === 'workday';
    return !isWeekend(dayNumber);
  }

  #requireYear(dayNumber: number): void {
    const year = Number(fromDayNumber(dayNumber).slice(0, 4));
    if (!this.#years.has(year)) {
      const message = `the working calendar has no data for ${year}; an administrator must enter that year's holidays`;
      throw new AppError('CALENDAR_YEAR_MISSING', message, { year });
    }
  }
}

/**
 * Checks one year's listed days before they are stored: real dates inside the year, no date twice, a name
 * for each, and make-up working days only on Saturday or Sunday (elsewhere they would be a silent typo).
 */
export function assertCalendarYear(year: number, source: string, days: readonly CalendarDay[]): void {
  const problems: string[] = [];
  if (!Number.isInteger(year) || year < 1900 || year > 9999) problems.push(`year ${year} is not a four-digit year`);
  if (source.trim() === '') problems.push('source is empty; cite the notice the days come from');
  const seen = new Set<string>();
  for (const day of days) {
    const dayNumber = safeDayNumber(day.date);
    if (dayNumber === undefined) {
      problems.push(`"${day.date}" is not a date in the form YYYY-MM-DD`);
      continue;
    }
    if (!day.date.startsWith(`${year}-`)) problems.push(`${day.date} is not in ${year}`);
    if (seen.has(day.date)) problems.push(`${day.date} is listed twice`);
    seen.add(day.date);
    if (day.kind !== 'holiday' && day.kind !== 'workday') problems.push(`${day.date} has unknown kind "${String(day.kind)}"`);
    if (day.kind === 'workday' && !isWeekend(dayNumber)) problems.push(`${day.date} is a make-up working day but not a Saturday or Sunday`);
    if (day.name.trim() === '') problems.push(`${day.date} has no name`);
  }
  if (problems.length > 0) {
    throw new AppError('VALIDATION_FAILED', `calendar for ${year} is invalid: ${problems.join('; ')}`, { year, problems });
  }
}

function safeDayNumber(date: string): number | undefined {
  try {
    return toDayNumber(date);
  } catch {
    return undefined;
  }
}

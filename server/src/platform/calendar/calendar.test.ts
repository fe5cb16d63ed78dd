import { describe, expect, it } from 'vitest';
import { isAppError } from '../errors.ts';
import { assertCalendarYear, WorkingCalendar } from './calendar.ts';
import { SHIPPED_CALENDAR_YEARS } from './holidays.ts';
import { isWeekend, toDayNumber } from './iso-date.ts';

const calendar = new WorkingCalendar({
  years: SHIPPED_CALENDAR_YEARS.map((year) => year.year),
  days: SHIPPED_CALENDAR_YEARS.flatMap((year) => year.days),
});

function expectYearMissing(action: () => unknown, year: number): void {
  try {
    action();
    expect.fail('expected CALENDAR_YEAR_MISSING');
  } catch (error) {
    expect(isAppError(error, 'CALENDAR_YEAR_MISSING')).toBe(true);
    expect(isAppError(error) && error.details).toEqual({ year });
  }
}

describe('2025 National Day and Mid-Autumn holiday', () => {
  it('is off from 1 to 8 October', () => {
    for (const date of ['2025-10-01', '2025-10-02', '2025-10-03', '2025-10-04', '2025-10-05', '2025-10-06', '2025-10-07', '2025-10-08']) {
      expect(calendar.isWorkingDay(date), date).toBe(false);
    }
  });

  it('works on Sunday 28 September and Saturday 11 October', () => {
    expect(calendar.isWorkingDay('2025-09-28')).toBe(true);
    expect(calendar.isWorkingDay('2025-10-11')).toBe(true);
    expect(calendar.findDay('2025-10-11')).toEqual({ date: '2025-10-11', kind: 'workday', name: '调休上班' });
  });

  it('keeps the ordinary weekend around it off', () => {
    expect(calendar.isWorkingDay('2025-09-27')).toBe(false);
    expect(calendar.isWorkingDay('2025-10-12')).toBe(false);
    expect(calendar.isWorkingDay('2025-10-09')).toBe(true);
  });

  it('puts the deadline one working day after 30 September on 9 October', () => {
    expect(calendar.addWorkingDays('2025-09-30', 1)).toBe('2025-10-09');
    expect(calendar.nextWorkingDay('2025-09-30')).toBe('2025-10-09');
  });

  it('counts the make-up Sunday 28 September as the next working day after Friday 26 September', () => {
    expect(calendar.addWorkingDays('2025-09-26', 1)).toBe('2025-09-28');
  });

  it('counts the make-up Saturday 11 October two working days after 9 October', () => {
    expect(calendar.addWorkingDays('2025-10-09', 2)).toBe('2025-10-11');
  });

  it('puts five working days after 29 September on Monday 13 October', () => {
    // 30 Sep (1), 9 Oct (2), 10 Oct (3), Saturday 11 Oct (4), Monday 13 Oct (5).
    expect(calendar.addWorkingDays('2025-09-29', 5)).toBe('2025-10-13');
  });

  it('counts back over the holiday with a negative number of days', () => {
    expect(calendar.addWorkingDays('2025-10-09', -1)).toBe('2025-09-30');
    expect(calendar.addWorkingDays('2025-10-13', -5)).toBe('2025-09-29');
    expect(calendar.previousWorkingDay('2025-10-01')).toBe('2025-09-30');
  });

  it('returns the start day for zero days when it is a working day, else the next working day', () => {
    expect(calendar.addWorkingDays('2025-09-28', 0)).toBe('2025-09-28');
    expect(calendar.addWorkingDays('2025-10-01', 0)).toBe('2025-10-09');
  });

  it('counts six working days from 26 September to 12 October and minus six back', () => {
    // 28, 29, 30 September and 9, 10, 11 October.
    expect(calendar.workingDaysBetween('2025-09-26', '2025-10-12')).toBe(6);
    expect(calendar.workingDaysBetween('2025-10-12', '2025-09-26')).toBe(-6);
    expect(calendar.workingDaysBetween('2025-09-30', '2025-10-08')).toBe(0);
    expect(calendar.workingDaysBetween('2025-10-09', '2025-10-09')).toBe(0);
  });
});

describe('2025 Spring Festival', () => {
  it('is off from 28 January to 4 February and worked on 26 January and 8 February', () => {
    expect(calendar.isWorkingDay('2025-01-26')).toBe(true);
    expect(calendar.isWorkingDay('2025-01-27')).toBe(true);
    for (let day = 28; day <= 31; day++) expect(calendar.isWorkingDay(`2025-01-${day}`)).toBe(false);
    for (let day = 1; day <= 4; day++) expect(calendar.isWorkingDay(`2025-02-0${day}`)).toBe(false);
    expect(calendar.isWorkingDay('2025-02-05')).toBe(true);
    expect(calendar.isWorkingDay('2025-02-08')).toBe(true);
    expect(calendar.isWorkingDay('2025-02-09')).toBe(false);
    expect(calendar.findDay('2025-01-29')).toEqual({ date: '2025-01-29', kind: 'holiday', name: '春节' });
  });

  it('moves deadlines over the holiday by hand-counted working days', () => {
    expect(calendar.addWorkingDays('2025-01-24', 1)).toBe('2025-01-26');
    expect(calendar.addWorkingDays('2025-01-27', 1)).toBe('2025-02-05');
    expect(calendar.addWorkingDays('2025-01-27', 4)).toBe('2025-02-08');
    expect(calendar.addWorkingDays('2025-01-27', 5)).toBe('2025-02-10');
    // 21, 22, 23, 24, Sunday 26, 27 January, then 5, 6, 7 and Saturday 8 February.
    expect(calendar.addWorkingDays('2025-01-20', 10)).toBe('2025-02-08');
  });

  it('counts seven working days from 24 January to 10 February', () => {
    // Sunday 26, 27 January; 5, 6, 7, Saturday 8, 10 February.
    expect(calendar.workingDaysBetween('2025-01-24', '2025-02-10')).toBe(7);
    expect(calendar.workingDaysBetween('2025-02-10', '2025-01-24')).toBe(-7);
  });
});

describe('other shipped years', () => {
  it('keeps the 2020 Spring Festival extension to 2 February and drops the 1 February make-up day', () => {
    expect(calendar.isWorkingDay('2020-01-19')).toBe(true);
    expect(calendar.isWorkingDay('2020-01-31')).toBe(false);
    expect(calendar.isWorkingDay('2020-02-01')).toBe(false);
    expect(calendar.addWorkingDays('2020-01-23', 1)).toBe('2020-02-03');
  });

  it('works on the 2024 New Year Eve, which the notice only recommended as leave', () => {
    expect(calendar.isWorkingDay('2024-02-09')).toBe(true);
  });

  it('follows the 2026 notice: Sunday 4 January worked, Spring Festival 15–23 February', () => {
    expect(calendar.isWorkingDay('2026-01-02')).toBe(false);
    expect(calendar.isWorkingDay('2026-01-04')).toBe(true);
    expect(calendar.isWorkingDay('2026-02-14')).toBe(true);
    expect(calendar.isWorkingDay('2026-02-23')).toBe(false);
    expect(calendar.isWorkingDay('2026-02-28')).toBe(true);
  });

  it('crosses from 2025 into 2026 over the New Year holiday', () => {
    expect(calendar.addWorkingDays('2025-12-31', 1)).toBe('2026-01-04');
    expect(calendar.workingDaysBetween('2025-12-30', '2026-01-05')).toBe(3);
  });
});

describe('missing years', () => {
  it('throws CALENDAR_YEAR_MISSING for a date in 2019 or 2027', () => {
    expectYearMissing(() => calendar.isWorkingDay('2019-06-03'), 2019);
    expectYearMissing(() => calendar.isWorkingDay('2027-06-01'), 2027);
  });

  it('throws CALENDAR_YEAR_MISSING when counting crosses into a year without data', () => {
    expectYearMissing(() => calendar.addWorkingDays('2026-12-31', 1), 2027);
    expectYearMissing(() => calendar.addWorkingDays('2020-01-02', -2), 2019);
    expectYearMissing(() => calendar.workingDaysBetween('2026-12-01', '2027-01-05'), 2027);
  });

  it('throws CALENDAR_YEAR_MISSING even for a weekend day it could have guessed', () => {
    expectYearMissing(() => calendar.isWorkingDay('2027-01-02'), 2027);
  });

  it('rejects a malformed date as a validation failure', () => {
    expect(() => calendar.isWorkingDay('2025-02-29')).toThrow(/not a calendar date/);
    expect(() => calendar.isWorkingDay('2025-9-1')).toThrow(/not a calendar date/);
    expect(() => calendar.addWorkingDays('2025-09-01', 1.5)).toThrow(/whole number/);
  });
});

describe('shipped holiday data', () => {
  // Statutory days off per year (11, 13 from 2025), plus the two weekdays the 2020 COVID-19 extension added.
  const expectedNetDaysOff: Record<number, number> = { 2020: 13, 2021: 11, 2022: 11, 2023: 11, 2024: 11, 2025: 13, 2026: 13 };

  it.each(SHIPPED_CALENDAR_YEARS)('passes the stored-year checks for $year', ({ year, source, days }) => {
    expect(() => assertCalendarYear(year, source, days)).not.toThrow();
    expect(source).toMatch(/国办发明电〔\d{4}〕\d+号/);
  });

  it.each(SHIPPED_CALENDAR_YEARS)('balances weekday holidays against make-up days in $year', ({ year, days }) => {
    const weekdayHolidays = days.filter((day) => day.kind === 'holiday' && !isWeekend(toDayNumber(day.date))).length;
    const weekendWorkdays = days.filter((day) => day.kind === 'workday').length;
    expect(weekdayHolidays - weekendWorkdays).toBe(expectedNetDaysOff[year]);
  });

  it('ships exactly 2020 to 2026', () => {
    expect(calendar.years).toEqual([2020, 2021, 2022, 2023, 2024, 2025, 2026]);
  });
});

describe('assertCalendarYear', () => {
  it('rejects a day outside the year, a date listed twice and a make-up day on a weekday', () => {
    const days = [
      { date: '2027-10-01', kind: 'holiday' as const, name: '国庆节' },
      { date: '2027-10-01', kind: 'holiday' as const, name: '国庆节' },
      { date: '2026-10-09', kind: 'holiday' as const, name: '国庆节' },
      { date: '2027-10-08', kind: 'workday' as const, name: '调休上班' },
    ];
    expect(() => assertCalendarYear(2027, 'test', days)).toThrow(
      'calendar for 2027 is invalid: 2027-10-01 is listed twice; 2026-10-09 is not in 2027; 2027-10-08 is a make-up working day but not a Saturday or Sunday',
    );
  });
});

import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle, Db } from '../db/database.ts';
import { isAppError } from '../errors.ts';
import { createTestDatabase, testDatabaseKinds } from '../testing/test-database.ts';
import { loadShippedCalendar } from './calendar.reference.ts';
import { listYears, loadCalendar, replaceYear } from './calendar.repository.ts';
import { SHIPPED_CALENDAR_YEARS } from './holidays.ts';

async function countRows(db: Db): Promise<{ years: number; days: number }> {
  const years = await db.selectFrom('calendar_years').select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow();
  const days = await db.selectFrom('calendar_days').select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow();
  return { years: Number(years.count), days: Number(days.count) };
}

const shippedDayCount = SHIPPED_CALENDAR_YEARS.reduce((sum, year) => sum + year.days.length, 0);

describe.each(testDatabaseKinds())('stored working calendar on %s', (kind) => {
  let handle: DatabaseHandle;
  beforeAll(async () => {
    handle = await createTestDatabase(kind);
  });
  afterAll(() => handle.close());

  it('holds every shipped year after the database is prepared', async () => {
    expect(await countRows(handle.db)).toEqual({ years: SHIPPED_CALENDAR_YEARS.length, days: shippedDayCount });
    const years = await listYears(handle.db);
    expect(years.map((year) => year.year)).toEqual([2020, 2021, 2022, 2023, 2024, 2025, 2026]);
    expect(years.find((year) => year.year === 2025)).toMatchObject({
      source: '国务院办公厅关于2025年部分节假日安排的通知（国办发明电〔2024〕12号）',
      holidayCount: 28,
      workdayCount: 5,
    });
  });

  it('loads a calendar that answers the 2025 National Day questions like the shipped data', async () => {
    const calendar = await loadCalendar(handle.db);
    expect(calendar.isWorkingDay('2025-10-08')).toBe(false);
    expect(calendar.isWorkingDay('2025-10-11')).toBe(true);
    expect(calendar.addWorkingDays('2025-09-30', 1)).toBe('2025-10-09');
    expect(calendar.findDay('2025-10-01')).toEqual({ date: '2025-10-01', kind: 'holiday', name: '国庆节、中秋节' });
  });

  it('changes nothing when the loader runs twice more', async () => {
    const before = await countRows(handle.db);
    await loadShippedCalendar(handle.db);
    await loadShippedCalendar(handle.db);
    expect(await countRows(handle.db)).toEqual(before);
  });

  it('does not overwrite a year an administrator edited', async () => {
    const edited = [
      { date: '2026-10-01', kind: 'holiday' as const, name: '国庆节' },
      { date: '2026-10-10', kind: 'workday' as const, name: '调休上班' },
    ];
    await handle.db.transaction().execute((trx) => replaceYear(trx, 2026, 'edited by an administrator', edited));
    await loadShippedCalendar(handle.db);

    const stored = await handle.db.selectFrom('calendar_days').select(['day', 'kind', 'name']).where('day', '>=', '2026-01-01').orderBy('day').execute();
    expect(stored).toEqual(edited.map((day) => ({ day: day.date, kind: day.kind, name: day.name })));
    const years = await listYears(handle.db);
    expect(years.find((year) => year.year === 2026)).toMatchObject({ source: 'edited by an administrator', holidayCount: 1, workdayCount: 1 });
    expect((await loadCalendar(handle.db)).isWorkingDay('2026-10-02')).toBe(true);
  });

  it('restores a shipped year whose row was deleted, replacing its stray days', async () => {
    await sql`DELETE FROM calendar_years WHERE year = 2024`.execute(handle.db);
    await sql`INSERT INTO calendar_days (day, kind, name) VALUES ('2024-03-01', 'holiday', 'stray')`.execute(handle.db);
    await loadShippedCalendar(handle.db);
    const calendar = await loadCalendar(handle.db);
    expect(calendar.hasYear(2024)).toBe(true);
    expect(calendar.isWorkingDay('2024-03-01')).toBe(true);
    expect(calendar.isWorkingDay('2024-02-12')).toBe(false);
  });

  it('lets an administrator add a later year, after which dates in it no longer throw', async () => {
    const before = await loadCalendar(handle.db);
    expect(() => before.isWorkingDay('2027-01-01')).toThrow(/no data for 2027/);
    await replaceYear(handle.db, 2027, 'test notice', [{ date: '2027-01-01', kind: 'holiday', name: '元旦' }]);
    const after = await loadCalendar(handle.db);
    expect(after.isWorkingDay('2027-01-01')).toBe(false);
    expect(after.addWorkingDays('2026-12-31', 1)).toBe('2027-01-04');
  });

  it('rejects a replacement with a day outside its year and leaves the stored year as it was', async () => {
    const before = await countRows(handle.db);
    try {
      await replaceYear(handle.db, 2025, 'bad', [{ date: '2024-10-01', kind: 'holiday', name: '国庆节' }]);
      expect.fail('replaceYear accepted a day outside the year');
    } catch (error) {
      expect(isAppError(error, 'VALIDATION_FAILED')).toBe(true);
    }
    expect(await countRows(handle.db)).toEqual(before);
    expect((await listYears(handle.db)).find((year) => year.year === 2025)?.holidayCount).toBe(28);
  });
});

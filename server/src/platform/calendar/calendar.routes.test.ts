import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseKinds } from '../testing/test-database.ts';
import { createTestApp, type TestApp } from '../../testing/test-app.ts';

describe.each(testDatabaseKinds())('calendar API on %s', (kind) => {
  let t: TestApp;
  let admin: string;
  beforeAll(async () => {
    t = await createTestApp(kind);
    admin = await t.signInAs({ username: 'root', roleCodes: ['administrator'], scopePath: '' });
  });
  afterAll(() => t.close());

  it('lists the shipped years 2020 to 2026 with their sources', async () => {
    const response = await t.app.inject({ url: '/api/calendar/years', headers: { cookie: admin } });
    const years = response.json<{ items: Array<{ year: number; source: string }> }>().items;
    expect(years.map((y) => y.year)).toEqual([2020, 2021, 2022, 2023, 2024, 2025, 2026]);
    expect(years.find((y) => y.year === 2025)!.source).toContain('国办发明电');
  });

  it('shows the 2025 National Day days off and make-up working days', async () => {
    const response = await t.app.inject({ url: '/api/calendar/2025', headers: { cookie: admin } });
    const days = response.json<{ days: Array<{ date: string; kind: string }> }>().days;
    expect(days.filter((d) => d.date >= '2025-09-28' && d.date <= '2025-10-11')).toEqual([
      expect.objectContaining({ date: '2025-09-28', kind: 'workday' }),
      ...['01', '02', '03', '04', '05', '06', '07', '08'].map((d) => expect.objectContaining({ date: `2025-10-${d}`, kind: 'holiday' })),
      expect.objectContaining({ date: '2025-10-11', kind: 'workday' }),
    ]);
  });

  it('answers CALENDAR_YEAR_MISSING for a year without data, then accepts an administrator edit (audited)', async () => {
    const missing = await t.app.inject({ url: '/api/calendar/2027', headers: { cookie: admin } });
    expect(missing.statusCode).toBe(422);
    expect(missing.json<{ error: { code: string } }>().error.code).toBe('CALENDAR_YEAR_MISSING');
    const put = await t.app.inject({
      method: 'PUT',
      url: '/api/calendar/2027',
      headers: { cookie: admin },
      payload: { source: '国务院办公厅通知（测试）', days: [{ date: '2027-01-01', kind: 'holiday', name: '元旦' }] },
    });
    expect(put.statusCode, put.body).toBe(204);
    const after = await t.app.inject({ url: '/api/calendar/2027', headers: { cookie: admin } });
    expect(after.json()).toEqual({ year: 2027, days: [{ date: '2027-01-01', kind: 'holiday', name: '元旦' }] });
    const audit = await t.handle.db.selectFrom('audit_log').select('action').where('action', '=', 'calendar.year_replaced').execute();
    expect(audit).toHaveLength(1);
  });

  it('refuses a calendar edit without the permission', async () => {
    const clerk = await t.signInAs({ username: 'clerk', roleCodes: ['community_staff'], scopePath: '500000' });
    const put = await t.app.inject({ method: 'PUT', url: '/api/calendar/2028', headers: { cookie: clerk }, payload: { source: 'x x x x', days: [] } });
    expect(put.statusCode).toBe(403);
  });
});

import { Type } from 'typebox';
import { appendAudit } from '../audit/index.ts';
import { auditActorOf } from '../auth/principal.ts';
import { AppError } from '../errors.ts';
import { principalOf, type RoutesPlugin } from '../http/context.ts';
import { listYears, loadCalendar, replaceYear } from './calendar.repository.ts';

const Day = Type.Object({
  date: Type.String({ format: 'date' }),
  kind: Type.Union([Type.Literal('holiday'), Type.Literal('workday')]),
  name: Type.String({ minLength: 1, maxLength: 40 }),
});
const YearParams = Type.Object({ year: Type.Integer({ minimum: 2000, maximum: 2100 }) });

/** The working-day calendar: years on file, one year's days, an administrator's edit of a year. */
export const calendarRoutes: RoutesPlugin = async (app, { db }) => {
  app.get(
    '/api/calendar/years',
    {
      config: { permission: 'registry:place:read' },
      schema: {
        tags: ['calendar'],
        response: {
          200: Type.Object({
            items: Type.Array(Type.Object({ year: Type.Integer(), source: Type.String(), holidays: Type.Integer(), workdays: Type.Integer(), updatedAt: Type.String() })),
          }),
        },
      },
    },
    async () => ({
      items: (await listYears(db)).map((y) => ({ year: y.year, source: y.source, holidays: y.holidayCount, workdays: y.workdayCount, updatedAt: y.updatedAt.toISOString() })),
    }),
  );

  app.get(
    '/api/calendar/:year',
    { config: { permission: 'registry:place:read' }, schema: { tags: ['calendar'], params: YearParams, response: { 200: Type.Object({ year: Type.Integer(), days: Type.Array(Day) }) } } },
    async (request) => {
      const calendar = await loadCalendar(db);
      const { year } = request.params;
      if (!calendar.hasYear(year)) throw new AppError('CALENDAR_YEAR_MISSING', `no holiday calendar for ${year}`, { year });
      return { year, days: calendar.daysOf(year) };
    },
  );

  app.put(
    '/api/calendar/:year',
    {
      config: { permission: 'platform:calendar:write' },
      schema: {
        tags: ['calendar'],
        params: YearParams,
        body: Type.Object({ source: Type.String({ minLength: 4, maxLength: 200 }), days: Type.Array(Day, { maxItems: 120 }) }),
        response: { 204: Type.Null() },
      },
    },
    async (request, reply) => {
      const { year } = request.params;
      await db.transaction().execute(async (trx) => {
        await replaceYear(trx, year, request.body.source, request.body.days);
        await appendAudit(trx, auditActorOf(principalOf(request)), { action: 'calendar.year_replaced', entityType: 'calendar_year', entityId: year, details: { source: request.body.source, days: request.body.days.length } });
      });
      return reply.status(204).send(null);
    },
  );
};

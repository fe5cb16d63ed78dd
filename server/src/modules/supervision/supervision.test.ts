import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemPrincipal, type Principal } from '../../platform/auth/index.ts';
import { testDatabaseKinds } from '../../platform/testing/test-database.ts';
import { createTestApp, type TestApp } from '../../testing/test-app.ts';
import { insertPlaceFixture, PATHS } from '../../testing/fixtures.ts';
import { assignOrganisation, createMatter, handleEscalate } from '../matters/index.ts';
import { getOverdueBoard } from './supervision.service.ts';

/** An instant given in China time, as the deadlines are reckoned. */
const china = (local: string) => new Date(`${local}+08:00`);

describe.each(testDatabaseKinds())('supervisor’s overdue board (督办看板) on %s', (kind) => {
  let t: TestApp;
  let places: Awaited<ReturnType<typeof insertPlaceFixture>>;
  let supervisor: string;
  let gridWorker: string;
  const orgs = { water: 0, roads: 0 };
  const ids = { beforeHoliday: 0, onHoliday: 0, yesterday: 0, notYetDue: 0, otherCommunity: 0, unassigned: 0 };
  // The board is read on Friday 10 October 2025, two days after the National Day holiday (1–8 October).
  const boardDay = china('2025-10-10T10:00:00');

  const open = async (placeId: number, createdAt: Date, title: string) => {
    const deps = { db: t.services.db, jobs: t.services.jobs, now: () => createdAt };
    // An appeal's first step (受理) must be taken within 2 hours.
    return (await createMatter(deps, systemPrincipal('test'), { typeCode: 'appeal', title, placeId })).id;
  };
  const escalate = (matterId: number, level: number, at: Date) => handleEscalate({ db: t.services.db, jobs: t.services.jobs, now: () => at }, { matterId, stepSeq: 1, level });
  const organisation = async (name: string) =>
    (await t.handle.db.insertInto('organisations').values({ kind: 'department', name, scope_path: PATHS.district }).returning('id').executeTakeFirstOrThrow()).id;

  beforeAll(async () => {
    t = await createTestApp(kind);
    places = await insertPlaceFixture(t.handle.db);
    supervisor = await t.signInAs({ username: 'street_leader', roleCodes: ['street_staff'], scopePath: PATHS.communityA });
    gridWorker = await t.signInAs({ username: 'grid_a', roleCodes: ['grid_worker'], scopePath: PATHS.gridA });
    orgs.water = await organisation('区供水公司');
    orgs.roads = await organisation('区市政设施管理处');
    ids.beforeHoliday = await open(places.gridA, china('2025-09-29T09:00:00'), '小区停水三天');
    ids.onHoliday = await open(places.gridA, china('2025-09-30T23:30:00'), '路面塌陷');
    ids.yesterday = await open(places.gridA, china('2025-10-09T08:00:00'), '水管爆裂');
    ids.notYetDue = await open(places.gridA, china('2025-10-10T09:30:00'), '井盖松动');
    ids.otherCommunity = await open(places.gridB, china('2025-09-29T09:00:00'), '别的社区的事');
    ids.unassigned = await open(places.communityA, china('2025-10-09T15:00:00'), '未指派的事项');
    for (const id of [ids.beforeHoliday, ids.yesterday, ids.notYetDue, ids.otherCommunity]) await assignOrganisation(t.handle.db, id, orgs.water);
    await assignOrganisation(t.handle.db, ids.onHoliday, orgs.roads);
    // 督办: the oldest reached the second level, the holiday one the first.
    await escalate(ids.beforeHoliday, 1, china('2025-09-29T11:00:00'));
    await escalate(ids.beforeHoliday, 2, china('2025-09-29T13:00:00'));
    await escalate(ids.onHoliday, 1, china('2025-10-01T01:30:00'));
  });
  afterAll(() => t.close());

  const principal = (): Principal => ({ ...systemPrincipal('leader', PATHS.communityA), permissions: new Set(['matters:supervision:read']) });

  it('counts overdue time in working days on the official calendar, skipping the National Day holiday', async () => {
    const board = await getOverdueBoard({ db: t.services.db, now: () => boardDay }, principal(), {}, { limit: 20, offset: 0 });
    const byId = new Map(board.items.map((item) => [item.id, item]));
    // Due 29 Sep 11:00: 30 Sep, 9 Oct and 10 Oct are the working days since — not the 11 calendar days.
    expect(byId.get(ids.beforeHoliday)?.overdue).toEqual({ workingDays: 3, hours: 263 });
    // Due 1 Oct 01:30, a holiday: 9 and 10 Oct.
    expect(byId.get(ids.onHoliday)?.overdue.workingDays).toBe(2);
    // Due yesterday at 10:00: today is the first overdue working day.
    expect(byId.get(ids.yesterday)?.overdue).toEqual({ workingDays: 1, hours: 24 });
    expect(byId.has(ids.notYetDue)).toBe(false);
    expect(byId.has(ids.otherCommunity)).toBe(false);
    expect(board.items.map((item) => item.id)).toEqual([ids.beforeHoliday, ids.onHoliday, ids.yesterday, ids.unassigned]);
  });

  it('groups the overdue matters by organisation with counts per escalation level and the oldest', async () => {
    const board = await getOverdueBoard({ db: t.services.db, now: () => boardDay }, principal(), {}, { limit: 20, offset: 0 });
    expect(board.summary).toMatchObject({ total: 4, notEscalated: 2, firstEscalation: 1, secondEscalation: 1, oldestOverdue: { workingDays: 3 } });
    expect(board.groups).toEqual([
      expect.objectContaining({ organisationId: orgs.water, organisationName: '区供水公司', total: 2, notEscalated: 1, firstEscalation: 0, secondEscalation: 1, oldestOverdue: { workingDays: 3, hours: 263 } }),
      expect.objectContaining({ organisationId: orgs.roads, total: 1, notEscalated: 0, firstEscalation: 1, secondEscalation: 0 }),
      expect.objectContaining({ organisationId: null, organisationName: null, total: 1, notEscalated: 1 }),
    ]);
    const waterOnly = await getOverdueBoard({ db: t.services.db, now: () => boardDay }, principal(), { organisationId: orgs.water, level: 2 }, { limit: 20, offset: 0 });
    expect(waterOnly.items.map((item) => item.id)).toEqual([ids.beforeHoliday]);
    const unassigned = await getOverdueBoard({ db: t.services.db, now: () => boardDay }, principal(), { organisationId: null }, { limit: 20, offset: 0 });
    expect(unassigned.items.map((item) => item.id)).toEqual([ids.unassigned]);
  });

  it('serves the board over HTTP to supervisors only, paginated, within their region', async () => {
    const page = await t.app.inject({ url: '/api/supervision/overdue?pageSize=2&page=2', headers: { cookie: supervisor } });
    expect(page.statusCode, page.body).toBe(200);
    const body = page.json<{ total: number; items: Array<{ id: number; overdue: { hours: number } }> }>();
    // Read today rather than on 10 October 2025, every hand-made matter of community A is overdue.
    expect(body.total).toBe(5);
    expect(body.items.map((item) => item.id)).toEqual([ids.yesterday, ids.unassigned]);
    expect(body.items.every((item) => item.overdue.hours > 24)).toBe(true);
    expect((await t.app.inject({ url: '/api/supervision/overdue', headers: { cookie: gridWorker } })).statusCode).toBe(403);
    const filtered = await t.app.inject({ url: `/api/supervision/overdue?isUnassigned=true`, headers: { cookie: supervisor } });
    expect(filtered.json<{ items: Array<{ id: number }> }>().items.map((item) => item.id)).toEqual([ids.unassigned]);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import { createUser } from '../../platform/auth/index.ts';
import { addAssignmentSettings } from '../../platform/db/migrations/0007-assignment.ts';
import type { OrganisationKind } from '../../platform/db/schema.ts';
import { SESSION_COOKIE } from '../../platform/http/server.ts';
import type { DatabaseHandle } from '../../platform/db/database.ts';
import { createTestDatabase, testDatabaseKinds } from '../../platform/testing/test-database.ts';
import { insertPlaceFixture, PATHS } from '../../testing/fixtures.ts';
import { createTestApp, TEST_PASSWORD, type TestApp } from '../../testing/test-app.ts';
import { validateMatterType } from './matter-type.ts';
import { APPEAL_TYPE } from './matter-types.reference.ts';

/** The parts of GET /api/matters/:id these tests read. */
interface MatterBody {
  id: number;
  state: string;
  assigneeOrganisation: { id: number; name: string } | null;
  assigneeUser: { id: number; displayName: string } | null;
  coHandlers: Array<{ organisationId: number; organisationName: string; status: 'pending' | 'reported'; request: string; report: string | null; isOwn: boolean }>;
  coHandling: { isOpen: boolean; replyRequiresAssistants: boolean } | null;
  assigningActions: string[];
  isInRegion: boolean;
  canAssign: boolean;
  timeline: Array<{ kind: string; action: string | null; details: Record<string, unknown> }>;
}

describe.each(testDatabaseKinds())('matter assignment and co-handling on %s', (kind) => {
  let t: TestApp;
  let places: Awaited<ReturnType<typeof insertPlaceFixture>>;
  const org = {} as Record<'streetOffice' | 'committeeA' | 'committeeB' | 'department' | 'elsewhere' | 'dissolved', number>;
  const user = {} as Record<'dispatcher' | 'handlerA' | 'handlerB' | 'departmentHandler' | 'streetHandlerB' | 'farHandlerA' | 'volunteerA' | 'disabledA', number>;
  const cookie = {} as Record<'dispatcher' | 'handlerA' | 'handlerB' | 'departmentHandler', string>;
  let signIns = 0;

  async function addOrganisation(kindOf: OrganisationKind, name: string, scopePath: string, status: 'active' | 'dissolved' = 'active') {
    const row = await t.handle.db.insertInto('organisations').values({ kind: kindOf, name, scope_path: scopePath, status }).returning('id').executeTakeFirstOrThrow();
    return row.id;
  }

  async function addUser(username: string, roleCodes: string[], scopePath: string, organisationId: number) {
    return createUser(t.handle.db, { userId: null, name: 'test', ip: null }, { username, displayName: `${username} 同志`, password: TEST_PASSWORD, roleCodes, scopePath, organisationId });
  }

  async function signIn(username: string): Promise<string> {
    signIns += 1;
    const response = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: TEST_PASSWORD }, remoteAddress: `127.1.0.${signIns}` });
    if (response.statusCode !== 200) throw new Error(`login failed: ${response.body}`);
    const session = response.cookies.find((c) => c.name === SESSION_COOKIE);
    if (!session) throw new Error('no session cookie');
    return `${SESSION_COOKIE}=${session.value}`;
  }

  beforeAll(async () => {
    t = await createTestApp(kind);
    places = await insertPlaceFixture(t.handle.db);
    org.streetOffice = await addOrganisation('street_office', '小龙坎街道办事处', PATHS.street);
    org.committeeA = await addOrganisation('community_committee', '西苑社区居委会', PATHS.communityA);
    org.committeeB = await addOrganisation('community_committee', '东苑社区居委会', PATHS.communityB);
    org.department = await addOrganisation('department', '沙坪坝区城市管理局', PATHS.district);
    org.elsewhere = await addOrganisation('department', '九龙坡区城市管理局', '500000.500107');
    org.dissolved = await addOrganisation('social_organisation', '已注销协会', PATHS.street, 'dissolved');
    user.dispatcher = await addUser('dispatcher', ['street_staff'], PATHS.street, org.streetOffice);
    user.handlerA = await addUser('handler_a', ['grid_worker'], PATHS.communityA, org.committeeA);
    user.handlerB = await addUser('handler_b', ['grid_worker'], PATHS.communityB, org.committeeB);
    user.departmentHandler = await addUser('department_handler', ['department_handler'], PATHS.district, org.department);
    user.streetHandlerB = await addUser('street_handler_b', ['grid_worker'], PATHS.street, org.committeeB);
    user.farHandlerA = await addUser('far_handler_a', ['grid_worker'], PATHS.communityB, org.committeeA);
    user.volunteerA = await addUser('volunteer_a', ['volunteer'], PATHS.communityA, org.committeeA);
    user.disabledA = await addUser('disabled_a', ['grid_worker'], PATHS.communityA, org.committeeA);
    await t.handle.db.updateTable('users').set({ status: 'disabled' }).where('id', '=', user.disabledA).execute();
    cookie.dispatcher = await signIn('dispatcher');
    cookie.handlerA = await signIn('handler_a');
    cookie.handlerB = await signIn('handler_b');
    cookie.departmentHandler = await signIn('department_handler');
  });
  afterAll(() => t.close());

  const post = (who: string, url: string, payload: Record<string, unknown> = {}) => t.app.inject({ method: 'POST', url, headers: { cookie: who }, payload });
  const read = async (who: string, id: number) => (await t.app.inject({ url: `/api/matters/${id}`, headers: { cookie: who } })).json<MatterBody>();

  /** A new appeal in grid A, dispatched and handed to community A's committee. */
  async function matterWithCommitteeA(title = '楼道堆放杂物'): Promise<number> {
    const created = await post(cookie.dispatcher, '/api/matters', { typeCode: 'appeal', title, placeId: places.gridA });
    const id = created.json<{ id: number }>().id;
    expect((await post(cookie.dispatcher, `/api/matters/${id}/actions/dispatch`)).statusCode).toBe(200);
    const transferred = await post(cookie.dispatcher, `/api/matters/${id}/actions/transfer`, { note: '属社区职责', organisationId: org.committeeA });
    expect(transferred.statusCode, transferred.body).toBe(200);
    return id;
  }

  it('assigns a matter to a person of the lead unit whose region covers its place, on the timeline and in the audit trail', async () => {
    const id = await matterWithCommitteeA();
    const response = await post(cookie.dispatcher, `/api/matters/${id}/assignee`, { userId: user.handlerA, note: '请尽快上门查看' });
    expect(response.statusCode, response.body).toBe(200);
    const matter = response.json<MatterBody>();
    expect(matter.assigneeOrganisation).toEqual({ id: org.committeeA, name: '西苑社区居委会' });
    expect(matter.assigneeUser).toEqual({ id: user.handlerA, displayName: 'handler_a 同志' });
    expect(matter.timeline.at(-1)).toMatchObject({ kind: 'assigned', details: { toUser: { id: user.handlerA, name: 'handler_a 同志' }, fromUser: null, message: '请尽快上门查看' } });
    const audit = await t.handle.db.selectFrom('audit_log').select('details').where('action', '=', 'matter.assigned').where('entity_id', '=', String(id)).execute();
    expect(audit).toHaveLength(1);
  });

  it('refuses a person outside the place, a disabled one, one whose role cannot handle, and one of another unit', async () => {
    const id = await matterWithCommitteeA();
    const assign = (userId: number) => post(cookie.dispatcher, `/api/matters/${id}/assignee`, { userId });
    const far = await assign(user.farHandlerA);
    expect(far.statusCode).toBe(400);
    expect(far.json()).toMatchObject({ error: { code: 'ASSIGNEE_OUT_OF_SCOPE', details: { reason: 'user_out_of_scope' } } });
    expect((await assign(user.disabledA)).json()).toMatchObject({ error: { code: 'ASSIGNEE_INVALID', details: { reason: 'inactive' } } });
    expect((await assign(user.volunteerA)).json()).toMatchObject({ error: { code: 'ASSIGNEE_INVALID', details: { reason: 'cannot_handle' } } });
    const otherUnit = await assign(user.streetHandlerB);
    expect(otherUnit.statusCode).toBe(400);
    expect(otherUnit.json()).toMatchObject({ error: { code: 'ASSIGNEE_INVALID', details: { reason: 'not_in_organisation' } } });
    expect((await read(cookie.dispatcher, id)).assigneeUser).toBeNull();
  });

  it('lets a handler of the lead unit assign within it, but not a handler of another unit', async () => {
    const id = await matterWithCommitteeA();
    expect(await read(cookie.departmentHandler, id)).toMatchObject({ isInRegion: true, canAssign: false });
    expect(await read(cookie.handlerA, id)).toMatchObject({ isInRegion: true, canAssign: true });
    const outsider = await post(cookie.departmentHandler, `/api/matters/${id}/assignee`, { userId: user.handlerA });
    expect(outsider.statusCode).toBe(403);
    const own = await post(cookie.handlerA, `/api/matters/${id}/assignee`, { userId: user.handlerA });
    expect(own.statusCode, own.body).toBe(200);
    expect(own.json<MatterBody>().assigneeUser?.id).toBe(user.handlerA);
  });

  it('offers as candidates only the people who may be assigned', async () => {
    const id = await matterWithCommitteeA();
    const response = await t.app.inject({ url: `/api/matters/${id}/assignable-users`, headers: { cookie: cookie.dispatcher } });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json<{ items: Array<{ id: number }> }>().items.map((u) => u.id)).toEqual([user.handlerA]);
    const ofDepartment = await t.app.inject({ url: `/api/matters/${id}/assignable-users?organisationId=${org.department}`, headers: { cookie: cookie.dispatcher } });
    expect(ofDepartment.json<{ items: Array<{ id: number }> }>().items.map((u) => u.id)).toEqual([user.departmentHandler]);
  });

  it('transfers only with a target organisation that covers the place, changes the lead, resets the person and records from → to', async () => {
    const id = await matterWithCommitteeA();
    await post(cookie.dispatcher, `/api/matters/${id}/assignee`, { userId: user.handlerA });
    const withoutTarget = await post(cookie.dispatcher, `/api/matters/${id}/actions/transfer`, { note: '转区城管' });
    expect(withoutTarget.statusCode).toBe(400);
    expect(withoutTarget.json()).toMatchObject({ error: { code: 'VALIDATION_FAILED', details: { fields: [{ field: 'organisationId', message: 'required' }] } } });
    const faraway = await post(cookie.dispatcher, `/api/matters/${id}/actions/transfer`, { note: '转九龙坡', organisationId: org.elsewhere });
    expect(faraway.json()).toMatchObject({ error: { code: 'ASSIGNEE_OUT_OF_SCOPE' } });
    const dissolved = await post(cookie.dispatcher, `/api/matters/${id}/actions/transfer`, { note: '转协会', organisationId: org.dissolved });
    expect(dissolved.json()).toMatchObject({ error: { code: 'ASSIGNEE_INVALID', details: { reason: 'inactive' } } });
    const notTransfer = await post(cookie.dispatcher, `/api/matters/${id}/actions/accept`, { organisationId: org.department });
    expect(notTransfer.statusCode).toBe(400);

    const toDepartment = await post(cookie.dispatcher, `/api/matters/${id}/actions/transfer`, { note: '属城管职责', organisationId: org.department, userId: user.departmentHandler });
    expect(toDepartment.statusCode, toDepartment.body).toBe(200);
    const moved = toDepartment.json<MatterBody>();
    expect(moved).toMatchObject({ state: 'dispatched', assigneeOrganisation: { id: org.department }, assigneeUser: { id: user.departmentHandler } });
    expect(moved.timeline.at(-1)).toMatchObject({
      kind: 'transition',
      action: 'transfer',
      details: {
        fromAssignee: { organisation: { id: org.committeeA, name: '西苑社区居委会' }, user: { id: user.handlerA } },
        toAssignee: { organisation: { id: org.department, name: '沙坪坝区城市管理局' }, user: { id: user.departmentHandler } },
      },
    });

    const back = await post(cookie.dispatcher, `/api/matters/${id}/actions/transfer`, { note: '退回社区', organisationId: org.committeeA });
    expect(back.json<MatterBody>()).toMatchObject({ assigneeOrganisation: { id: org.committeeA }, assigneeUser: null });
    const row = await t.handle.db.selectFrom('matters').select(['assignee_organisation_id', 'assignee_user_id']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(row).toEqual({ assignee_organisation_id: org.committeeA, assignee_user_id: null });
  });

  it('holds the reply until the assisting unit reports, refuses a report from the wrong unit, and queues the matter for the assisting unit', async () => {
    const id = await matterWithCommitteeA('井盖破损');
    // Community B's account cannot see a matter of community A until its unit is asked to assist.
    expect((await t.app.inject({ url: `/api/matters/${id}`, headers: { cookie: cookie.handlerB } })).statusCode).toBe(404);

    const added = await post(cookie.dispatcher, `/api/matters/${id}/co-handlers`, { organisationId: org.committeeB, note: '请协助排查东苑一侧管线' });
    expect(added.statusCode, added.body).toBe(201);
    expect(added.json<MatterBody>().coHandlers).toMatchObject([{ organisationId: org.committeeB, status: 'pending', request: '请协助排查东苑一侧管线', isOwn: false }]);
    expect((await post(cookie.dispatcher, `/api/matters/${id}/co-handlers`, { organisationId: org.committeeB, note: '再次' })).statusCode).toBe(409);
    expect((await post(cookie.dispatcher, `/api/matters/${id}/co-handlers`, { organisationId: org.committeeA, note: '主办' })).statusCode).toBe(400);

    const assisting = await t.app.inject({ url: '/api/matters?assignment=assisting', headers: { cookie: cookie.handlerB } });
    expect(assisting.json<{ items: Array<{ id: number; isAssisting: boolean }> }>().items).toEqual([expect.objectContaining({ id, isAssisting: true })]);
    const open = await t.app.inject({ url: '/api/matters?queue=open', headers: { cookie: cookie.handlerB } });
    expect(open.json<{ items: Array<{ id: number }> }>().items.map((m) => m.id)).toContain(id);
    // It reads the matter to report on it, but acts on it only through that report.
    expect(await read(cookie.handlerB, id)).toMatchObject({ isInRegion: false, canAssign: false, coHandlers: [{ organisationId: org.committeeB, isOwn: true }] });
    expect((await post(cookie.handlerB, `/api/matters/${id}/actions/accept`)).statusCode).toBe(404);

    expect((await post(cookie.handlerA, `/api/matters/${id}/actions/accept`)).statusCode).toBe(200);
    const blocked = await post(cookie.handlerA, `/api/matters/${id}/actions/reply`, { note: '已修复' });
    expect(blocked.statusCode).toBe(409);
    expect(blocked.json()).toMatchObject({ error: { code: 'CO_HANDLERS_PENDING', details: { pending: [{ id: org.committeeB, name: '东苑社区居委会' }] } } });

    const wrongUnit = await post(cookie.handlerA, `/api/matters/${id}/co-handlers/${org.committeeB}/report`, { note: '代为反馈' });
    expect(wrongUnit.statusCode).toBe(403);
    expect(wrongUnit.json()).toMatchObject({ error: { code: 'NOT_CO_HANDLER' } });

    const reported = await post(cookie.handlerB, `/api/matters/${id}/co-handlers/${org.committeeB}/report`, { note: '东苑一侧管线正常' });
    expect(reported.statusCode, reported.body).toBe(200);
    const afterReport = reported.json<MatterBody>();
    expect(afterReport.coHandlers[0]).toMatchObject({ status: 'reported', report: '东苑一侧管线正常' });
    expect(afterReport.timeline.at(-1)).toMatchObject({ kind: 'co_handler_reported', details: { organisation: { id: org.committeeB }, message: '东苑一侧管线正常' } });
    expect((await post(cookie.handlerB, `/api/matters/${id}/co-handlers/${org.committeeB}/report`, { note: '再报一次' })).statusCode).toBe(409);
    const queueAfter = await t.app.inject({ url: '/api/matters?assignment=assisting', headers: { cookie: cookie.handlerB } });
    expect(queueAfter.json<{ total: number }>().total).toBe(0);

    const replied = await post(cookie.handlerA, `/api/matters/${id}/actions/reply`, { note: '已修复' });
    expect(replied.statusCode, replied.body).toBe(200);
    expect(replied.json<MatterBody>().state).toBe('replied');
  });

  it('withdraws an assisting unit that has not reported, on the timeline and in the audit trail', async () => {
    const id = await matterWithCommitteeA('路面积水');
    await post(cookie.dispatcher, `/api/matters/${id}/co-handlers`, { organisationId: org.department, note: '请派车抽排' });
    const withdrawn = await t.app.inject({ method: 'DELETE', url: `/api/matters/${id}/co-handlers/${org.department}`, headers: { cookie: cookie.dispatcher }, payload: { note: '社区已自行处理' } });
    expect(withdrawn.statusCode, withdrawn.body).toBe(200);
    const matter = withdrawn.json<MatterBody>();
    expect(matter.coHandlers).toEqual([]);
    expect(matter.timeline.map((e) => e.kind).slice(-2)).toEqual(['co_handler_added', 'co_handler_withdrawn']);
    const audit = await t.handle.db.selectFrom('audit_log').select('action').where('entity_id', '=', String(id)).where('action', 'like', 'matter.co_handler%').orderBy('id').execute();
    expect(audit.map((a) => a.action)).toEqual(['matter.co_handler_added', 'matter.co_handler_withdrawn']);
    // Nothing pending any more: the lead may accept and reply.
    await post(cookie.handlerA, `/api/matters/${id}/actions/accept`);
    expect((await post(cookie.handlerA, `/api/matters/${id}/actions/reply`, { note: '已抽排' })).statusCode).toBe(200);
  });

  it('turns an assisting unit into the lead when the matter is transferred to it', async () => {
    const id = await matterWithCommitteeA('垃圾清运不及时');
    await post(cookie.dispatcher, `/api/matters/${id}/co-handlers`, { organisationId: org.department, note: '请协助清运' });
    const moved = await post(cookie.dispatcher, `/api/matters/${id}/actions/transfer`, { note: '改由城管主办', organisationId: org.department });
    expect(moved.json<MatterBody>()).toMatchObject({ assigneeOrganisation: { id: org.department }, coHandlers: [] });
    expect(moved.json<MatterBody>().timeline.at(-1)?.details).toMatchObject({ wasAssisting: true });
  });

  it("shows the matter personally assigned to a handler in that handler's own queue", async () => {
    const id = await matterWithCommitteeA('噪音扰民');
    const mineBefore = await t.app.inject({ url: '/api/matters?assignment=mine', headers: { cookie: cookie.handlerA } });
    expect(mineBefore.json<{ items: Array<{ id: number }> }>().items.map((m) => m.id)).not.toContain(id);
    await post(cookie.dispatcher, `/api/matters/${id}/assignee`, { userId: user.handlerA });
    const mine = await t.app.inject({ url: '/api/matters?assignment=mine', headers: { cookie: cookie.handlerA } });
    expect(mine.json<{ items: Array<{ id: number; assigneeUserId: number | null }> }>().items).toContainEqual(expect.objectContaining({ id, assigneeUserId: user.handlerA }));
    const dispatcherMine = await t.app.inject({ url: '/api/matters?assignment=mine', headers: { cookie: cookie.dispatcher } });
    expect(dispatcherMine.json<{ items: Array<{ id: number }> }>().items.map((m) => m.id)).not.toContain(id);
  });

  it('lets an answer go through with the missing units named when the type does not require their reports', async () => {
    const relaxed = structuredClone(APPEAL_TYPE.definition);
    relaxed.coHandling = { states: ['dispatched', 'handling'], replyActions: ['reply'], replyRequiresAssistants: false };
    await t.handle.db
      .insertInto('matter_types')
      .values({ code: 'relaxed_appeal', name_zh: '宽松协办诉求', name_en: 'Relaxed appeal', definition: JSON.stringify(validateMatterType(relaxed)) })
      .execute();
    const created = await post(cookie.dispatcher, '/api/matters', { typeCode: 'relaxed_appeal', title: '树枝遮挡路灯', placeId: places.gridA });
    const id = created.json<{ id: number }>().id;
    await post(cookie.dispatcher, `/api/matters/${id}/actions/dispatch`);
    await post(cookie.dispatcher, `/api/matters/${id}/actions/transfer`, { note: '社区办理', organisationId: org.committeeA });
    await post(cookie.dispatcher, `/api/matters/${id}/co-handlers`, { organisationId: org.committeeB, note: '请协助修剪' });
    await post(cookie.handlerA, `/api/matters/${id}/actions/accept`);
    const replied = await post(cookie.handlerA, `/api/matters/${id}/actions/reply`, { note: '已修剪' });
    expect(replied.statusCode, replied.body).toBe(200);
    expect(replied.json<MatterBody>().timeline.at(-1)?.details).toMatchObject({ pendingAssistants: [{ id: org.committeeB, name: '东苑社区居委会' }] });
  });
});

describe.each(testDatabaseKinds())('the assignment migration on %s', (kind) => {
  let handle: DatabaseHandle;
  beforeAll(async () => {
    handle = await createTestDatabase(kind);
  });
  afterAll(() => handle.close());

  const stored = async () => {
    const row = await handle.db.selectFrom('matter_types').select('definition').where('code', '=', 'appeal').executeTakeFirstOrThrow();
    return validateMatterType(row.definition);
  };
  const store = (definition: unknown) => handle.db.updateTable('matter_types').set({ definition: JSON.stringify(definition) }).where('code', '=', 'appeal').execute();

  it('gives an appeal type stored before it the transfer target and the co-handling rule', async () => {
    const old = structuredClone(APPEAL_TYPE.definition);
    delete old.coHandling;
    for (const action of old.actions) delete action.assignsOrganisation;
    await store(old);
    await addAssignmentSettings(handle.db as unknown as Kysely<unknown>);
    const upgraded = await stored();
    expect(upgraded.coHandling).toEqual({ states: ['dispatched', 'handling'], replyActions: ['reply'], replyRequiresAssistants: true });
    expect(upgraded.actions.find((a) => a.code === 'transfer')?.assignsOrganisation).toBe(true);
  });

  it("keeps an administrator's own co-handling rule", async () => {
    const edited = { ...structuredClone(APPEAL_TYPE.definition), coHandling: { states: ['handling'], replyActions: ['reply'], replyRequiresAssistants: false } };
    await store(edited);
    await addAssignmentSettings(handle.db as unknown as Kysely<unknown>);
    expect((await stored()).coHandling).toEqual({ states: ['handling'], replyActions: ['reply'], replyRequiresAssistants: false });
  });
});

describe('co-handling settings of a matter type', () => {
  const withCoHandling = (coHandling: unknown) => ({ ...structuredClone(APPEAL_TYPE.definition), coHandling });

  it('accepts the shipped appeal type, whose reply waits for the assisting units', () => {
    expect(validateMatterType(APPEAL_TYPE.definition).coHandling).toEqual({ states: ['dispatched', 'handling'], replyRequiresAssistants: true, replyActions: ['reply'] });
  });

  it('refuses co-handling that names an unknown state, a final state or an unknown action', () => {
    expect(() => validateMatterType(withCoHandling({ states: ['nowhere'], replyActions: ['reply'], replyRequiresAssistants: true }))).toThrow(/unknown state nowhere/);
    expect(() => validateMatterType(withCoHandling({ states: ['evaluated'], replyActions: ['reply'], replyRequiresAssistants: true }))).toThrow(/final state evaluated/);
    expect(() => validateMatterType(withCoHandling({ states: ['handling'], replyActions: ['shout'], replyRequiresAssistants: true }))).toThrow(/unknown action shout/);
    expect(() => validateMatterType(withCoHandling({ states: ['handling'], replyActions: ['reply'] }))).toThrow(/malformed/);
  });
});

import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobDefinitions } from '../../../app.ts';
import { createUser, PERMISSIONS } from '../../../platform/auth/index.ts';
import { SESSION_COOKIE } from '../../../platform/http/server.ts';
import { testDatabaseKinds } from '../../../platform/testing/test-database.ts';
import { insertPlaceFixture, makeResidentId, PATHS, PLACES } from '../../../testing/fixtures.ts';
import { createTestApp, TEST_PASSWORD, type TestApp } from '../../../testing/test-app.ts';
import { COMPARE_RUN_COMPLETED_JOB, handleComparisonRun } from '../../compare/index.ts';
import { handleDatasetProfile } from '../../compare/datasets.service.ts';
import { validateMatterType } from '../../matters/index.ts';
import { WARNING_OUTCOMES, WARNING_TYPE } from './warning-type.ts';

// People of the test. 王秀英 (community A) and 李桂兰 (community B) are in hospital with costs well
// above their household's assistance; 张伟 (community A) is in hospital too, but below the threshold.
const ILL_A = makeResidentId('500106', '19800312', 22); // 王秀英, 低保, grid A, head of H-A-1
const CHILD_A = makeResidentId('500106', '20130506', 24); // 斯斯, 11, 低保, her daughter (seed 002)
const ILL_B = makeResidentId('500106', '19750101', 42); // 李桂兰, 低保, grid B
const MINOR_A = makeResidentId('500106', '19700101', 13); // 张伟, small stay
const ELDER_A = makeResidentId('500106', '19400202', 32); // 赵大爷, 高龄 + 独居老人, grid A
const OLD_A = makeResidentId('500106', '19420303', 34); // 钱奶奶, 高龄 only
const HEAD_H2 = makeResidentId('500106', '19840404', 51); // 孙强, 低保, head of H-A-2, dies
const SON_H2 = makeResidentId('500106', '20100505', 53); // 孙小明, 低保, his son
const LEAVER_A = makeResidentId('500106', '19900606', 62); // 周丽, 低保, leaves coverage
const NEWCOMER = makeResidentId('500106', '19950707', 71); // not in the registry: found on a visit

const INSURED = [
  'id_number,name,gender,birth_date,region_code,insurance_type,status,monthly_benefit,benefit_start_date',
  `${makeResidentId('500106', '19500101', 11)},陈建国,男,1950-01-01,500106,城乡居民养老保险,领取待遇,2000.00,2015-01-01`,
];
const HOSPITAL = [
  'id_number,name,admission_date,discharge_date,total_cost,out_of_pocket',
  `${ILL_A},王秀英,2024-03-01,2024-03-20,60000.00,30000.00`,
  `${ILL_B},李桂兰,2024-02-01,2024-02-25,50000.00,25000.00`,
  `${MINOR_A},张伟,2024-04-01,2024-04-05,8000.00,3000.00`,
];
const ASSISTANCE = [
  'id_number,name,household_id,category,monthly_amount,start_date',
  `${ILL_A},王秀英,H-A-1,低保,600.00,2022-01-01`,
  `${CHILD_A},斯斯,H-A-1,低保,600.00,2022-01-01`,
  `${ILL_B},李桂兰,H-B-1,低保,700.00,2021-01-01`,
  `${MINOR_A},张伟,H-A-3,低保,500.00,2021-01-01`,
];

interface Warning {
  id: number;
  kind: string;
  matterId: number;
  state: string;
  isOpen: boolean;
  name: string;
  idNumberMasked: string;
  placeName: string;
  organisationId: number | null;
  organisationName: string | null;
  assigneeName: string | null;
  needs: string[];
  outcome: string | null;
  evidence?: Record<string, unknown>;
  outcomeReason?: string | null;
  actions?: string[];
  matchedResources?: Array<{ id: number; name: string; placesLeft: number }>;
  linkedResources?: Array<{ id: number; name: string }>;
  timeline?: Array<{ kind: string; action: string | null }>;
}

describe.each(testDatabaseKinds())('active discovery (主动发现) on %s', (kind) => {
  let t: TestApp;
  let places: Awaited<ReturnType<typeof insertPlaceFixture>>;
  const orgs = { communityA: 0, communityB: 0 };
  const users: Record<string, number> = {};
  let admin: string;
  let operator: string;
  let adviserA: string;
  let adviserB: string;
  let gridWorkerA: string;
  let communityStaffA: string;
  let districtStaff: string;
  let signIns = 0;

  async function signIn(username: string, roleCodes: string[], scopePath: string, organisationId: number | null = null): Promise<string> {
    users[username] = await createUser(t.handle.db, { userId: null, name: 'test', ip: null }, { username, displayName: username, password: TEST_PASSWORD, roleCodes, scopePath, organisationId });
    signIns += 1;
    const response = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: TEST_PASSWORD }, remoteAddress: `127.1.${Math.floor(signIns / 250)}.${signIns % 250}` });
    expect(response.statusCode, response.body).toBe(200);
    return `${SESSION_COOKIE}=${response.cookies.find((c) => c.name === SESSION_COOKIE)!.value}`;
  }

  async function addResident(idNumber: string, name: string, placeCode: string, extra: { householdNumber?: string; relationToHead?: string; tags?: string[] } = {}) {
    const response = await t.app.inject({ method: 'POST', url: '/api/residents', headers: { cookie: admin }, payload: { idNumber, name, placeCode, ...extra } });
    expect(response.statusCode, response.body).toBeLessThan(300);
    return response.json<{ id: number }>().id;
  }

  const residents = {} as Record<'illA' | 'childA' | 'illB' | 'minorA' | 'elderA' | 'oldA' | 'headH2' | 'sonH2' | 'leaverA', number>;

  beforeAll(async () => {
    t = await createTestApp(kind);
    places = await insertPlaceFixture(t.handle.db);
    for (const [key, path, name] of [
      ['communityA', PATHS.communityA, '西苑社区居委会'],
      ['communityB', PATHS.communityB, '东苑社区居委会'],
    ] as const) {
      const row = await t.handle.db
        .insertInto('organisations')
        .values({ kind: 'community_committee', name, place_id: places[key], scope_path: path })
        .returning('id')
        .executeTakeFirstOrThrow();
      orgs[key] = row.id;
    }
    admin = await signIn('root', ['administrator'], '');
    operator = await signIn('operator', ['city_operator'], PATHS.city);
    adviserA = await signIn('adviser_a', ['social_worker'], PATHS.communityA, orgs.communityA);
    adviserB = await signIn('adviser_b', ['social_worker'], PATHS.communityB, orgs.communityB);
    gridWorkerA = await signIn('grid_a', ['grid_worker'], PATHS.gridA);
    communityStaffA = await signIn('community_a', ['community_staff'], PATHS.communityA, orgs.communityA);
    districtStaff = await signIn('district', ['district_staff'], PATHS.district);

    // Warnings are due in working days: the calendar must reach past the end of this year.
    const nextYear = new Date().getUTCFullYear() + 1;
    if ((await t.app.inject({ url: `/api/calendar/${nextYear}`, headers: { cookie: admin } })).statusCode === 422) {
      const put = await t.app.inject({ method: 'PUT', url: `/api/calendar/${nextYear}`, headers: { cookie: admin }, payload: { source: '测试：下一年度（无节假日安排）', days: [] } });
      expect(put.statusCode, put.body).toBe(204);
    }

    residents.illA = await addResident(ILL_A, '王秀英', PLACES.gridA, { householdNumber: 'H-A-1', relationToHead: '户主', tags: ['低保'] });
    residents.childA = await addResident(CHILD_A, '斯斯', PLACES.gridA, { householdNumber: 'H-A-1', relationToHead: '女', tags: ['低保'] });
    residents.illB = await addResident(ILL_B, '李桂兰', PLACES.gridB, { householdNumber: 'H-B-1', relationToHead: '户主', tags: ['低保'] });
    residents.minorA = await addResident(MINOR_A, '张伟', PLACES.gridA, { householdNumber: 'H-A-3', relationToHead: '户主' });
    residents.elderA = await addResident(ELDER_A, '赵大爷', PLACES.gridA, { tags: ['高龄', '独居老人'] });
    residents.oldA = await addResident(OLD_A, '钱奶奶', PLACES.gridA, { tags: ['高龄'] });
    residents.headH2 = await addResident(HEAD_H2, '孙强', PLACES.gridA, { householdNumber: 'H-A-2', relationToHead: '户主', tags: ['低保'] });
    residents.sonH2 = await addResident(SON_H2, '孙小明', PLACES.gridA, { householdNumber: 'H-A-2', relationToHead: '子', tags: ['低保'] });
    residents.leaverA = await addResident(LEAVER_A, '周丽', PLACES.gridA, { householdNumber: 'H-A-4', relationToHead: '户主', tags: ['低保'] });
  });
  afterAll(() => t.close());

  function multipart(fields: Record<string, string>, file: { name: string; content: string }) {
    const boundary = '----minsheng-discovery-test';
    const parts = Object.entries(fields).map(([name, value]) => Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: text/csv\r\n\r\n`), Buffer.from(file.content, 'utf8'), Buffer.from('\r\n'));
    parts.push(Buffer.from(`--${boundary}--\r\n`));
    return { payload: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
  }

  async function uploadAndProfile(kindName: string, lines: string[]): Promise<number> {
    const { payload, contentType } = multipart({ kind: kindName }, { name: `${kindName}.csv`, content: `${lines.join('\n')}\n` });
    const response = await t.app.inject({ method: 'POST', url: '/api/compare/datasets', headers: { cookie: operator, 'content-type': contentType }, payload });
    expect(response.statusCode, response.body).toBe(202);
    const { id } = response.json<{ id: number }>();
    await handleDatasetProfile(t.services, { datasetId: id });
    return id;
  }

  /** A comparison run through the compare API, then its run-completed event delivered as the job runner would. */
  async function runComparisonAndDeliver(asOf: string) {
    const response = await t.app.inject({ method: 'POST', url: '/api/compare/runs', headers: { cookie: operator }, payload: { asOf } });
    expect(response.statusCode, response.body).toBe(202);
    const { id } = response.json<{ id: number }>();
    const before = await t.services.jobs.countJobs(COMPARE_RUN_COMPLETED_JOB, 'created');
    await handleComparisonRun(t.services, { runId: id });
    const run = (await t.app.inject({ url: `/api/compare/runs/${id}`, headers: { cookie: operator } })).json<{ status: string; error: string | null; rules: Array<{ rule: string; suspects: number }> }>();
    expect(run.status, run.error ?? '').toBe('completed');
    // The completion enqueued its event in the transaction that completed the run.
    expect(await t.services.jobs.countJobs(COMPARE_RUN_COMPLETED_JOB, 'created')).toBe(before + 1);
    const event = jobDefinitions(() => t.services).find((definition) => definition.id === COMPARE_RUN_COMPLETED_JOB.id)!;
    await event.handler({ runId: id }, { id: `event-${id}`, attempt: 1 });
    return run;
  }

  async function warnings(cookie: string, query = '') {
    const response = await t.app.inject({ url: `/api/assistance/warnings?pageSize=100${query}`, headers: { cookie } });
    expect(response.statusCode, response.body).toBe(200);
    return response.json<{ items: Warning[]; total: number; openByKind: Array<{ kind: string; open: number }> }>();
  }

  async function warning(cookie: string, id: number) {
    const response = await t.app.inject({ url: `/api/assistance/warnings/${id}`, headers: { cookie } });
    expect(response.statusCode, response.body).toBe(200);
    return response.json<Warning>();
  }

  async function createResource(cookie: string, body: Record<string, unknown>) {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/assistance/resources',
      headers: { cookie },
      payload: { providerName: '爱心企业', capacity: 3, validFrom: '2024-01-01', ...body },
    });
    expect(response.statusCode, response.body).toBe(201);
    return response.json<{ id: number; placesLeft: number; contactPhoneMasked: string | null }>();
  }

  it('ships 预警核查 as a valid matter type whose actions need permissions that exist', async () => {
    const row = await t.handle.db.selectFrom('matter_types').selectAll().where('code', '=', WARNING_TYPE).executeTakeFirstOrThrow();
    const definition = validateMatterType(row.definition);
    expect(row.name_zh).toBe('预警核查');
    for (const action of definition.actions) {
      expect(PERMISSIONS as readonly string[]).toContain(action.permission);
      // Every decision needs its reason.
      expect(action.requiresNote).toBe(true);
    }
    expect(definition.states.filter((s) => s.isFinal).map((s) => s.code).sort()).toEqual([...WARNING_OUTCOMES].sort());
    expect(definition.states.find((s) => s.code === 'verifying')?.limit).toEqual({ workingDays: 5 });
  });

  it('warnings from ILLNESS_POVERTY_RISK reach the right community', async () => {
    await uploadAndProfile('insured', INSURED);
    await uploadAndProfile('hospital', HOSPITAL);
    await uploadAndProfile('assistance', ASSISTANCE);
    const run = await runComparisonAndDeliver('2024-06-15');
    expect(run.rules.find((r) => r.rule === 'ILLNESS_POVERTY_RISK')?.suspects).toBe(2);

    // Community A's adviser has 王秀英's warning, placed at her registry place and handed to her community.
    const seenByA = (await warnings(adviserA, '&kind=illness_poverty_risk')).items;
    expect(seenByA.map((w) => w.name)).toEqual(['王秀英']);
    const a = seenByA[0]!;
    expect(a).toMatchObject({ kind: 'illness_poverty_risk', state: 'verifying', isOpen: true, placeName: '西苑社区第一网格', organisationId: orgs.communityA, assigneeName: 'adviser_a', needs: ['medical'] });
    expect(a.idNumberMasked).toBe(`500106********${ILL_A.slice(-4)}`);
    const matter = await t.handle.db.selectFrom('matters').select(['type_code', 'place_path', 'assignee_organisation_id', 'assignee_user_id', 'title']).where('id', '=', a.matterId).executeTakeFirstOrThrow();
    expect(matter).toMatchObject({ type_code: WARNING_TYPE, place_path: PATHS.gridA, assignee_organisation_id: orgs.communityA, assignee_user_id: users.adviser_a });
    expect(matter.title).not.toContain('王秀英');

    // Community B's adviser has only 李桂兰's, and nothing of community A's, by list, id or action.
    const seenByB = (await warnings(adviserB, '&kind=illness_poverty_risk')).items;
    expect(seenByB.map((w) => [w.name, w.organisationId])).toEqual([['李桂兰', orgs.communityB]]);
    const elsewhere = await t.app.inject({ url: `/api/assistance/warnings/${a.id}`, headers: { cookie: adviserB } });
    expect(elsewhere.statusCode).toBe(404);
    expect(elsewhere.body).not.toContain('王秀英');
    const act = await t.app.inject({ method: 'POST', url: `/api/assistance/warnings/${a.id}/verify`, headers: { cookie: adviserB }, payload: { note: '越权核查' } });
    expect(act.statusCode).toBe(404);
    // The district sees both; the small stay raised nothing.
    expect((await warnings(districtStaff, '&kind=illness_poverty_risk')).items.map((w) => w.name).sort()).toEqual(['李桂兰', '王秀英']);

    // The evidence is readable and masked.
    const detail = await warning(adviserA, a.id);
    expect(detail.evidence).toMatchObject({ rule: 'ILLNESS_POVERTY_RISK', outOfPocket: '30000.00', comparison: { household: { annualAssistance: '14400.00' } } });
    expect(JSON.stringify(detail)).not.toContain(ILL_A);
    expect(detail.actions).toEqual(['verify', 'not_needed', 'set_needs', 'link_resource']);
    const stored = await t.handle.db.selectFrom('assistance_warnings').select(['id_number_enc', 'resident_id', 'household_id']).where('id', '=', a.id).executeTakeFirstOrThrow();
    expect(Buffer.from(stored.id_number_enc).toString('latin1')).not.toContain(ILL_A);
    expect(stored.resident_id).toBe(residents.illA);

    // A second run that lists the same people raises no second warning.
    await runComparisonAndDeliver('2024-06-20');
    expect((await warnings(districtStaff, '&kind=illness_poverty_risk&state=all')).total).toBe(2);
    const count = await t.handle.db.selectFrom('assistance_warnings').select(sql<number>`count(*)`.as('n')).where('kind', '=', 'illness_poverty_risk').executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(2);
    const audit = await t.handle.db.selectFrom('audit_log').select(['action', 'details']).where('action', '=', 'assistance.warning.synced').orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(audit.details).toMatchObject({ raised: 0, alreadyOpen: 2 });
  });

  it('raises a warning from a grid worker visit, for the community adviser, and refuses a second one or a bad form', async () => {
    const visit = (payload: Record<string, unknown>, cookie = gridWorkerA) => t.app.inject({ method: 'POST', url: '/api/assistance/warnings/visits', headers: { cookie }, payload });
    const raised = await visit({ residentId: residents.childA, needs: ['meals', 'classes', 'sponsorship'], note: '母亲发病住院，孩子无人照料' });
    expect(raised.statusCode, raised.body).toBe(201);
    const { id } = raised.json<{ id: number }>();
    const detail = await warning(adviserA, id);
    expect(detail).toMatchObject({ kind: 'grid_visit', name: '斯斯', placeName: '西苑社区第一网格', organisationId: orgs.communityA, assigneeName: 'adviser_a', needs: ['meals', 'classes', 'sponsorship'] });
    expect(detail.evidence).toMatchObject({ visit: { by: 'grid_a', note: '母亲发病住院，孩子无人照料' } });

    const again = await visit({ residentId: residents.childA, needs: ['meals'], note: '再次走访' });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ error: { code: 'CONFLICT', details: { warningId: id } } });

    expect((await visit({ residentId: residents.elderA, needs: ['care'], note: '' })).statusCode).toBe(400);
    expect((await visit({ residentId: residents.elderA, needs: [], note: '独居无人照看' })).statusCode).toBe(400);
    expect((await visit({ residentId: residents.elderA, needs: ['lottery'], note: '独居无人照看' })).json()).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
    expect((await visit({ needs: ['care'], note: '独居无人照看' })).statusCode).toBe(400);
    expect((await visit({ idNumber: `${NEWCOMER.slice(0, 17)}${NEWCOMER.endsWith('0') ? '1' : '0'}`, needs: ['care'], note: '独居无人照看' })).json()).toMatchObject({ error: { code: 'INVALID_ID_NUMBER' } });
    // Someone of grid B is not in grid A's registry.
    expect((await visit({ residentId: residents.illB, needs: ['care'], note: '走访' })).statusCode).toBe(404);
    // A person not in the registry needs a name and where they were found.
    expect((await visit({ idNumber: NEWCOMER, needs: ['employment'], note: '新来务工，失业在家' })).json()).toMatchObject({ error: { code: 'VALIDATION_FAILED', details: { fields: [{ field: 'name' }] } } });
    const newcomer = await visit({ idNumber: NEWCOMER, name: '吴新', placeId: places.gridA, needs: ['employment'], note: '新来务工，失业在家' });
    expect(newcomer.statusCode, newcomer.body).toBe(201);
    const stored = await t.handle.db.selectFrom('assistance_warnings').select(['id_number_masked', 'id_number_enc', 'resident_id']).where('id', '=', newcomer.json<{ id: number }>().id).executeTakeFirstOrThrow();
    expect(stored).toMatchObject({ id_number_masked: `500106********${NEWCOMER.slice(-4)}`, resident_id: null });
    expect(t.services.cipher.decrypt(stored.id_number_enc)).toBe(NEWCOMER);

    // The grid worker raises; reading the queue and handling are for staff and the adviser.
    expect((await t.app.inject({ url: '/api/assistance/warnings', headers: { cookie: gridWorkerA } })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'POST', url: `/api/assistance/warnings/${id}/verify`, headers: { cookie: gridWorkerA }, payload: { note: '核查' } })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'POST', url: `/api/assistance/warnings/${id}/verify`, headers: { cookie: communityStaffA }, payload: { note: '核查' } })).statusCode).toBe(403);
    expect((await warnings(communityStaffA, '&kind=grid_visit')).items.map((w) => w.name).sort()).toEqual(['吴新', '斯斯']);
    const audit = await t.handle.db.selectFrom('audit_log').select(['actor_name', 'details']).where('action', '=', 'assistance.warning.raised').where('entity_id', '=', String(id)).executeTakeFirstOrThrow();
    expect(audit).toMatchObject({ actor_name: 'grid_a', details: { kind: 'grid_visit' } });
  });

  it('matches resources by need, region, period and places left, and a link takes a place', async () => {
    const illA = (await warnings(adviserA, '&kind=illness_poverty_risk')).items[0]!;
    const local = await createResource(adviserA, { name: '社区医疗帮扶', kind: 'medical', placeId: places.communityA, capacity: 1, contactName: '刘医生', contactPhone: '13800001111' });
    expect(local.contactPhoneMasked).toBe('138****1111');
    const cityWide = await createResource(operator, { name: '大病救助基金', providerName: '市慈善总会', kind: 'medical', placeId: places.city, capacity: 5 });
    await createResource(adviserB, { name: '东苑医疗', kind: 'medical', placeId: places.communityB });
    const meals = await createResource(adviserA, { name: '爱心午餐', kind: 'meals', placeId: places.communityA });
    await createResource(adviserA, { name: '过期帮扶', kind: 'medical', placeId: places.communityA, validFrom: '2023-01-01', validUntil: '2023-12-31' });
    await createResource(adviserA, { name: '停用帮扶', kind: 'medical', placeId: places.communityA, isActive: false });
    const stored = await t.handle.db.selectFrom('assistance_resources').select('contact_phone_enc').where('id', '=', local.id).executeTakeFirstOrThrow();
    expect(Buffer.from(stored.contact_phone_enc!).toString('latin1')).not.toContain('13800001111');

    // The community's own offer first, then the city-wide one; not B's, not meals, not expired, not inactive.
    expect((await warning(adviserA, illA.id)).matchedResources?.map((r) => r.name)).toEqual(['社区医疗帮扶', '大病救助基金']);

    const link = (warningId: number, resourceId: number, cookie = adviserA) =>
      t.app.inject({ method: 'POST', url: `/api/assistance/warnings/${warningId}/resources`, headers: { cookie }, payload: { resourceId, note: '已电话联系' } });
    const linked = await link(illA.id, local.id);
    expect(linked.statusCode, linked.body).toBe(201);
    expect(linked.json<Warning>().linkedResources?.map((r) => r.name)).toEqual(['社区医疗帮扶']);
    expect(linked.json<Warning>().matchedResources?.map((r) => r.name)).toEqual(['大病救助基金']);
    expect((await t.app.inject({ url: `/api/assistance/resources/${local.id}`, headers: { cookie: adviserA } })).json()).toMatchObject({ placesTaken: 1, placesLeft: 0 });
    expect((await link(illA.id, local.id)).json()).toMatchObject({ error: { code: 'CONFLICT', details: { reason: 'already_linked' } } });
    expect((await link(illA.id, meals.id)).json()).toMatchObject({ error: { code: 'CONFLICT', details: { reason: 'not_needed' } } });

    // Another warning of community A that needs medical help finds the last place gone.
    const other = await t.app.inject({ method: 'POST', url: '/api/assistance/warnings/visits', headers: { cookie: gridWorkerA }, payload: { residentId: residents.minorA, needs: ['medical'], note: '出院后无力复查' } });
    expect(other.statusCode, other.body).toBe(201);
    const otherId = other.json<{ id: number }>().id;
    expect((await warning(adviserA, otherId)).matchedResources?.map((r) => r.name)).toEqual(['大病救助基金']);
    expect((await link(otherId, local.id)).json()).toMatchObject({ error: { code: 'CONFLICT', details: { reason: 'no_places_left' } } });
    // B's adviser cannot link to A's warning, and A's adviser cannot see B's resource.
    expect((await link(otherId, cityWide.id, adviserB)).statusCode).toBe(404);
    const bResource = await t.handle.db.selectFrom('assistance_resources').select('id').where('name', '=', '东苑医疗').executeTakeFirstOrThrow();
    expect((await link(otherId, bResource.id)).statusCode).toBe(404);

    const audit = await t.handle.db.selectFrom('audit_log').select(['actor_name', 'details']).where('action', '=', 'assistance.warning.resource_linked').where('entity_id', '=', String(illA.id)).execute();
    expect(audit).toEqual([{ actor_name: 'adviser_a', details: { resourceId: local.id, kind: 'medical' } }]);
  });

  it('verifies a warning and ends it with a decision that always needs its reason', async () => {
    const illA = (await warnings(adviserA, '&kind=illness_poverty_risk')).items[0]!;
    const decide = (id: number, payload: Record<string, unknown>, cookie = adviserA) => t.app.inject({ method: 'POST', url: `/api/assistance/warnings/${id}/decision`, headers: { cookie }, payload });
    const verify = (id: number, note: string) => t.app.inject({ method: 'POST', url: `/api/assistance/warnings/${id}/verify`, headers: { cookie: adviserA }, payload: { note } });

    // Deciding before verifying is refused by the matter type; not needed is allowed from the start.
    expect((await decide(illA.id, { outcome: 'temporary_assistance', reason: '住院自付过高' })).json()).toMatchObject({ error: { code: 'CONFLICT' } });
    expect((await verify(illA.id, ' ')).json()).toMatchObject({ error: { code: 'VALIDATION_FAILED', details: { fields: [{ field: 'note' }] } } });
    const verified = await verify(illA.id, '入户核实：自付医疗费 3 万元，家庭无其他收入');
    expect(verified.statusCode, verified.body).toBe(200);
    expect(verified.json<Warning>()).toMatchObject({ state: 'verified', actions: [...WARNING_OUTCOMES, 'set_needs', 'link_resource'] });

    for (const outcome of WARNING_OUTCOMES) {
      const refused = await decide(illA.id, { outcome, reason: '' });
      expect(refused.statusCode, outcome).toBe(400);
      expect(refused.json()).toMatchObject({ error: { code: 'VALIDATION_FAILED', details: { fields: [{ field: 'reason' }] } } });
    }
    expect((await decide(illA.id, { outcome: 'temporary_assistance', reason: '临时救助', categoryCode: 'destitute' })).statusCode).toBe(400);

    const decided = await decide(illA.id, { outcome: 'resources_linked', reason: '已链接社区医疗帮扶，跟进复查' });
    expect(decided.statusCode, decided.body).toBe(200);
    expect(decided.json<Warning>()).toMatchObject({ state: 'resources_linked', isOpen: false, outcome: 'resources_linked', outcomeReason: '已链接社区医疗帮扶，跟进复查', actions: [] });
    expect(decided.json<Warning>().timeline?.map((e) => e.action ?? e.kind)).toEqual(['created', 'assigned', 'verify_warning', 'link_social_resources']);
    expect((await decide(illA.id, { outcome: 'not_needed', reason: '重复处置' })).statusCode).toBe(409);

    // Linked resources are required for that decision; including a person can put them on the list.
    const visitWarning = (await warnings(adviserA, '&kind=grid_visit&q=斯斯')).items[0]!;
    expect((await verify(visitWarning.id, '走访属实')).statusCode).toBe(200);
    expect((await decide(visitWarning.id, { outcome: 'resources_linked', reason: '链接资源' })).json()).toMatchObject({ error: { code: 'VALIDATION_FAILED', details: { fields: [{ field: 'outcome' }] } } });
    const included = await decide(visitWarning.id, { outcome: 'included', reason: '纳入孤儿和事实无人抚养儿童保障', categoryCode: 'orphan_child' });
    expect(included.statusCode, included.body).toBe(200);
    const entry = await t.handle.db.selectFrom('assistance_monitoring_entries').select(['source', 'resident_id', 'until']).where('category_code', '=', 'orphan_child').executeTakeFirstOrThrow();
    expect(entry).toMatchObject({ source: 'warning', resident_id: residents.childA, until: null });

    const audit = await t.handle.db.selectFrom('audit_log').select(['entity_id', 'details']).where('action', '=', 'assistance.warning.decided').orderBy('id').execute();
    expect(audit.map((a) => [Number(a.entity_id), (a.details as { outcome: string }).outcome])).toEqual([
      [illA.id, 'resources_linked'],
      [visitWarning.id, 'included'],
    ]);
    // Outside the region nothing can be decided.
    const illB = (await warnings(adviserB, '&kind=illness_poverty_risk')).items[0]!;
    expect((await decide(illB.id, { outcome: 'not_needed', reason: '越权' })).statusCode).toBe(404);
    expect((await decide(illB.id, { outcome: 'not_needed', reason: '已有亲属照顾' }, adviserB)).statusCode).toBe(200);
  });

  it('fills the monitoring list from registry tags, keeps ended entries, and warns on coverage left and a breadwinner death', async () => {
    const sync = async () => {
      const response = await t.app.inject({ method: 'POST', url: '/api/assistance/monitoring/sync', headers: { cookie: admin } });
      expect(response.statusCode, response.body).toBe(200);
      return response.json<{ registry: Record<string, number>; illness: Record<string, number> }>();
    };
    expect((await t.app.inject({ method: 'POST', url: '/api/assistance/monitoring/sync', headers: { cookie: adviserA } })).statusCode).toBe(403);
    // 低保: 王秀英, 斯斯, 李桂兰, 孙强, 孙小明, 周丽; 高龄独居: 赵大爷 only (钱奶奶 lives with family).
    expect((await sync()).registry).toEqual({ added: 7, ended: 0, leftCoverageWarnings: 0, breadwinnerWarnings: 0 });
    expect((await sync()).registry).toEqual({ added: 0, ended: 0, leftCoverageWarnings: 0, breadwinnerWarnings: 0 });

    const counts = async (cookie: string) => {
      const response = await t.app.inject({ url: '/api/assistance/monitoring/counts', headers: { cookie } });
      expect(response.statusCode, response.body).toBe(200);
      const body = response.json<{ categories: Array<{ code: string; open: number; leftWithinYear: number }>; people: number }>();
      return { people: body.people, ...Object.fromEntries(body.categories.map((c) => [c.code, [c.open, c.leftWithinYear]])) } as Record<string, unknown>;
    };
    const countsA = await counts(adviserA);
    expect(countsA).toMatchObject({ subsistence_allowance: [5, 0], elderly_alone: [1, 0], orphan_child: [1, 0], destitute: [0, 0] });
    expect(Object.keys(countsA).filter((k) => k !== 'people')).toHaveLength(8);
    expect((await counts(adviserB)).subsistence_allowance).toEqual([1, 0]);

    // 周丽 leaves 低保: her entry ends and stays on file, and her community is warned once.
    await addResident(LEAVER_A, '周丽', PLACES.gridA, { householdNumber: 'H-A-4', relationToHead: '户主', tags: [] });
    // 孙强, head of H-A-2, dies: his son is warned about, not his leaving coverage.
    await t.handle.db.updateTable('residents').set({ status: 'deceased', updated_at: new Date() }).where('id', '=', residents.headH2!).execute();
    expect((await sync()).registry).toEqual({ added: 0, ended: 2, leftCoverageWarnings: 1, breadwinnerWarnings: 1 });
    expect((await sync()).registry).toEqual({ added: 0, ended: 0, leftCoverageWarnings: 0, breadwinnerWarnings: 0 });

    const ended = (await t.app.inject({ url: '/api/assistance/monitoring?status=ended', headers: { cookie: adviserA } })).json<{ items: Array<{ name: string; until: string; endReason: string }> }>().items;
    expect(ended.map((e) => [e.name, e.endReason]).sort()).toEqual([
      ['周丽', 'no_longer_tagged'],
      ['孙强', 'deceased'],
    ]);
    expect((await counts(adviserA)).subsistence_allowance).toEqual([3, 1]);
    const left = (await warnings(adviserA, '&kind=left_coverage')).items;
    expect(left.map((w) => [w.name, w.organisationId, w.assigneeName])).toEqual([['周丽', orgs.communityA, 'adviser_a']]);
    const breadwinner = (await warnings(adviserA, '&kind=breadwinner_death')).items;
    expect(breadwinner.map((w) => w.name)).toEqual(['孙强']);
    const evidence = (await warning(adviserA, breadwinner[0]!.id)).evidence as { survivors: Array<{ name: string }> };
    expect(evidence.survivors.map((s) => s.name)).toEqual(['孙小明']);
    expect((await warnings(adviserB, '&kind=left_coverage')).total).toBe(0);
  });

  it('lets the adviser add and end entries by hand, each with its checks, and exports the list masked', async () => {
    const add = (payload: Record<string, unknown>, cookie = adviserA) => t.app.inject({ method: 'POST', url: '/api/assistance/monitoring', headers: { cookie }, payload });
    const added = await add({ residentId: residents.oldA, categoryCode: 'marginal', note: '子女失业，收入下降' });
    expect(added.statusCode, added.body).toBe(201);
    expect((await add({ residentId: residents.oldA, categoryCode: 'marginal' })).json()).toMatchObject({ error: { code: 'CONFLICT', details: { reason: 'already_listed' } } });
    expect((await add({ residentId: residents.oldA, categoryCode: 'lottery' })).statusCode).toBe(400);
    expect((await add({ residentId: residents.oldA, categoryCode: 'marginal', since: '2999-01-01' })).statusCode).toBe(400);
    expect((await add({ residentId: residents.illB, categoryCode: 'marginal' })).statusCode).toBe(404);
    expect((await add({ residentId: residents.oldA, categoryCode: 'marginal' }, communityStaffA)).statusCode).toBe(403);

    const id = added.json<{ id: number }>().id;
    const end = (payload: Record<string, unknown>, cookie = adviserA) => t.app.inject({ method: 'POST', url: `/api/assistance/monitoring/${id}/end`, headers: { cookie }, payload });
    expect((await end({ reason: '' })).statusCode).toBe(400);
    expect((await end({ reason: '越权' }, adviserB)).statusCode).toBe(404);
    expect((await end({ reason: '子女已就业' })).statusCode).toBe(204);
    expect((await end({ reason: '子女已就业' })).json()).toMatchObject({ error: { code: 'CONFLICT', details: { reason: 'already_ended' } } });
    const row = await t.handle.db.selectFrom('assistance_monitoring_entries').select(['until', 'end_reason', 'note']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ end_reason: 'manual', note: '子女已就业' });
    expect(row.until).not.toBeNull();

    const search = (await t.app.inject({ url: `/api/assistance/monitoring?q=${encodeURIComponent('赵')}`, headers: { cookie: adviserA } })).json<{ items: Array<{ name: string; categoryCode: string }> }>();
    expect(search.items.map((e) => [e.name, e.categoryCode])).toEqual([['赵大爷', 'elderly_alone']]);
    const byId = (await t.app.inject({ url: `/api/assistance/monitoring?q=${SON_H2}`, headers: { cookie: adviserA } })).json<{ items: Array<{ name: string }> }>();
    expect(byId.items.map((e) => e.name)).toEqual(['孙小明']);

    const csv = await t.app.inject({ url: '/api/assistance/monitoring.csv?status=all', headers: { cookie: adviserA } });
    expect(csv.statusCode).toBe(200);
    const lines = csv.body.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toBe('id,category,name,id_number,household_id,place,since,until,source,end_reason,note');
    expect(lines.length).toBeGreaterThan(5);
    for (const full of [ILL_A, CHILD_A, HEAD_H2, LEAVER_A]) expect(csv.body).not.toContain(full);
    expect(csv.body).not.toContain('李桂兰');
    const audit = await t.handle.db.selectFrom('audit_log').select('details').where('action', '=', 'assistance.monitoring.exported').executeTakeFirstOrThrow();
    expect(audit.details).toMatchObject({ masked: true, rows: lines.length - 1 });
  });

  it('keeps the resource catalogue: checked input, the writer’s region, capacity above places taken, one version at a time', async () => {
    const create = (payload: Record<string, unknown>, cookie = adviserA) =>
      t.app.inject({ method: 'POST', url: '/api/assistance/resources', headers: { cookie }, payload: { name: '课业辅导', providerName: '慧灵社工', kind: 'classes', placeId: places.communityA, capacity: 2, validFrom: '2024-01-01', ...payload } });
    const bad = await create({ contactPhone: '12345', validUntil: '2023-01-01', kind: 'lottery' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ error: { details: { fields: Array<{ field: string }> } } }>().error.details.fields.map((f) => f.field).sort()).toEqual(['contactPhone', 'kind', 'validUntil']);
    expect((await create({ placeId: places.communityB })).statusCode).toBe(403);
    expect((await create({}, communityStaffA)).statusCode).toBe(403);

    const created = await create({ contactPhone: '023-65000000' });
    expect(created.statusCode, created.body).toBe(201);
    const resource = created.json<{ id: number; version: number }>();
    const put = (payload: Record<string, unknown>, cookie = adviserA) =>
      t.app.inject({ method: 'PUT', url: `/api/assistance/resources/${resource.id}`, headers: { cookie }, payload: { name: '课业辅导（周末）', providerName: '慧灵社工', kind: 'classes', placeId: places.communityA, capacity: 2, validFrom: '2024-01-01', version: resource.version, ...payload } });
    // Left out, the phone (never sent back to the form) is kept; null clears it.
    const renamed = await put({});
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect(renamed.json()).toMatchObject({ name: '课业辅导（周末）', version: 2, contactPhoneMasked: '023****0000' });
    expect((await put({})).json()).toMatchObject({ error: { code: 'CONFLICT', details: { reason: 'version' } } });
    const cleared = await put({ contactPhone: null, version: 2 });
    expect(cleared.json()).toMatchObject({ version: 3, contactPhoneMasked: null });

    // A city-wide resource is visible from the community but kept by the city.
    const cityWide = await t.handle.db.selectFrom('assistance_resources').select(['id', 'version']).where('name', '=', '大病救助基金').executeTakeFirstOrThrow();
    const cityEdit = await t.app.inject({ method: 'PUT', url: `/api/assistance/resources/${cityWide.id}`, headers: { cookie: adviserA }, payload: { name: '改名', providerName: '市慈善总会', kind: 'medical', placeId: places.communityA, capacity: 5, validFrom: '2024-01-01', version: cityWide.version } });
    expect(cityEdit.statusCode).toBe(403);
    // The medical fund has a place taken by nobody yet; the community fund has its one place taken.
    const local = await t.handle.db.selectFrom('assistance_resources').select(['id', 'version']).where('name', '=', '社区医疗帮扶').executeTakeFirstOrThrow();
    const shrink = await t.app.inject({ method: 'PUT', url: `/api/assistance/resources/${local.id}`, headers: { cookie: adviserA }, payload: { name: '社区医疗帮扶', providerName: '爱心企业', kind: 'medical', placeId: places.communityA, capacity: 1, validFrom: '2024-01-01', isActive: false, version: local.version } });
    expect(shrink.statusCode, shrink.body).toBe(200);

    const list = (await t.app.inject({ url: '/api/assistance/resources?pageSize=100&kind=medical', headers: { cookie: adviserB } })).json<{ items: Array<{ name: string }> }>();
    expect(list.items.map((r) => r.name).sort()).toEqual(['东苑医疗', '大病救助基金']);
    const available = (await t.app.inject({ url: '/api/assistance/resources?pageSize=100&available=true', headers: { cookie: adviserA } })).json<{ items: Array<{ name: string }> }>();
    expect(available.items.map((r) => r.name).sort()).toEqual(['大病救助基金', '爱心午餐', '课业辅导（周末）']);
    const audit = await t.handle.db.selectFrom('audit_log').select('details').where('action', '=', 'assistance.resource.updated').where('entity_id', '=', String(resource.id)).orderBy('id').execute();
    expect(audit.map((a) => a.details)).toEqual([
      { version: 2, changed: ['name'] },
      { version: 3, changed: ['contact_phone_masked'] },
    ]);
  });

  it('records the decision of a warning closed through the generic matters API, so the person can be warned again', async () => {
    const open = (await warnings(adviserA, '&kind=grid_visit&q=张伟')).items[0]!;
    const closed = await t.app.inject({ method: 'POST', url: `/api/matters/${open.matterId}/actions/close_not_needed`, headers: { cookie: adviserA }, payload: { note: '家属已陪同复查' } });
    expect(closed.statusCode, closed.body).toBe(200);
    const again = await t.app.inject({ method: 'POST', url: '/api/assistance/warnings/visits', headers: { cookie: gridWorkerA }, payload: { residentId: residents.minorA, needs: ['care'], note: '再次住院，无人照料' } });
    expect(again.statusCode, again.body).toBe(201);
    const previous = await t.handle.db.selectFrom('assistance_warnings').select(['outcome', 'outcome_reason']).where('id', '=', open.id).executeTakeFirstOrThrow();
    expect(previous).toMatchObject({ outcome: 'not_needed', outcome_reason: 'matter closed as not_needed outside the warning page' });
  });

  it('lets an administrator run the syncs by hand; the reference lists the 8 categories and the needs', async () => {
    const reference = await t.app.inject({ url: '/api/assistance/discovery/reference', headers: { cookie: gridWorkerA } });
    expect(reference.statusCode).toBe(200);
    const body = reference.json<{ categories: Array<{ code: string; nameZh: string }>; needs: Array<{ code: string }>; warningKinds: Array<{ code: string; isRaised: boolean }> }>();
    expect(body.categories.map((c) => c.nameZh)).toEqual(['低保对象', '特困人员', '低保边缘家庭成员', '刚性支出困难家庭成员', '防止因病返贫致贫监测对象', '孤儿和事实无人抚养儿童', '重度残疾人', '高龄独居老人']);
    expect(body.needs.map((n) => n.code)).toContain('sponsorship');
    expect(body.warningKinds.filter((k) => !k.isRaised).map((k) => k.code)).toEqual(['job_loss', 'new_disability']);

    const sync = await t.app.inject({ method: 'POST', url: '/api/assistance/warnings/sync', headers: { cookie: admin } });
    expect(sync.statusCode, sync.body).toBe(200);
    // 王秀英's warning was decided while she stays listed; 李桂兰's was closed too: nothing new.
    expect(sync.json()).toMatchObject({ illness: { raised: 0, alreadyOpen: 0, decided: 2 } });
    expect((await t.app.inject({ method: 'POST', url: '/api/assistance/warnings/sync', headers: { cookie: districtStaff } })).statusCode).toBe(403);
    const audit = await t.handle.db.selectFrom('audit_log').select(['actor_name']).where('action', '=', 'assistance.warning.synced').orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(audit.actor_name).toBe('root');
  });
});

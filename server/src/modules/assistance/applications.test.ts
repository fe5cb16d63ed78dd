import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPrincipal, type Principal } from '../../platform/auth/index.ts';
import { isAppError } from '../../platform/errors.ts';
import { makeCreditCode, residentIdCheckCharacter } from '../../platform/identity/index.ts';
import { testDatabaseKinds } from '../../platform/testing/test-database.ts';
import { createTestApp, type TestApp } from '../../testing/test-app.ts';
import { insertPlaceFixture, PATHS, PLACES } from '../../testing/fixtures.ts';
import { handleDatasetProfile } from '../compare/index.ts';
import { decideItem, submitApplication } from './applications.service.ts';
import { runMonthlyPayments } from './entitlements.service.ts';

const id18 = (first17: string) => first17 + residentIdCheckCharacter(first17);
// Seed 002's family: a mother who fell seriously ill and her 11-year-old daughter, on 低保.
const MOTHER = id18('50010619880315024');
const DAUGHTER = id18('50010620150610022');
const NEIGHBOUR = id18('50010619700101011');

// 2026-09-24 (Thursday) 10:00 in Beijing: the Mid-Autumn holiday (25–27 September) and National
// Day (1–7 October, with 10 October worked) fall inside every time limit.
const SUBMITTED_AT = new Date('2026-09-24T02:00:00Z');
// The working days after 24 September 2026, written out by hand from the State Council's notice.
const WORKING_DAYS_AFTER = [
  '2026-09-28', '2026-09-29', '2026-09-30', '2026-10-08', '2026-10-09', '2026-10-10', '2026-10-12', '2026-10-13', '2026-10-14', '2026-10-15',
  '2026-10-16', '2026-10-19', '2026-10-20', '2026-10-21', '2026-10-22', '2026-10-23', '2026-10-26', '2026-10-27', '2026-10-28', '2026-10-29',
];
/** The end of the n-th working day after submission (midnight after it, Beijing time), as the API writes it. */
const endOfWorkingDay = (n: number) => new Date(new Date(`${WORKING_DAYS_AFTER[n - 1]}T00:00:00+08:00`).getTime() + 86_400_000).toISOString();
// Departments decide in the days after submission; entitlements start in the month of the grant.
const DECIDED_AT = new Date('2026-09-28T03:00:00Z');

const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a8a50000000049454e44ae426082', 'hex');

interface Item {
  id: number;
  policyCode: string;
  department: { code: string };
  organisationName: string | null;
  mode: string;
  state: string;
  dueAt: string | null;
  amountFen: number | null;
  benefitPeriod: string;
  matterId: number;
  decision: string | null;
  decisionReason: string | null;
  appealAdvice: { zh: string } | null;
  errors: string[];
  explanation: unknown;
}

interface Application {
  id: number;
  reference: string;
  status: string;
  missing: Array<{ field: string; message: string }>;
  members: Array<{ name: string; idNumberMasked: string | null }>;
  bundle: { matterId: number; state: string; dueAt: string | null } | null;
  items: Item[];
  economicCheck: { sources: Array<{ kind: string; datasetId: number }>; missingSources: string[]; adjustments: Array<{ field: string; verified: unknown; source: string }>; doubts: string[] } | null;
  draft: { members: Array<{ idNumber: string }> } | null;
}

const FULL_APPLICATION = {
  placeCode: PLACES.gridA,
  applicant: { name: '李梅', idNumber: MOTHER.toLowerCase(), phone: '139 0000 1234' },
  members: [
    { name: '李梅', idNumber: MOTHER, relation: 'head', health: 'serious_illness', employment: 'unable_to_work' },
    { name: '王小雨', idNumber: DAUGHTER, relation: 'child', schoolStage: 'primary' },
  ],
  household: { housing: 'private_rental', benefits: ['subsistence_allowance'], hardships: ['serious_illness', 'caregiver_ill'] },
  situation: '母亲重病住院，无力工作；女儿11岁，在读小学。',
  consentDataCheck: true,
};

describe.each(testDatabaseKinds())('one application, many items (一件事联办) on %s', (kind) => {
  let t: TestApp;
  let resident: string;
  let otherResident: string;
  let adviser: string;
  let adviserB: string;
  let operator: string;
  const handlers = new Map<string, string>();
  const offices = new Map<string, number>();
  let applicationId = 0;

  const principalOf = async (username: string): Promise<Principal> => {
    const user = await t.handle.db.selectFrom('users').select('id').where('username', '=', username).executeTakeFirstOrThrow();
    return (await loadPrincipal(t.handle.db, user.id, 'session', '127.0.0.1'))!;
  };
  const call = async <T>(cookie: string, method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown, status = 200) => {
    const response = await t.app.inject({ method, url, headers: { cookie }, ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }) });
    expect(response.statusCode, response.body).toBe(status);
    return response.json<T>();
  };
  const view = (cookie: string, status = 200) => call<Application>(cookie, 'GET', `/api/assistance/applications/${applicationId}`, undefined, status);
  const itemOf = (application: Application, code: string) => application.items.find((i) => i.policyCode === code)!;

  function multipart(fields: Record<string, string>, file: { name: string; content: Uint8Array; type: string }) {
    const boundary = '----minsheng-assistance-test';
    const parts: Uint8Array[] = Object.entries(fields).map(([name, value]) => Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: ${file.type}\r\n\r\n`), file.content, Buffer.from('\r\n'));
    parts.push(Buffer.from(`--${boundary}--\r\n`));
    return { payload: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
  }

  async function uploadDataset(kindName: string, lines: string[]): Promise<number> {
    const { payload, contentType } = multipart({ kind: kindName }, { name: `${kindName}.csv`, content: Buffer.from(`${lines.join('\n')}\n`), type: 'text/csv' });
    const response = await t.app.inject({ method: 'POST', url: '/api/compare/datasets', headers: { cookie: operator, 'content-type': contentType }, payload });
    expect(response.statusCode, response.body).toBe(202);
    const { id } = response.json<{ id: number }>();
    await handleDatasetProfile(t.services, { datasetId: id });
    const row = await t.handle.db.selectFrom('comparison_datasets').select('status').where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.status).toBe('ready');
    return id;
  }

  beforeAll(async () => {
    t = await createTestApp(kind);
    const places = await insertPlaceFixture(t.handle.db);
    const community = await t.handle.db
      .insertInto('organisations')
      .values({ kind: 'community_committee', name: '小龙坎街道西苑社区居民委员会', place_id: places.communityA, scope_path: PATHS.communityA })
      .returning('id')
      .executeTakeFirstOrThrow();
    offices.set('community', Number(community.id));
    for (const department of await t.handle.db.selectFrom('assistance_departments').select(['code', 'organisation_name']).execute()) {
      const row = await t.handle.db
        .insertInto('organisations')
        .values({ kind: 'department', name: `沙坪坝区${department.organisation_name}`, place_id: places.district, scope_path: PATHS.district })
        .returning('id')
        .executeTakeFirstOrThrow();
      offices.set(department.code, Number(row.id));
    }
    resident = await t.signInAs({ username: 'limei', roleCodes: ['resident'], scopePath: 'resident' });
    otherResident = await t.signInAs({ username: 'someone', roleCodes: ['resident'], scopePath: 'resident' });
    adviser = await t.signInAs({ username: 'adviser', roleCodes: ['social_worker'], scopePath: PATHS.communityA, organisationId: offices.get('community')! });
    adviserB = await t.signInAs({ username: 'adviser-b', roleCodes: ['social_worker'], scopePath: PATHS.communityB });
    operator = await t.signInAs({ username: 'operator', roleCodes: ['city_operator'], scopePath: PATHS.city });
    for (const [code, organisationId] of offices) {
      if (code === 'community') continue;
      handlers.set(code, await t.signInAs({ username: `handler-${code}`, roleCodes: ['department_handler'], scopePath: PATHS.district, organisationId }));
    }

    // The departments' data the economic check reads (家庭经济状况核对).
    const business = makeCreditCode('91350100M000100Y4');
    await uploadDataset('payroll', ['employer_credit_code,employer_name,id_number,name,month,wage', `${business},重庆某某物流有限公司,${NEIGHBOUR},张伟,2026-07,5200`]);
    await uploadDataset('business', ['credit_code,name,legal_rep_id_number,legal_rep_name,registered_capital,established_date,status', `${business},重庆某某物流有限公司,${NEIGHBOUR},张伟,500000,2019-03-01,存续`]);
    await uploadDataset('hospital', ['id_number,name,admission_date,discharge_date,total_cost,out_of_pocket', `${MOTHER},李梅,2026-06-01,2026-06-20,50000,12000`]);
    await uploadDataset('assistance', ['id_number,name,household_id,category,monthly_amount,start_date', `${MOTHER},李梅,H001,低保,750,2024-01-01`, `${DAUGHTER},王小雨,H001,低保,750,2024-01-01`]);
    await uploadDataset('deaths', ['id_number,name,death_date,source', `${NEIGHBOUR.slice(0, 6)}19300101001X,某某,2026-01-01,民政`]);

    // A policy whose rule cannot be evaluated for this household (it divides by other income, 0 here).
    const broken = await t.app.inject({
      method: 'POST',
      url: '/api/assistance/policies',
      headers: { cookie: operator },
      payload: {
        code: 'meal_subsidy_trial',
        nameZh: '社区助餐补贴（试行）',
        nameEn: 'Community meal subsidy (trial)',
        departmentCode: 'civil_affairs',
        categoryCode: 'temporary_assistance',
        summary: '试行政策。',
        eligibility: { kind: 'all', items: [{ kind: 'condition', name: 'ratio', label: '收入比例', expression: 'household.totalMonthlyIncome / household.otherMonthlyIncome < 2' }] },
        benefitFormula: '3000',
        benefitPeriod: 'once',
        materials: ['居民身份证、户口簿'],
        timeLimitDays: 10,
        isReviewFree: false,
        legalBasis: '试行',
        status: 'active',
        serviceListCodes: [],
      },
    });
    expect(broken.statusCode, broken.body).toBe(201);
  });
  afterAll(() => t.close());

  it('keeps a draft with what is missing, for its author alone, and loses nothing when the resident comes back', async () => {
    const saved = await call<{ id: number; reference: string; missing: Array<{ field: string }> }>(resident, 'POST', '/api/assistance/applications', { placeCode: PLACES.gridA, applicant: { name: '李梅' } }, 201);
    applicationId = saved.id;
    expect(saved.reference).toMatch(/^SA\d{8}\d{6}$/);
    expect(saved.missing.map((m) => m.field)).toEqual(expect.arrayContaining(['applicant.idNumber', 'applicant.phone', 'members', 'situation', 'consentDataCheck']));
    expect(saved.missing.map((m) => m.field)).not.toContain('placeCode');

    // A mistyped ID number is kept as typed (encrypted) and reported, not refused.
    const partial = { ...FULL_APPLICATION, members: [{ ...FULL_APPLICATION.members[0], idNumber: MOTHER.slice(0, 17) + '0' }], consentDataCheck: false };
    const updated = await call<{ missing: Array<{ field: string; message: string }> }>(resident, 'PUT', `/api/assistance/applications/${applicationId}`, partial);
    expect(updated.missing.find((m) => m.field === 'members.0.idNumber')?.message).toMatch(/check character/);
    expect(updated.missing.map((m) => m.field)).toEqual(expect.arrayContaining(['consentDataCheck', 'applicant.idNumber']));
    const back = await view(resident);
    expect(back.status).toBe('draft');
    expect(back.draft!.members[0]!.idNumber).toBe(MOTHER.slice(0, 17) + '0');
    expect(back.members[0]!.idNumberMasked).toBe('（格式有误）');
    const stored = await t.handle.db.selectFrom('assistance_applications').select(['members_enc', 'household']).where('id', '=', applicationId).executeTakeFirstOrThrow();
    expect(Buffer.from(stored.members_enc!).toString('latin1')).not.toContain(MOTHER.slice(0, 17));
    expect(JSON.stringify(stored.household)).not.toContain('李梅');

    await view(otherResident, 404);
    await view(adviserB, 404);
    // Wrong types are refused by the schema, with the field.
    const bad = await t.app.inject({ method: 'PUT', url: `/api/assistance/applications/${applicationId}`, headers: { cookie: resident }, payload: { members: [{ monthlyIncome: 'a lot' }] } });
    expect(bad.statusCode).toBe(400);

    const complete = await call<{ missing: unknown[] }>(resident, 'PUT', `/api/assistance/applications/${applicationId}`, FULL_APPLICATION);
    expect(complete.missing).toEqual([]);
  });

  it('asks for the materials of the items that go to review before it submits, and keeps the draft meanwhile', async () => {
    const principal = await principalOf('limei');
    const refused = await submitApplication(t.services, principal, applicationId, SUBMITTED_AT).catch((error: unknown) => error);
    expect(isAppError(refused, 'APPLICATION_INCOMPLETE')).toBe(true);
    const draft = await view(resident);
    expect(draft.status).toBe('draft');
    const materials = draft.missing.filter((m) => m.field.startsWith('materials.')).map((m) => m.field.slice('materials.'.length));
    expect(materials).toEqual(expect.arrayContaining(['房屋租赁合同', '居民身份证、户口簿']));
    // 免审即享 items need no materials: the inpatient bills of medical assistance are not asked for.
    expect(materials).not.toContain('医疗费用票据及费用清单');

    const notAFile = multipart({ material: materials[0]! }, { name: 'x.exe', content: Buffer.from('MZ not a document'), type: 'application/octet-stream' });
    const rejected = await t.app.inject({ method: 'POST', url: `/api/assistance/applications/${applicationId}/materials`, headers: { cookie: resident, 'content-type': notAFile.contentType }, payload: notAFile.payload });
    expect(rejected.statusCode).toBe(400);
    for (const material of materials) {
      const { payload, contentType } = multipart({ material }, { name: 'scan.png', content: PNG, type: 'image/png' });
      const response = await t.app.inject({ method: 'POST', url: `/api/assistance/applications/${applicationId}/materials`, headers: { cookie: resident, 'content-type': contentType }, payload });
      expect(response.statusCode, response.body).toBe(201);
    }
    expect((await view(resident)).missing).toEqual([]);
    const file = await t.app.inject({ url: `/api/assistance/applications/${applicationId}/materials/0`, headers: { cookie: adviser } });
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toBe('image/png');
  });

  it('turns the seed’s worked example into one bundle: temporary assistance, housing subsidy, medical assistance and fee waivers, some without review', async () => {
    const principal = await principalOf('limei');
    const submitted = await submitApplication(t.services, principal, applicationId, SUBMITTED_AT);
    expect(submitted.items).toBeGreaterThanOrEqual(5);
    const application = await view(adviser);
    expect(application.status).toBe('submitted');
    // The bundle is due in 20 working days, across both holidays, and followed by the community.
    expect(application.bundle).toMatchObject({ state: 'processing', dueAt: endOfWorkingDay(20) });
    const bundleMatter = await t.handle.db.selectFrom('matters').select(['type_code', 'assignee_organisation_id', 'place_path']).where('id', '=', application.bundle!.matterId).executeTakeFirstOrThrow();
    expect(bundleMatter).toMatchObject({ type_code: 'assistance_bundle', assignee_organisation_id: offices.get('community'), place_path: PATHS.gridA });

    const temporary = itemOf(application, 'temporary_assistance_emergency');
    expect(temporary).toMatchObject({ mode: 'review', state: 'reviewing', department: { code: 'civil_affairs' }, organisationName: '沙坪坝区民政局', dueAt: endOfWorkingDay(3) });
    expect(temporary.amountFen).toBeGreaterThan(0);
    const rent = itemOf(application, 'rent_subsidy');
    expect(rent).toMatchObject({ mode: 'review', state: 'reviewing', department: { code: 'housing' }, benefitPeriod: 'monthly', dueAt: endOfWorkingDay(20) });
    // Data proves these: granted at once (免审即享), recorded as such.
    const medical = itemOf(application, 'medical_assistance_inpatient');
    expect(medical).toMatchObject({ mode: 'review_free', state: 'granted', decision: 'granted', amountFen: 840_000 });
    const garbage = itemOf(application, 'garbage_fee_waiver');
    expect(garbage).toMatchObject({ mode: 'review_free', state: 'granted', decision: 'granted', benefitPeriod: 'monthly' });
    // Their 5-working-day limit ran to 9 October, across National Day; the grant came at once.
    const created = await t.handle.db.selectFrom('matter_events').select(['details', 'to_state']).where('matter_id', '=', medical.matterId).where('kind', '=', 'created').executeTakeFirstOrThrow();
    expect(created).toMatchObject({ to_state: 'granting', details: { dueAt: endOfWorkingDay(5) } });
    const granted = await t.handle.db.selectFrom('matter_events').select(['action', 'actor_name']).where('matter_id', '=', medical.matterId).where('kind', '=', 'transition').executeTakeFirstOrThrow();
    expect(granted).toEqual({ action: 'grant_without_review', actor_name: 'assistance' });
    // What the household already receives is not applied for again.
    expect(application.items.find((i) => i.policyCode === 'subsistence_urban')).toBeUndefined();
    // The rule that cannot be evaluated stops its own item, visibly, and nothing else.
    const broken = itemOf(application, 'meal_subsidy_trial');
    expect(broken).toMatchObject({ mode: 'rule_error', state: 'rule_error' });
    expect(broken.errors.join(' ')).toMatch(/ratio/);

    // The economic check records what it read and what the data changed.
    expect(application.economicCheck!.sources.map((s) => s.kind).sort()).toEqual(['assistance', 'business', 'deaths', 'hospital', 'payroll']);
    expect(application.economicCheck!.missingSources).toEqual([]);
    expect(application.economicCheck!.doubts).toEqual([]);
    expect(application.economicCheck!.adjustments).toContainEqual({ field: 'hospitalCostsLast12Months', declared: 0, verified: 1_200_000, source: 'hospital' });

    // The resident sees every item's state, but not the rules' internals.
    const mine = await view(resident);
    expect(mine.items.map((i) => i.state).sort()).toEqual(application.items.map((i) => i.state).sort());
    expect(mine.items.every((i) => i.explanation === null && i.errors.length === 0)).toBe(true);
    expect(mine.economicCheck).toBeNull();
    await view(adviserB, 404);
  });

  it('lets only the department an item was sent to decide it, a refusal with its reason and how to appeal', async () => {
    const application = await view(adviser);
    const rent = itemOf(application, 'rent_subsidy');
    const temporary = itemOf(application, 'temporary_assistance_emergency');
    await call(handlers.get('civil_affairs')!, 'POST', `/api/assistance/items/${rent.id}/decision`, { decision: 'grant' }, 403);
    await call(adviser, 'POST', `/api/assistance/items/${rent.id}/decision`, { decision: 'grant' }, 403);
    await call(handlers.get('civil_affairs')!, 'POST', `/api/assistance/items/${temporary.id}/decision`, { decision: 'refuse' }, 400);
    // The generic matter page cannot move an item without its decision.
    const generic = await t.app.inject({ method: 'POST', url: `/api/matters/${rent.matterId}/actions/grant_item`, headers: { cookie: handlers.get('housing')! }, payload: {} });
    expect(generic.statusCode).toBe(409);
    expect(generic.json()).toMatchObject({ error: { code: 'MATTER_ACTION_RESERVED' } });

    await decideItem(t.services, await principalOf('handler-housing'), rent.id, { decision: 'grant' }, DECIDED_AT);
    const refusal = '经核实已获其他渠道临时救助，本次不予重复救助。';
    await call(handlers.get('civil_affairs')!, 'POST', `/api/assistance/items/${temporary.id}/decision`, { decision: 'refuse', reason: refusal });
    const mine = await view(resident);
    expect(itemOf(mine, 'rent_subsidy')).toMatchObject({ state: 'granted', decision: 'granted', appealAdvice: null });
    expect(itemOf(mine, 'temporary_assistance_emergency')).toMatchObject({ state: 'refused', decision: 'refused', decisionReason: refusal });
    expect(itemOf(mine, 'temporary_assistance_emergency').appealAdvice!.zh).toContain('行政复议');
    expect(mine.bundle!.state).toBe('processing');
  });

  it('completes the bundle when its last item is decided, the rule-error item after manual review', async () => {
    let application = await view(adviser);
    const broken = itemOf(application, 'meal_subsidy_trial');
    await call(handlers.get('civil_affairs')!, 'POST', `/api/assistance/items/${broken.id}/decision`, { decision: 'grant' }, 409);
    await call(handlers.get('civil_affairs')!, 'POST', `/api/assistance/items/${broken.id}/review`, { note: '规则有误，已人工核对收入。' });
    for (const item of application.items.filter((i) => i.state === 'reviewing' || i.id === broken.id)) {
      await decideItem(t.services, await principalOf(`handler-${item.department.code}`), item.id, { decision: 'grant' }, DECIDED_AT);
    }
    application = await view(resident);
    expect(application.items.every((i) => ['granted', 'refused'].includes(i.state))).toBe(true);
    expect(application.bundle!.state).toBe('completed');
    const audit = await t.handle.db.selectFrom('audit_log').select('action').where('entity_type', '=', 'assistance_application').where('entity_id', '=', String(applicationId)).execute();
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['assistance.application.drafted', 'assistance.application.submitted', 'assistance.application.completed']));
  });

  it('pays grants month by month to the card, balances each month, and stops a dead payee’s entitlements from the next month', async () => {
    const entitlements = await call<{ items: Array<{ id: number; period: string; amountFen: number; startMonth: string; status: string; endMonth: string | null; stopReason: string | null }>; total: number }>(
      operator,
      'GET',
      `/api/assistance/entitlements?applicationId=${applicationId}&pageSize=100`,
    );
    const application = await view(adviser);
    const moneyGrants = application.items.filter((i) => i.decision === 'granted' && (i.amountFen ?? 0) > 0 && i.benefitPeriod !== 'none');
    expect(entitlements.total).toBe(moneyGrants.length);
    expect(entitlements.items.every((e) => e.startMonth === '2026-09')).toBe(true);
    // What each month owes, from the grants themselves.
    const monthly = moneyGrants.filter((i) => i.benefitPeriod === 'monthly').reduce((sum, i) => sum + i.amountFen!, 0);
    // One-off and yearly grants are paid in their first month (a yearly one again in September 2027).
    const once = moneyGrants.filter((i) => i.benefitPeriod === 'once' || i.benefitPeriod === 'yearly').reduce((sum, i) => sum + i.amountFen!, 0);
    expect(monthly).toBeGreaterThan(0);

    const pay = async (month: string, now: string) => runMonthlyPayments(t.services, await principalOf('operator'), month, new Date(now));
    expect((await pay('2026-09', '2026-11-20T02:00:00Z')).totalFen).toBe(monthly + once);
    expect((await pay('2026-10', '2026-11-20T02:00:00Z')).totalFen).toBe(monthly);
    expect((await pay('2026-11', '2026-11-20T02:00:00Z')).totalFen).toBe(monthly);
    // A repeated run pays nothing twice; a month not yet begun is refused.
    expect((await pay('2026-10', '2026-11-20T02:00:00Z')).payments).toBe(0);
    await expect(pay('2026-12', '2026-11-20T02:00:00Z')).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    for (const [month, owed] of [['2026-09', monthly + once], ['2026-10', monthly], ['2026-11', monthly]] as const) {
      const reconciliation = await call<{ totals: { owedFen: number; paidFen: number; balances: boolean }; lines: Array<{ departmentCode: string; balances: boolean }> }>(operator, 'GET', `/api/assistance/payments/reconciliation?month=${month}`);
      expect(reconciliation.totals).toMatchObject({ owedFen: owed, paidFen: owed, balances: true });
    }

    // The mother dies on 14 October; the deaths extract says so only in December.
    await uploadDataset('deaths', ['id_number,name,death_date,source', `${MOTHER},李梅,2026-10-14,公安户籍注销`]);
    const december = await pay('2026-12', '2026-12-02T02:00:00Z');
    expect(december.deaths).toMatchObject({ stopped: entitlements.total, paymentsToRecover: moneyGrants.filter((i) => i.benefitPeriod === 'monthly').length, amountToRecoverFen: monthly });
    expect(december.payments).toBe(0);
    const stopped = await call<{ items: Array<{ status: string; endMonth: string | null; stopReason: string | null; toRecoverFen: number }> }>(operator, 'GET', `/api/assistance/entitlements?applicationId=${applicationId}&pageSize=100`);
    expect(stopped.items.every((e) => e.status === 'stopped' && e.stopReason === 'death')).toBe(true);
    // Paid through the month of the death, not after.
    expect(stopped.items.every((e) => e.endMonth === '2026-10')).toBe(true);
    const november = await call<{ totals: { owedFen: number; paidFen: number; toRecoverFen: number; balances: boolean } }>(operator, 'GET', '/api/assistance/payments/reconciliation?month=2026-11');
    expect(november.totals).toEqual({ owedFen: 0, paidFen: 0, toRecoverFen: monthly, balances: true });
    const october = await call<{ totals: { owedFen: number; paidFen: number } }>(operator, 'GET', '/api/assistance/payments/reconciliation?month=2026-10');
    expect(october.totals).toMatchObject({ owedFen: monthly, paidFen: monthly });
    // Applying the same extract again changes nothing.
    expect((await pay('2026-12', '2026-12-02T02:00:00Z')).deaths.stopped).toBe(0);
    // The ledger is the department's and the city's, not a community adviser's to run.
    await call(adviser, 'POST', '/api/assistance/payments/runs', { month: '2026-11' }, 403);
  });
  it('lets an adviser apply on a family’s behalf and withdraw it: undecided items and the bundle end, grants stay', async () => {
    const family = {
      ...FULL_APPLICATION,
      applicant: { name: '赵兰', idNumber: id18('50010619900220026'), phone: '13900002222' },
      members: [
        { name: '赵兰', idNumber: id18('50010619900220026'), relation: 'head', health: 'serious_illness', employment: 'unable_to_work' },
        { name: '周小北', idNumber: id18('50010620160901013'), relation: 'child', schoolStage: 'primary' },
      ],
      household: { housing: 'private_rental', benefits: ['subsistence_allowance'], hardships: ['serious_illness'], hospitalCostsLast12Months: 1_500_000 },
    };
    // A newer assistance roll carries this family's 低保 too.
    await uploadDataset('assistance', [
      'id_number,name,household_id,category,monthly_amount,start_date',
      `${MOTHER},李梅,H001,低保,750,2024-01-01`,
      `${family.members[0]!.idNumber},赵兰,H002,低保,750,2025-03-01`,
      `${family.members[1]!.idNumber},周小北,H002,低保,750,2025-03-01`,
    ]);
    const saved = await call<{ id: number }>(adviser, 'POST', '/api/assistance/applications', family, 201);
    await call(adviserB, 'POST', '/api/assistance/applications', family, 403);
    const principal = await principalOf('adviser');
    await submitApplication(t.services, principal, saved.id, SUBMITTED_AT).catch(() => undefined);
    const draft = await call<Application>(adviser, 'GET', `/api/assistance/applications/${saved.id}`);
    for (const material of draft.missing.filter((m) => m.field.startsWith('materials.')).map((m) => m.field.slice('materials.'.length))) {
      const { payload, contentType } = multipart({ material }, { name: 'scan.png', content: PNG, type: 'image/png' });
      expect((await t.app.inject({ method: 'POST', url: `/api/assistance/applications/${saved.id}/materials`, headers: { cookie: adviser, 'content-type': contentType }, payload })).statusCode).toBe(201);
    }
    await submitApplication(t.services, principal, saved.id, SUBMITTED_AT);
    const submitted = await call<Application>(adviser, 'GET', `/api/assistance/applications/${saved.id}`);
    const undecided = submitted.items.filter((i) => i.state === 'reviewing' || i.state === 'rule_error').map((i) => i.policyCode);
    const granted = submitted.items.filter((i) => i.state === 'granted').map((i) => i.policyCode);
    expect(undecided.length).toBeGreaterThan(0);
    expect(granted.length).toBeGreaterThan(0);

    await call(adviser, 'POST', `/api/assistance/applications/${saved.id}/withdraw`, { reason: ' ' }, 400);
    const withdrawn = await call<Application>(adviser, 'POST', `/api/assistance/applications/${saved.id}/withdraw`, { reason: '家属已另行申请。' });
    expect(withdrawn.status).toBe('withdrawn');
    expect(withdrawn.bundle!.state).toBe('withdrawn');
    expect(withdrawn.items.filter((i) => i.state === 'withdrawn').map((i) => i.policyCode).sort()).toEqual([...undecided].sort());
    expect(withdrawn.items.filter((i) => i.state === 'granted').map((i) => i.policyCode).sort()).toEqual([...granted].sort());
    await call(adviser, 'POST', `/api/assistance/applications/${saved.id}/withdraw`, { reason: '再次撤回' }, 409);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseKinds } from '../../platform/testing/test-database.ts';
import { createTestApp, type TestApp } from '../../testing/test-app.ts';
import { insertPlaceFixture, PATHS, PLACES } from '../../testing/fixtures.ts';

interface Summary {
  id: number;
  code: string;
  department: { code: string };
  category: { code: string };
  isReviewFree: boolean;
  status: string;
  version: number;
  serviceListCodes: string[];
}

interface Result {
  code: string;
  outcome: 'eligible' | 'ineligible' | 'error';
  amountFen: number | null;
  isGrantableWithoutReview: boolean;
  errors: string[];
  rule: { outcome: string; items: Array<{ name?: string; outcome: string; values?: Array<{ path: string; value: unknown }> }> } | null;
}

interface Evaluation {
  areaCode: string;
  year: number;
  household: { size: number; incomePerHead: number };
  parameters: Array<{ key: string; value: number; areaCode: string; year: number }>;
  counts: { eligible: number; ineligible: number; error: number };
  results: Result[];
}

const SEED_CHILD = {
  members: [
    { age: 38, gender: 'female', relation: 'head', health: 'serious_illness', employment: 'unable_to_work' },
    { age: 11, gender: 'female', relation: 'child', schoolStage: 'primary' },
  ],
  housing: 'private_rental',
  benefits: ['subsistence_allowance'],
  hardships: ['serious_illness', 'caregiver_ill'],
  hospitalCostsLast12Months: 1_200_000,
};

const condition = (name: string, expression: string) => ({ kind: 'condition', name, label: name, expression });

describe.each(testDatabaseKinds())('assistance policy catalogue (社会救助政策目录) on %s', (kind) => {
  let t: TestApp;
  let operator: string;
  let districtStaff: string;
  let streetStaff: string;
  let gridWorker: string;
  let adviser: string;
  let resident: string;

  beforeAll(async () => {
    t = await createTestApp(kind);
    const places = await insertPlaceFixture(t.handle.db);
    await t.handle.db
      .insertInto('organisations')
      .values({ kind: 'department', name: '沙坪坝区民政局', place_id: places.district, scope_path: PATHS.district })
      .execute();
    operator = await t.signInAs({ username: 'operator', roleCodes: ['city_operator'], scopePath: PATHS.city });
    districtStaff = await t.signInAs({ username: 'district', roleCodes: ['district_staff'], scopePath: PATHS.district });
    streetStaff = await t.signInAs({ username: 'street', roleCodes: ['street_staff'], scopePath: PATHS.street });
    gridWorker = await t.signInAs({ username: 'grid', roleCodes: ['grid_worker'], scopePath: PATHS.gridA });
    adviser = await t.signInAs({ username: 'adviser', roleCodes: ['social_worker'], scopePath: PATHS.communityA });
    resident = await t.signInAs({ username: 'resident', roleCodes: ['resident'], scopePath: PATHS.city });
  });
  afterAll(() => t.close());

  const get = async <T>(cookie: string, url: string, status = 200) => {
    const response = await t.app.inject({ url, headers: { cookie } });
    expect(response.statusCode, response.body).toBe(status);
    return response.json<T>();
  };
  const evaluate = async (cookie: string, payload: Record<string, unknown>, status = 200) => {
    const response = await t.app.inject({ method: 'POST', url: '/api/assistance/evaluate', headers: { cookie }, payload });
    expect(response.statusCode, response.body).toBe(status);
    return response.json<Evaluation>();
  };
  const policyByCode = async (code: string) => (await get<{ items: Summary[] }>(operator, `/api/assistance/policies?q=${code}&pageSize=200`)).items.find((p) => p.code === code)!;

  it('ships the catalogue with the migration and lists it by department, category, service list and words, page by page', async () => {
    const first = await get<{ items: Summary[]; total: number }>(adviser, '/api/assistance/policies?pageSize=20');
    expect(first.total).toBe(57);
    expect(first.items).toHaveLength(20);
    const third = await get<{ items: Summary[] }>(adviser, '/api/assistance/policies?pageSize=20&page=3');
    expect(third.items).toHaveLength(17);
    expect(new Set([...first.items, ...third.items].map((p) => p.code)).size).toBe(37);

    const education = await get<{ items: Summary[]; total: number }>(adviser, '/api/assistance/policies?departmentCode=education&pageSize=50');
    expect(education.total).toBe(8);
    expect(education.items.every((p) => p.department.code === 'education')).toBe(true);
    const disability = await get<{ items: Summary[] }>(adviser, '/api/assistance/policies?categoryCode=disability_subsidies');
    expect(disability.items.map((p) => p.code).sort()).toEqual(['disabled_living_subsidy', 'severe_disability_care_subsidy']);
    const oneThing = await get<{ items: Summary[]; total: number }>(adviser, '/api/assistance/policies?serviceListCode=one_thing&pageSize=50');
    expect(oneThing.total).toBe(11);
    const reviewFree = await get<{ items: Summary[]; total: number }>(adviser, '/api/assistance/policies?isReviewFree=true&pageSize=50');
    expect(reviewFree.items.every((p) => p.isReviewFree && p.serviceListCodes.includes('review_free'))).toBe(true);
    const byWord = await get<{ items: Summary[] }>(adviser, `/api/assistance/policies?q=${encodeURIComponent('高龄')}`);
    expect(byWord.items.map((p) => p.code)).toEqual(['elderly_allowance']);
    const nothing = await get<{ items: Summary[]; total: number }>(adviser, `/api/assistance/policies?q=${encodeURIComponent('不存在的政策')}`);
    expect(nothing).toMatchObject({ items: [], total: 0 });
  });

  it('lists the service lists with how many policies of how many departments each gathers', async () => {
    const lists = await get<{ items: Array<{ code: string; policyCount: number; departmentCount: number }>; total: number }>(adviser, '/api/assistance/service-lists?pageSize=50');
    expect(lists.total).toBe(20);
    expect(lists.items.find((l) => l.code === 'one_thing')).toMatchObject({ policyCount: 11, departmentCount: 7 });
    expect(await get(adviser, '/api/assistance/service-lists/review_free')).toMatchObject({ code: 'review_free' });
    await get(adviser, '/api/assistance/service-lists/nope', 404);
    const found = await get<{ items: Array<{ code: string }> }>(adviser, `/api/assistance/service-lists?q=${encodeURIComponent('残疾')}`);
    expect(found.items.map((l) => l.code)).toEqual(['disabled']);
  });

  it('shows a policy in full with the district office that handles it, to those whose region holds the office', async () => {
    const { id } = await policyByCode('subsistence_urban');
    const detail = await get<{ eligibility: { kind: string; items: unknown[] }; materials: string[]; timeLimitDays: number; handlingOrganisations: Array<{ name: string }>; revisions: unknown[]; ruleProblems: unknown[] }>(
      districtStaff,
      `/api/assistance/policies/${id}`,
    );
    expect(detail.eligibility.kind).toBe('all');
    expect(detail.eligibility.items.length).toBeGreaterThan(3);
    expect(detail.materials).toContain('家庭经济状况核对授权书');
    expect(detail.timeLimitDays).toBe(20);
    expect(detail.handlingOrganisations.map((o) => o.name)).toEqual(['沙坪坝区民政局']);
    expect(detail.revisions).toHaveLength(1);
    expect(detail.ruleProblems).toEqual([]);
    // The district office lies above a street's region.
    expect((await get<{ handlingOrganisations: unknown[] }>(streetStaff, `/api/assistance/policies/${id}`)).handlingOrganisations).toEqual([]);
    await get(adviser, '/api/assistance/policies/999999', 404);
  });

  it('evaluates a household against every active policy and explains each answer (the seed’s worked example)', async () => {
    const result = await evaluate(adviser, { household: SEED_CHILD, areaCode: PLACES.district, year: 2024 });
    expect(result).toMatchObject({ areaCode: PLACES.district, year: 2024, household: { size: 2, incomePerHead: 0 } });
    expect(result.results).toHaveLength(57);
    expect(result.counts.error).toBe(0);
    expect(result.counts.eligible + result.counts.ineligible).toBe(57);
    const byCode = new Map(result.results.map((r) => [r.code, r]));
    expect(byCode.get('temporary_assistance_emergency')).toMatchObject({ outcome: 'eligible', amountFen: 450_000, isGrantableWithoutReview: false });
    expect(byCode.get('rent_subsidy')).toMatchObject({ outcome: 'eligible', amountFen: 30_000 });
    expect(byCode.get('medical_assistance_inpatient')).toMatchObject({ outcome: 'eligible', amountFen: 840_000, isGrantableWithoutReview: true });
    expect(byCode.get('garbage_fee_waiver')).toMatchObject({ outcome: 'eligible', isGrantableWithoutReview: true });
    const orphan = byCode.get('orphan_allowance')!;
    expect(orphan.outcome).toBe('ineligible');
    expect(orphan.rule!.items[0]).toMatchObject({ name: 'orphan_child', outcome: 'failed' });
    // The standards came from the city (the district sets none of its own).
    expect(result.parameters.find((p) => p.key === 'subsistenceLineUrban')).toEqual({ key: 'subsistenceLineUrban', value: 75_000, areaCode: PLACES.city, year: 2024 });
  });

  it('draws the disability subsidies at the certificate grades and the coverage they require', async () => {
    const adult = (disabilityGrade: number) => ({ age: 45, gender: 'male', relation: 'head', disabilityGrade, disabilityKind: disabilityGrade > 0 ? 'physical' : 'none' });
    const care = (members: unknown[], benefits: string[] = []) => evaluate(adviser, { household: { members, benefits }, areaCode: PLACES.district, year: 2024, policyCode: 'severe_disability_care_subsidy' });
    const living = (members: unknown[], benefits: string[]) => evaluate(adviser, { household: { members, benefits }, areaCode: PLACES.district, year: 2024, policyCode: 'disabled_living_subsidy' });
    const gradeOne = await care([adult(1)]);
    const standard = (key: string) => gradeOne.parameters.find((p) => p.key === key)!.value;
    expect(gradeOne.results[0]).toMatchObject({ outcome: 'eligible', amountFen: standard('severeDisabilityCareGrade1'), isGrantableWithoutReview: true });
    // Grade 2 is severe too, at its own standard; grade 3 is not, and no certificate is not.
    expect((await care([adult(2)])).results[0]).toMatchObject({ outcome: 'eligible', amountFen: standard('severeDisabilityCareGrade2') });
    expect((await care([adult(3)])).results[0]!.outcome).toBe('ineligible');
    expect((await care([adult(0)])).results[0]!.outcome).toBe('ineligible');
    // Two severely disabled members: each counts at their grade.
    expect((await care([adult(1), { ...adult(2), relation: 'spouse' }])).results[0]!.amountFen).toBe(standard('severeDisabilityCareGrade1') + standard('severeDisabilityCareGrade2'));
    // The living subsidy needs 低保 or the margin above it, and not destitute support.
    expect((await living([adult(3)], ['subsistence_allowance'])).results[0]!.outcome).toBe('eligible');
    expect((await living([adult(3)], ['low_income_household'])).results[0]!.outcome).toBe('eligible');
    expect((await living([adult(3)], [])).results[0]!.outcome).toBe('ineligible');
    expect((await living([adult(3)], ['subsistence_allowance', 'destitute_support'])).results[0]!.outcome).toBe('ineligible');
    expect((await living([adult(0)], ['subsistence_allowance'])).results[0]!.outcome).toBe('ineligible');
  });

  it('applies the standards of the year asked and a district’s own standard over the city’s of the same year', async () => {
    const single = { members: [{ age: 50, gender: 'male', monthlyIncome: 73_000 }] };
    const in2023 = await evaluate(adviser, { household: single, areaCode: PLACES.communityA, year: 2023, policyCode: 'subsistence_urban' });
    expect(in2023.results[0]!.outcome).toBe('ineligible');
    const in2024 = await evaluate(adviser, { household: single, areaCode: PLACES.communityA, year: 2024, policyCode: 'subsistence_urban' });
    expect(in2024.results[0]).toMatchObject({ outcome: 'eligible', amountFen: 2_000 });

    await t.handle.db.insertInto('assistance_parameter_values').values({ key: 'subsistenceLineUrban', area_code: PLACES.district, year: 2024, value: 80_000 }).execute();
    const withDistrictLine = await evaluate(adviser, { household: single, areaCode: PLACES.communityA, year: 2024, policyCode: 'subsistence_urban' });
    expect(withDistrictLine.results[0]).toMatchObject({ outcome: 'eligible', amountFen: 7_000 });
    expect(withDistrictLine.parameters.find((p) => p.key === 'subsistenceLineUrban')).toMatchObject({ value: 80_000, areaCode: PLACES.district });
    const parameters = await get<{ parameters: Array<{ key: string; value: number | null; areaCode: string | null }> }>(adviser, `/api/assistance/parameters?areaCode=${PLACES.communityA}&year=2024`);
    expect(parameters.parameters.find((p) => p.key === 'subsistenceLineUrban')).toMatchObject({ value: 80_000, areaCode: PLACES.district });
    // The default area is the root of the caller's region.
    expect((await get<{ areaCode: string }>(adviser, '/api/assistance/parameters?year=2024')).areaCode).toBe(PLACES.communityA);
    await t.handle.db.deleteFrom('assistance_parameter_values').where('area_code', '=', PLACES.district).execute();

    // Before any standard was set, rules that read one stop with an error; the others still decide.
    const in2022 = await evaluate(adviser, { household: SEED_CHILD, areaCode: PLACES.district, year: 2022 });
    const subsistence = in2022.results.find((r) => r.code === 'subsistence_urban')!;
    expect(subsistence.outcome).toBe('error');
    expect(subsistence.errors[0]).toContain(`no value of params.subsistenceLineUrban for area ${PLACES.district} in 2022`);
    expect(in2022.results.find((r) => r.code === 'family_doctor_service')!.outcome).toBe('eligible');
    await evaluate(adviser, { household: SEED_CHILD, areaCode: '999999', year: 2024 }, 404);
  });

  it('refuses facts that are not declared, with the field', async () => {
    const response = await t.app.inject({ method: 'POST', url: '/api/assistance/evaluate', headers: { cookie: adviser }, payload: { household: { members: [{ age: 30, gender: 'male', salary: 5 }] } } });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
    const noMembers = await t.app.inject({ method: 'POST', url: '/api/assistance/evaluate', headers: { cookie: adviser }, payload: { household: { members: [] } } });
    expect(noMembers.statusCode).toBe(400);
  });

  const newPolicy = (code: string, eligibility: unknown, extra: Record<string, unknown> = {}) => ({
    code,
    nameZh: '社区助餐补贴',
    nameEn: 'Community meal subsidy',
    departmentCode: 'civil_affairs',
    categoryCode: 'elderly_care',
    summary: '独居老人在社区食堂就餐给予补贴。',
    eligibility,
    benefitFormula: 'household.members.filter(m, m.age >= 70 && m.livesAlone).size() * 3000',
    benefitPeriod: 'monthly',
    materials: ['居民身份证'],
    timeLimitDays: 5,
    isReviewFree: true,
    legalBasis: '',
    status: 'active',
    serviceListCodes: ['elderly_difficulty'],
    ...extra,
  });
  const write = (cookie: string, payload: Record<string, unknown>, id?: number) =>
    t.app.inject({ method: id ? 'PUT' : 'POST', url: id ? `/api/assistance/policies/${id}` : '/api/assistance/policies', headers: { cookie }, payload });

  it('refuses to save a rule that does not check, naming each condition, and saves nothing', async () => {
    const response = await write(
      operator,
      newPolicy('meal_subsidy_bad', { kind: 'all', items: [condition('elder_alone', 'household.members.exists(m, m.age >= 70 && m.alone)'), condition('on_roll', '"dibao" in household.benefits')] }),
    );
    expect(response.statusCode).toBe(422);
    const body = response.json<{ error: { code: string; details: { problems: Array<{ condition: string; message: string }> } } }>();
    expect(body.error.code).toBe('ASSISTANCE_RULE_INVALID');
    expect(body.error.details.problems.map((p) => [p.condition, p.message])).toEqual([
      ['elder_alone', 'No such key: alone'],
      ['on_roll', expect.stringContaining('"dibao" is not a category code of household.benefits')],
    ]);
    const unknownDepartment = await write(operator, newPolicy('meal_subsidy_bad', { kind: 'all', items: [condition('always', 'true')] }, { departmentCode: 'police' }));
    expect(unknownDepartment.statusCode).toBe(400);
    expect(unknownDepartment.json()).toMatchObject({ error: { code: 'VALIDATION_FAILED', details: { fields: [{ field: 'departmentCode', message: 'unknown' }] } } });
    expect((await get<{ total: number }>(operator, '/api/assistance/policies?q=meal_subsidy_bad')).total).toBe(0);

    const check = await t.app.inject({ method: 'POST', url: '/api/assistance/rules/check', headers: { cookie: adviser }, payload: { eligibility: { kind: 'any', items: [condition('x', 'household.size')] }, benefitFormula: null, benefitPeriod: 'none' } });
    expect(check.json()).toMatchObject({ isValid: false, problems: [{ condition: 'x', message: 'the expression gives int, not true or false' }] });
  });

  it('creates and rewrites policies as new versions, audited in the same transaction, and evaluation follows at once', async () => {
    const created = await write(operator, newPolicy('meal_subsidy', { kind: 'all', items: [condition('elder_alone', 'household.members.exists(m, m.age >= 70 && m.livesAlone)')] }));
    expect(created.statusCode, created.body).toBe(201);
    const policy = created.json<{ id: number; version: number; serviceListCodes: string[] }>();
    expect(policy).toMatchObject({ version: 1, serviceListCodes: ['elderly_difficulty'] });
    expect((await write(operator, newPolicy('meal_subsidy', { kind: 'all', items: [condition('always', 'true')] }))).statusCode).toBe(409);

    const elder = { members: [{ age: 75, gender: 'female', livesAlone: true }] };
    const before = await evaluate(adviser, { household: elder, areaCode: PLACES.district, policyCode: 'meal_subsidy' });
    expect(before.results[0]).toMatchObject({ outcome: 'eligible', amountFen: 3000, isGrantableWithoutReview: true });

    const { code: _code, ...fields } = newPolicy('meal_subsidy', { kind: 'all', items: [condition('elder_alone', 'household.members.exists(m, m.age >= 80 && m.livesAlone)')] }, { timeLimitDays: 3 });
    const updated = await write(operator, { ...fields, version: 1 }, policy.id);
    expect(updated.statusCode, updated.body).toBe(200);
    expect(updated.json()).toMatchObject({ version: 2, timeLimitDays: 3, revisions: [{ version: 2 }, { version: 1 }] });
    const after = await evaluate(adviser, { household: elder, areaCode: PLACES.district, policyCode: 'meal_subsidy' });
    expect(after.results[0]).toMatchObject({ outcome: 'ineligible', version: 2 });

    // Someone still editing version 1 cannot overwrite version 2 unseen.
    const stale = await write(operator, { ...fields, version: 1 }, policy.id);
    expect(stale.statusCode).toBe(409);

    const audit = await t.handle.db.selectFrom('audit_log').select(['action', 'details']).where('entity_type', '=', 'assistance_policy').where('entity_id', '=', String(policy.id)).orderBy('id').execute();
    expect(audit.map((a) => a.action)).toEqual(['assistance.policy.created', 'assistance.policy.updated']);
    expect(audit[1]!.details).toEqual({ code: 'meal_subsidy', version: 2, changed: ['time_limit_days', 'eligibility'] });
    const revision = await get<{ eligibility: { items: Array<{ expression: string }> } }>(operator, `/api/assistance/policies/${policy.id}/revisions/1`);
    expect(revision.eligibility.items[0]!.expression).toContain('m.age >= 70');
  });

  it('stops only the policy whose rule fails for a household, with the error visible, never the others', async () => {
    const created = await write(
      operator,
      newPolicy('second_child_bonus', { kind: 'all', items: [condition('second_member_is_child', 'household.members[1].age < 18')] }, { benefitFormula: null, benefitPeriod: 'none', isReviewFree: false }),
    );
    expect(created.statusCode, created.body).toBe(201);
    const single = await evaluate(adviser, { household: { members: [{ age: 85, gender: 'male' }] }, areaCode: PLACES.district, year: 2024 });
    const broken = single.results.find((r) => r.code === 'second_child_bonus')!;
    expect(broken).toMatchObject({ outcome: 'error', amountFen: null, isGrantableWithoutReview: false });
    expect(broken.errors).toEqual(['second_member_is_child: No such key: index out of bounds, index 1 >= size 1']);
    expect(single.counts.error).toBe(1);
    expect(single.results.find((r) => r.code === 'elderly_allowance')).toMatchObject({ outcome: 'eligible', amountFen: 5_000 });
  });

  it('keeps and explains a rule nested as deep as allowed, and refuses a deeper one', async () => {
    type Node = { kind: string; name?: string; outcome?: string; values?: unknown[]; items?: Node[] };
    const nest = (levels: number): Node => (levels === 1 ? { kind: 'all', items: [condition('deepest', 'household.size == 1')] } : { kind: 'any', items: [nest(levels - 1)] });
    const created = await write(operator, newPolicy('deep_rule', nest(5), { benefitFormula: null, benefitPeriod: 'none', isReviewFree: false }));
    expect(created.statusCode, created.body).toBe(201);
    const deepest = (node: Node): Node => (node.items ? deepest(node.items[0]!) : node);
    const { id } = created.json<{ id: number }>();
    expect(deepest((await get<{ eligibility: Node }>(operator, `/api/assistance/policies/${id}`)).eligibility)).toMatchObject({ kind: 'condition', name: 'deepest' });
    const result = await evaluate(adviser, { household: { members: [{ age: 30, gender: 'male' }] }, areaCode: PLACES.district, policyCode: 'deep_rule' });
    expect(deepest(result.results[0]!.rule as Node)).toMatchObject({ name: 'deepest', outcome: 'held', values: [{ path: 'household.size', value: 1 }] });
    expect((await write(operator, newPolicy('too_deep_rule', nest(6)))).statusCode).toBe(400);
  });

  it('tries a draft rule without saving it', async () => {
    const draft = { eligibility: { kind: 'all', items: [condition('big_family', 'household.size >= 3')] }, benefitFormula: 'household.size * 1000', benefitPeriod: 'once' };
    const result = await evaluate(adviser, { household: { members: [{ age: 30, gender: 'male' }, { age: 30, gender: 'female' }, { age: 1, gender: 'male' }] }, areaCode: PLACES.district, draft });
    expect(result.results).toEqual([expect.objectContaining({ code: 'draft', outcome: 'eligible', amountFen: 3000 })]);
    const invalid = await t.app.inject({
      method: 'POST',
      url: '/api/assistance/evaluate',
      headers: { cookie: adviser },
      payload: { household: { members: [{ age: 30, gender: 'male' }] }, areaCode: PLACES.district, draft: { ...draft, benefitFormula: 'household.size * 1.5' } },
    });
    expect(invalid.statusCode).toBe(422);
    expect(invalid.json()).toMatchObject({ error: { code: 'ASSISTANCE_RULE_INVALID' } });
  });

  it('lets staff read and test the catalogue, only the catalogue’s keepers change it, and residents see none of it', async () => {
    const { id, version } = await policyByCode('elderly_allowance');
    const detail = await get<Record<string, unknown>>(operator, `/api/assistance/policies/${id}`);
    const { id: _id, code: _code, department, category, serviceListCodes, ...rest } = detail as Record<string, unknown> & { department: { code: string }; category: { code: string }; serviceListCodes: string[] };
    const body = {
      version,
      nameZh: rest.nameZh,
      nameEn: rest.nameEn,
      departmentCode: department.code,
      categoryCode: category.code,
      summary: rest.summary,
      eligibility: rest.eligibility,
      benefitFormula: rest.benefitFormula,
      benefitPeriod: rest.benefitPeriod,
      materials: rest.materials,
      timeLimitDays: rest.timeLimitDays,
      isReviewFree: rest.isReviewFree,
      legalBasis: rest.legalBasis,
      status: rest.status,
      serviceListCodes,
    };
    for (const cookie of [districtStaff, gridWorker, adviser]) {
      expect((await write(cookie, body, id)).statusCode).toBe(403);
      await get(cookie, '/api/assistance/policies');
    }
    await get(gridWorker, '/api/assistance/facts');
    await evaluate(gridWorker, { household: { members: [{ age: 90, gender: 'female' }] } });
    await get(resident, '/api/assistance/policies', 403);
    await evaluate(resident, { household: { members: [{ age: 90, gender: 'female' }] } }, 403);
    // The keeper's unchanged save is a new version with nothing changed.
    const saved = await write(operator, body, id);
    expect(saved.statusCode, saved.body).toBe(200);
    const audit = await t.handle.db.selectFrom('audit_log').select('details').where('action', '=', 'assistance.policy.updated').where('entity_id', '=', String(id)).executeTakeFirstOrThrow();
    expect(audit.details).toEqual({ code: 'elderly_allowance', version: 2, changed: [] });
  });

  it('shows a stored rule that no longer checks on its page and answers "error" for it, for every household', async () => {
    const broken = JSON.stringify({ kind: 'all', items: [condition('gone_field', 'household.nope > 1')] });
    await t.handle.db.updateTable('assistance_policies').set({ eligibility: broken }).where('code', '=', 'scenic_admission_waiver').execute();
    const { id } = await policyByCode('scenic_admission_waiver');
    const detail = await get<{ ruleProblems: Array<{ condition: string; message: string }> }>(adviser, `/api/assistance/policies/${id}`);
    expect(detail.ruleProblems).toEqual([expect.objectContaining({ condition: 'gone_field', message: 'No such key: nope' })]);
    const result = await evaluate(adviser, { household: SEED_CHILD, areaCode: PLACES.district, year: 2024 });
    expect(result.results.find((r) => r.code === 'scenic_admission_waiver')).toMatchObject({ outcome: 'error', errors: ['gone_field: No such key: nope'], rule: null });
    expect(result.results.find((r) => r.code === 'garbage_fee_waiver')).toMatchObject({ outcome: 'eligible' });
  });

  it('serves the declared facts and the catalogue’s reference data for the console', async () => {
    const facts = await get<Array<{ path: string; type: string; isDerived: boolean }>>(adviser, '/api/assistance/facts');
    expect(facts).toContainEqual(expect.objectContaining({ path: 'household.incomePerHead', type: 'int', isDerived: true }));
    expect(facts).toContainEqual(expect.objectContaining({ path: 'household.members[].age', type: 'int' }));
    const reference = await get<{ departments: unknown[]; categories: unknown[]; parameters: Array<{ key: string }> }>(adviser, '/api/assistance/reference');
    expect(reference.departments).toHaveLength(15);
    expect(reference.parameters.map((p) => p.key)).toContain('subsistenceLineUrban');
    const doc = (await t.app.inject({ url: '/openapi.json' })).json<{ paths: Record<string, unknown> }>();
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/assistance/policies', '/api/assistance/policies/{id}', '/api/assistance/evaluate', '/api/assistance/service-lists']));
  });
});

import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseKinds } from '../../platform/testing/test-database.ts';
import { createTestApp, type TestApp } from '../../testing/test-app.ts';
import { insertPlaceFixture, makeResidentId, PATHS, PLACES } from '../../testing/fixtures.ts';
import { PERMISSIONS } from '../../platform/auth/index.ts';
import { validateMatterType } from '../matters/index.ts';
import { handleDatasetProfile } from './datasets.service.ts';
import { FINDING_TYPE } from './finding-type.ts';
import { handleComparisonRun } from './runs.service.ts';

// The people of the test: who lives where (registry), and what the department extracts say.
const A1 = makeResidentId('500106', '19500101', 11); // 陈建国: registered in grid A, died → community A's auditor
const B1 = makeResidentId('500106', '19520202', 21); // 王芳: registered in grid B, died → community B's auditor
const D1 = makeResidentId('500106', '19550303', 31); // 李明: not registered, area code 500106, in prison → the district
const C1 = makeResidentId('500106', '19560404', 41); // 赵磊: not registered, unknown area code, died → the city
const E1 = makeResidentId('500106', '19570505', 51); // 刘洋: registered in grid A, died in extract 1 only
const F1 = makeResidentId('500106', '19580606', 61); // 孙丽: registered in grid A, died in extract 2 only
const G1 = makeResidentId('500106', '19590707', 71); // 周敏: registered in grid A, enrolled twice (15- and 18-digit IDs)
const G1_15 = `${G1.slice(0, 6)}${G1.slice(8, 17)}`;
const B1_15 = `${B1.slice(0, 6)}${B1.slice(8, 17)}`;

const INSURED_HEADER = 'id_number,name,gender,birth_date,region_code,insurance_type,status,monthly_benefit,benefit_start_date';
const insuredLines = (withDuplicate: boolean) => [
  INSURED_HEADER,
  `${A1},陈建国,男,1950-01-01,500106,城乡居民养老保险,领取待遇,2000.00,2015-01-01`, // row 2
  `${B1},王芳,女,1952-02-02,500106,城乡居民养老保险,领取待遇,1500.00,2016-01-01`, // row 3
  `${D1},李明,男,1955-03-03,500106,城乡居民养老保险,领取待遇,1800.00,2017-01-01`, // row 4
  `${C1},赵磊,男,1956-04-04,990001,城乡居民养老保险,领取待遇,1200.00,2018-01-01`, // row 5
  `${E1},刘洋,男,1957-05-05,500106,城乡居民养老保险,领取待遇,1000.00,2019-01-01`, // row 6
  `${F1},孙丽,女,1958-06-06,500106,城乡居民养老保险,领取待遇,1100.00,2019-01-01`, // row 7
  `${G1},周敏,女,1959-07-07,500106,城乡居民养老保险,领取待遇,900.00,2020-01-01`, // row 8
  ...(withDuplicate ? [`${G1_15},周敏,女,1959-07-07,500106,城乡居民养老保险,领取待遇,900.00,2023-01-01`] : [`${makeResidentId('500106', '19600101', 81)},钱进,男,1960-01-01,500106,城乡居民养老保险,参保缴费,,`]), // row 9
  `${makeResidentId('500106', '19610101', 91)},吴刚,男,1961-01-01,500106,城乡居民养老保险,未知,1000.00,2019-01-01`, // row 10: bad status
  `${makeResidentId('500106', '19620101', 93)},郑洁,女,1962-13-01,500106,城乡居民养老保险,参保缴费,,`, // row 11: bad date
  `${A1.slice(0, 17)}${A1.endsWith('0') ? '1' : '0'},冯伟,男,1950-01-01,500106,城乡居民养老保险,参保缴费,,`, // row 12: loads, ID fails its check character
];
const DEATHS_HEADER = 'id_number,name,death_date,source';
const deathsV1 = [DEATHS_HEADER, `${A1},陈建国,2024-01-15,民政`, `${B1},王芳,2024-02-10,民政`, `${C1},赵磊,2024-03-01,公安`, `${E1},刘洋,2024-01-20,民政`];
const deathsV2 = [DEATHS_HEADER, `${A1},陈建国,2024-01-15,民政`, `${B1},王芳,2024-02-10,民政`, `${C1},赵磊,2024-03-01,公安`, `${F1},孙丽,2024-04-02,民政`];
// The same deaths, B1's entry now written with the 15-digit ID: another record of the deaths register.
const deathsV3 = [DEATHS_HEADER, `${A1},陈建国,2024-01-15,民政`, `${B1_15},王芳,2024-02-10,公安`, `${C1},赵磊,2024-03-01,公安`, `${F1},孙丽,2024-04-02,民政`];
const PRISON = ['id_number,name,start_date,end_date', `${D1},李明,2023-03-15,`];

interface Finding {
  id: number;
  matterId: number;
  state: string;
  rule: string;
  name: string;
  idNumberMasked: string;
  amountAtStake: string;
  amountToRecover: string | null;
  amountRecovered: string;
  placeName: string;
  regionSource: string;
  lastRunId: number;
  previousFindingId?: number | null;
  evidence?: Record<string, unknown>;
  timeline?: Array<{ kind: string; action: string | null; details: Record<string, unknown> }>;
  actions?: string[];
}

describe.each(testDatabaseKinds())('大数据比对 in the platform on %s', (kind) => {
  let t: TestApp;
  let operator: string;
  let auditorA: string;
  let auditorB: string;
  let auditorDistrict: string;
  let auditorCity: string;
  let communityStaff: string;
  let streetStaff: string;
  const datasets: Record<string, number> = {};

  beforeAll(async () => {
    t = await createTestApp(kind);
    await insertPlaceFixture(t.handle.db);
    const admin = await t.signInAs({ username: 'root', roleCodes: ['administrator'], scopePath: '' });
    operator = await t.signInAs({ username: 'operator', roleCodes: ['city_operator'], scopePath: PATHS.city });
    auditorA = await t.signInAs({ username: 'auditor_a', roleCodes: ['auditor'], scopePath: PATHS.communityA });
    auditorB = await t.signInAs({ username: 'auditor_b', roleCodes: ['auditor'], scopePath: PATHS.communityB });
    auditorDistrict = await t.signInAs({ username: 'auditor_d', roleCodes: ['auditor'], scopePath: PATHS.district });
    auditorCity = await t.signInAs({ username: 'auditor_c', roleCodes: ['auditor'], scopePath: PATHS.city });
    communityStaff = await t.signInAs({ username: 'community', roleCodes: ['community_staff'], scopePath: PATHS.communityA });
    streetStaff = await t.signInAs({ username: 'street', roleCodes: ['street_staff'], scopePath: PATHS.street });
    const residents: Array<[string, string, string]> = [
      [A1, '陈建国', PLACES.gridA],
      [B1, '王芳', PLACES.gridB],
      [E1, '刘洋', PLACES.gridA],
      [F1, '孙丽', PLACES.gridA],
      [G1, '周敏', PLACES.gridA],
    ];
    // Findings are due in working days: make sure the calendar reaches past the end of this year,
    // as an administrator does each winter when the State Council publishes the next year's holidays.
    const nextYear = new Date().getUTCFullYear() + 1;
    if ((await t.app.inject({ url: `/api/calendar/${nextYear}`, headers: { cookie: admin } })).statusCode === 422) {
      const put = await t.app.inject({ method: 'PUT', url: `/api/calendar/${nextYear}`, headers: { cookie: admin }, payload: { source: '测试：下一年度（无节假日安排）', days: [] } });
      expect(put.statusCode, put.body).toBe(204);
    }
    for (const [idNumber, name, placeCode] of residents) {
      const response = await t.app.inject({ method: 'POST', url: '/api/residents', headers: { cookie: admin }, payload: { idNumber, name, placeCode } });
      expect(response.statusCode, response.body).toBe(201);
    }
  });
  afterAll(() => t.close());

  function multipart(fields: Record<string, string>, file?: { name: string; content: string }) {
    const boundary = '----minsheng-compare-test';
    const parts = Object.entries(fields).map(([name, value]) => Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
    if (file) {
      parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: text/csv\r\n\r\n`), Buffer.from(file.content, 'utf8'), Buffer.from('\r\n'));
    }
    parts.push(Buffer.from(`--${boundary}--\r\n`));
    return { payload: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
  }

  async function upload(cookie: string, kindName: string, lines: string[], fileName = `${kindName}.csv`) {
    const { payload, contentType } = multipart({ kind: kindName }, { name: fileName, content: `${lines.join('\n')}\n` });
    return t.app.inject({ method: 'POST', url: '/api/compare/datasets', headers: { cookie, 'content-type': contentType }, payload });
  }

  async function uploadAndProfile(kindName: string, lines: string[], fileName?: string): Promise<number> {
    const response = await upload(operator, kindName, lines, fileName);
    expect(response.statusCode, response.body).toBe(202);
    const { id, status } = response.json<{ id: number; status: string }>();
    expect(status).toBe('profiling');
    await handleDatasetProfile(t.services, { datasetId: id });
    return id;
  }

  async function run(asOf: string, chosen?: Record<string, number | null>) {
    const response = await t.app.inject({ method: 'POST', url: '/api/compare/runs', headers: { cookie: operator }, payload: { asOf, ...(chosen ? { datasets: chosen } : {}) } });
    expect(response.statusCode, response.body).toBe(202);
    const { id } = response.json<{ id: number }>();
    await handleComparisonRun(t.services, { runId: id });
    const finished = await t.app.inject({ url: `/api/compare/runs/${id}`, headers: { cookie: operator } });
    const body = finished.json<{ id: number; status: string; error: string | null; skippedRules: string[]; outcome: Record<string, number>; rules: Array<{ rule: string; suspects: number; amountAtStake: string }>; stages: Array<{ name: string; status: string }> }>();
    expect(body.status, body.error ?? '').toBe('completed');
    return body;
  }

  async function findings(cookie: string, query = '') {
    const response = await t.app.inject({ url: `/api/compare/findings?pageSize=100${query}`, headers: { cookie } });
    expect(response.statusCode, response.body).toBe(200);
    return response.json<{ items: Finding[]; total: number }>().items;
  }

  async function findingOf(cookie: string, name: string, rule: string, query = '&state=open') {
    const found = (await findings(cookie, query)).filter((f) => f.name === name && f.rule === rule);
    expect(found, `${rule} of ${name}`).toHaveLength(1);
    return found[0]!;
  }

  it('ships 疑点核查 as a valid matter type whose actions need permissions that exist', async () => {
    const row = await t.handle.db.selectFrom('matter_types').selectAll().where('code', '=', FINDING_TYPE).executeTakeFirstOrThrow();
    const definition = validateMatterType(row.definition);
    expect(row.name_zh).toBe('疑点核查');
    for (const action of definition.actions) expect(PERMISSIONS as readonly string[]).toContain(action.permission);
    expect(definition.states.filter((state) => state.isFinal).map((state) => state.code).sort()).toEqual(['dismissed', 'retracted', 'settled']);
  });

  it('refuses an extract of an unknown kind, without its columns, or from an account that may not upload', async () => {
    const unknown = await upload(operator, 'lottery', deathsV1);
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json()).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });

    const wrongHeader = await upload(operator, 'insured', deathsV1, 'deaths-as-insured.csv');
    expect(wrongHeader.statusCode).toBe(400);
    const error = wrongHeader.json<{ error: { code: string; message: string; details: { missing: string[] } } }>().error;
    expect(error.code).toBe('INVALID_FILE');
    expect(error.message).toMatch(/needs the column\(s\) gender, birth_date, region_code/);
    expect(error.details.missing).toContain('monthly_benefit');

    const wrongType = await upload(operator, 'deaths', deathsV1, 'deaths.pdf');
    expect(wrongType.statusCode).toBe(400);
    expect(wrongType.json()).toMatchObject({ error: { code: 'INVALID_FILE' } });

    expect((await upload(auditorA, 'deaths', deathsV1)).statusCode).toBe(403);
    const listed = await t.app.inject({ url: '/api/compare/datasets', headers: { cookie: operator } });
    expect(listed.json<{ total: number }>().total).toBe(0);
  });

  it('profiles an uploaded extract: rows read, each bad row with its number and reason, date ranges and ID validity', async () => {
    datasets.insured = await uploadAndProfile('insured', insuredLines(false));
    const response = await t.app.inject({ url: `/api/compare/datasets/${datasets.insured}`, headers: { cookie: operator } });
    const dataset = response.json<Record<string, unknown> & { dateRanges: Record<string, { min: string; max: string }>; idValidityRate: number }>();
    expect(dataset).toMatchObject({ status: 'ready', kind: 'insured', encoding: 'utf-8', rowsRead: 11, rowsLoaded: 9, rowsRejected: 2, idsValid: 8, idsInvalid: 1 });
    expect(dataset.idValidityRate).toBeCloseTo(8 / 9, 5);
    expect(dataset.dateRanges.birth_date).toEqual({ min: '1950-01-01', max: '1960-01-01' });
    expect(dataset.dateRanges.benefit_start_date).toEqual({ min: '2015-01-01', max: '2020-01-01' });

    const rejects = await t.app.inject({ url: `/api/compare/datasets/${datasets.insured}/rejects`, headers: { cookie: operator } });
    const items = rejects.json<{ items: Array<{ rowNumber: number; reason: string }> }>().items;
    expect(items.map((r) => r.rowNumber)).toEqual([10, 11]);
    expect(items[0]!.reason).toMatch(/status "未知"/);
    expect(items[1]!.reason).toMatch(/birth_date "1962-13-01" is not a date/);
    const report = await t.app.inject({ url: `/api/compare/datasets/${datasets.insured}/rejects.csv`, headers: { cookie: operator } });
    expect(report.body.replace(/^\uFEFF/, '').trim().split('\r\n')).toEqual(['row,reason', expect.stringMatching(/^10,/), expect.stringMatching(/^11,/)]);

    datasets.deaths = await uploadAndProfile('deaths', deathsV1);
    datasets.prison = await uploadAndProfile('prison', PRISON);
    const deaths = (await t.app.inject({ url: `/api/compare/datasets/${datasets.deaths}`, headers: { cookie: operator } })).json();
    expect(deaths).toMatchObject({ status: 'ready', rowsRead: 4, rowsRejected: 0, idsValid: 4, dateRanges: { death_date: { min: '2024-01-15', max: '2024-03-01' } } });
  });

  it('runs a comparison as a job and hands each finding to the auditors of the region where its person lives', async () => {
    const result = await run('2024-06-15');
    expect(result.stages.map((s) => `${s.name}:${s.status}`)).toEqual(['compare:done', 'place:done', 'record:done']);
    const deceased = result.rules.find((r) => r.rule === 'DECEASED_DRAWING');
    // A1 2000 × 5 (Feb–Jun) + B1 1500 × 4 (Mar–Jun) + C1 1200 × 3 (Apr–Jun) + E1 1000 × 5 (Feb–Jun) = 24600.
    expect(deceased).toEqual({ rule: 'DECEASED_DRAWING', suspects: 4, amountAtStake: '24600.00' });
    // D1: 1800 × 14 whole months in prison (2023-04 … 2024-05).
    expect(result.rules.find((r) => r.rule === 'IMPRISONED_DRAWING')).toEqual({ rule: 'IMPRISONED_DRAWING', suspects: 1, amountAtStake: '25200.00' });
    expect(result.outcome).toMatchObject({ raised: 5, updated: 0, retracted: 0, suppressed: 0 });

    expect((await findings(auditorA)).map((f) => f.name).sort()).toEqual(['刘洋', '陈建国']);
    expect((await findings(auditorB)).map((f) => f.name)).toEqual(['王芳']);
    expect((await findings(auditorDistrict)).map((f) => f.name).sort()).toEqual(['刘洋', '李明', '王芳', '陈建国']);
    expect((await findings(auditorCity)).map((f) => f.name).sort()).toEqual(['刘洋', '李明', '王芳', '赵磊', '陈建国']);

    const a1 = await findingOf(auditorA, '陈建国', 'DECEASED_DRAWING');
    expect(a1).toMatchObject({ state: 'pending', regionSource: 'resident', placeName: '西苑社区第一网格', amountAtStake: '10000.00', idNumberMasked: `500106********${A1.slice(-4)}` });
    expect((await findingOf(auditorDistrict, '李明', 'IMPRISONED_DRAWING')).regionSource).toBe('region_code');
    expect((await findingOf(auditorCity, '赵磊', 'DECEASED_DRAWING')).regionSource).toBe('city');

    // Outside the region a finding does not exist, by id or by the matters engine.
    const elsewhere = await t.app.inject({ url: `/api/compare/findings/${a1.id}`, headers: { cookie: auditorB } });
    expect(elsewhere.statusCode).toBe(404);
    expect(elsewhere.body).not.toContain('陈建国');
    const act = await t.app.inject({ method: 'POST', url: `/api/compare/findings/${a1.id}/confirm`, headers: { cookie: auditorB }, payload: { note: '越权' } });
    expect(act.statusCode).toBe(404);

    const detail = (await t.app.inject({ url: `/api/compare/findings/${a1.id}`, headers: { cookie: auditorA } })).json<Finding>();
    expect(detail.actions).toEqual(['confirm', 'dismiss']);
    expect(detail.evidence).toMatchObject({ sources: [{ dataset: 'insured' }, { dataset: 'deaths' }], deathDate: '2024-01-15' });
    expect(JSON.stringify(detail)).not.toContain(A1);
    expect(detail.timeline?.[0]).toMatchObject({ kind: 'created' });
    const matter = await t.handle.db.selectFrom('matters').select(['type_code', 'state', 'place_path', 'title']).where('id', '=', a1.matterId).executeTakeFirstOrThrow();
    expect(matter).toMatchObject({ type_code: 'audit_finding', state: 'pending', place_path: PATHS.gridA });
    expect(matter.title).not.toContain('陈建国');

    const stored = await t.handle.db.selectFrom('comparison_findings').selectAll().where('id', '=', a1.id).executeTakeFirstOrThrow();
    expect(Buffer.from(stored.id_number_enc).toString('latin1')).not.toContain(A1);
    expect(JSON.stringify(stored.evidence)).not.toContain(A1);

    const second = await t.app.inject({ method: 'POST', url: '/api/compare/runs', headers: { cookie: auditorCity }, payload: { asOf: '2024-06-15' } });
    expect(second.statusCode).toBe(403);
  });

  it('allows one run at a time and refuses a run without an insured roll or with a dataset of the wrong kind', async () => {
    const wrongKind = await t.app.inject({ method: 'POST', url: '/api/compare/runs', headers: { cookie: operator }, payload: { asOf: '2024-06-15', datasets: { insured: datasets.deaths } } });
    expect(wrongKind.statusCode).toBe(400);
    expect(wrongKind.json<{ error: { message: string } }>().error.message).toMatch(/is a deaths extract, not insured/);
    const badDate = await t.app.inject({ method: 'POST', url: '/api/compare/runs', headers: { cookie: operator }, payload: { asOf: '2024-02-30x' } });
    expect(badDate.statusCode).toBe(400);

    const first = await t.app.inject({ method: 'POST', url: '/api/compare/runs', headers: { cookie: operator }, payload: { asOf: '2024-06-15' } });
    expect(first.statusCode).toBe(202);
    const busy = await t.app.inject({ method: 'POST', url: '/api/compare/runs', headers: { cookie: operator }, payload: { asOf: '2024-06-15' } });
    expect(busy.statusCode).toBe(409);
    await handleComparisonRun(t.services, { runId: first.json<{ id: number }>().id });
    // The same data again: every open finding is raised again, unchanged; nothing new, nothing duplicated.
    const again = await t.app.inject({ url: `/api/compare/runs/${first.json<{ id: number }>().id}`, headers: { cookie: operator } });
    expect(again.json()).toMatchObject({ status: 'completed', outcome: { raised: 0, unchanged: 5, retracted: 0 } });
    expect(await findings(auditorCity)).toHaveLength(5);
  });

  it('keeps the ID number masked on screen and reveals it only for a reason, in the audit trail', async () => {
    const a1 = await findingOf(auditorA, '陈建国', 'DECEASED_DRAWING');
    const noReason = await t.app.inject({ method: 'POST', url: `/api/compare/findings/${a1.id}/unmask`, headers: { cookie: auditorA }, payload: { reason: ' ' } });
    expect(noReason.statusCode).toBe(400);
    const revealed = await t.app.inject({ method: 'POST', url: `/api/compare/findings/${a1.id}/unmask`, headers: { cookie: auditorA }, payload: { reason: '入户核实' } });
    expect(revealed.statusCode, revealed.body).toBe(200);
    expect(revealed.json()).toMatchObject({ idNumber: A1, evidence: { sources: [{ idAsWritten: A1 }, { idAsWritten: A1 }] } });
    const audit = await t.handle.db.selectFrom('audit_log').selectAll().where('action', '=', 'compare.finding.unmasked').execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.details).toMatchObject({ reason: '入户核实' });
    expect((await t.app.inject({ method: 'POST', url: `/api/compare/findings/${a1.id}/unmask`, headers: { cookie: operator }, payload: { reason: '查看' } })).statusCode).toBe(403);
  });

  it('confirms a finding, records the amount to recover and what came back, and the recovery totals move', async () => {
    const totals = async (cookie: string) => (await t.app.inject({ url: '/api/compare/totals', headers: { cookie } })).json<{ total: { toRecover: string; recovered: string; confirmed: number; settled: number } }>().total;
    expect(await totals(auditorA)).toMatchObject({ toRecover: '0.00', recovered: '0.00', confirmed: 0 });
    const a1 = await findingOf(auditorA, '陈建国', 'DECEASED_DRAWING');

    const forbidden = await t.app.inject({ method: 'POST', url: `/api/compare/findings/${a1.id}/confirm`, headers: { cookie: operator }, payload: { note: '确认' } });
    expect(forbidden.statusCode).toBe(403);
    const noNote = await t.app.inject({ method: 'POST', url: `/api/compare/findings/${a1.id}/confirm`, headers: { cookie: auditorA }, payload: { note: '' } });
    expect(noNote.statusCode).toBe(400);
    const early = await t.app.inject({ method: 'POST', url: `/api/compare/findings/${a1.id}/recoveries`, headers: { cookie: auditorA }, payload: { amount: '100', recoveredOn: '2024-06-20' } });
    expect(early.statusCode).toBe(409);

    const confirmed = await t.app.inject({ method: 'POST', url: `/api/compare/findings/${a1.id}/confirm`, headers: { cookie: auditorA }, payload: { note: '经核实已于2024年1月去世，家属继续领取', amountToRecover: '10,000' } });
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    expect(confirmed.json()).toMatchObject({ state: 'confirmed', amountToRecover: '10000.00', actions: ['set_amount_to_recover', 'record_recovery', 'settle'] });
    const badAmount = await t.app.inject({ method: 'POST', url: `/api/compare/findings/${a1.id}/recoveries`, headers: { cookie: auditorA }, payload: { amount: '12.345', recoveredOn: '2024-06-20' } });
    expect(badAmount.statusCode).toBe(400);
    const recovered = await t.app.inject({ method: 'POST', url: `/api/compare/findings/${a1.id}/recoveries`, headers: { cookie: auditorA }, payload: { amount: '4000.50', recoveredOn: '2024-06-20', note: '家属退回' } });
    expect(recovered.statusCode, recovered.body).toBe(201);
    expect(recovered.json()).toMatchObject({ amountRecovered: '4000.50', recoveries: [{ amount: '4000.50', recoveredOn: '2024-06-20', note: '家属退回' }] });
    expect(await totals(auditorA)).toMatchObject({ toRecover: '10000.00', recovered: '4000.50', confirmed: 1 });
    expect(await totals(auditorCity)).toMatchObject({ recovered: '4000.50' });
    expect(await totals(auditorB)).toMatchObject({ recovered: '0.00' });

    const short = await t.app.inject({ method: 'POST', url: `/api/compare/findings/${a1.id}/settle`, headers: { cookie: auditorA }, payload: {} });
    expect(short.statusCode).toBe(400);
    expect(short.json<{ error: { message: string } }>().error.message).toMatch(/5999.50 is not recovered/);
    const settled = await t.app.inject({ method: 'POST', url: `/api/compare/findings/${a1.id}/settle`, headers: { cookie: auditorA }, payload: { note: '余款由社保经办机构从丧葬补助金中抵扣' } });
    expect(settled.statusCode, settled.body).toBe(200);
    expect(settled.json<Finding>()).toMatchObject({ state: 'settled', actions: [] });
    expect(await totals(auditorA)).toMatchObject({ settled: 1, confirmed: 0, recovered: '4000.50' });
    const actions = (await t.handle.db.selectFrom('audit_log').select('action').where('entity_type', '=', 'comparison_finding').where('entity_id', '=', String(a1.id)).execute()).map((r) => r.action);
    expect(actions).toEqual(expect.arrayContaining(['compare.finding.raised', 'compare.finding.confirmed', 'compare.finding.recovered', 'compare.finding.settled']));
  });

  it('does not raise a dismissed false match again for the same evidence, but raises an explained one when more money is at stake', async () => {
    const b1 = await findingOf(auditorB, '王芳', 'DECEASED_DRAWING');
    const badReason = await t.app.inject({ method: 'POST', url: `/api/compare/findings/${b1.id}/dismiss`, headers: { cookie: auditorB }, payload: { reason: 'tired', note: '不是本人' } });
    expect(badReason.statusCode).toBe(400);
    const dismissed = await t.app.inject({ method: 'POST', url: `/api/compare/findings/${b1.id}/dismiss`, headers: { cookie: auditorB }, payload: { reason: 'false_match', note: '死亡登记为同名同号的另一人，已与民政核对' } });
    expect(dismissed.statusCode, dismissed.body).toBe(200);
    expect(dismissed.json()).toMatchObject({ state: 'dismissed', dismissalReason: 'false_match' });
    const d1 = await findingOf(auditorDistrict, '李明', 'IMPRISONED_DRAWING');
    const explained = await t.app.inject({ method: 'POST', url: `/api/compare/findings/${d1.id}/dismiss`, headers: { cookie: auditorDistrict }, payload: { reason: 'explained', note: '监狱已通报，待遇已暂停' } });
    expect(explained.statusCode, explained.body).toBe(200);

    // A month later the same pairs, each with more money at stake. The false match stays dismissed;
    // the explained imprisonment and the settled death are raised again, as payments went on.
    const later = await run('2024-07-15');
    expect(later.outcome).toMatchObject({ raised: 2, raisedAgain: 2, suppressed: 1, updated: 2, retracted: 0 });
    expect((await findings(auditorB, '&state=open')).filter((f) => f.name === '王芳')).toHaveLength(0);
    const again = await findingOf(auditorDistrict, '李明', 'IMPRISONED_DRAWING');
    expect(again.id).not.toBe(d1.id);
    const againDetail = (await t.app.inject({ url: `/api/compare/findings/${again.id}`, headers: { cookie: auditorDistrict } })).json<Finding>();
    expect(againDetail.previousFindingId).toBe(d1.id);
    expect(Number(againDetail.amountAtStake)).toBeGreaterThan(Number(d1.amountAtStake));
    expect((await findingOf(auditorA, '陈建国', 'DECEASED_DRAWING')).amountAtStake).toBe('12000.00');
  });

  it('re-runs incrementally: a new deaths extract retracts what no longer holds and raises what is new, without duplicates', async () => {
    const e1 = await findingOf(auditorA, '刘洋', 'DECEASED_DRAWING');
    datasets.deaths = await uploadAndProfile('deaths', deathsV2, 'deaths-v2.csv');
    const rerun = await run('2024-07-15');
    expect(rerun.outcome).toMatchObject({ raised: 1, raisedAgain: 0, retracted: 1, suppressed: 1, unchanged: 3 });

    const retracted = (await t.app.inject({ url: `/api/compare/findings/${e1.id}`, headers: { cookie: auditorA } })).json<Finding>();
    expect(retracted.state).toBe('retracted');
    expect(retracted.timeline?.at(-1)).toMatchObject({ kind: 'transition', action: 'retract' });
    expect(String(retracted.timeline?.at(-1)?.details.note)).toMatch(/no longer holds/);
    expect((await findings(auditorA, '&state=retracted')).map((f) => f.id)).toEqual([e1.id]);
    expect((await findingOf(auditorA, '孙丽', 'DECEASED_DRAWING')).state).toBe('pending');

    const open = await findings(auditorCity, '&state=open');
    const keys = open.map((f) => `${f.rule}:${f.name}`).sort();
    expect(keys).toEqual(['DECEASED_DRAWING:孙丽', 'DECEASED_DRAWING:赵磊', 'DECEASED_DRAWING:陈建国', 'IMPRISONED_DRAWING:李明']);

    const same = await run('2024-07-15');
    expect(same.outcome).toMatchObject({ raised: 0, updated: 0, retracted: 0, unchanged: 4 });
    expect((await findings(auditorCity, '&state=open')).map((f) => f.id).sort()).toEqual(open.map((f) => f.id).sort());

    // Without the prison extract its rule does not run, and its open finding is not retracted.
    const withoutPrison = await run('2024-07-15', { prison: null });
    expect(withoutPrison.skippedRules).toContain('IMPRISONED_DRAWING');
    expect(withoutPrison.outcome).toMatchObject({ raised: 0, retracted: 0, unchanged: 3 });
    expect((await findingOf(auditorDistrict, '李明', 'IMPRISONED_DRAWING')).state).toBe('pending');
  });

  it('raises a dismissed false match again when another record is linked (a material change)', async () => {
    const b1 = (await findings(auditorB, '&state=dismissed')).find((f) => f.name === '王芳')!;
    // The deaths register now holds B1's death written with the old 15-digit ID: another record.
    datasets.deaths = await uploadAndProfile('deaths', deathsV3, 'deaths-v3.csv');
    const changed = await run('2024-07-15');
    expect(changed.outcome).toMatchObject({ raised: 1, raisedAgain: 1, suppressed: 0 });
    const b1Again = await findingOf(auditorB, '王芳', 'DECEASED_DRAWING');
    expect(b1Again.id).not.toBe(b1.id);
  });

  it("hands a rule's results to the list of the person's street when its setting says so", async () => {
    await t.handle.db.insertInto('comparison_rule_settings').values({ rule: 'DUPLICATE_BENEFIT', handling: 'coverage_list' }).execute();
    datasets.insured = await uploadAndProfile('insured', insuredLines(true), 'insured-v2.csv');
    const withDuplicate = await run('2024-07-15');
    expect(withDuplicate.rules.find((r) => r.rule === 'DUPLICATE_BENEFIT')).toMatchObject({ suspects: 1 });
    expect(withDuplicate.outcome).toMatchObject({ listed: { inserted: 1, updated: 0, retired: 0 } });
    expect((await findings(auditorCity, '&state=all')).filter((f) => f.rule === 'DUPLICATE_BENEFIT')).toHaveLength(0);

    const streets = await t.app.inject({ url: '/api/compare/listings/streets?handling=coverage_list', headers: { cookie: streetStaff } });
    expect(streets.statusCode, streets.body).toBe(200);
    const street = streets.json<{ items: Array<{ streetId: number; streetName: string; count: number }> }>().items;
    expect(street).toEqual([expect.objectContaining({ streetName: '小龙坎街道', count: 1 })]);
    const list = await t.app.inject({ url: `/api/compare/listings?handling=coverage_list&street=${street[0]!.streetId}`, headers: { cookie: streetStaff } });
    expect(list.json<{ items: Array<{ name: string; idNumberMasked: string; placeName: string }> }>().items).toEqual([
      expect.objectContaining({ name: '周敏', idNumberMasked: `500106********${G1.slice(-4)}`, placeName: '西苑社区第一网格' }),
    ]);
    const csv = await t.app.inject({ url: '/api/compare/listings.csv?handling=coverage_list', headers: { cookie: streetStaff } });
    expect(csv.statusCode).toBe(200);
    expect(csv.body).toContain('周敏');
    expect(csv.body).not.toContain(G1);
    expect((await t.app.inject({ url: '/api/compare/listings?handling=coverage_list', headers: { cookie: auditorA } })).statusCode).toBe(403);
    expect((await t.app.inject({ url: '/api/compare/listings.csv?handling=coverage_list', headers: { cookie: auditorA } })).statusCode).toBe(403);

    // The roll without the second enrolment: the entry is no longer current, and kept.
    datasets.insured = await uploadAndProfile('insured', insuredLines(false), 'insured-v3.csv');
    const withoutDuplicate = await run('2024-07-15');
    expect(withoutDuplicate.outcome).toMatchObject({ listed: { retired: 1 } });
    const current = await t.app.inject({ url: '/api/compare/listings?handling=coverage_list', headers: { cookie: streetStaff } });
    expect(current.json<{ total: number }>().total).toBe(0);
    const all = await t.app.inject({ url: '/api/compare/listings?handling=coverage_list&includeRetired=true', headers: { cookie: streetStaff } });
    expect(all.json<{ items: Array<{ isCurrent: boolean }> }>().items).toEqual([expect.objectContaining({ isCurrent: false })]);
  });

  it('keeps findings from community staff and exports the queue with ID numbers masked', async () => {
    expect((await t.app.inject({ url: '/api/compare/findings', headers: { cookie: communityStaff } })).statusCode).toBe(403);
    expect((await t.app.inject({ url: '/api/compare/datasets', headers: { cookie: auditorA } })).statusCode).toBe(403);
    const csv = await t.app.inject({ url: '/api/compare/findings.csv?state=all', headers: { cookie: auditorCity } });
    expect(csv.statusCode).toBe(200);
    const lines = csv.body.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toMatch(/^id,reference,state,rule,name,id_number/);
    expect(lines.length).toBeGreaterThan(5);
    for (const id of [A1, B1, C1, D1, E1, F1]) expect(csv.body).not.toContain(id);
    const exported = await t.handle.db.selectFrom('audit_log').selectAll().where('action', '=', 'compare.finding.exported').execute();
    expect(exported).toHaveLength(1);
  });

  it('ends a run that cannot read its extract as failed, with the reason, and lets the next one start', async () => {
    const broken = await uploadAndProfile('deaths', deathsV2, 'deaths-broken.csv');
    const stored = await t.handle.db.selectFrom('comparison_datasets').select('stored_path').where('id', '=', broken).executeTakeFirstOrThrow();
    fs.rmSync(stored.stored_path);
    const response = await t.app.inject({ method: 'POST', url: '/api/compare/runs', headers: { cookie: operator }, payload: { asOf: '2024-07-15' } });
    const { id } = response.json<{ id: number }>();
    await handleComparisonRun(t.services, { runId: id });
    const failed = (await t.app.inject({ url: `/api/compare/runs/${id}`, headers: { cookie: operator } })).json<{ status: string; error: string; stages: Array<{ name: string; status: string }> }>();
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatch(new RegExp(`deaths extract #${broken} deaths-broken\\.csv`));
    expect(failed.error).not.toContain(stored.stored_path);
    expect(failed.stages).toEqual([expect.objectContaining({ name: 'compare', status: 'failed' })]);
    const next = await t.app.inject({ method: 'POST', url: '/api/compare/runs', headers: { cookie: operator }, payload: { asOf: '2024-07-15', datasets: { deaths: datasets.deaths } } });
    expect(next.statusCode, next.body).toBe(202);
  });
});

import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseKinds } from '../../platform/testing/test-database.ts';
import { createTestApp, type TestApp } from '../../testing/test-app.ts';
import { insertPlaceFixture, makeResidentId, PATHS, PLACES } from '../../testing/fixtures.ts';

const GOOD_1 = makeResidentId('500106', '19790315', 101);
const GOOD_2 = makeResidentId('510212', '19480520', 202);
const GOOD_3 = makeResidentId('500106', '20120601', 302);
const BAD_CHECK = GOOD_1.slice(0, 17) + (GOOD_1.endsWith('0') ? '1' : '0');

/** A GB18030 file as Excel on a Chinese Windows saves it: Chinese headers, CRLF line ends. */
function gb18030Csv(lines: string[]): Buffer {
  return iconv.encode(lines.join('\r\n') + '\r\n', 'gb18030');
}

const FILE_LINES = [
  '公民身份号码,姓名,性别,出生日期,联系电话,详细地址,所属网格编码,户编号,与户主关系,标签',
  `${GOOD_1},陈建国,男,1979-03-15,13800138000,沙坪坝区小龙坎街道西苑路8号,${PLACES.gridA},H0001,户主,低保`, // row 2
  `${BAD_CHECK},王芳,女,1979-03-15,,,${PLACES.gridA},,,`, // row 3: check character
  `${GOOD_2},刘淑华,女,1948/05/20,,,${PLACES.gridA},H0001,配偶,高龄|残疾`, // row 4
  `${GOOD_1},陈建国,男,1979-03-15,13800138000,沙坪坝区小龙坎街道西苑路8号,${PLACES.gridA},H0001,户主,低保`, // row 5: duplicate of row 2
  `${makeResidentId('500106', '19900101', 405)},赵磊,男,1990-13-01,,,${PLACES.gridA},,,`, // row 6: impossible date
  `${makeResidentId('500106', '19900102', 407)},,男,,,,${PLACES.gridA},,,`, // row 7: empty name
  `${GOOD_3},陈小雨,女,2012-06-01,,,${PLACES.gridA},H0001,子女,`, // row 8
  `${makeResidentId('500106', '19850101', 509)},孙涛,男,1985-01-02,,,${PLACES.gridA},,,`, // row 9: date disagrees with the ID
  `${makeResidentId('500106', '19900230', 123)},周敏,女,,,,${PLACES.gridA},,,`, // row 10: Feb 30 in the ID
  `${makeResidentId('500106', '19700101', 611)},吴刚,男,,,,${PLACES.gridB},,,`, // row 11: place outside the importer's community
];

describe.each(testDatabaseKinds())('resident import on %s', (kind) => {
  let t: TestApp;
  let worker: string;

  beforeAll(async () => {
    t = await createTestApp(kind);
    await insertPlaceFixture(t.handle.db);
    worker = await t.signInAs({ username: 'importer', roleCodes: ['community_staff'], scopePath: PATHS.communityA });
  });
  afterAll(() => t.close());

  async function upload(content: Buffer, fileName: string) {
    const boundary = '----minsheng-test';
    const body = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="kind"\r\n\r\nresidents\r\n`),
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: text/csv\r\n\r\n`),
      content,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    return t.app.inject({
      method: 'POST',
      url: '/api/imports?wait=true',
      headers: { cookie: worker, 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload: body,
    });
  }

  it('imports the good rows of a GB18030 file and reports every bad row with its number and reason', async () => {
    const response = await upload(gb18030Csv(FILE_LINES), 'residents.csv');
    expect(response.statusCode, response.body).toBe(200);
    const job = response.json<{ id: number; status: string; encoding: string; totalRows: number; inserted: number; failed: number }>();
    expect(job).toMatchObject({ status: 'completed', encoding: 'gb18030', totalRows: 10, inserted: 3, failed: 7 });

    const errors = await t.app.inject({ url: `/api/imports/${job.id}/errors?pageSize=50`, headers: { cookie: worker } });
    const items = errors.json<{ items: Array<{ rowNumber: number; field: string | null; reason: string }> }>().items;
    const byRow = new Map<number, string[]>();
    for (const e of items) byRow.set(e.rowNumber, [...(byRow.get(e.rowNumber) ?? []), `${e.field}: ${e.reason}`]);
    expect([...byRow.keys()].sort((a, b) => a - b)).toEqual([3, 5, 6, 7, 9, 10, 11]);
    expect(byRow.get(3)!.join()).toMatch(/id_number: .*check character/);
    expect(byRow.get(5)!.join()).toMatch(/duplicate of row 2/);
    expect(byRow.get(6)!.join()).toMatch(/birth_date: birth date 1990-13-01 is not a valid date/);
    expect(byRow.get(7)!.join()).toMatch(/name: name is empty/);
    expect(byRow.get(9)!.join()).toMatch(/birth_date: .*does not match the ID number/);
    expect(byRow.get(10)!.join()).toMatch(/id_number: .*birth date/i);
    expect(byRow.get(11)!.join()).toMatch(/place_code: .*outside your region/);

    const names = await t.handle.db.selectFrom('residents').select('name').orderBy('name').execute();
    expect(names.map((r) => r.name).sort()).toEqual(['刘淑华', '陈小雨', '陈建国'].sort());
    const household = await t.app.inject({ url: '/api/households?q=H0001', headers: { cookie: worker } });
    expect(household.json<{ items: Array<{ memberCount: number; headName: string }> }>().items[0]).toMatchObject({ memberCount: 3, headName: '陈建国' });

    const report = await t.app.inject({ url: `/api/imports/${job.id}/report.csv`, headers: { cookie: worker } });
    expect(report.statusCode).toBe(200);
    const reportLines = report.body.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(reportLines[0]).toMatch(/^row,field,reason,id_number,name/);
    expect(reportLines.slice(1).map((l) => Number(l.split(',')[0]))).toEqual([3, 5, 6, 7, 9, 10, 11]);
    expect(report.body).toContain('王芳');
  });

  it('changes nothing when the same file is imported again', async () => {
    const before = await t.handle.db.selectFrom('residents').select(['id', 'updated_at']).orderBy('id').execute();
    const response = await upload(gb18030Csv(FILE_LINES), 'residents-again.csv');
    const job = response.json<{ status: string; inserted: number; updated: number; unchanged: number; failed: number }>();
    expect(job).toMatchObject({ status: 'completed', inserted: 0, updated: 0, unchanged: 3, failed: 7 });
    const after = await t.handle.db.selectFrom('residents').select(['id', 'updated_at']).orderBy('id').execute();
    expect(after).toEqual(before);
  });

  it('updates a resident whose row changed and reads UTF-8 too', async () => {
    const changed = [FILE_LINES[0]!, FILE_LINES[1]!.replace('13800138000', '13900139000')].join('\n');
    const response = await upload(Buffer.from('\uFEFF' + changed, 'utf8'), 'changed.csv');
    expect(response.json()).toMatchObject({ status: 'completed', encoding: 'utf-8', inserted: 0, updated: 1, failed: 0 });
  });

  it("refuses rows for people registered in another community instead of moving them", async () => {
    const elsewhere = makeResidentId('500106', '19660606', 777);
    await t.handle.db.insertInto('residents').values({
      id_number_index: t.services.cipher.blindIndex(elsewhere),
      id_number_enc: t.services.cipher.encrypt(elsewhere),
      id_number_masked: 'x',
      name: '外区居民',
      gender: 'male',
      birth_date: '1966-06-06',
      place_id: (await t.handle.db.selectFrom('places').select('id').where('code', '=', PLACES.gridB).executeTakeFirstOrThrow()).id,
      place_path: PATHS.gridB,
    }).execute();
    const response = await upload(Buffer.from([FILE_LINES[0]!, `${elsewhere},外区居民,男,,,,${PLACES.gridA},,,`].join('\n')), 'elsewhere.csv');
    const job = response.json<{ id: number; inserted: number; updated: number; failed: number }>();
    expect(job).toMatchObject({ inserted: 0, updated: 0, failed: 1 });
    const errors = await t.app.inject({ url: `/api/imports/${job.id}/errors`, headers: { cookie: worker } });
    expect(errors.json<{ items: Array<{ rowNumber: number; reason: string }> }>().items).toEqual([
      expect.objectContaining({ rowNumber: 2, reason: expect.stringMatching(/registered outside your region/) }),
    ]);
    const row = await t.handle.db.selectFrom('residents').select('place_path').where('name', '=', '外区居民').executeTakeFirstOrThrow();
    expect(row.place_path).toBe(PATHS.gridB);
  });

  it('fails a file without the required columns with a clear message and imports nothing', async () => {
    const response = await upload(Buffer.from('姓名,电话\n张三,13800000000\n'), 'wrong.csv');
    const job = response.json<{ status: string; message: string; totalRows: number }>();
    expect(job.status).toBe('failed');
    expect(job.message).toMatch(/missing required columns: id_number, place_code/);
  });

  it('rejects an upload without a kind', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/imports',
      headers: { cookie: worker, 'content-type': 'multipart/form-data; boundary=x' },
      payload: '--x\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\na\r\n--x--\r\n',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json<{ error: { code: string } }>().error.code).toBe('VALIDATION_FAILED');
  });
});

import iconv from 'iconv-lite';
import { sql } from 'kysely';
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

  it('writes batches side by side: households shared across batches are made once, and the stored counts are what committed', async () => {
    // 2,600 rows make three batches (1,000, 1,000 and 600), written side by side; every household has members in each batch.
    const lines = ['公民身份号码,姓名,所属网格编码,户编号'];
    for (let i = 0; i < 2600; i++) {
      const month = ['01', '03', '05'][Math.floor(i / 900)]!;
      const id = makeResidentId('500106', `1980${month}${String(1 + Math.floor((i % 900) / 30)).padStart(2, '0')}`, (i % 30) + 1);
      const name = `并${'甲乙丙丁戊己庚辛壬癸'[i % 10]}${'子丑寅卯辰巳午未申酉戌亥'[Math.floor(i / 10) % 12]}`;
      lines.push(`${id},${name},${PLACES.gridA},P${String(i % 40).padStart(4, '0')}`);
    }
    const response = await upload(Buffer.from(lines.join('\n')), 'parallel.csv');
    const job = response.json<{ id: number; status: string; totalRows: number; inserted: number; failed: number }>();
    expect(job).toMatchObject({ status: 'completed', totalRows: 2600, inserted: 2600, failed: 0 });
    const stored = await t.handle.db.selectFrom('import_jobs').selectAll().where('id', '=', job.id).executeTakeFirstOrThrow();
    expect(stored).toMatchObject({ total_rows: 2600, inserted: 2600, updated: 0, unchanged: 0, failed: 0 });
    const households = await t.handle.db
      .selectFrom('households as h')
      .innerJoin('residents as r', 'r.household_id', 'h.id')
      .select(['h.household_number', (eb) => eb.fn.countAll<number>().as('members')])
      .where('h.household_number', 'like', 'P%')
      .groupBy('h.household_number')
      .execute();
    expect(households).toHaveLength(40);
    expect(households.every((h) => Number(h.members) === 65)).toBe(true);
    const batches = await t.handle.db.selectFrom('audit_log').select('details').where('action', '=', 'import.residents.batch').where('entity_id', '=', String(job.id)).execute();
    expect(batches).toHaveLength(3);

    const again = await upload(Buffer.from(lines.join('\n')), 'parallel-again.csv');
    expect(again.json()).toMatchObject({ status: 'completed', inserted: 0, updated: 0, unchanged: 2600 });
  });

  it('when a batch fails, the import fails after the batches beside it end, and its counts are exactly what committed', async () => {
    // A database that refuses one row of the second batch (a trigger stands in for any write error).
    // 4,000 rows make four full batches, written up to three at a time: whichever of the others
    // commit, what is written is whole batches, and the job counts exactly those.
    await sql`CREATE FUNCTION refuse_marked_resident() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.name = '拒绝写入' THEN RAISE EXCEPTION 'refused by test trigger'; END IF; RETURN NEW; END $$`.execute(t.handle.db);
    await sql`CREATE TRIGGER refuse_marked_resident BEFORE INSERT ON residents FOR EACH ROW EXECUTE FUNCTION refuse_marked_resident()`.execute(t.handle.db);
    try {
      const lines = ['公民身份号码,姓名,所属网格编码,户编号'];
      for (let i = 0; i < 4000; i++) {
        const month = ['07', '08', '09', '10', '12'][Math.floor(i / 900)]!;
        const id = makeResidentId('500106', `1981${month}${String(1 + Math.floor((i % 900) / 30)).padStart(2, '0')}`, (i % 30) + 1);
        const name = i === 1500 ? '拒绝写入' : `败${'甲乙丙丁戊己庚辛壬癸'[i % 10]}${'子丑寅卯辰巳午未申酉戌亥'[Math.floor(i / 10) % 12]}`;
        lines.push(`${id},${name},${PLACES.gridA},Q${String(i % 40).padStart(4, '0')}`);
      }
      const response = await upload(Buffer.from(lines.join('\n')), 'refused.csv');
      // A database error is not the file's fault: the caller gets a server error, the job says it failed.
      expect(response.statusCode).toBe(500);
      const stored = await t.handle.db.selectFrom('import_jobs').selectAll().where('file_name', '=', 'refused.csv').executeTakeFirstOrThrow();
      const written = await t.handle.db.selectFrom('residents').select((eb) => eb.fn.countAll<number>().as('n')).where('name', 'like', '败%').executeTakeFirstOrThrow();
      expect(Number(written.n)).toBeGreaterThanOrEqual(1000);
      expect(Number(written.n) % 1000).toBe(0);
      expect(stored).toMatchObject({ status: 'failed', inserted: Number(written.n), total_rows: Number(written.n) });
    } finally {
      await sql`DROP TRIGGER refuse_marked_resident ON residents`.execute(t.handle.db);
      await sql`DROP FUNCTION refuse_marked_resident()`.execute(t.handle.db);
    }
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

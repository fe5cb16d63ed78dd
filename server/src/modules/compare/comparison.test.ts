import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAppError } from '../../platform/errors.ts';
import { residentIdCheckCharacter } from '../../platform/identity/index.ts';
import {
  EXTRACT_COLUMNS,
  EXTRACT_KINDS,
  generateExtracts,
  parseComparisonSpec,
  runCompareCommand,
  runComparison,
  runComparisonToDirectory,
  writeGeneratedExtracts,
  RULE_CODES,
  SUSPECT_CSV_HEADER,
  type ExtractKind,
  type Suspect,
} from './index.ts';

const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../bin/minsheng.js');
const INSURED_HEADER = EXTRACT_COLUMNS.insured.join(',');
const AS_OF = '2024-06-15';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'minsheng-compare-test-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function write(name: string, lines: string[]): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

/** A valid 18-character ID for an area, birth date (YYYYMMDD) and order code. */
function makeId(area: string, birth: string, order: string): string {
  const first17 = `${area}${birth}${order}`;
  return first17 + residentIdCheckCharacter(first17);
}

/** The ID with digit `at` (0-based) replaced: always fails the check character. */
function mistype(id: string, at: number): string {
  return id.slice(0, at) + String((Number(id[at]) + 3) % 10) + id.slice(at + 1);
}

const byRule = (suspects: Suspect[], rule: string) => suspects.filter((suspect) => suspect.rule === rule);
const insuredLine = (id: string, name: string, status = '参保缴费', monthly = '', start = '') => `${id},${name},男,1980-01-01,500106,城镇职工基本养老保险,${status},${monthly},${start}`;

describe('comparison against the generator truth', () => {
  it('reaches precision ≥ 0.995 and recall ≥ 0.99 for every rule on 100,000 insured people', async () => {
    const generated = generateExtracts({ insured: 100_000, seed: 11 });
    expect(generated.truth.some((entry) => entry.needsFuzzy)).toBe(false);
    const files = await writeGeneratedExtracts(path.join(dir, 'truth-run'), generated);
    const { suspects, summary } = await runComparison({ asOf: generated.asOf, files });
    for (const rule of RULE_CODES) {
      const truth = new Set(generated.truth.filter((entry) => entry.rule === rule).map((entry) => entry.idNumber));
      const found = new Set(byRule(suspects, rule).map((suspect) => suspect.idNumber));
      const truePositives = [...found].filter((id) => truth.has(id)).length;
      expect(truth.size, rule).toBeGreaterThan(90);
      expect(truePositives / found.size, `${rule} precision`).toBeGreaterThanOrEqual(0.995);
      expect(truePositives / truth.size, `${rule} recall`).toBeGreaterThanOrEqual(0.99);
    }
    // The corruption is there and the repair stage carries part of the truth.
    for (const dataset of ['deaths', 'prison', 'payroll', 'hospital', 'assistance', 'business'] as const) {
      expect(summary.linking[dataset]?.repaired, dataset).toBeGreaterThan(10);
    }
    for (const rule of ['DECEASED_DRAWING', 'IMPRISONED_DRAWING', 'UNINSURED_EMPLOYED', 'ASSISTANCE_WITH_BUSINESS', 'ILLNESS_POVERTY_RISK'] as const) {
      expect(summary.rules[rule]?.byMatchMethod.repaired, rule).toBeGreaterThan(0);
    }
  });

  it('still does with the cases only the fuzzy stage can link: two-edit IDs, typos under a variant name, and their decoys', async () => {
    const generated = generateExtracts({ insured: 100_000, seed: 12, fuzzyCases: true });
    const files = await writeGeneratedExtracts(path.join(dir, 'fuzzy-run'), generated);
    const { suspects, summary } = await runComparison({ asOf: generated.asOf, files });
    for (const rule of RULE_CODES) {
      const truth = new Set(generated.truth.filter((entry) => entry.rule === rule).map((entry) => entry.idNumber));
      const found = new Set(byRule(suspects, rule).map((suspect) => suspect.idNumber));
      const truePositives = [...found].filter((id) => truth.has(id)).length;
      expect(truePositives / found.size, `${rule} precision`).toBeGreaterThanOrEqual(0.995);
      expect(truePositives / truth.size, `${rule} recall`).toBeGreaterThanOrEqual(0.99);
    }
    for (const rule of ['DECEASED_DRAWING', 'IMPRISONED_DRAWING', 'ASSISTANCE_WITH_BUSINESS', 'ILLNESS_POVERTY_RISK'] as const) {
      expect(summary.rules[rule]?.byMatchMethod.fuzzy, rule).toBeGreaterThan(5);
    }
  });

  it('marks the cases only the fuzzy stage can link, and makes them only when asked', () => {
    const plain = generateExtracts({ insured: 20_000, seed: 4 });
    const fuzzy = generateExtracts({ insured: 20_000, seed: 4, fuzzyCases: true });
    expect(plain.truth.filter((entry) => entry.needsFuzzy)).toEqual([]);
    const needsFuzzy = fuzzy.truth.filter((entry) => entry.needsFuzzy);
    expect(new Set(needsFuzzy.map((entry) => entry.rule))).toEqual(new Set(['DECEASED_DRAWING', 'IMPRISONED_DRAWING', 'ASSISTANCE_WITH_BUSINESS', 'ILLNESS_POVERTY_RISK']));
  });
});

describe('linking', () => {
  const person = makeId('500106', '19500312', '123');
  const other = makeId('500106', '19520101', '456');

  it('repairs a mistyped ID when exactly one valid neighbour on the roll bears the same name, and says which were weighed', async () => {
    const insured = write('link-insured.csv', [INSURED_HEADER, insuredLine(person, '张伟', '领取待遇', '2000.00', '2010-05-01'), insuredLine(other, '李娜', '领取待遇', '1800.00', '2012-02-01')]);
    const deaths = write('link-deaths.csv', [
      'id_number,name,death_date,source',
      `${mistype(person, 9)},张 伟,2024-01-10,公安`,
      // Same typo, another name: not repaired.
      `${mistype(other, 9)},王芳,2024-01-10,公安`,
      // No ID under the name of someone drawing: nothing safe links it.
      `,李娜,2024-02-01,公安`,
    ]);
    const { suspects, summary } = await runComparison({ asOf: AS_OF, files: { insured, deaths } });
    const deceased = byRule(suspects, 'DECEASED_DRAWING');
    expect(deceased.map((suspect) => [suspect.idNumber, suspect.matchMethod, suspect.matchScore])).toEqual([[person, 'repaired', 0.99]]);
    const linking = (deceased[0]!.evidence.linking as { details: { neighboursInRoll: { idNumber: string; nameAgrees: boolean }[]; checkFailed: string } }[])[0]!.details;
    expect(linking.checkFailed).toBe('CHECK_CHARACTER');
    expect(linking.neighboursInRoll).toEqual([expect.objectContaining({ idNumber: person, nameAgrees: true })]);
    expect(summary.linking.deaths).toMatchObject({ exact: 0, repaired: 1, unlinked: 2 });
    expect(summary.files.deaths).toMatchObject({ rowsLoaded: 3, invalidIds: 3, missingIds: 1 });
  });

  it('repairs a 15-digit ID with one digit wrong, which no check character can catch', async () => {
    const insured = write('link15-insured.csv', [INSURED_HEADER, insuredLine(person, '张伟', '领取待遇', '2000.00', '2010-05-01')]);
    const legacy = person.slice(0, 6) + person.slice(8, 17);
    const deaths = write('link15-deaths.csv', ['id_number,name,death_date,source', `${mistype(legacy, 12)},张伟,2024-01-10,公安`]);
    const { suspects } = await runComparison({ asOf: AS_OF, files: { insured, deaths } });
    expect(byRule(suspects, 'DECEASED_DRAWING').map((suspect) => [suspect.idNumber, suspect.matchMethod])).toEqual([[person, 'repaired']]);
  });
});

describe('amounts at stake', () => {
  const insured = () =>
    write('amounts-insured.csv', [
      INSURED_HEADER,
      '110105194912310046,甲,女,1949-12-31,110105,城镇职工基本养老保险,领取待遇,1000.00,2010-01-01',
      '11010519491231002X,乙,女,1949-12-31,110105,城镇职工基本养老保险,领取待遇,2000.00,2010-01-01',
      '110105194912310062,丙,女,1949-12-31,110105,城镇职工基本养老保险,领取待遇,3000.00,2010-01-01',
      '110105194912310089,丁,女,1949-12-31,110105,城镇职工基本养老保险,领取待遇,400.50,2010-01-01',
      '11010519491231010X,戊,女,1949-12-31,110105,城镇职工基本养老保险,终止,,2010-01-01',
    ]);

  it('counts the months after the death month up to the as-of month', async () => {
    const deaths = write('amounts-deaths.csv', [
      'id_number,name,death_date,source',
      // Died on the 31st: January is due, Feb…Jun were paid after death = 5 months.
      '110105194912310046,甲,2024-01-31,公安',
      // Died in the as-of month: nothing paid after the death yet, still raised.
      '11010519491231002x,乙,2024-06-03,公安',
      // Died on the as-of date: not before it, not raised.
      '110105194912310062,丙,2024-06-15,公安',
      // Not drawing any more: not raised.
      '11010519491231010X,戊,2020-01-01,公安',
    ]);
    const { suspects } = await runComparison({ asOf: AS_OF, files: { insured: insured(), deaths } });
    const deceased = byRule(suspects, 'DECEASED_DRAWING');
    expect(deceased.map((suspect) => [suspect.idNumber, suspect.amountAtStakeCents])).toEqual([
      ['11010519491231002X', 0],
      ['110105194912310046', 5 * 100_000],
    ]);
    expect(deceased[1]!.evidence.computation).toBe('1000.00 × 5 months (2024-02 … 2024-06) = 5000.00');
  });

  it('counts the whole calendar months of imprisonment while drawing, cut at the as-of date', async () => {
    const prison = write('amounts-prison.csv', [
      'id_number,name,start_date,end_date',
      // Still serving since 2023-03-15: 2023-04 … 2024-05 are whole months = 14 (June is not over).
      '110105194912310046,甲,2023-03-15,',
      // Spanning the as-of date: 2024-01-01 … 2024-05-31 = 5 months.
      '11010519491231002X,乙,2024-01-01,2024-12-31',
      // Released 2023-02-28 after starting 2022-11-30: Dec, Jan, Feb = 3 months.
      '110105194912310062,丙,2022-11-30,2023-02-28',
      // Under a whole month: not raised.
      '110105194912310089,丁,2023-05-05,2023-05-20',
    ]);
    const { suspects } = await runComparison({ asOf: AS_OF, files: { insured: insured(), prison } });
    expect(byRule(suspects, 'IMPRISONED_DRAWING').map((suspect) => [suspect.idNumber, suspect.amountAtStakeCents])).toEqual([
      ['11010519491231002X', 5 * 200_000],
      ['110105194912310046', 14 * 100_000],
      ['110105194912310062', 3 * 300_000],
    ]);
  });

  it('finds one person drawing under a 15-digit and an 18-digit record and prices the later one', async () => {
    const insuredFile = write('duplicate-insured.csv', [
      INSURED_HEADER,
      '130503196704010016,李四,男,1967-04-01,130503,城镇职工基本养老保险,领取待遇,1000,2024-01-10',
      '１３０５０３６７０４０１００１ ,李四,男,1967-04-01,130503,城镇职工基本养老保险,领取待遇,1000,2024-03-01',
    ]);
    const { suspects } = await runComparison({ asOf: AS_OF, files: { insured: insuredFile } });
    const duplicates = byRule(suspects, 'DUPLICATE_BENEFIT');
    expect(duplicates).toHaveLength(1);
    expect(duplicates[0]).toMatchObject({ idNumber: '130503196704010016', recordKey: 'insured:2;insured:3', amountAtStakeCents: 4 * 100_000 });
  });
});

describe('UNINSURED_EMPLOYED', () => {
  const onRoll = makeId('500103', '19850707', '231');
  const uninsured = makeId('500103', '19900101', '112');
  const tooFew = makeId('500103', '19910202', '113');
  const split = makeId('500103', '19920303', '114');
  const employerA = '91500000MA5U0000X1';
  const employerB = '91500000MA5U0001X1';
  const payrollLine = (employer: string, id: string, name: string, month: string, wage = '5000.00') => `${employer},重庆某公司,${id},${name},${month},${wage}`;

  it('raises a worker paid 3 of the last 6 months and absent from the roll, never an insured worker whose ID was mistyped', async () => {
    const insured = write('uninsured-insured.csv', [INSURED_HEADER, insuredLine(onRoll, '周强')]);
    const legacyTypo = mistype(onRoll.slice(0, 6) + onRoll.slice(8, 17), 13);
    const payroll = write('uninsured-payroll.csv', [
      'employer_credit_code,employer_name,id_number,name,month,wage',
      // On the roll, every month under a 15-digit ID with a digit wrong (valid, yet nobody's): repaired, not raised.
      ...['2024-01', '2024-02', '2024-03', '2024-04'].map((month) => payrollLine(employerA, legacyTypo, '周强', month)),
      // On the roll, an 18-digit ID failing its check: names no one, raises nothing.
      ...['2024-01', '2024-02', '2024-03'].map((month) => payrollLine(employerA, mistype(onRoll, 4), '周强', month)),
      // Absent: 3 months in the window (Dec–May) and one before it; one month's ID mistyped and repaired from the others.
      payrollLine(employerA, uninsured, '吴敏', '2023-11', '4000.00'),
      payrollLine(employerA, uninsured, '吴敏', '2023-12', '4000.00'),
      payrollLine(employerA, mistype(uninsured, 8), '吴敏', '2024-02', '4000.00'),
      payrollLine(employerA, uninsured.replace(/(\d{6})/u, '$1 '), '吴敏', '2024-05', '4000.00'),
      // Absent, 2 months in the window and June (the as-of month): not raised.
      ...['2024-03', '2024-04', '2024-06'].map((month) => payrollLine(employerA, tooFew, '郑洁', month)),
      // Absent, 2 + 2 months with two employers: raised only when months are counted across employers.
      ...['2024-01', '2024-02'].map((month) => payrollLine(employerA, split, '冯涛', month)),
      ...['2024-03', '2024-04'].map((month) => payrollLine(employerB, split, '冯涛', month)),
    ]);
    const { suspects } = await runComparison({ asOf: AS_OF, files: { insured, payroll } });
    const raised = byRule(suspects, 'UNINSURED_EMPLOYED');
    expect(raised.map((suspect) => [suspect.idNumber, suspect.matchMethod, suspect.amountAtStakeCents])).toEqual([[uninsured, 'repaired', Math.round(3 * 400_000 * 0.16)]]);
    expect(raised[0]!.evidence).toMatchObject({ window: '2023-12 … 2024-05', monthsWithWages: 3 });

    const acrossEmployers = await runComparison({ asOf: AS_OF, files: { insured, payroll }, parameters: { employedBySameEmployer: false } });
    expect(byRule(acrossEmployers.suspects, 'UNINSURED_EMPLOYED').map((suspect) => suspect.idNumber).sort()).toEqual([uninsured, split].sort());
  });
});

describe('ASSISTANCE_WITH_BUSINESS and ILLNESS_POVERTY_RISK', () => {
  const ids = Array.from({ length: 8 }, (_, i) => makeId('500104', `1970010${i + 1}`, '215'));
  const assistance = () =>
    write('assist.csv', [
      'id_number,name,household_id,category,monthly_amount,start_date',
      `${ids[0]},甲,H1,低保,500.00,2023-01-20`,
      `${ids[1]},乙,H1,低保,500.00,2023-01-20`,
      `${ids[2]},丙,H2,特困,1000.00,2022-05-01`,
      `${ids[3]},丁,H3,低保,600.00,2020-01-01`,
      `${ids[4]},戊,H4,低保,1500.00,2020-01-01`,
      `${ids[5]},己,H4,低保,1500.00,2020-01-01`,
    ]);

  it('raises a 低保 recipient who represents an active business above the capital threshold, priced from the later start', async () => {
    const business = write('business.csv', [
      'credit_code,name,legal_rep_id_number,legal_rep_name,registered_capital,established_date,status',
      `91500000MA5U0000X1,甲记商贸,${ids[0]},甲,200000.00,2023-09-10,存续`,
      `91500000MA5U0001X1,乙记商贸,${ids[1]},乙,500000.00,2019-01-01,注销`,
      `91500000MA5U0002X1,丙记商贸,${ids[2]},丙,900000.00,2019-01-01,存续`,
      `91500000MA5U0003X1,丁记商贸,${ids[3]},丁,100000.00,2019-01-01,在业`,
    ]);
    const { suspects } = await runComparison({ asOf: AS_OF, files: { assistance: assistance(), business } });
    const raised = byRule(suspects, 'ASSISTANCE_WITH_BUSINESS');
    // 低保 since 2023-01, business from 2023-09: 2023-10 … 2024-06 = 9 months × 500.00.
    expect(raised.map((suspect) => [suspect.idNumber, suspect.amountAtStakeCents, suspect.recordKey])).toEqual([[ids[0], 9 * 50_000, 'assistance:2;business:2']]);
    expect(raised[0]!.evidence.computation).toBe('500.00 × 9 months (2023-10 … 2024-06) = 4500.00');
  });

  it("raises out-of-pocket hospital cost of the last 12 months above the threshold and above the household's annual assistance", async () => {
    const hospital = write('hospital.csv', [
      'id_number,name,admission_date,discharge_date,total_cost,out_of_pocket',
      // H1 gets 12 × 1000 = 12000 a year: 15000 + 10000 = 25000 is above 20000 and 12000.
      `${ids[0]},甲,2023-08-01,2023-08-20,30000.00,15000.00`,
      `${ids[0]},甲,2024-03-01,2024-03-10,20000.00,10000.00`,
      // Above 20000 but its household (H4) gets 36000 a year.
      `${ids[4]},戊,2024-01-01,2024-01-20,50000.00,30000.00`,
      // Below the absolute threshold.
      `${ids[3]},丁,2024-01-01,2024-01-20,40000.00,19999.00`,
      // Discharged 13 months before the as-of date.
      `${ids[2]},丙,2023-05-01,2023-05-10,90000.00,60000.00`,
      // Not in the assistance extract.
      `${ids[7]},辛,2024-01-01,2024-01-20,90000.00,60000.00`,
      // Out of pocket above the total: a bad row.
      `${ids[6]},庚,2024-01-01,2024-01-20,100.00,200.00`,
    ]);
    const { suspects, summary } = await runComparison({ asOf: AS_OF, files: { assistance: assistance(), hospital } });
    expect(byRule(suspects, 'ILLNESS_POVERTY_RISK').map((suspect) => [suspect.idNumber, suspect.amountAtStakeCents])).toEqual([[ids[0], 2_500_000]]);
    expect(summary.files.hospital?.rejected).toEqual([{ rowNumber: 8, reason: 'out_of_pocket exceeds total_cost' }]);
  });
});

describe('bad rows, encodings and formats', () => {
  it('reports each bad row with its line and every reason and still raises the good rows', async () => {
    const insuredFile = write('bad-insured.csv', [
      INSURED_HEADER,
      '110105194912310046,甲,女,1949-12-31,110105,城镇职工基本养老保险,领取待遇,1000.00,2010-01-01',
      ',无证,女,1949-12-31,110105,城镇职工基本养老保险,领取待遇,1000.00,2010-01-01',
      '11010519491231002X,乙,女,1949-12-31,110105,城镇职工基本养老保险,领取待遇,一千,2010-01-01',
      '110105194912310062,丙,女,1949-12-31,110105,城镇职工基本养老保险,领取待遇,3000.00,2010-13-45',
      '110105194912310089,丁,女,1949-12-31,110105',
      '11010519491231010X,戊,女,1949-12-31,110105,城镇职工基本养老保险,领取待遇,500.00,2010-01-01',
    ]);
    const deaths = write('bad-deaths.csv', ['id_number,name,death_date,source', '110105194912310046,甲,2024-01-31,公安', '11010519491231010X,戊,2024-05-01,公安']);
    const payroll = write('bad-payroll.csv', [
      'employer_credit_code,employer_name,id_number,name,month,wage',
      '91500000MA5U0000X1,某公司,110105194912310046,甲,2024-13,-5',
      ',某公司,110105194912310046,甲,2024-01,5000',
    ]);
    const out = path.join(dir, 'bad-out');
    await runComparisonToDirectory({ asOf: AS_OF, files: { insured: insuredFile, deaths, payroll } }, out);
    const summary = JSON.parse(fs.readFileSync(path.join(out, 'summary.json'), 'utf8'));
    expect(summary.files.insured.rowsRead).toBe(6);
    expect(summary.files.insured.rejected).toEqual([
      { rowNumber: 3, reason: 'id_number is missing' },
      { rowNumber: 4, reason: 'monthly_benefit "一千" is not an amount' },
      { rowNumber: 5, reason: 'benefit_start_date "2010-13-45" is not a date (YYYY-MM-DD)' },
      { rowNumber: 6, reason: expect.stringMatching(/^wrong number of cells/) },
    ]);
    expect(summary.files.payroll.rejected).toEqual([
      { rowNumber: 2, reason: 'month "2024-13" is not a month (YYYY-MM); wage is negative' },
      { rowNumber: 3, reason: 'employer_credit_code is missing' },
    ]);
    expect(summary).toMatchObject({ rowsRead: 10, rowsRejected: 6 });
    expect(summary.rules.DECEASED_DRAWING).toMatchObject({ suspects: 2, amountAtStake: '5500.00' });
    const suspects = fs.readFileSync(path.join(out, 'suspects.csv'), 'utf8');
    expect(suspects).toContain('insured:2;deaths:2');
    expect(suspects).toContain('insured:7;deaths:3');
  });

  it('gives the same suspects for a GB18030 file as for the UTF-8 original', async () => {
    const generated = generateExtracts({ insured: 3_000, seed: 5 });
    const files = await writeGeneratedExtracts(path.join(dir, 'gb'), generated);
    const gbInsured = path.join(dir, 'gb', 'insured-gb18030.csv');
    fs.writeFileSync(gbInsured, iconv.encode(fs.readFileSync(files.insured, 'utf8'), 'gb18030'));
    const utf8 = await runComparison({ asOf: generated.asOf, files });
    const gb = await runComparison({ asOf: generated.asOf, files: { ...files, insured: gbInsured } });
    expect(gb.summary.files.insured?.encoding).toBe('gb18030');
    expect(utf8.suspects.length).toBeGreaterThan(20);
    expect(gb.suspects).toEqual(utf8.suspects);
  });

  it('reads every kind from XLSX and from Parquet with the same results as from CSV', async () => {
    const generated = generateExtracts({ insured: 3_000, seed: 8 });
    const csv = await writeGeneratedExtracts(path.join(dir, 'formats'), generated);
    const xlsx: Partial<Record<ExtractKind, string>> = {};
    const parquet: Partial<Record<ExtractKind, string>> = {};
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    for (const kind of EXTRACT_KINDS) {
      const [header, ...rows] = fs.readFileSync(csv[kind], 'utf8').trimEnd().split('\r\n').map((line) => line.split(','));
      const workbook = new ExcelJS.Workbook();
      const sheet = workbook.addWorksheet(kind);
      sheet.addRow(header);
      for (const row of rows) sheet.addRow(row);
      xlsx[kind] = path.join(dir, 'formats', `${kind}.xlsx`);
      await workbook.xlsx.writeFile(xlsx[kind]);
      parquet[kind] = path.join(dir, 'formats', `${kind}.parquet`);
      await connection.run(`COPY (SELECT * FROM read_csv('${csv[kind]}', all_varchar = true)) TO '${parquet[kind]}' (FORMAT parquet)`);
    }
    connection.closeSync();
    instance.closeSync();
    const fromCsv = await runComparison({ asOf: generated.asOf, files: csv });
    const fromXlsx = await runComparison({ asOf: generated.asOf, files: xlsx });
    const fromParquet = await runComparison({ asOf: generated.asOf, files: parquet });
    expect(fromXlsx.summary.files.insured).toMatchObject({ format: 'xlsx', rowsRead: fromCsv.summary.files.insured?.rowsRead });
    // Excel numbers rows like the CSV's lines (header = 1), so even the evidence is the same, except
    // that cells arrive trimmed (an ID written " 5001…" is "5001…" in the XLSX evidence).
    const withoutSpaces = (suspects: Suspect[]) => JSON.stringify(suspects).replace(/[\s\u3000]+/gu, '');
    expect(withoutSpaces(fromXlsx.suspects)).toBe(withoutSpaces(fromCsv.suspects));
    // Parquet rows are numbered from 1 without a header: the same people and amounts, rows one lower.
    const essence = (suspects: Suspect[]) => suspects.map((suspect) => [suspect.rule, suspect.idNumber, suspect.amountAtStakeCents, suspect.matchMethod]);
    expect(fromParquet.summary.files.payroll?.format).toBe('parquet');
    expect(essence(fromParquet.suspects)).toEqual(essence(fromCsv.suspects));
    expect(fromCsv.suspects.length).toBeGreaterThan(20);
  });
});

describe('comparison spec', () => {
  it('reads extracts in another layout through a column mapping and runs only the rules it names', async () => {
    const insured = write('spec-insured.csv', [
      '身份证号,姓名,性别,出生日期,行政区划,险种,参保状态,月待遇,待遇开始日期',
      '110105194912310046,甲,女,1949-12-31,110105,城镇职工基本养老保险,领取待遇,1000.00,2010-01-01',
    ]);
    const deaths = write('spec-deaths.csv', ['证件号码,姓名,死亡日期,来源', '110105194912310046,甲,2024-01-31,公安']);
    const specFile = path.join(dir, 'spec.json');
    const insuredColumns = ['身份证号', '姓名', '性别', '出生日期', '行政区划', '险种', '参保状态', '月待遇', '待遇开始日期'];
    fs.writeFileSync(
      specFile,
      JSON.stringify({
        asOf: AS_OF,
        files: {
          insured: { path: path.basename(insured), columns: Object.fromEntries(EXTRACT_COLUMNS.insured.map((column, i) => [column, insuredColumns[i]])) },
          deaths: { path: path.basename(deaths), format: 'csv', columns: { id_number: '证件号码', name: '姓名', death_date: '死亡日期', source: '来源' } },
        },
        rules: ['DECEASED_DRAWING'],
        parameters: { deceasedMinimumMonths: 6 },
      }),
    );
    const lines: string[] = [];
    const out = path.join(dir, 'spec-out');
    expect(await runCompareCommand({ spec: specFile, out }, (line) => lines.push(line))).toBe(0);
    const summary = JSON.parse(fs.readFileSync(path.join(out, 'summary.json'), 'utf8'));
    // 5 months after the death is below the spec's minimum of 6: nothing raised, and only that rule ran.
    expect(summary.rules).toEqual({ DECEASED_DRAWING: expect.objectContaining({ suspects: 0 }) });
    expect(summary.skippedRules).toContain('DUPLICATE_BENEFIT');
    expect(summary.parameters.deceasedMinimumMonths).toBe(6);
    expect(summary.linking.deaths).toMatchObject({ exact: 1 });
  });

  it('rejects a spec with clear messages naming each problem', () => {
    const problems = (document: unknown) => {
      try {
        parseComparisonSpec(document, dir);
      } catch (error) {
        if (isAppError(error, 'VALIDATION_FAILED')) return error.message;
        throw error;
      }
      return 'accepted';
    };
    expect(problems({ files: { insured: 'a.csv' }, rules: ['NO_SUCH_RULE'] })).toMatch(/\/rules\/0/);
    expect(problems({ files: { insured: 'a.csv' }, parameters: { deceasedMinimumMonth: 1 } })).toMatch(/\/parameters/);
    expect(problems({ files: { insured: 'a.csv' }, parameters: { businessCapitalThresholdCents: '100000' } })).toMatch(/\/parameters\/businessCapitalThresholdCents/);
    expect(problems({ files: { insured: { path: 'a.xls', format: 'xls' } } })).toMatch(/\/files\/insured/);
    expect(problems({ files: { deaths: { path: 'a.csv', columns: { date_of_death: '死亡日期' } } } })).toBe(
      'spec is invalid: /files/deaths/columns/date_of_death is not a column of the deaths extract (id_number, name, death_date, source)',
    );
    expect(problems({ files: {} })).toMatch(/\/files/);
    expect(problems({ files: { insured: 'a.csv' } })).toBe('accepted');
  });
});

describe('minsheng compare CLI', () => {
  it('generates all extracts and writes suspects.csv and summary.json with the documented columns', () => {
    const data = path.join(dir, 'cli-data');
    const out = path.join(dir, 'cli-out');
    const run = (...args: string[]) => spawnSync(process.execPath, [BIN, 'compare', ...args], { encoding: 'utf8', timeout: 120_000 });
    const generated = run('generate', '--insured', '4000', '--out', data, '--seed', '3');
    expect(generated.status, generated.stderr).toBe(0);
    const files = EXTRACT_KINDS.flatMap((kind) => [`--${kind}`, path.join(data, `${kind}.csv`)]);
    const result = run('run', '--as-of', AS_OF, ...files, '--out', out, '--threads', '1');
    expect(result.status, result.stderr).toBe(0);
    const lines = fs.readFileSync(path.join(out, 'suspects.csv'), 'utf8').replace(/^\uFEFF/u, '').trim().split('\r\n');
    expect(lines[0]).toBe(SUSPECT_CSV_HEADER.join(','));
    for (const line of lines.slice(1)) {
      expect(line).toMatch(/^[A-Z_]+,\d{17}[\dX],[^,]+,[a-z+]+,[a-z]+:\d+[^,]*,(exact|repaired|fuzzy),[\d.]+,\d+\.\d{2},"\{/u);
    }
    const summary = JSON.parse(fs.readFileSync(path.join(out, 'summary.json'), 'utf8'));
    expect(Object.keys(summary.rules).sort()).toEqual([...RULE_CODES].sort());
    for (const rule of RULE_CODES) expect(summary.rules[rule].suspects, rule).toBeGreaterThan(0);
    expect(new Set(lines.slice(1).map((line) => line.split(',')[0]))).toEqual(new Set(RULE_CODES));
    expect(summary.files.insured.rowsRead).toBeGreaterThanOrEqual(4000);
    expect(summary.timingsMs).toHaveProperty('load_insured');
    expect(summary.timingsMs).toHaveProperty('link_repaired');

    const missing = run('run', '--insured', path.join(data, 'insured.csv'), '--out', out);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('--as-of');
  });
});

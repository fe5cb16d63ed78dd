import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateExtracts, runComparison, runComparisonToDirectory, writeGeneratedExtracts, RULE_CODES, SUSPECT_CSV_HEADER, type Suspect } from './index.ts';

const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../bin/minsheng.js');
const INSURED_HEADER = 'id_number,name,gender,birth_date,region_code,insurance_type,status,monthly_benefit,benefit_start_date';

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

const byRule = (suspects: Suspect[], rule: string) => suspects.filter((suspect) => suspect.rule === rule);

describe('comparison against the generator truth', () => {
  it('reaches precision ≥ 0.995 and recall ≥ 0.99 for every rule on 100,000 insured people', async () => {
    const generated = generateExtracts({ insured: 100_000, seed: 11 });
    const files = await writeGeneratedExtracts(path.join(dir, 'truth-run'), generated);
    const { suspects } = await runComparison({ asOf: generated.asOf, files });
    for (const rule of RULE_CODES) {
      const truth = new Set(generated.truth.filter((entry) => entry.rule === rule).map((entry) => entry.idNumber));
      const found = new Set(byRule(suspects, rule).map((suspect) => suspect.idNumber));
      const truePositives = [...found].filter((id) => truth.has(id)).length;
      expect(truth.size, rule).toBeGreaterThan(50);
      expect(truePositives / found.size, `${rule} precision`).toBeGreaterThanOrEqual(0.995);
      expect(truePositives / truth.size, `${rule} recall`).toBeGreaterThanOrEqual(0.99);
    }
  });
});

describe('amounts at stake', () => {
  // As-of 2024-06-15 throughout; monthly benefits differ so each row is recognisable.
  const asOf = '2024-06-15';
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
    const { suspects } = await runComparison({ asOf, files: { insured: insured(), deaths } });
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
    const { suspects } = await runComparison({ asOf, files: { insured: insured(), prison } });
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
    const { suspects } = await runComparison({ asOf, files: { insured: insuredFile } });
    const duplicates = byRule(suspects, 'DUPLICATE_BENEFIT');
    expect(duplicates).toHaveLength(1);
    expect(duplicates[0]).toMatchObject({ idNumber: '130503196704010016', recordKey: 'insured:2;insured:3', amountAtStakeCents: 4 * 100_000 });
  });
});

describe('bad rows and encodings', () => {
  it('reports each bad row with its line and reason and still raises the good rows', async () => {
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
    const out = path.join(dir, 'bad-out');
    await runComparisonToDirectory({ asOf: '2024-06-15', files: { insured: insuredFile, deaths } }, out);
    const summary = JSON.parse(fs.readFileSync(path.join(out, 'summary.json'), 'utf8'));
    expect(summary.files.insured.rowsRead).toBe(6);
    expect(summary.files.insured.rejected).toEqual([
      { rowNumber: 3, reason: 'id_number is missing' },
      { rowNumber: 4, reason: 'monthly_benefit "一千" is not an amount' },
      { rowNumber: 5, reason: 'benefit_start_date "2010-13-45" is not a date (YYYY-MM-DD)' },
      { rowNumber: 6, reason: expect.stringMatching(/^wrong number of cells/) },
    ]);
    expect(summary.rules.DECEASED_DRAWING).toEqual({ suspects: 2, amountAtStake: '5500.00' });
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
    expect(utf8.suspects.length).toBeGreaterThan(5);
    expect(gb.suspects).toEqual(utf8.suspects);
  });
});

describe('minsheng compare CLI', () => {
  it('generates extracts and writes suspects.csv and summary.json with the documented columns', () => {
    const data = path.join(dir, 'cli-data');
    const out = path.join(dir, 'cli-out');
    const run = (...args: string[]) => spawnSync(process.execPath, [BIN, 'compare', ...args], { encoding: 'utf8', timeout: 120_000 });
    const generated = run('generate', '--insured', '2000', '--out', data, '--seed', '3');
    expect(generated.status, generated.stderr).toBe(0);
    const result = run('run', '--as-of', '2024-06-15', '--insured', path.join(data, 'insured.csv'), '--deaths', path.join(data, 'deaths.csv'), '--prison', path.join(data, 'prison.csv'), '--out', out);
    expect(result.status, result.stderr).toBe(0);
    const lines = fs.readFileSync(path.join(out, 'suspects.csv'), 'utf8').replace(/^\uFEFF/u, '').trim().split('\r\n');
    expect(lines[0]).toBe(SUSPECT_CSV_HEADER.join(','));
    expect(lines.length).toBeGreaterThan(2);
    expect(lines[1]).toMatch(/^(DECEASED_DRAWING|IMPRISONED_DRAWING|DUPLICATE_BENEFIT),\d{17}[\dX],[^,]+,insured[^,]*,insured:\d+[^,]*,exact,1,\d+\.\d{2},"\{/u);
    const summary = JSON.parse(fs.readFileSync(path.join(out, 'summary.json'), 'utf8'));
    expect(Object.keys(summary.rules).sort()).toEqual([...RULE_CODES].sort());
    expect(summary.files.insured.rowsRead).toBeGreaterThanOrEqual(2000);
    expect(summary.timingsMs).toHaveProperty('load_insured');
  });
});

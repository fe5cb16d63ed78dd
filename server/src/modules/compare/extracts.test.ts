import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { residentIdCheckCharacter } from '../../platform/identity/index.ts';
import { loadExtract, prepareComparisonDatabase } from './extracts.ts';

describe('loadExtract row numbers', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'minsheng-extract-rows-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('numbers every row of a large CSV by its line in the file, on several threads, every time, whatever order setting the connection was left with', async () => {
    // Each row's monthly benefit is its own line number, so a row numbered wrongly shows at once.
    const rows = 600_000;
    const file = path.join(dir, 'insured.csv');
    const lines = ['id_number,name,gender,birth_date,region_code,insurance_type,status,monthly_benefit,benefit_start_date'];
    for (let line = 2; line <= rows + 1; line++) {
      const first17 = `50010119900101${String(line % 1000).padStart(3, '0')}`;
      lines.push(`${first17}${residentIdCheckCharacter(first17)},张三,${line % 2 === 1 ? '男' : '女'},1990-01-01,500101,城乡居民基本养老保险,参保缴费,${line},`);
    }
    fs.writeFileSync(file, `${lines.join('\n')}\n`);
    const instance = await DuckDBInstance.create(':memory:', { threads: '2' });
    const connection = await instance.connect();
    try {
      await prepareComparisonDatabase(connection);
      for (let run = 0; run < 2; run++) {
        // A run leaves the connection free to reorder rows once its extracts are loaded.
        if (run === 1) await connection.run('SET preserve_insertion_order = false');
        await loadExtract(connection, 'insured', file, dir);
        const [counts] = (
          await connection.runAndReadAll(`SELECT CAST(count(*) AS INTEGER) AS n, CAST(count(*) FILTER (WHERE monthly_benefit_cents <> row_number * 100) AS INTEGER) AS misnumbered FROM insured`)
        ).getRowObjectsJson();
        expect(counts).toEqual({ n: rows, misnumbered: 0 });
      }
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  }, 60_000);
});

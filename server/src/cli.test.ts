import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from './platform/db/database.ts';

const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../bin/minsheng.js');

describe('minsheng CLI', () => {
  let dataDir: string;
  const run = (...args: string[]) =>
    spawnSync(process.execPath, [BIN, ...args], { env: { ...process.env, MINSHENG_DATA_DIR: dataDir, DATABASE_URL: '' }, encoding: 'utf8', timeout: 120_000 });

  beforeAll(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'minsheng-cli-'));
  });
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('says why an ID number is invalid and exits 1', () => {
    const result = run('id', 'check', '11010519491231002Y');
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/invalid/i);
  });

  it('accepts a valid ID number, upgraded from 15 digits', () => {
    const result = run('id', 'check', '130503670401001');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('130503196704010016');
  });

  it('imports a file and verifies the audit trail, then detects an entry changed by SQL', async () => {
    const csv = path.join(dataDir, 'orgs.csv');
    fs.writeFileSync(csv, 'kind,name,credit_code,place_code\nenterprise,测试企业,91350100M000100Y43,500000\n');
    expect(run('migrate').status).toBe(0);
    const handle = await openDatabase({ kind: 'pglite', dataDir: path.join(dataDir, 'pgdata') });
    await handle.db.insertInto('places').values({ code: '500000', name: '重庆市', level: 'city', path: '500000' }).execute();
    await handle.close();

    const imported = run('import', 'organisations', csv);
    expect(imported.status, imported.stderr).toBe(0);
    expect(JSON.parse(imported.stdout.trim().split('\n').pop()!)).toMatchObject({ status: 'completed', inserted: 1, failed: 0 });

    const intact = run('audit', 'verify');
    expect(intact.status, intact.stderr).toBe(0);
    expect(intact.stdout).toMatch(/audit trail intact: \d+ entries/);

    const tamper = await openDatabase({ kind: 'pglite', dataDir: path.join(dataDir, 'pgdata') });
    await sql`UPDATE audit_log SET actor_name = 'someone-else' WHERE id = (SELECT min(id) FROM audit_log)`.execute(tamper.db);
    await tamper.close();

    const broken = run('audit', 'verify');
    expect(broken.status).toBe(1);
    expect(broken.stdout).toMatch(/audit trail BROKEN: 1 problem/);
    expect(broken.stdout).toMatch(/entry \d+: hash mismatch/);
  });
});

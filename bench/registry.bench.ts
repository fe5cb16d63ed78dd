/**
 * Registry benchmark: import of N residents from CSV (rows/s) on PGlite and PostgreSQL, next to a
 * bare multi-row INSERT of the same rows into an unindexed table on the same engine, then resident
 * search latency (p50/p95/p99 through the HTTP API) on the imported population.
 *
 *   node bench/registry.bench.ts [--persons 1000000] [--engines pglite,postgresql] [--searches 2000]
 *
 * PostgreSQL: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test); a scratch
 * database minsheng_bench is created and dropped.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { percentile, scratchDatabase } from './support.ts';
import { buildApp } from '../server/src/app.ts';
import { loadConfig } from '../server/src/platform/config.ts';
import { FieldCipher } from '../server/src/platform/crypto/field-cipher.ts';
import { openDatabase, type DatabaseHandle } from '../server/src/platform/db/database.ts';
import { prepareAll } from '../server/src/prepare-all.ts';
import { createUser, systemPrincipal } from '../server/src/platform/auth/index.ts';
import { openTabularFile } from '../server/src/platform/imports/index.ts';
import type { AppServices } from '../server/src/platform/http/context.ts';
import { JobRunner } from '../server/src/platform/jobs/index.ts';
import { describeFile, startImport } from '../server/src/modules/imports/index.ts';
import { seedDemoPlaces, writeDemoCsv } from '../server/src/demo-seed.ts';

const { values: args } = parseArgs({
  options: {
    persons: { type: 'string', default: '1000000' },
    engines: { type: 'string', default: 'pglite,postgresql' },
    searches: { type: 'string', default: '2000' },
  },
});
const persons = Number(args.persons);
const searches = Number(args.searches);
const csvDir = path.join(os.tmpdir(), `minsheng-bench-${persons}`);


async function ensureCsv(): Promise<string> {
  const file = path.join(csvDir, 'residents.csv');
  if (!fs.existsSync(file)) await writeDemoCsv(csvDir, { persons, seed: 2024, log: () => undefined });
  return file;
}

async function openEngine(engine: string): Promise<{ handle: DatabaseHandle; cleanup: () => Promise<void> }> {
  if (engine === 'pglite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'minsheng-bench-pglite-'));
    const handle = await openDatabase({ kind: 'pglite', dataDir: dir });
    return { handle, cleanup: async () => { await handle.close(); fs.rmSync(dir, { recursive: true, force: true }); } };
  }
  const database = scratchDatabase('minsheng_bench');
  await database.create();
  const handle = await openDatabase({ kind: 'postgresql', url: database.url });
  return {
    handle,
    cleanup: async () => {
      await handle.close();
      await database.drop();
    },
  };
}

/** The raw engine: the same CSV rows, parsed the same way, INSERTed 1,000 at a time into an unindexed table. */
async function bareInsert(handle: DatabaseHandle, file: string): Promise<number> {
  await sql`CREATE TABLE bench_raw (id_number text, name text, phone text, address text, place_code text, household_number text, relation text, ethnicity text, tags text)`.execute(handle.db);
  const table = await openTabularFile({ path: file }, 'residents.csv');
  const started = performance.now();
  let batch: Array<Record<string, string>> = [];
  let rows = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    const values = batch.map((v) => sql`(${v.id_number}, ${v.name}, ${v.phone}, ${v.address}, ${v.place_code}, ${v.household_number}, ${v.relation_to_head}, ${v.ethnicity}, ${v.tags})`);
    await sql`INSERT INTO bench_raw VALUES ${sql.join(values)}`.execute(handle.db);
    rows += batch.length;
    batch = [];
  };
  for await (const row of table.rows) {
    batch.push(row.values);
    if (batch.length === 1000) await flush();
  }
  await flush();
  const seconds = (performance.now() - started) / 1000;
  await sql`DROP TABLE bench_raw`.execute(handle.db);
  return rows / seconds;
}

/**
 * CPU time (ms) of every PostgreSQL process on this machine, from /proc: with the server local, the
 * import's cost on the database side, per row, next to Node's. Null where /proc is not there.
 */
function postgresCpuMs(): number | null {
  if (!fs.existsSync('/proc/self/stat')) return null;
  const ticksPerMs = 100 / 1000; // USER_HZ is 100 on Linux
  let ticks = 0;
  for (const pid of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      if (!fs.readFileSync(`/proc/${pid}/comm`, 'utf8').startsWith('postgres')) continue;
      // Fields after the command name: utime and stime are the 12th and 13th.
      const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // The process ended between listing and reading.
    }
  }
  return ticks / ticksPerMs;
}

async function searchLatency(services: AppServices): Promise<Record<string, { p50: number; p95: number; p99: number }>> {
  const app = await buildApp(services);
  await createUser(services.db, { userId: null, name: 'bench', ip: null }, { username: 'bench', displayName: 'bench', password: 'Bench-password-1', roleCodes: ['administrator'], scopePath: '', organisationId: null });
  const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'bench', password: 'Bench-password-1' } });
  const cookie = login.headers['set-cookie']!.toString().split(';')[0]!;
  const sample = await services.db.selectFrom('residents').select(['name', 'id_number_enc', 'phone_enc', 'place_path']).where(sql<boolean>`id % 97 = 0`).limit(searches).execute();
  const kinds: Record<string, (i: number) => string> = {
    'name prefix (2 chars)': (i) => `/api/residents?q=${encodeURIComponent(Array.from(sample[i % sample.length]!.name).slice(0, 2).join(''))}`,
    'full ID number': (i) => `/api/residents?q=${services.cipher.decrypt(sample[i % sample.length]!.id_number_enc)}`,
    'surname within a community': (i) => {
      const r = sample[i % sample.length]!;
      return `/api/residents?q=${encodeURIComponent(Array.from(r.name)[0]!)}&placeId=__PLACE__${r.place_path.split('.').slice(0, 4).join('.')}`;
    },
  };
  const placeIds = new Map((await services.db.selectFrom('places').select(['id', 'path']).where('level', '=', 'community').execute()).map((p) => [p.path, p.id]));
  const results: Record<string, { p50: number; p95: number; p99: number }> = {};
  for (const [label, urlOf] of Object.entries(kinds)) {
    const times: number[] = [];
    for (let i = 0; i < searches; i++) {
      const url = urlOf(i).replace(/__PLACE__([0-9.]+)/, (_, p: string) => String(placeIds.get(p)));
      const t0 = performance.now();
      const response = await app.inject({ url, headers: { cookie } });
      times.push(performance.now() - t0);
      if (response.statusCode !== 200) throw new Error(`${url}: ${response.statusCode} ${response.body}`);
    }
    times.sort((a, b) => a - b);
    results[label] = { p50: percentile(times, 50), p95: percentile(times, 95), p99: percentile(times, 99) };
  }
  await app.close();
  return results;
}

const file = await ensureCsv();
const report: Record<string, unknown> = { persons, cpus: os.cpus()[0]?.model, cores: os.cpus().length, memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version };
for (const engine of args.engines.split(',')) {
  const { handle, cleanup } = await openEngine(engine);
  try {
    await prepareAll(handle.db);
    const bare = await bareInsert(handle, file);
    const jobs = await JobRunner.start(handle, [], { isWorking: false });
    const services: AppServices = { db: handle.db, databaseKind: handle.kind, cipher: new FieldCipher(new Uint8Array(32).fill(1)), config: loadConfig({}), jobs };
    await seedDemoPlaces(services, { seed: 2024 });
    const upload = await describeFile(file);
    const [nodeBefore, postgresBefore] = [process.cpuUsage(), postgresCpuMs()];
    const started = performance.now();
    const { completion } = await startImport(services, systemPrincipal('bench'), 'residents', upload);
    const summary = await completion;
    const seconds = (performance.now() - started) / 1000;
    const node = process.cpuUsage(nodeBefore);
    const cpu = {
      nodeCpuUsPerRow: Number(((node.user + node.system) / persons).toFixed(1)),
      postgresCpuUsPerRow: engine === 'postgresql' && postgresBefore !== null ? Number((((postgresCpuMs()! - postgresBefore) * 1000) / persons).toFixed(1)) : undefined,
    };
    if (summary.status !== 'completed' || summary.inserted !== persons) throw new Error(`import did not complete: ${JSON.stringify(summary)}`);
    await sql`ANALYZE`.execute(handle.db);
    const search = await searchLatency(services);
    report[engine] = { importRowsPerSecond: Math.round(persons / seconds), importSeconds: Number(seconds.toFixed(1)), bareInsertRowsPerSecond: Math.round(bare), ...cpu, searchMs: search };
    console.error(engine, JSON.stringify(report[engine]));
    await jobs.stop();
  } finally {
    await cleanup();
  }
}
fs.mkdirSync(path.join(import.meta.dirname, 'results'), { recursive: true });
fs.writeFileSync(path.join(import.meta.dirname, 'results', `registry-${persons}.json`), JSON.stringify(report, null, 2));
console.log(JSON.stringify(report));

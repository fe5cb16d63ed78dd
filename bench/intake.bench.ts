/**
 * Intake benchmark: sustained Open311 POSTs (validation, grid lookup, triage, matter with its
 * deadline jobs and audit, all in one transaction) against the server on PostgreSQL, reported as
 * requests/s and latency percentiles, next to the raw single-row INSERT rate of the same
 * PostgreSQL in the same run.
 *
 *   node bench/intake.bench.ts [--seconds 20] [--clients 16] [--load wrk|node]
 *
 * The server runs in this process (Fastify on loopback). The load comes from `wrk` (Debian's
 * package) in its own process when it is installed, so the server's one thread serves requests
 * only; `--load node` (or no wrk) sends them from this process with fetch instead.
 * BENCH_DATABASE_URL names the server (default postgres://postgres@127.0.0.1:5432/test); a scratch
 * database is created and dropped.
 */
import { execFile, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { percentile, scratchDatabase } from './support.ts';
import { buildApp, jobDefinitions } from '../server/src/app.ts';
import { loadConfig } from '../server/src/platform/config.ts';
import { FieldCipher } from '../server/src/platform/crypto/field-cipher.ts';
import { openDatabase } from '../server/src/platform/db/database.ts';
import { createApiKey, createUser, systemPrincipal } from '../server/src/platform/auth/index.ts';
import type { AppServices } from '../server/src/platform/http/context.ts';
import { JobRunner } from '../server/src/platform/jobs/index.ts';
import { prepareAll } from '../server/src/prepare-all.ts';
import { seedDemoPlaces } from '../server/src/demo-seed.ts';

const { values: args } = parseArgs({
  options: { seconds: { type: 'string', default: '20' }, clients: { type: 'string', default: '16' }, load: { type: 'string', default: hasWrk() ? 'wrk' : 'node' } },
});
const seconds = Number(args.seconds);
const clients = Number(args.clients);
const database = scratchDatabase('minsheng_bench_intake');


function hasWrk(): boolean {
  return spawnSync('wrk', ['--version']).error === undefined;
}

/**
 * Sustained POSTs from wrk: each request a different point and description (a Lua script builds
 * the form), latency percentiles from wrk's own histogram, and the count of 201 answers.
 */
async function loadWithWrk(address: string, apiKey: string): Promise<{ perSecond: number; p50: number; p99: number; failures: number }> {
  const script = path.join(os.tmpdir(), `minsheng-intake-${process.pid}.lua`);
  fs.writeFileSync(
    script,
    `local n = 0
request = function()
  n = n + 1
  local body = "api_key=${apiKey}&jurisdiction_id=500106&service_code=event.litter&attribute%5Bvolume%5D=small" ..
    "&lat=" .. (29.54 + (n % 50) * 0.0004) .. "&long=" .. (106.45 + ((n * 7) % 50) * 0.0004) .. "&description=wrk%20" .. n
  return wrk.format("POST", "/open311/v2/requests.json", { ["Content-Type"] = "application/x-www-form-urlencoded" }, body)
end
done = function(summary, latency)
  io.write(string.format("RESULT %d %d %f %f\\n", summary.requests, summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout, latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
`,
  );
  // Asynchronously: the server answering wrk runs on this process's event loop.
  const run = await promisify(execFile)('wrk', ['-t', '2', '-c', String(clients), '-d', `${seconds}s`, '--latency', '-s', script, address], { encoding: 'utf8' });
  fs.rmSync(script, { force: true });
  const match = /RESULT (\d+) (\d+) ([\d.]+) ([\d.]+)/.exec(run.stdout);
  if (!match) throw new Error(`wrk failed: ${run.stderr || run.stdout}`);
  const [requests, failures] = [Number(match[1]), Number(match[2])];
  return { perSecond: Math.round((requests - failures) / seconds), p50: Number(match[3]), p99: Number(match[4]), failures };
}


/** Runs `clients` loops of `once` for the duration; returns completed count and latencies. */
async function load(once: (client: number, i: number) => Promise<boolean>) {
  const latencies: number[] = [];
  let failures = 0;
  const end = Date.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: clients }, async (_, client) => {
      for (let i = 0; Date.now() < end; i++) {
        const t0 = performance.now();
        if (await once(client, i)) latencies.push(performance.now() - t0);
        else failures += 1;
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  return { perSecond: Math.round(latencies.length / seconds), p50: percentile(latencies, 50), p99: percentile(latencies, 99), failures };
}

await database.create();
const handle = await openDatabase({ kind: 'postgresql', url: database.url, maxConnections: 20 });
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'minsheng-bench-intake-'));
try {
  await prepareAll(handle.db);
  const ref: { services?: AppServices } = {};
  const jobs = await JobRunner.start(handle, jobDefinitions(() => ref.services!), { isWorking: false });
  const services: AppServices = { db: handle.db, databaseKind: 'postgresql', cipher: new FieldCipher(new Uint8Array(32).fill(2)), config: { ...loadConfig({}), dataDir }, jobs };
  ref.services = services;
  await seedDemoPlaces(services, { seed: 2024 });
  const userId = await createUser(handle.db, { userId: null, name: 'bench', ip: null }, { username: 'intake', displayName: 'intake', password: 'Bench-password-1', roleCodes: ['administrator'], scopePath: '', organisationId: null });
  const { apiKey } = await createApiKey(handle.db, systemPrincipal('bench'), { userId, name: 'bench' });
  const app = await buildApp(services);
  const address = await app.listen({ port: 0, host: '127.0.0.1' });

  // Baseline: the same PostgreSQL taking single-row INSERTs from as many clients, one transaction each.
  await handle.db.schema.createTable('bench_raw').addColumn('id', 'bigserial').addColumn('title', 'text').addColumn('lon', 'float8').addColumn('lat', 'float8').execute();
  const raw = await load(async (client, i) => {
    await handle.pool!.query('INSERT INTO bench_raw (title, lon, lat) VALUES ($1, $2, $3)', [`raw ${client}-${i}`, 106.5, 29.55]);
    return true;
  });

  const intake = args.load === 'wrk' ? await loadWithWrk(address, apiKey) : await load(async (client, i) => {
    const form = new URLSearchParams({
      api_key: apiKey,
      jurisdiction_id: '500106',
      service_code: 'event.litter',
      lat: String(29.54 + ((client * 7 + i) % 50) * 0.0004),
      long: String(106.45 + ((client * 3 + i) % 50) * 0.0004),
      'attribute[volume]': 'small',
      description: `压测诉求 ${client}-${i}`,
    });
    const response = await fetch(`${address}/open311/v2/requests.json`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString() });
    await response.arrayBuffer();
    return response.status === 201;
  });
  const report = { benchmark: 'intake', load: args.load, node: process.version, cores: os.cpus().length, seconds, clients, open311Post: intake, rawSingleRowInsert: raw };
  console.log(JSON.stringify(report));
  await app.close();
  await jobs.stop();
} finally {
  await handle.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
  await database.drop();
}

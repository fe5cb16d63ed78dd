/**
 * KPI dashboard benchmark: the requests the KPI page makes (ranking by category, by organisation,
 * by community and by grid, and the monthly trend, over a year) against 10,000,000 matters on
 * PostgreSQL, through the HTTP API, for the whole city and for one district; next to the raw
 * engine answering the same ranking by aggregating the per-matter facts directly.
 *
 *   node bench/kpi-dashboard.bench.ts [--matters 10000000] [--rounds 20]
 *
 * The per-matter KPI facts (what the refresher derives from each matter's timeline) are generated
 * by SQL over the demo city's micro-grids, categories and departments, with a plausible mix of
 * response, closure and callback outcomes; the matters and timelines themselves are not generated
 * (10 M matters with ~60 M events would take hours here), so the foreign key from the facts to
 * `matters` is dropped in the scratch database. The monthly rollups are then built from the facts
 * by `rebuildKpiRollups`, the same fold the refresher applies incrementally.
 * BENCH_DATABASE_URL names the server (default postgres://postgres@127.0.0.1:5432/test).
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { percentile, scratchDatabase } from './support.ts';
import { buildApp } from '../server/src/app.ts';
import { loadConfig } from '../server/src/platform/config.ts';
import { FieldCipher } from '../server/src/platform/crypto/field-cipher.ts';
import { openDatabase } from '../server/src/platform/db/database.ts';
import { createUser } from '../server/src/platform/auth/index.ts';
import type { AppServices } from '../server/src/platform/http/context.ts';
import { JobRunner } from '../server/src/platform/jobs/index.ts';
import { prepareAll } from '../server/src/prepare-all.ts';
import { generateCity, generateOrganisations, seedOrganisations, seedPlaces } from '../server/src/modules/demo/index.ts';
import { rebuildKpiRollups } from '../server/src/modules/appeals/kpi.repository.ts';

const { values: args } = parseArgs({ options: { matters: { type: 'string', default: '10000000' }, rounds: { type: 'string', default: '20' } } });
const matters = Number(args.matters);
const rounds = Number(args.rounds);
const database = scratchDatabase('minsheng_bench_kpi');



async function timed(label: string, run: () => Promise<unknown>) {
  const t0 = performance.now();
  await run();
  const ms = performance.now() - t0;
  console.error(`${label}: ${(ms / 1000).toFixed(1)} s`);
  return ms;
}

await database.create();
const handle = await openDatabase({ kind: 'postgresql', url: database.url });
try {
  await prepareAll(handle.db);
  const jobs = await JobRunner.start(handle, [], { isWorking: false });
  const services: AppServices = { db: handle.db, databaseKind: 'postgresql', cipher: new FieldCipher(new Uint8Array(32).fill(3)), config: loadConfig({}), jobs };
  const city = generateCity({ seed: 2024 });
  await seedPlaces(handle.db, city.places);
  await seedOrganisations(handle.db, generateOrganisations({ seed: 2024, places: city.places }), services.cipher);
  const db = handle.db;

  // A year of facts to 2026-11-01 (China time): skewed over grids and categories, 90 % answered
  // within the first step, 85 % closed, 5 % escalated, 60 % called back, 88 % of those satisfied.
  const generation = await timed(`generating ${matters.toLocaleString()} matters' KPI facts`, async () => {
    await sql`ALTER TABLE appeal_kpi_facts DROP CONSTRAINT appeal_kpi_facts_matter_id_fkey`.execute(db);
    await sql`CREATE TABLE bench_grids AS SELECT (row_number() OVER (ORDER BY path)) - 1 AS n, path FROM places WHERE level = 'microgrid'`.execute(db);
    await sql`CREATE TABLE bench_categories AS SELECT (row_number() OVER (ORDER BY code)) - 1 AS n, code FROM appeal_categories c WHERE NOT EXISTS (SELECT 1 FROM appeal_categories k WHERE k.parent_code = c.code)`.execute(db);
    // A department handles matters of its own district: departments are numbered within each district.
    await sql`
      CREATE TABLE bench_handlers AS
      SELECT subpath(scope_path, 0, 2) AS district, (row_number() OVER (PARTITION BY subpath(scope_path, 0, 2) ORDER BY id)) - 1 AS n, id::text AS key
      FROM organisations WHERE kind = 'department'`.execute(db);
    await sql`
      INSERT INTO appeal_kpi_facts (matter_id, created_at, month, place_path, category_code, handler_key, first_due, first_response_at, first_closed_at, was_escalated, last_callback, last_solved)
      SELECT s.i, s.created_at, date_trunc('month', s.created_at AT TIME ZONE 'Asia/Shanghai')::date, g.path, c.code,
        CASE WHEN s.r1 < 0.35 THEN h.key WHEN s.r1 < 0.8 THEN 'community' ELSE 'grid' END,
        s.created_at + interval '2 hours',
        CASE WHEN s.r2 < 0.97 THEN s.created_at + (s.r2 * interval '2 hours 15 minutes') END,
        CASE WHEN s.r3 < 0.85 THEN s.created_at + (s.r3 * interval '9 days') END,
        s.r4 < 0.05,
        CASE WHEN s.r3 < 0.85 AND s.r4 < 0.6 THEN CASE WHEN s.r5 < 0.88 THEN 'callback_satisfied' ELSE 'callback_unsatisfied' END END,
        CASE WHEN s.r3 < 0.85 AND s.r4 < 0.6 THEN s.r5 < 0.92 END
      FROM (
        SELECT i, timestamptz '2025-11-01 00:00+08' + random() * interval '365 days' AS created_at,
          floor(power(random(), 2) * (SELECT count(*) FROM bench_grids))::bigint AS gn,
          floor(power(random(), 3) * (SELECT count(*) FROM bench_categories))::bigint AS cn,
          floor(random() * (SELECT min(c) FROM (SELECT count(*) AS c FROM bench_handlers GROUP BY district) d))::bigint AS hn,
          random() AS r1, random() AS r2, random() AS r3, random() AS r4, random() AS r5
        FROM generate_series(1, ${matters}) AS i
      ) s
      JOIN bench_grids g ON g.n = s.gn
      JOIN bench_categories c ON c.n = s.cn
      JOIN bench_handlers h ON h.district = subpath(g.path, 0, 2) AND h.n = s.hn`.execute(db);
    await sql`DROP TABLE bench_grids, bench_categories, bench_handlers`.execute(db);
    await sql`ANALYZE appeal_kpi_facts`.execute(db);
  });
  const rollup = await timed('building the monthly rollups from the facts', async () => {
    await db.transaction().execute((trx) => rebuildKpiRollups(trx));
    await sql`ANALYZE appeal_kpi_monthly`.execute(db);
  });
  const rollupRows = Number((await sql<{ n: number }>`SELECT count(*)::int AS n FROM appeal_kpi_monthly`.execute(db)).rows[0]!.n);
  const facts = Number((await sql<{ n: number }>`SELECT count(*)::int AS n FROM appeal_kpi_facts`.execute(db)).rows[0]!.n);

  const district = (await sql<{ path: string }>`SELECT path::text AS path FROM places WHERE level = 'district' ORDER BY path LIMIT 1`.execute(db)).rows[0]!.path;
  const app = await buildApp(services);
  const sessions: Record<string, string> = {};
  for (const [name, scopePath] of [['city', ''], ['district', district]] as const) {
    await createUser(db, { userId: null, name: 'bench', ip: null }, { username: `kpi-${name}`, displayName: name, password: 'Bench-password-1', roleCodes: ['administrator'], scopePath, organisationId: null });
    const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: `kpi-${name}`, password: 'Bench-password-1' } });
    sessions[name] = login.headers['set-cookie']!.toString().split(';')[0]!;
  }
  const period = `from=${encodeURIComponent('2025-11-01T00:00:00+08:00')}&to=${encodeURIComponent('2026-11-01T00:00:00+08:00')}`;
  const requests = {
    'by category': `/api/appeals/kpis?${period}&dimension=category`,
    'by organisation': `/api/appeals/kpis?${period}&dimension=organisation`,
    'by community': `/api/appeals/kpis?${period}&dimension=place&placeDepth=4`,
    'by grid': `/api/appeals/kpis?${period}&dimension=place&placeDepth=5`,
    'monthly trend': `/api/appeals/kpis?${period}&dimension=month`,
  };
  const results: Record<string, Record<string, { p50: number; p95: number; rows: number }>> = {};
  for (const [scope, cookie] of Object.entries(sessions)) {
    results[scope] = {};
    for (const [label, path] of Object.entries(requests)) {
      const times: number[] = [];
      let rows = 0;
      for (let i = 0; i < rounds + 2; i++) {
        const t0 = performance.now();
        const response = await app.inject({ url: path, headers: { cookie } });
        if (i >= 2) times.push(performance.now() - t0);
        if (response.statusCode !== 200) throw new Error(`${path}: ${response.statusCode} ${response.body}`);
        rows = (response.json() as { items: unknown[] }).items.length;
      }
      times.sort((a, b) => a - b);
      results[scope][label] = { p50: Number(percentile(times, 50).toFixed(1)), p95: Number(percentile(times, 95).toFixed(1)), rows };
    }
  }
  // The raw engine: the same category ranking aggregated straight from the 10 M facts.
  const raw: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    await sql`
      SELECT category_code, count(*), count(*) FILTER (WHERE first_response_at <= first_due), count(first_closed_at),
        count(*) FILTER (WHERE last_callback = 'callback_satisfied'), sum(extract(epoch FROM first_closed_at - created_at))
      FROM appeal_kpi_facts WHERE created_at >= '2025-11-01 00:00+08' AND created_at < '2026-11-01 00:00+08' GROUP BY 1`.execute(db);
    raw.push(performance.now() - t0);
  }
  raw.sort((a, b) => a - b);
  const report = {
    benchmark: 'kpi-dashboard',
    node: process.version,
    cores: os.cpus().length,
    facts,
    rollupRows,
    generationSeconds: Number((generation / 1000).toFixed(1)),
    rollupBuildSeconds: Number((rollup / 1000).toFixed(1)),
    apiMs: results,
    rawAggregateOverFactsMs: Number(raw[1]!.toFixed(0)),
  };
  console.log(JSON.stringify(report, null, 2));
  await app.close();
  await jobs.stop();
} finally {
  await handle.close();
  await database.drop();
}

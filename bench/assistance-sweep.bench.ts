/**
 * Monitoring sweep benchmark (issue #5, 主动发现): every active policy of the shipped catalogue
 * (57 policies of 15 departments) evaluated for every household of a city of N people, counted
 * per policy, with the households eligible for a benefit of a category they do not receive yet.
 * Target: the whole sweep of a 1,000,000-person city under 2 minutes on this machine.
 *
 *   node bench/assistance-sweep.bench.ts [--persons 1000000] [--workers 2] [--chunk-size 500] [--seed 2024]
 *     [--area 500000] [--year 2026] [--sample 20000] [--database-url postgres://user@host:5432/db]
 *
 * The catalogue is built as the application builds it: migrations load the shipped policies and
 * standards into PGlite (a temporary data directory), the demo city's places are seeded, and the
 * catalogue is compiled and the standards resolved for the area and year. With --database-url the
 * same happens in a scratch database created (and dropped) on that PostgreSQL server. Households
 * come from the deterministic generator (sweep.fixtures.ts), streamed: the city is never held in
 * memory. Baselines run in the same process on one thread over the same households, after the
 * sweep: the same number of evaluations of one trivial compiled CEL program
 * (`household.size > 0`) with cel-js, a plain JS loop reading the same prepared facts, and, on the
 * first --sample households, the explained evaluation (evaluateRules) next to the sweep's fast
 * path on one thread. Progress goes to stderr, the report (JSON) to stdout.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { openDatabase, type DatabaseHandle } from '../server/src/platform/db/database.ts';
import { prepareAll } from '../server/src/prepare-all.ts';
import { generateCity, seedPlaces } from '../server/src/modules/demo/index.ts';
import { compiledCatalogue, resolveParameters } from '../server/src/modules/assistance/catalogue.ts';
import { evaluateRules } from '../server/src/modules/assistance/evaluation.ts';
import { prepareHousehold, type HouseholdContext } from '../server/src/modules/assistance/facts.ts';
import { createRuleEnvironment } from '../server/src/modules/assistance/rules.ts';
import { planSweep, sweepCatalogueOf, sweepHouseholdOutcomes, sweepHouseholds, type SweepCatalogue } from '../server/src/modules/assistance/sweep.ts';
import { generateHouseholds } from '../server/src/modules/assistance/sweep.fixtures.ts';

const { values: args } = parseArgs({
  options: {
    persons: { type: 'string', default: '1000000' },
    workers: { type: 'string', default: String(os.availableParallelism()) },
    'chunk-size': { type: 'string', default: '500' },
    seed: { type: 'string', default: '2024' },
    area: { type: 'string', default: '500000' },
    year: { type: 'string', default: '2026' },
    sample: { type: 'string', default: '20000' },
    'database-url': { type: 'string' },
  },
});
const persons = Number(args.persons);
const workers = Number(args.workers);
const chunkSize = Number(args['chunk-size']);
const seed = Number(args.seed);
const year = Number(args.year);
const sampleSize = Number(args.sample);
for (const [name, value] of Object.entries({ persons, workers, chunkSize, seed, year, sampleSize })) {
  if (!Number.isInteger(value) || value < 0) throw new Error(`--${name} must be a whole number (参数 ${name} 必须是非负整数)`);
}

const seconds = (ms: number) => Number((ms / 1000).toFixed(2));
const gib = (bytes: number) => Number((bytes / 2 ** 30).toFixed(2));
const rate = (count: number, ms: number) => Math.round((count / ms) * 1000);

/** Peak resident set size of the process (worker threads included), sampled while a phase runs. */
function watchMemory(): { stop(): number } {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 100);
  return {
    stop() {
      clearInterval(timer);
      return Math.max(peak, process.memoryUsage.rss());
    },
  };
}

async function onServer(serverUrl: string, sqlText: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(sqlText);
  } finally {
    await client.end();
  }
}

/** PGlite in a temporary directory, or a scratch database on the PostgreSQL server of --database-url. */
async function openBenchDatabase(): Promise<{ handle: DatabaseHandle; engine: string; cleanup: () => Promise<void> }> {
  const serverUrl = args['database-url'];
  if (!serverUrl) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'minsheng-bench-sweep-'));
    const handle = await openDatabase({ kind: 'pglite', dataDir: dir });
    return { handle, engine: 'pglite', cleanup: async () => fs.rmSync(dir, { recursive: true, force: true }) };
  }
  const name = 'minsheng_bench_sweep';
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  await onServer(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await onServer(serverUrl, `CREATE DATABASE ${name}`);
  const handle = await openDatabase({ kind: 'postgresql', url: url.toString() });
  return { handle, engine: 'postgresql', cleanup: () => onServer(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

/** Builds the demo city's catalogue in the database and returns what the sweep needs. */
async function buildCatalogue(): Promise<{ catalogue: SweepCatalogue; engine: string; ms: number }> {
  const started = performance.now();
  const { handle, engine, cleanup } = await openBenchDatabase();
  try {
    await prepareAll(handle.db);
    await seedPlaces(handle.db, generateCity({ seed }).places);
    const compiled = await compiledCatalogue(handle.db);
    const resolved = await resolveParameters(handle.db, compiled.parameters, args.area, year);
    return { catalogue: sweepCatalogueOf(compiled, resolved.values), engine, ms: performance.now() - started };
  } finally {
    await handle.close();
    await cleanup();
  }
}

console.error(`building the catalogue (目录) …`);
const { catalogue, engine, ms: catalogueMs } = await buildCatalogue();
const policyCount = catalogue.policies.length;
console.error(`catalogue on ${engine}: ${policyCount} active policies, standards of ${catalogue.areaCode} in ${catalogue.year} (${seconds(catalogueMs)} s)`);

// The data source alone, so that the sweep's figure can be read without it.
const generationStarted = performance.now();
let households = 0;
for (const household of generateHouseholds({ persons, seed })) if (household.id) households += 1;
const generationMs = performance.now() - generationStarted;
console.error(`generator alone: ${households.toLocaleString('en-US')} households of ${persons.toLocaleString('en-US')} persons in ${seconds(generationMs)} s`);

console.error(`sweep (筛查) on ${workers} worker thread(s) …`);
const memory = watchMemory();
let nextReport = 0.1;
// CPU time of the whole process (all threads): against the wall time, how much of the cores the sweep got.
const cpuBefore = process.cpuUsage();
const loadBefore = os.loadavg()[0]!;
const sweepStarted = performance.now();
const result = await sweepHouseholds(catalogue, generateHouseholds({ persons, seed }), {
  workers,
  chunkSize,
  onProgress: (done) => {
    if (done >= households * nextReport) {
      console.error(`  ${Math.round((done / households) * 100)} % (${seconds(performance.now() - sweepStarted)} s)`);
      nextReport += 0.1;
    }
  },
});
const sweepMs = performance.now() - sweepStarted;
const sweepCpu = process.cpuUsage(cpuBefore);
const loadAfter = os.loadavg()[0]!;
const sweepPeak = memory.stop();
if (result.households !== households) throw new Error(`the sweep evaluated ${result.households} households of ${households} (筛查户数不符)`);
console.error(`sweep: ${seconds(sweepMs)} s, ${rate(result.households, sweepMs).toLocaleString('en-US')} households/s`);

// Baselines on this thread over the same households; only the loops themselves are timed.
console.error('baselines (基线) on one thread …');
const environment = createRuleEnvironment(catalogue.parameters, catalogue.categoryCodes);
const trivial = environment.env.parse('household.size > 0');
if (!trivial.check().valid) throw new Error('the trivial program does not check');
const plan = planSweep(catalogue);
const paramsCel = plan.params.cel;
const timings = { prepare: 0, trivialCel: 0, plainJs: 0, explained: 0, fastPath: 0 };
let trivialHeld = 0;
let plainHeld = 0;
let sampled = 0;
let explainedEligible = 0;
let fastEligible = 0;
let batch: HouseholdContext[] = [];
const runBatch = () => {
  let t = performance.now();
  for (const household of batch) {
    const context = { household: household.cel, params: paramsCel };
    for (let i = 0; i < policyCount; i++) if (trivial(context) === true) trivialHeld += 1;
  }
  timings.trivialCel += performance.now() - t;
  t = performance.now();
  for (const household of batch) {
    const facts = household.facts;
    for (let i = 0; i < policyCount; i++) if ((facts.size as number) > 0) plainHeld += 1;
  }
  timings.plainJs += performance.now() - t;
  const sample = batch.slice(0, Math.max(0, sampleSize - sampled));
  if (sample.length > 0) {
    t = performance.now();
    for (const household of sample) for (const policy of plan.policies) if (policy.compiled && evaluateRules(policy.compiled, household, plan.params).outcome === 'eligible') explainedEligible += 1;
    timings.explained += performance.now() - t;
    t = performance.now();
    for (const household of sample) for (const outcome of sweepHouseholdOutcomes(plan, household)) if (outcome.outcome === 'eligible') fastEligible += 1;
    timings.fastPath += performance.now() - t;
    sampled += sample.length;
  }
  batch = [];
};
for (const { facts } of generateHouseholds({ persons, seed })) {
  const t = performance.now();
  const prepared = prepareHousehold(facts);
  timings.prepare += performance.now() - t;
  if (!prepared.context) throw new Error('a generated household is not valid (生成的家庭数据无效)');
  batch.push(prepared.context);
  if (batch.length === 1000) runBatch();
}
runBatch();
const evaluations = households * policyCount;
if (trivialHeld !== evaluations || plainHeld !== evaluations) throw new Error('a baseline did not evaluate every household');
if (explainedEligible !== fastEligible) throw new Error(`on the sample, evaluateRules found ${explainedEligible} eligible and the fast path ${fastEligible} (结果不一致)`);

const totalErrors = result.policies.reduce((sum, p) => sum + p.error, 0);
const candidatesByPolicy = new Map<string, number>();
for (const candidate of result.candidates) candidatesByPolicy.set(candidate.policyCode, (candidatesByPolicy.get(candidate.policyCode) ?? 0) + 1);
const byEligible = [...result.policies].sort((a, b) => b.eligible - a.eligible);
const report = {
  benchmark: 'assistance-sweep',
  date: new Date().toISOString().slice(0, 10),
  machine: { cpu: os.cpus()[0]?.model, cores: os.availableParallelism(), memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version },
  database: engine,
  persons,
  households,
  meanHouseholdSize: Number((persons / households).toFixed(2)),
  policies: policyCount,
  area: catalogue.areaCode,
  year: catalogue.year,
  workers: result.workers,
  chunkSize,
  catalogueSeconds: seconds(catalogueMs),
  generatorAloneSeconds: seconds(generationMs),
  sweep: {
    wallSeconds: seconds(sweepMs),
    householdsPerSecond: rate(result.households, sweepMs),
    evaluationsPerSecond: rate(result.evaluations, sweepMs),
    evaluations: result.evaluations,
    errors: totalErrors,
    rejected: result.rejected.count,
    candidates: result.candidateCount,
    peakRssGiB: gib(sweepPeak),
    cpuSeconds: seconds((sweepCpu.user + sweepCpu.system) / 1000),
    // Other work on the machine shows here: 1-minute load average before and after the sweep.
    loadAverage: [Number(loadBefore.toFixed(2)), Number(loadAfter.toFixed(2))],
  },
  baselineOneThread: {
    trivialCel: { program: 'household.size > 0', evaluations, seconds: seconds(timings.trivialCel), evaluationsPerSecond: rate(evaluations, timings.trivialCel) },
    plainJs: { loop: 'facts.size > 0', evaluations, seconds: seconds(timings.plainJs), evaluationsPerSecond: rate(evaluations, timings.plainJs) },
    prepareHousehold: { households, seconds: seconds(timings.prepare), householdsPerSecond: rate(households, timings.prepare) },
    explainedEvaluateRules: { households: sampled, householdsPerSecond: rate(sampled, timings.explained), evaluationsPerSecond: rate(sampled * policyCount, timings.explained) },
    sweepFastPath: { households: sampled, householdsPerSecond: rate(sampled, timings.fastPath), evaluationsPerSecond: rate(sampled * policyCount, timings.fastPath) },
  },
  processPeakRssGiB: gib(process.resourceUsage().maxRSS * 1024),
  eligibleByPolicy: Object.fromEntries(byEligible.map((p) => [p.code, { eligible: p.eligible, candidates: candidatesByPolicy.get(p.code) ?? 0 }])),
  target: { wholeSweepUnderSeconds: 120, isMet: sweepMs < 120_000 },
};
console.log(JSON.stringify(report, null, 2));

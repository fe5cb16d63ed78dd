/**
 * 大数据比对 benchmark (issue #4): the comparison engine end to end from CSV files — 26,640,000
 * insured people against 300,000 deaths, 50,000 prisoners, 5,000,000 payroll rows and 1,000,000
 * hospital stays (plus the generator's assistance and business extracts) — with each stage's time,
 * and in the same run DuckDB alone doing the bare exact joins on the same files (read_csv and a join
 * on the ID as written, for each rule's pair of files), the ratio, and peak RSS. Target: the whole
 * run under 5 minutes, within 3× the bare joins, memory within 16 GB.
 *
 *   node bench/compare.bench.ts [--scale 1] [--data DIR] [--threads 2] [--memory-limit 12GB] [--seed 2024] [--fuzzy on|off]
 *
 * The files are generated once per scale and seed into DIR (default: a directory in the system temp
 * directory) by the engine's streaming generator, with its known truth, and reused by later runs;
 * precision and recall against that truth are printed too.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DuckDBInstance } from '@duckdb/node-api';
import { EXTRACT_KINDS, runComparisonToDirectory, writeExtractFiles, RULE_CODES, type ExtractKind } from '../server/src/modules/compare/index.ts';

const { values: args } = parseArgs({
  options: {
    scale: { type: 'string', default: '1' },
    data: { type: 'string' },
    threads: { type: 'string', default: '2' },
    'memory-limit': { type: 'string', default: '12GB' },
    seed: { type: 'string', default: '2024' },
    // `--fuzzy off` measures the run without the fuzzy linking stage (exact and repaired links only).
    fuzzy: { type: 'string', default: 'on' },
  },
});
const scale = Number(args.scale);
const seed = Number(args.seed);
const threads = Number(args.threads);
const memoryLimit = args['memory-limit'];
const sizes = {
  insured: Math.round(26_640_000 * scale),
  deaths: Math.round(300_000 * scale),
  prisoners: Math.round(50_000 * scale),
  payrollRows: Math.round(5_000_000 * scale),
  hospitalRows: Math.round(1_000_000 * scale),
};
const dataDir = args.data ?? path.join(os.tmpdir(), `minsheng-compare-bench-${scale}-${seed}`);

/** Peak resident set size, sampled while a phase runs (DuckDB works on its own threads, so the event loop is free). */
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

const gib = (bytes: number) => Number((bytes / 2 ** 30).toFixed(2));
const seconds = (ms: number) => Number((ms / 1000).toFixed(1));

async function ensureFiles(): Promise<{ files: Record<ExtractKind, string>; truth: string; generationMs: number | null }> {
  const marker = path.join(dataDir, 'done.json');
  const wanted = JSON.stringify({ sizes, seed });
  const files = Object.fromEntries(EXTRACT_KINDS.map((kind) => [kind, path.join(dataDir, `${kind}.csv`)])) as Record<ExtractKind, string>;
  const truth = path.join(dataDir, 'truth.csv');
  if (fs.existsSync(marker) && fs.readFileSync(marker, 'utf8') === wanted) return { files, truth, generationMs: null };
  const started = performance.now();
  console.error(`generating ${sizes.insured.toLocaleString()} insured people and the other extracts into ${dataDir} …`);
  const { rows } = await writeExtractFiles(dataDir, { ...sizes, seed });
  const generationMs = performance.now() - started;
  console.error(`generated in ${seconds(generationMs)} s: ${JSON.stringify(rows)}`);
  fs.writeFileSync(marker, wanted);
  return { files, truth, generationMs };
}

/** DuckDB alone: read the two CSV files of each rule and join them on the ID as written, nothing else. */
async function bareJoins(files: Record<ExtractKind, string>): Promise<Record<string, number>> {
  const instance = await DuckDBInstance.create(':memory:', {
    threads: String(threads),
    memory_limit: memoryLimit,
    temp_directory: path.join(dataDir, 'bare-spill'),
    preserve_insertion_order: 'false',
  });
  const connection = await instance.connect();
  const csv = (kind: ExtractKind) => `read_csv('${files[kind]}', header = true, all_varchar = true)`;
  const joins: Record<string, string> = {
    DECEASED_DRAWING: `SELECT count(*) FROM ${csv('insured')} i JOIN ${csv('deaths')} d ON d.id_number = i.id_number`,
    IMPRISONED_DRAWING: `SELECT count(*) FROM ${csv('insured')} i JOIN ${csv('prison')} p ON p.id_number = i.id_number`,
    DUPLICATE_BENEFIT: `SELECT count(*) FROM (SELECT id_number FROM ${csv('insured')} GROUP BY id_number HAVING count(*) > 1)`,
    UNINSURED_EMPLOYED: `SELECT count(*) FROM ${csv('payroll')} p ANTI JOIN ${csv('insured')} i ON i.id_number = p.id_number`,
    ASSISTANCE_WITH_BUSINESS: `SELECT count(*) FROM ${csv('assistance')} a JOIN ${csv('business')} b ON b.legal_rep_id_number = a.id_number`,
    ILLNESS_POVERTY_RISK: `SELECT count(*) FROM ${csv('hospital')} h JOIN ${csv('assistance')} a ON a.id_number = h.id_number`,
  };
  const timings: Record<string, number> = {};
  try {
    for (const [rule, query] of Object.entries(joins)) {
      const started = performance.now();
      await connection.runAndReadAll(query);
      timings[rule] = Math.round(performance.now() - started);
      console.error(`bare join for ${rule}: ${seconds(timings[rule])} s`);
    }
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
  return timings;
}

/** Precision and recall per rule against truth.csv (distinct people). */
function scoreAgainstTruth(truthFile: string, suspectsFile: string): Record<string, { truth: number; found: number; precision: number; recall: number }> {
  const truth = new Map<string, Set<string>>();
  for (const line of fs.readFileSync(truthFile, 'utf8').split('\r\n').slice(1)) {
    const [rule, id] = line.split(',');
    if (rule && id) truth.set(rule, (truth.get(rule) ?? new Set()).add(id));
  }
  const found = new Map<string, Set<string>>();
  for (const line of fs.readFileSync(suspectsFile, 'utf8').split('\r\n').slice(1)) {
    const [rule, id] = line.split(',');
    if (rule && id) found.set(rule, (found.get(rule) ?? new Set()).add(id));
  }
  return Object.fromEntries(
    RULE_CODES.map((rule) => {
      const expected = truth.get(rule) ?? new Set<string>();
      const raised = found.get(rule) ?? new Set<string>();
      const hits = [...raised].filter((id) => expected.has(id)).length;
      return [rule, { truth: expected.size, found: raised.size, precision: Number((hits / Math.max(1, raised.size)).toFixed(4)), recall: Number((hits / Math.max(1, expected.size)).toFixed(4)) }];
    }),
  );
}

const { files, truth, generationMs } = await ensureFiles();
const fileSizes = Object.fromEntries(EXTRACT_KINDS.map((kind) => [kind, `${(fs.statSync(files[kind]).size / 2 ** 20).toFixed(0)} MB`]));

const engineMemory = watchMemory();
const out = path.join(dataDir, 'results');
const engineStarted = performance.now();
const summary = await runComparisonToDirectory(
  {
    asOf: '2024-06-15',
    files,
    resources: { threads, memoryLimit, tempDirectory: path.join(dataDir, 'spill') },
    linking: { fuzzy: args.fuzzy !== 'off' },
    onStage: (stage) => console.error(`engine: ${stage} …`),
  },
  out,
);
const engineMs = performance.now() - engineStarted;
const enginePeak = engineMemory.stop();

const bareMemory = watchMemory();
const bare = await bareJoins(files);
const barePeak = bareMemory.stop();
const bareMs = Object.values(bare).reduce((sum, ms) => sum + ms, 0);

const report = {
  benchmark: 'compare',
  date: new Date().toISOString().slice(0, 10),
  scale,
  sizes,
  rowsRead: summary.rowsRead,
  rowsRejected: summary.rowsRejected,
  fileSizes,
  threads,
  memoryLimit,
  fuzzyStage: args.fuzzy !== 'off',
  generationSeconds: generationMs === null ? 'cached' : seconds(generationMs),
  engine: { totalSeconds: seconds(engineMs), stagesSeconds: Object.fromEntries(Object.entries(summary.timingsMs).map(([stage, ms]) => [stage, seconds(ms)])), peakRssGiB: gib(enginePeak) },
  bareJoins: { totalSeconds: seconds(bareMs), joinsSeconds: Object.fromEntries(Object.entries(bare).map(([rule, ms]) => [rule, seconds(ms)])), peakRssGiB: gib(barePeak) },
  ratioEngineToBareJoins: Number((engineMs / bareMs).toFixed(2)),
  processPeakRssGiB: gib(process.resourceUsage().maxRSS * 1024),
  suspects: Object.fromEntries(Object.entries(summary.rules).map(([rule, totals]) => [rule, totals.suspects])),
  linking: summary.linking,
  againstTruth: scoreAgainstTruth(truth, path.join(out, 'suspects.csv')),
  targets: { wholeRunUnderSeconds: 300, ratioAtMost: 3, memoryAtMostGiB: 16 },
};
console.log(JSON.stringify(report, null, 2));

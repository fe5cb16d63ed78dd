import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { AppError } from '../../platform/errors.ts';
import { csvLine } from '../../platform/imports/index.ts';
import { EXTRACT_KINDS, loadExtract, prepareComparisonDatabase, type ExtractKind, type ExtractSource, type LoadedExtract } from './extracts.ts';
import { createLinkTables, datasetsWithLeftovers, linkExact, repairIds, repairPayrollAmongItself, settleLinks, summariseLinks, type LinkMethod, type LinkSummary } from './id-links.ts';
import { linkLeftovers, PreparedNames, type FuzzyStageSummary } from './linking/index.ts';
import { DEFAULT_RULE_PARAMETERS, formatYuan, RULE_CODES, RULE_DEFINITIONS, runRule, type RuleCode, type RuleParameters, type Suspect } from './rules.ts';

/** DuckDB resources for a run; defaults suit a laptop, the bench sets them for 26 million rows. */
export interface ComparisonResources {
  /** Worker threads; default: the machine's cores. */
  threads?: number;
  /** DuckDB memory limit, e.g. `12GB`; default DuckDB's (80 % of RAM). Beyond it DuckDB spills to `tempDirectory`. */
  memoryLimit?: string;
  /** Where DuckDB spills; default a directory inside the run's scratch directory. */
  tempDirectory?: string;
}

/** Input of one comparison run: the as-of date, the extract files present, optional rules and parameters. */
export interface ComparisonInput {
  /** `YYYY-MM-DD`: payments are counted up to this date and deaths must be before it. */
  asOf: string;
  /** Any subset of the extracts: a path (format from its extension) or a source with format and column mapping. */
  files: Partial<Record<ExtractKind, string | ExtractSource>>;
  parameters?: Partial<RuleParameters>;
  /** Rules to run; default every rule whose extracts are present. */
  rules?: readonly RuleCode[];
  resources?: ComparisonResources;
  /** Linking stages; the fuzzy stage (name, birth date and ID similarity, linking/fuzzy-stage.ts) runs unless `fuzzy` is false. */
  linking?: { fuzzy?: boolean };
  /** Told the name of each stage as it starts (`load_insured`, `link_exact`, `rule_DECEASED_DRAWING`…), for progress. */
  onStage?: (stage: string) => void;
}

/** Per-rule totals of a run. */
export interface RuleSummary {
  suspects: number;
  /** Yuan with two decimals. */
  amountAtStake: string;
  amountAtStakeCents: number;
  byMatchMethod: Record<LinkMethod, number>;
}

/** What summary.json holds. */
export interface ComparisonSummary {
  asOf: string;
  rules: Partial<Record<RuleCode, RuleSummary>>;
  /** Rules not run: not asked for, or an extract they need was not given. */
  skippedRules: RuleCode[];
  parameters: RuleParameters;
  timingsMs: Record<string, number>;
  /** Data rows read and rejected over all extracts; the reasons are per file. */
  rowsRead: number;
  rowsRejected: number;
  files: Partial<Record<ExtractKind, Omit<LoadedExtract, 'kind'>>>;
  /** How the rows of each extract were linked to the insured roll. */
  linking: Partial<Record<ExtractKind, LinkSummary>>;
  /** What the fuzzy stage did per extract: leftovers, candidate pairs, the estimated model. */
  fuzzyStage: Partial<Record<ExtractKind, FuzzyStageSummary>>;
}

/** Result of {@link runComparison}. */
export interface ComparisonResult {
  suspects: Suspect[];
  summary: ComparisonSummary;
}

/** Columns of suspects.csv, in order. */
export const SUSPECT_CSV_HEADER = ['rule', 'id_number', 'name', 'dataset', 'record_key', 'match_method', 'match_score', 'amount_at_stake', 'evidence'] as const;

/**
 * Runs a comparison end to end in an in-memory DuckDB: loads the given extracts (rejecting bad rows
 * with reasons), links their rows to the insured roll (exact on the normalised ID, then single-edit
 * repair of mistyped IDs confirmed by the name, then the fuzzy stage for what is left), and runs
 * every requested rule whose extracts are present. Joins stay inside DuckDB; only suspicious rows
 * come back to JS.
 */
export async function runComparison(input: ComparisonInput): Promise<ComparisonResult> {
  if (!/^\d{4}-\d{2}-\d{2}$/u.test(input.asOf) || Number.isNaN(Date.parse(`${input.asOf}T00:00:00Z`))) {
    throw new AppError('VALIDATION_FAILED', `as-of date must be YYYY-MM-DD, found "${input.asOf}"`);
  }
  const parameters: RuleParameters = { ...DEFAULT_RULE_PARAMETERS, ...input.parameters };
  const timingsMs: Record<string, number> = {};
  const timed = async <T>(stage: string, work: () => Promise<T>): Promise<T> => {
    input.onStage?.(stage);
    const started = performance.now();
    const result = await work();
    timingsMs[stage] = Math.round(performance.now() - started);
    return result;
  };

  const workDir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'minsheng-compare-'));
  const resources = input.resources ?? {};
  // A database file in the work directory rather than ':memory:': the loaded extracts (gigabytes
  // for a whole city's roll) can then leave memory for disk, and only the working set must fit
  // the memory limit.
  const instance = await DuckDBInstance.create(path.join(workDir, 'comparison.duckdb'), {
    threads: String(resources.threads ?? os.availableParallelism()),
    temp_directory: resources.tempDirectory ?? path.join(workDir, 'spill'),
    ...(resources.memoryLimit ? { memory_limit: resources.memoryLimit } : {}),
  });
  const connection = await instance.connect();
  try {
    await prepareComparisonDatabase(connection, input.asOf);
    const files: ComparisonSummary['files'] = {};
    for (const kind of EXTRACT_KINDS) {
      const file = input.files[kind];
      if (!file) continue;
      const source = typeof file === 'string' ? { path: file } : file;
      const { kind: _kind, ...loaded } = await timed(`load_${kind}`, () =>
        loadExtract(connection, kind, source.path, workDir, { format: source.format, columns: source.columns }),
      );
      files[kind] = loaded;
    }
    // File order mattered for numbering rows; from here on it only costs memory.
    await connection.run('SET preserve_insertion_order = false');
    const fuzzyStage: ComparisonSummary['fuzzyStage'] = {};
    const linking = await timed('link', () => linkToRoll(connection, Object.keys(files) as ExtractKind[], input.linking?.fuzzy ?? true, fuzzyStage, timed));

    const wanted = new Set(input.rules ?? RULE_CODES);
    const suspects: Suspect[] = [];
    const rules: ComparisonSummary['rules'] = {};
    const skippedRules: RuleCode[] = [];
    for (const rule of RULE_CODES) {
      if (!wanted.has(rule) || !RULE_DEFINITIONS[rule].inputs.every((kind) => files[kind])) {
        skippedRules.push(rule);
        continue;
      }
      const found = await timed(`rule_${rule}`, () => runRule(connection, rule, input.asOf, parameters));
      // One by one: spreading a rule's hundreds of thousands of suspects would overflow the stack.
      for (const suspect of found) suspects.push(suspect);
      const cents = found.reduce((sum, suspect) => sum + suspect.amountAtStakeCents, 0);
      const byMatchMethod: Record<LinkMethod, number> = { exact: 0, repaired: 0, fuzzy: 0 };
      for (const suspect of found) byMatchMethod[suspect.matchMethod] += 1;
      rules[rule] = { suspects: found.length, amountAtStake: formatYuan(cents), amountAtStakeCents: cents, byMatchMethod };
    }
    const loaded = Object.values(files);
    return {
      suspects,
      summary: {
        asOf: input.asOf,
        rules,
        skippedRules,
        parameters,
        timingsMs,
        rowsRead: loaded.reduce((sum, file) => sum + file.rowsRead, 0),
        rowsRejected: loaded.reduce((sum, file) => sum + file.rejected.length, 0),
        files,
        linking,
        fuzzyStage,
      },
    };
  } finally {
    connection.closeSync();
    instance.closeSync();
    await fs.promises.rm(workDir, { recursive: true, force: true });
  }
}

/**
 * Links every loaded extract except the roll itself to the insured roll, stage by stage: exact, then
 * single-edit repair, then fuzzy (each stage takes only the rows the earlier ones left), then payroll
 * rows among themselves (for the uninsured, who are not on the roll).
 */
async function linkToRoll(
  connection: DuckDBConnection,
  kinds: readonly ExtractKind[],
  isFuzzy: boolean,
  fuzzy: ComparisonSummary['fuzzyStage'],
  timed: <T>(stage: string, work: () => Promise<T>) => Promise<T>,
): Promise<ComparisonSummary['linking']> {
  await createLinkTables(connection);
  const datasets = kinds.filter((kind) => kind !== 'insured');
  if (!kinds.includes('insured') || datasets.length === 0) return {};
  await timed('link_exact', () => linkExact(connection, datasets));
  await timed('link_repaired', () => repairIds(connection, datasets));
  if (isFuzzy) {
    const preparedNames = new PreparedNames();
    for (const dataset of await datasetsWithLeftovers(connection, datasets)) {
      fuzzy[dataset] = await timed(`link_fuzzy_${dataset}`, () => linkLeftovers(connection, dataset, { preparedNames }));
    }
  }
  await settleLinks(connection);
  if (datasets.includes('payroll')) await timed('link_payroll_among_itself', () => repairPayrollAmongItself(connection));
  const linking: ComparisonSummary['linking'] = {};
  for (const dataset of datasets) linking[dataset] = await summariseLinks(connection, dataset);
  return linking;
}

/** The cells of one suspects.csv row. */
export function suspectCsvCells(suspect: Suspect): string[] {
  return [
    suspect.rule,
    suspect.idNumber,
    suspect.name,
    suspect.dataset,
    suspect.recordKey,
    suspect.matchMethod,
    String(suspect.matchScore),
    formatYuan(suspect.amountAtStakeCents),
    JSON.stringify(suspect.evidence),
  ];
}

/** Runs a comparison and writes `suspects.csv` (UTF-8 with BOM, RFC 4180) and `summary.json` into `outDir`. */
export async function runComparisonToDirectory(input: ComparisonInput, outDir: string): Promise<ComparisonSummary> {
  const { suspects, summary } = await runComparison(input);
  const started = performance.now();
  await fs.promises.mkdir(outDir, { recursive: true });
  const output = fs.createWriteStream(path.join(outDir, 'suspects.csv'));
  output.write(`\uFEFF${csvLine(SUSPECT_CSV_HEADER)}`);
  for (const suspect of suspects) {
    if (!output.write(csvLine(suspectCsvCells(suspect)))) await once(output, 'drain');
  }
  output.end();
  await once(output, 'close');
  summary.timingsMs.write_results = Math.round(performance.now() - started);
  await fs.promises.writeFile(path.join(outDir, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
  return summary;
}

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { AppError } from '../../platform/errors.ts';
import { csvLine } from '../../platform/imports/index.ts';
import { EXTRACT_KINDS, loadExtract, prepareComparisonDatabase, type ExtractKind, type LoadedExtract } from './extracts.ts';
import { DEFAULT_RULE_PARAMETERS, formatYuan, RULE_CODES, RULE_INPUTS, runRule, type RuleCode, type RuleParameters, type Suspect } from './rules.ts';

/** Input of one comparison run: the as-of date, the extract files present, optional rule parameters. */
export interface ComparisonInput {
  /** `YYYY-MM-DD`: payments are counted up to this date and deaths must be before it. */
  asOf: string;
  files: Partial<Record<ExtractKind, string>> & { insured: string };
  parameters?: Partial<RuleParameters>;
}

/** Per-rule totals of a run. */
export interface RuleSummary {
  suspects: number;
  amountAtStake: string;
}

/** What summary.json holds. */
export interface ComparisonSummary {
  asOf: string;
  rules: Partial<Record<RuleCode, RuleSummary>>;
  /** Rules skipped because an extract they need was not given. */
  skippedRules: RuleCode[];
  timingsMs: Record<string, number>;
  files: Partial<Record<ExtractKind, Omit<LoadedExtract, 'kind'>>>;
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
 * with reasons), normalises IDs, and runs every rule whose extracts are present. Linking is exact on
 * the normalised ID in this slice; IDs failing the check character are kept but not linked, and the
 * repair/fuzzy stage that links them comes in the next slice.
 */
export async function runComparison(input: ComparisonInput): Promise<ComparisonResult> {
  if (!/^\d{4}-\d{2}-\d{2}$/u.test(input.asOf) || Number.isNaN(Date.parse(`${input.asOf}T00:00:00Z`))) {
    throw new AppError('VALIDATION_FAILED', `as-of date must be YYYY-MM-DD, found "${input.asOf}"`);
  }
  const parameters = { ...DEFAULT_RULE_PARAMETERS, ...input.parameters };
  const timingsMs: Record<string, number> = {};
  const timed = async <T>(stage: string, work: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    const result = await work();
    timingsMs[stage] = Math.round(performance.now() - started);
    return result;
  };

  const workDir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'minsheng-compare-'));
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    await prepareComparisonDatabase(connection);
    const files: ComparisonSummary['files'] = {};
    for (const kind of EXTRACT_KINDS) {
      const file = input.files[kind];
      if (!file) continue;
      const { kind: _kind, ...loaded } = await timed(`load_${kind}`, () => loadExtract(connection, kind, file, workDir));
      files[kind] = loaded;
    }
    const suspects: Suspect[] = [];
    const rules: ComparisonSummary['rules'] = {};
    const skippedRules: RuleCode[] = [];
    for (const rule of RULE_CODES) {
      if (!RULE_INPUTS[rule].every((kind) => files[kind])) {
        skippedRules.push(rule);
        continue;
      }
      const found = await timed(`rule_${rule}`, () => runRule(connection, rule, input.asOf, parameters));
      suspects.push(...found);
      rules[rule] = { suspects: found.length, amountAtStake: formatYuan(found.reduce((sum, suspect) => sum + suspect.amountAtStakeCents, 0)) };
    }
    return { suspects, summary: { asOf: input.asOf, rules, skippedRules, timingsMs, files } };
  } finally {
    connection.closeSync();
    instance.closeSync();
    await fs.promises.rm(workDir, { recursive: true, force: true });
  }
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
  const lines = [`\uFEFF${csvLine(SUSPECT_CSV_HEADER)}`, ...suspects.map((suspect) => csvLine(suspectCsvCells(suspect)))];
  await fs.promises.writeFile(path.join(outDir, 'suspects.csv'), lines.join(''));
  summary.timingsMs.write_results = Math.round(performance.now() - started);
  await fs.promises.writeFile(path.join(outDir, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
  return summary;
}

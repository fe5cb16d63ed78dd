import { isAppError } from '../../platform/errors.ts';
import { runComparisonToDirectory } from './comparison.ts';
import { EXTRACT_KINDS, type ExtractKind, type ExtractSource } from './extracts.ts';
import { writeExtractFiles, type ExtractGeneratorOptions } from './generator.ts';
import { RULE_CODES, type RuleCode } from './rules.ts';
import { readComparisonSpec } from './spec.ts';

/** Options of `minsheng compare run`: the files by kind, or a spec, and where to write. */
export type CompareRunOptions = Partial<Record<ExtractKind, string>> & {
  asOf?: string;
  spec?: string;
  rules?: string;
  threads?: number;
  memoryLimit?: string;
  out: string;
};

/**
 * `minsheng compare run`: files from the spec, overridden by any given on the command line; the
 * as-of date from the command line, else the spec. Prints the totals; returns the exit code (1 with a
 * clear message for a bad spec, option or file, without a stack trace).
 */
export async function runCompareCommand(options: CompareRunOptions, log: (line: string) => void = console.log, fail: (line: string) => void = console.error): Promise<number> {
  try {
    const spec = options.spec ? await readComparisonSpec(options.spec) : undefined;
    const files: Partial<Record<ExtractKind, string | ExtractSource>> = { ...spec?.files };
    for (const kind of EXTRACT_KINDS) if (options[kind]) files[kind] = options[kind];
    const asOf = options.asOf ?? spec?.asOf;
    if (!asOf) return usage(fail, 'give --as-of YYYY-MM-DD (or asOf in the spec)');
    if (Object.keys(files).length === 0) return usage(fail, `give at least one extract (--${EXTRACT_KINDS.join(', --')}) or --spec`);
    const rules = options.rules?.split(',').map((code) => code.trim()) ?? spec?.rules;
    const unknown = rules?.filter((code) => !(RULE_CODES as string[]).includes(code)) ?? [];
    if (unknown.length > 0) return usage(fail, `unknown rule(s) ${unknown.join(', ')}; the rules are ${RULE_CODES.join(', ')}`);
    const summary = await runComparisonToDirectory(
      { asOf, files, rules: rules as RuleCode[] | undefined, parameters: spec?.parameters, resources: { threads: options.threads, memoryLimit: options.memoryLimit } },
      options.out,
    );
    for (const [rule, totals] of Object.entries(summary.rules)) log(`${rule}: ${totals.suspects} suspect(s), ${totals.amountAtStake} yuan at stake`);
    if (summary.skippedRules.length > 0) log(`skipped (extracts missing or not asked for): ${summary.skippedRules.join(', ')}`);
    for (const [kind, file] of Object.entries(summary.files)) log(`${kind}: ${file.rowsRead} row(s) read, ${file.rejected.length} rejected`);
    log(`results in ${options.out}`);
    return 0;
  } catch (error) {
    if (isAppError(error)) return usage(fail, error.message);
    throw error;
  }
}

/** Options of `minsheng compare generate`. */
export type CompareGenerateOptions = ExtractGeneratorOptions & { out: string };

/** `minsheng compare generate`: streams all seven extracts and truth.csv into the directory. */
export async function runGenerateCommand(options: CompareGenerateOptions, log: (line: string) => void = console.log): Promise<number> {
  const { out, ...generator } = options;
  const { asOf, paths, rows } = await writeExtractFiles(out, generator);
  for (const kind of EXTRACT_KINDS) log(`${paths[kind]}: ${rows[kind]} row(s)`);
  log(`${paths.truth}: ${rows.truth} true suspicion(s) as of ${asOf}`);
  return 0;
}

function usage(fail: (line: string) => void, message: string): number {
  fail(message);
  return 1;
}

/**
 * 大数据比对 (compare): cross-department comparison of extracts in an embedded DuckDB. Loads the
 * standard extracts (insured, deaths, prison, payroll, hospital, assistance, business; CSV in UTF-8 or
 * GB18030, XLSX, Parquet; other layouts through a spec's column mapping), validates IDs against
 * GB 11643 in SQL, links every row to the insured roll (exact, single-edit repair confirmed by the
 * name, fuzzy) and raises the suspects of each rule with their evidence and amounts.
 */
export {
  EXTRACT_COLUMNS,
  EXTRACT_KINDS,
  INSURED_STATUSES,
  loadExtract,
  prepareComparisonDatabase,
  sqlString,
  type ExtractFormat,
  type ExtractKind,
  type ExtractSource,
  type LoadedExtract,
  type LoadOptions,
  type RejectedRow,
} from './extracts.ts';
export { EXTRACT_FORMATS, formatOfFile } from './readers.ts';
export { LINK_METHODS, REPAIRED_LINK_SCORE, type LinkMethod, type LinkSummary } from './id-links.ts';
export {
  DEFAULT_RULE_PARAMETERS,
  RULE_CODES,
  RULE_DEFINITIONS,
  RULE_INPUTS,
  formatYuan,
  runRule,
  type RuleCode,
  type RuleParameters,
  type Suspect,
} from './rules.ts';
export {
  runComparison,
  runComparisonToDirectory,
  suspectCsvCells,
  SUSPECT_CSV_HEADER,
  type ComparisonInput,
  type ComparisonResources,
  type ComparisonResult,
  type ComparisonSummary,
  type RuleSummary,
} from './comparison.ts';
export {
  generateExtractRows,
  generateExtracts,
  writeExtractFiles,
  writeGeneratedExtracts,
  DEFAULT_EXTRACT_SHARES,
  DEFAULT_GENERATOR_AS_OF,
  type ExtractGeneratorOptions,
  type GeneratedExtracts,
  type GeneratedItem,
  type GeneratedPaths,
  type TruthEntry,
} from './generator.ts';
export { ComparisonSpecSchema, RuleParametersSchema, parseComparisonSpec, readComparisonSpec, type ComparisonSpec, type ComparisonSpecDocument } from './spec.ts';
export { runCompareCommand, runGenerateCommand, type CompareGenerateOptions, type CompareRunOptions } from './compare.cli.ts';
// The platform side (issue #4 "In the platform"): dataset catalogue, runs as jobs, 疑点核查 findings.
export { compareRoutes } from './compare.routes.ts';
export { compareJobs, type RunCompletedSubscriber } from './compare.jobs.ts';
export { DATASET_PROFILE_JOB, handleDatasetProfile } from './datasets.service.ts';
export { findLatestReadyFiles, findReadyFiles } from './datasets.repository.ts';
export { withPersonTables, type PersonDataset } from './person-lookup.ts';
export { COMPARE_RUN_JOB, COMPARE_RUN_COMPLETED_JOB, handleComparisonRun } from './runs.service.ts';
export { listAssistanceWatch, type WatchListing } from './listings.service.ts';
export { profileExtract, type ExtractProfile } from './profile.ts';
export { FINDING_TYPE } from './finding-type.ts';

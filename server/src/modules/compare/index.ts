/**
 * 大数据比对 (compare): cross-department comparison of extracts in an embedded DuckDB. This first
 * slice loads the insured, deaths and prison extracts, normalises IDs (whitespace, full-width, x, 15→18)
 * and links them exactly on the normalised ID to raise DECEASED_DRAWING, IMPRISONED_DRAWING and
 * DUPLICATE_BENEFIT suspects with their evidence. IDs that fail the check character are flagged
 * `id_valid = false` and left unlinked: repairing them and the fuzzy (name, birth date) linking stage
 * come in the next slice, as do the other extracts and rules of issue #4 and the platform pages.
 */
export {
  EXTRACT_COLUMNS,
  EXTRACT_KINDS,
  INSURED_STATUSES,
  loadExtract,
  prepareComparisonDatabase,
  type ExtractKind,
  type LoadedExtract,
  type RejectedRow,
} from './extracts.ts';
export { DEFAULT_RULE_PARAMETERS, RULE_CODES, RULE_INPUTS, formatYuan, runRule, type RuleCode, type RuleParameters, type Suspect } from './rules.ts';
export {
  runComparison,
  runComparisonToDirectory,
  suspectCsvCells,
  SUSPECT_CSV_HEADER,
  type ComparisonInput,
  type ComparisonResult,
  type ComparisonSummary,
  type RuleSummary,
} from './comparison.ts';
export {
  generateExtracts,
  writeGeneratedExtracts,
  DEFAULT_GENERATOR_AS_OF,
  type ExtractGeneratorOptions,
  type GeneratedExtracts,
  type TruthEntry,
} from './generator.ts';

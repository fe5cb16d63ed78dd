export {
  detectTextEncoding,
  mapHeaders,
  normalizeHeader,
  openTabularFile,
  type HeaderMapping,
  type TabularFile,
  type TabularFormat,
  type TabularRow,
  type TabularSource,
} from './tabular-file.ts';
export type { TextEncoding } from './csv-records.ts';
export { csvLine, reportLines, writeErrorReportCsv, type ImportRowError } from './report.ts';
export { runImport, type RowImporter, type RowProblem, type PreparedRow, type ImportSummary } from './import-runner.ts';
export * as importJobs from './import-job.repository.ts';
export { createPreparePool, loadPreparer, preparationWorkers, type PreparerSpec, type PreparerModule, type RowPreparer } from './prepare-pool.ts';

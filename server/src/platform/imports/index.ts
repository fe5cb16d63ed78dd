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

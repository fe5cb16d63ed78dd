import type { Readable } from 'node:stream';

/** One non-empty record of a tabular file before headers are applied: trimmed cells by column position. */
export interface SourceRecord {
  /** Line (CSV) or row (XLSX) number where the record starts, as Excel shows it. */
  rowNumber: number;
  cells: string[];
  /** Column positions (0-based) holding numbers big enough to have lost digits in Excel. */
  impreciseColumns: number[];
}

/** Opens a fresh byte stream over the uploaded file; called once per pass so every pass starts at byte 0. */
export type OpenByteStream = () => Readable;

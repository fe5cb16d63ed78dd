import fs from 'node:fs';
import path from 'node:path';
import { once } from 'node:events';
import { pipeline } from 'node:stream/promises';
import type { DuckDBConnection } from '@duckdb/node-api';
import iconv from 'iconv-lite';
import { AppError } from '../../platform/errors.ts';
import { detectTextEncoding, normalizeHeader, openTabularFile, type TextEncoding } from '../../platform/imports/index.ts';

/** File formats an extract may come in; chosen by the file's extension unless a spec names it. */
export const EXTRACT_FORMATS = ['csv', 'xlsx', 'parquet'] as const;
/** One extract file format. */
export type ExtractFormat = (typeof EXTRACT_FORMATS)[number];

/** Where an extract comes from: its file, optionally its format and a column mapping (standard name → the file's header). */
export interface ExtractSource {
  path: string;
  format?: ExtractFormat;
  columns?: Readonly<Record<string, string>>;
}

/** A data row that was not loaded, with where it came from and every reason found. */
export interface RejectedRow {
  /**
   * CSV: the line in the file, the header being line 1. XLSX: the row as Excel numbers it. Parquet:
   * the record's position, the first being 1.
   */
  rowNumber: number;
  reason: string;
}

/**
 * An extract opened for loading: a SQL relation whose columns are the standard names (all VARCHAR,
 * mapped from the file's headers) plus `source_row`, and how to turn `source_row` into row numbers.
 */
export interface OpenedExtract {
  format: ExtractFormat;
  /** Detected text encoding of a CSV file; `utf-8` for the UTF-8 CSV an XLSX file is turned into, null for Parquet. */
  encoding: TextEncoding | null;
  /** `SELECT … FROM …` yielding the standard columns and `source_row`. */
  relation: string;
  /**
   * The file's row number of each row of `table` (a relation with `source_row`), and a join to add
   * for it: CSV rows need the lines DuckDB rejected as malformed, which are known once the file has
   * been scanned (when the extract is opened).
   */
  numberRows(table: string): Promise<{ rowNumber: string; join: string; structural: RejectedRow[] }>;
  /** Drops the temporary tables and files the reader made. */
  release(): Promise<void>;
}

const SAMPLE_BYTES = 256 * 1024;

/** The format of `file`, from its extension; throws INVALID_FILE for an unknown one. */
export function formatOfFile(file: string): ExtractFormat {
  const extension = path.extname(file).toLowerCase();
  if (extension === '.csv' || extension === '.txt') return 'csv';
  if (extension === '.xlsx') return 'xlsx';
  if (extension === '.parquet') return 'parquet';
  throw new AppError('INVALID_FILE', `cannot tell the format of ${file} from its extension "${extension || '(none)'}": use .csv, .txt, .xlsx or .parquet, or name the format in the spec`);
}

/**
 * Opens one extract for loading as table `name`: CSV (UTF-8 or GB18030, transcoded in a stream since
 * DuckDB's reader decodes only UTF-8 here), XLSX (streamed with exceljs into a temporary UTF-8 CSV,
 * never held in memory) or Parquet (read by DuckDB itself). Maps the file's headers to the standard
 * `columns` (through `mapping`, else by name ignoring case, width and spaces) and throws INVALID_FILE
 * naming any standard column the file lacks.
 */
export async function openExtract(
  connection: DuckDBConnection,
  name: string,
  source: ExtractSource,
  columns: readonly string[],
  workDir: string,
): Promise<OpenedExtract> {
  const format = source.format ?? formatOfFile(source.path);
  if (!fs.existsSync(source.path)) throw new AppError('INVALID_FILE', `${name} extract ${source.path} does not exist`);
  switch (format) {
    case 'csv':
      return openCsv(connection, name, source, columns, workDir);
    case 'xlsx':
      return openXlsx(connection, name, source, columns, workDir);
    case 'parquet':
      return openParquet(connection, name, source, columns);
  }
}

async function openCsv(connection: DuckDBConnection, name: string, source: ExtractSource, columns: readonly string[], workDir: string): Promise<OpenedExtract> {
  const encoding = await detectFileEncoding(source.path);
  const readable = encoding === 'utf-8' ? source.path : await transcodeToUtf8(source.path, path.join(workDir, `${name}.utf8.csv`));
  const rejects = `rejects_${name}`;
  const scan = `scan_${name}`;
  await connection.run(`DROP TABLE IF EXISTS ${rejects}; DROP TABLE IF EXISTS ${scan}`);
  const reader = `read_csv(${sqlString(readable)}, header = true, all_varchar = true, delim = ',', quote = '"', escape = '"',
    store_rejects = true, rejects_table = '${rejects}', rejects_scan = '${scan}')`;
  const headers = await describeHeaders(connection, reader, `${name} extract ${source.path} cannot be read as CSV`);
  const mapped = mapColumns(name, source, headers, columns);
  // The data row's index (0 for the row under the header), numbered right at the scan, where DuckDB
  // keeps the file's order. A table's rowid is not enough: the typed columns and ID checks computed
  // on the way let DuckDB store rows out of file order on big files, so rowid named other lines in
  // evidence, differently from run to run. Numbering runs on one thread, so it is a pass of its own:
  // in the pass that types and checks every cell it held that work to one thread as well (measured
  // on a roll of 8 million: one core busy instead of two).
  const numbered = `numbered_${name}`;
  await connection.run(`CREATE OR REPLACE TEMP TABLE ${numbered} AS SELECT ${mapped}, CAST(row_number() OVER () - 1 AS INTEGER) AS source_row FROM ${reader}`);
  return {
    format: 'csv',
    encoding,
    relation: `SELECT * FROM ${numbered}`,
    async numberRows(table) {
      const structural = (
        await connection.runAndReadAll(`SELECT CAST(line AS INTEGER) AS line, string_agg(DISTINCT lower(error_type), '; ') AS reason FROM ${rejects} GROUP BY line ORDER BY line`)
      )
        .getRowObjectsJson()
        .map((row) => ({ rowNumber: Number(row.line), reason: `wrong number of cells (${String(row.reason)})` }));
      if (structural.length === 0) return { rowNumber: `${table}.source_row + 2`, join: '', structural };
      // DuckDB numbers only the rows it keeps; each malformed line before a row pushes it one line
      // further down. shift = how many malformed lines come before the row with that index.
      await connection.run(`CREATE OR REPLACE TEMP TABLE shifts_${name} AS
        SELECT threshold, max(shift) AS shift FROM (
          SELECT line - row_number() OVER (ORDER BY line) - 1 AS threshold, row_number() OVER (ORDER BY line) AS shift
          FROM (SELECT DISTINCT line FROM ${rejects})) GROUP BY threshold`);
      return {
        rowNumber: `CAST(${table}.source_row + 2 + coalesce(shifts_${name}.shift, 0) AS INTEGER)`,
        join: `ASOF LEFT JOIN shifts_${name} ON ${table}.source_row >= shifts_${name}.threshold`,
        structural,
      };
    },
    async release() {
      await connection.run(`DROP TABLE IF EXISTS ${numbered}; DROP TABLE IF EXISTS ${rejects}; DROP TABLE IF EXISTS ${scan}; DROP TABLE IF EXISTS shifts_${name}`);
    },
  };
}

async function openXlsx(connection: DuckDBConnection, name: string, source: ExtractSource, columns: readonly string[], workDir: string): Promise<OpenedExtract> {
  const table = await openTabularFile({ path: source.path }, path.basename(source.path));
  if (table.format !== 'xlsx') throw new AppError('INVALID_FILE', `${name} extract ${source.path} is not an Excel workbook`);
  const mapped = mapColumns(name, source, table.headers, columns);
  const target = path.join(workDir, `${name}.xlsx.csv`);
  const structural: RejectedRow[] = [];
  const output = fs.createWriteStream(target);
  // Every cell quoted: the text must reach DuckDB exactly as Excel showed it.
  const line = (cells: readonly string[]) => `${cells.map((cell) => `"${cell.replaceAll('"', '""')}"`).join(',')}\n`;
  try {
    output.write(line(['source_row', ...table.headers]));
    for await (const row of table.rows) {
      if (row.extraCells > 0) {
        structural.push({ rowNumber: row.rowNumber, reason: `wrong number of cells (${row.extraCells} cell(s) beyond the last header)` });
        continue;
      }
      if (row.impreciseHeaders) {
        structural.push({ rowNumber: row.rowNumber, reason: `${row.impreciseHeaders.join(', ')} stored as a number: Excel keeps 15 digits, the rest is lost` });
        continue;
      }
      if (!output.write(line([String(row.rowNumber), ...table.headers.map((header) => row.values[header] ?? '')]))) await once(output, 'drain');
    }
  } finally {
    output.end();
    await once(output, 'close');
  }
  const reader = `read_csv(${sqlString(target)}, header = true, all_varchar = true, delim = ',', quote = '"', escape = '"')`;
  return {
    format: 'xlsx',
    encoding: 'utf-8',
    relation: `SELECT ${mapped}, CAST(source_row AS INTEGER) AS source_row FROM ${reader}`,
    numberRows: async (loaded) => ({ rowNumber: `${loaded}.source_row`, join: '', structural }),
    release: () => fs.promises.rm(target, { force: true }),
  };
}

async function openParquet(connection: DuckDBConnection, name: string, source: ExtractSource, columns: readonly string[]): Promise<OpenedExtract> {
  const reader = `read_parquet(${sqlString(source.path)}, file_row_number = true)`;
  const headers = (await describeHeaders(connection, reader, `${name} extract ${source.path} cannot be read as Parquet`)).filter((header) => header !== 'file_row_number');
  // Every column as text, so that the loader's checks and their messages are the same for every format.
  const mapped = mapColumns(name, source, headers, columns, (header) => `CAST(${quoteIdentifier(header)} AS VARCHAR)`);
  return {
    format: 'parquet',
    encoding: null,
    relation: `SELECT ${mapped}, CAST(file_row_number + 1 AS INTEGER) AS source_row FROM ${reader}`,
    numberRows: async (loaded) => ({ rowNumber: `${loaded}.source_row`, join: '', structural: [] }),
    release: async () => undefined,
  };
}

async function describeHeaders(connection: DuckDBConnection, reader: string, failure: string): Promise<string[]> {
  try {
    return (await connection.runAndReadAll(`SELECT column_name FROM (DESCRIBE SELECT * FROM ${reader})`)).getRowObjectsJson().map((row) => String(row.column_name));
  } catch (error) {
    throw new AppError('INVALID_FILE', `${failure}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
  }
}

/**
 * `header AS standard` for every standard column. A mapping names the header explicitly; otherwise
 * the header is found by name, ignoring case, width, spaces, `_` and `-` as imports do.
 */
function mapColumns(
  name: string,
  source: ExtractSource,
  headers: readonly string[],
  columns: readonly string[],
  read: (header: string) => string = quoteIdentifier,
): string {
  const missing: string[] = [];
  const selected = columns.map((column) => {
    const wanted = source.columns?.[column];
    const header = wanted === undefined ? headers.find((candidate) => normalizeHeader(candidate) === normalizeHeader(column)) : headers.find((candidate) => candidate === wanted);
    if (header === undefined) {
      missing.push(wanted === undefined ? column : `${column} (mapped to "${wanted}")`);
      return '';
    }
    return `${read(header)} AS ${column}`;
  });
  if (missing.length > 0) {
    throw new AppError('INVALID_FILE', `${name} extract ${source.path} lacks the column(s) ${missing.join(', ')}; expected ${columns.join(',')} or a column mapping in the spec`, {
      missing,
      headers,
    });
  }
  return selected.join(', ');
}

async function detectFileEncoding(file: string): Promise<TextEncoding> {
  const handle = await fs.promises.open(file, 'r');
  try {
    const buffer = Buffer.alloc(SAMPLE_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, SAMPLE_BYTES, 0);
    return detectTextEncoding(buffer.subarray(0, bytesRead));
  } finally {
    await handle.close();
  }
}

async function transcodeToUtf8(file: string, target: string): Promise<string> {
  await pipeline(fs.createReadStream(file), iconv.decodeStream('gb18030'), iconv.encodeStream('utf-8'), fs.createWriteStream(target));
  return target;
}

/** A double-quoted SQL identifier. */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** A single-quoted SQL string literal. */
export function sqlString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

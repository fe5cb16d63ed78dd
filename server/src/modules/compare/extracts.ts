import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { DuckDBConnection } from '@duckdb/node-api';
import iconv from 'iconv-lite';
import { AppError } from '../../platform/errors.ts';
import { validateResidentId } from '../../platform/identity/index.ts';
import { detectTextEncoding, type TextEncoding } from '../../platform/imports/index.ts';

/** Kinds of department extract this slice reads; the issue lists more (payroll, hospital…) for later slices. */
export const EXTRACT_KINDS = ['insured', 'deaths', 'prison'] as const;
/** One kind of standard extract. */
export type ExtractKind = (typeof EXTRACT_KINDS)[number];

/** The standard CSV headers of each extract (issue #4); extra columns are kept but ignored. */
export const EXTRACT_COLUMNS: Readonly<Record<ExtractKind, readonly string[]>> = {
  insured: ['id_number', 'name', 'gender', 'birth_date', 'region_code', 'insurance_type', 'status', 'monthly_benefit', 'benefit_start_date'],
  deaths: ['id_number', 'name', 'death_date', 'source'],
  prison: ['id_number', 'name', 'start_date', 'end_date'],
};

/** Statuses of an insured record (参保缴费, 领取待遇, 暂停, 终止). */
export const INSURED_STATUSES = ['参保缴费', '领取待遇', '暂停', '终止'] as const;

/** A data row that was not loaded, with the line it came from and every reason found. */
export interface RejectedRow {
  /** Line in the file, the header being line 1 (see {@link loadExtract} for how lines are counted). */
  rowNumber: number;
  reason: string;
}

/** What loading one extract found; the rows themselves stay in the DuckDB table named after the kind. */
export interface LoadedExtract {
  kind: ExtractKind;
  file: string;
  encoding: TextEncoding;
  /** Data rows in the file: loaded plus rejected. */
  rowsRead: number;
  rowsLoaded: number;
  rejected: RejectedRow[];
  /** Loaded rows whose ID fails GB 11643 (check character, date, length…): kept with `id_valid = false`. */
  invalidIds: number;
}

const SAMPLE_BYTES = 256 * 1024;

/**
 * SQL folding shared by every extract: removes all whitespace (ASCII, no-break, ideographic, BOM) and
 * maps full-width digits, letters X/x and date punctuation to half-width, as typed with a Chinese IME.
 */
const FOLD_MACRO = `
CREATE OR REPLACE MACRO fold_text(s) AS
  translate(regexp_replace(coalesce(s, ''), '[\\s\\x{00A0}\\x{3000}\\x{FEFF}]+', '', 'g'),
            '０１２３４５６７８９Ｘｘ－／．，', '0123456789Xx-/.,');
CREATE OR REPLACE MACRO parse_date(s) AS
  try_strptime(fold_text(s), ['%Y-%m-%d', '%Y/%m/%d', '%Y%m%d'])::DATE;
CREATE OR REPLACE MACRO parse_cents(s) AS
  CAST(round(try_cast(replace(fold_text(s), ',', '') AS DECIMAL(18, 2)) * 100) AS BIGINT);
CREATE OR REPLACE MACRO month_index(d) AS year(d) * 12 + month(d) - 1;
CREATE TABLE IF NOT EXISTS id_map (id_clean VARCHAR PRIMARY KEY, id_norm VARCHAR, id_failure VARCHAR);
`;

/** Creates the macros and the shared ID table the loaders and rules use; call once per connection. */
export async function prepareComparisonDatabase(connection: DuckDBConnection): Promise<void> {
  await connection.run(FOLD_MACRO);
}

/**
 * Loads one standard extract into the DuckDB table named after its kind. Every column is read as
 * VARCHAR, then validated in SQL: a row with a missing required value, an unparseable date or amount,
 * an unknown status or the wrong number of cells is rejected with its line number and reasons, and
 * the run goes on. GB18030 files are transcoded to UTF-8 in a stream first (DuckDB's CSV reader only
 * decodes UTF-8 here). IDs are cleaned in SQL, then validated and upgraded 15→18 in JS over the
 * distinct cleaned values only, with the same rules as the resident registry.
 *
 * Line numbers count physical lines with the header as line 1; they are exact for files with one
 * record per line and no blank lines (DuckDB skips blank lines without reporting them), as the
 * standard extracts are.
 */
export async function loadExtract(connection: DuckDBConnection, kind: ExtractKind, file: string, workDir: string): Promise<LoadedExtract> {
  const encoding = await detectFileEncoding(file);
  const readable = encoding === 'utf-8' ? file : await transcodeToUtf8(file, path.join(workDir, `${kind}.utf8.csv`));
  const raw = `raw_${kind}`;
  const rejects = `rejects_${kind}`;
  await connection.run(`DROP TABLE IF EXISTS ${raw}; DROP TABLE IF EXISTS ${rejects}; DROP TABLE IF EXISTS ${kind}`);
  try {
    await connection.run(
      `CREATE TABLE ${raw} AS SELECT * FROM read_csv(${sqlString(readable)}, header = true, all_varchar = true, delim = ',',
         quote = '"', escape = '"', store_rejects = true, rejects_table = '${rejects}', rejects_scan = 'scan_${kind}')`,
    );
  } catch (error) {
    throw new AppError('INVALID_FILE', `${kind} extract ${file} cannot be read as CSV: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
  }
  const headers = (await connection.runAndReadAll(`SELECT column_name FROM (DESCRIBE ${raw})`)).getRowObjectsJson().map((row) => String(row.column_name));
  const missing = EXTRACT_COLUMNS[kind].filter((column) => !headers.includes(column));
  if (missing.length > 0) {
    throw new AppError('INVALID_FILE', `${kind} extract ${file} lacks the column(s) ${missing.join(', ')}; expected ${EXTRACT_COLUMNS[kind].join(',')}`);
  }

  const structural = (
    await connection.runAndReadAll(`SELECT CAST(line AS INTEGER) AS line, string_agg(DISTINCT lower(error_type), '; ') AS reason FROM ${rejects} GROUP BY line ORDER BY line`)
  ).getRowObjectsJson().map((row) => ({ rowNumber: Number(row.line), reason: `wrong number of cells (${String(row.reason)})` }));
  await connection.run(`CREATE OR REPLACE TEMP TABLE line_shift AS
    SELECT line - row_number() OVER (ORDER BY line) - 1 AS threshold FROM (SELECT DISTINCT line FROM ${rejects})`);
  // DuckDB numbers only the rows it keeps (rowid follows file order); each structurally rejected
  // line before a row pushes that row one line further down.
  const lineOf = structural.length === 0 ? 'rowid + 2' : 'rowid + 2 + (SELECT count(*) FROM line_shift WHERE threshold <= r.rowid)';
  await connection.run(`CREATE OR REPLACE TEMP TABLE staged_${kind} AS
    SELECT CAST(${lineOf} AS INTEGER) AS row_number, ${STAGE_COLUMNS[kind]} FROM ${raw} r`);
  await connection.run(`CREATE OR REPLACE TEMP TABLE checked_${kind} AS
    SELECT *, list_filter([${PROBLEMS[kind].join(', ')}], p -> p IS NOT NULL) AS problems FROM staged_${kind}`);

  await normaliseNewIds(connection, `checked_${kind}`);
  await connection.run(`CREATE TABLE ${kind} AS
    SELECT c.* EXCLUDE (problems), m.id_norm, m.id_norm IS NOT NULL AS id_valid, m.id_failure
    FROM checked_${kind} c LEFT JOIN id_map m USING (id_clean) WHERE len(c.problems) = 0`);

  const invalid = (await connection.runAndReadAll(`SELECT CAST(count(*) FILTER (WHERE NOT id_valid) AS INTEGER) AS invalid, CAST(count(*) AS INTEGER) AS loaded FROM ${kind}`)).getRowObjectsJson()[0]!;
  const checked = (await connection.runAndReadAll(`SELECT row_number, array_to_string(problems, '; ') AS reason FROM checked_${kind} WHERE len(problems) > 0 ORDER BY row_number`))
    .getRowObjectsJson()
    .map((row) => ({ rowNumber: Number(row.row_number), reason: String(row.reason) }));
  const rejected = [...structural, ...checked].sort((a, b) => a.rowNumber - b.rowNumber);
  await connection.run(`DROP TABLE ${raw}; DROP TABLE staged_${kind}; DROP TABLE checked_${kind}`);
  const rowsLoaded = Number(invalid.loaded);
  return { kind, file, encoding, rowsRead: rowsLoaded + rejected.length, rowsLoaded, rejected, invalidIds: Number(invalid.invalid) };
}

// Typed columns per kind; `id_raw` keeps the ID as written, for the evidence.
const STAGE_COLUMNS: Record<ExtractKind, string> = {
  insured: `id_number AS id_raw, upper(fold_text(id_number)) AS id_clean, trim(coalesce(name, '')) AS name, trim(gender) AS gender,
    birth_date AS birth_date_raw, parse_date(birth_date) AS birth_date, fold_text(region_code) AS region_code,
    trim(insurance_type) AS insurance_type, trim(coalesce(status, '')) AS status,
    monthly_benefit AS monthly_benefit_raw, parse_cents(monthly_benefit) AS monthly_benefit_cents,
    benefit_start_date AS benefit_start_date_raw, parse_date(benefit_start_date) AS benefit_start_date`,
  deaths: `id_number AS id_raw, upper(fold_text(id_number)) AS id_clean, trim(coalesce(name, '')) AS name,
    death_date AS death_date_raw, parse_date(death_date) AS death_date, trim(source) AS source`,
  prison: `id_number AS id_raw, upper(fold_text(id_number)) AS id_clean, trim(coalesce(name, '')) AS name,
    start_date AS start_date_raw, parse_date(start_date) AS start_date, end_date AS end_date_raw, parse_date(end_date) AS end_date`,
};

const missingId = `CASE WHEN id_clean = '' THEN 'id_number is missing' END`;
const badDate = (column: string, isRequired: boolean) =>
  `CASE WHEN fold_text(${column}_raw) = '' THEN ${isRequired ? `'${column} is missing'` : 'NULL'}
        WHEN ${column} IS NULL THEN '${column} "' || ${column}_raw || '" is not a date (YYYY-MM-DD)' END`;

// Each entry yields a reason or NULL; a row is rejected when any reason is present.
const PROBLEMS: Record<ExtractKind, string[]> = {
  insured: [
    missingId,
    `CASE WHEN status = '' THEN 'status is missing'
          WHEN status NOT IN (${INSURED_STATUSES.map(sqlString).join(', ')}) THEN 'status "' || status || '" is not one of ${INSURED_STATUSES.join('/')}' END`,
    `CASE WHEN fold_text(monthly_benefit_raw) = '' THEN CASE WHEN status = '领取待遇' THEN 'monthly_benefit is missing for a record drawing benefits' END
          WHEN monthly_benefit_cents IS NULL THEN 'monthly_benefit "' || monthly_benefit_raw || '" is not an amount'
          WHEN monthly_benefit_cents < 0 THEN 'monthly_benefit is negative' END`,
    badDate('birth_date', false),
    badDate('benefit_start_date', false),
  ],
  deaths: [missingId, badDate('death_date', true)],
  prison: [
    missingId,
    badDate('start_date', true),
    badDate('end_date', false),
    `CASE WHEN end_date < start_date THEN 'end_date is before start_date' END`,
  ],
};

/** Validates (and upgrades 15→18) the cleaned IDs of `table` that `id_map` does not know yet. */
async function normaliseNewIds(connection: DuckDBConnection, table: string): Promise<void> {
  const result = await connection.stream(`SELECT DISTINCT id_clean FROM ${table} WHERE id_clean <> '' AND id_clean NOT IN (SELECT id_clean FROM id_map)`);
  const appender = await connection.createAppender('id_map');
  const today = new Date();
  for (let chunk = await result.fetchChunk(); chunk && chunk.rowCount > 0; chunk = await result.fetchChunk()) {
    for (const [value] of chunk.getRows()) {
      const idClean = String(value);
      const check = validateResidentId(idClean, { today });
      appender.appendVarchar(idClean);
      if (check.isValid) {
        appender.appendVarchar(check.idNumber);
        appender.appendNull();
      } else {
        appender.appendNull();
        appender.appendVarchar(check.reason);
      }
      appender.endRow();
    }
  }
  appender.closeSync();
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

/** A single-quoted SQL string literal. */
export function sqlString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

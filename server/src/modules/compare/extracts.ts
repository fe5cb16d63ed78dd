import type { DuckDBConnection } from '@duckdb/node-api';
import type { TextEncoding } from '../../platform/imports/index.ts';
import { comparisonMacros, residentIdChecksSql } from './id-checks.ts';
import { openExtract, sqlString, type ExtractFormat, type ExtractSource, type RejectedRow } from './readers.ts';

export { sqlString, type ExtractFormat, type ExtractSource, type RejectedRow } from './readers.ts';

/** Kinds of department extract the comparison reads (issue #4, "Standard extracts"). */
export const EXTRACT_KINDS = ['insured', 'deaths', 'prison', 'payroll', 'hospital', 'assistance', 'business'] as const;
/** One kind of standard extract. */
export type ExtractKind = (typeof EXTRACT_KINDS)[number];

/** The standard headers of each extract (issue #4); extra columns are ignored, other layouts need a mapping. */
export const EXTRACT_COLUMNS: Readonly<Record<ExtractKind, readonly string[]>> = {
  insured: ['id_number', 'name', 'gender', 'birth_date', 'region_code', 'insurance_type', 'status', 'monthly_benefit', 'benefit_start_date'],
  deaths: ['id_number', 'name', 'death_date', 'source'],
  prison: ['id_number', 'name', 'start_date', 'end_date'],
  payroll: ['employer_credit_code', 'employer_name', 'id_number', 'name', 'month', 'wage'],
  hospital: ['id_number', 'name', 'admission_date', 'discharge_date', 'total_cost', 'out_of_pocket'],
  assistance: ['id_number', 'name', 'household_id', 'category', 'monthly_amount', 'start_date'],
  business: ['credit_code', 'name', 'legal_rep_id_number', 'legal_rep_name', 'registered_capital', 'established_date', 'status'],
};

/** Statuses of an insured record (参保缴费, 领取待遇, 暂停, 终止). */
export const INSURED_STATUSES = ['参保缴费', '领取待遇', '暂停', '终止'] as const;

/** What loading one extract found; the rows themselves stay in the DuckDB table named after the kind. */
export interface LoadedExtract {
  kind: ExtractKind;
  file: string;
  format: ExtractFormat;
  /** Text encoding of a CSV (XLSX is read as UTF-8); null for Parquet. */
  encoding: TextEncoding | null;
  /** Data rows in the file: loaded plus rejected. */
  rowsRead: number;
  rowsLoaded: number;
  rejected: RejectedRow[];
  /** Loaded rows whose ID fails GB 11643 (check character, date, length…) or is missing: kept with `id_valid = false`. */
  invalidIds: number;
  /** Of those, rows with no ID at all (loaded all the same: the fuzzy stage may still link them). */
  missingIds: number;
}

/** Options of {@link loadExtract}. */
export interface LoadOptions {
  /** Format of the file when its extension does not tell. */
  format?: ExtractFormat;
  /** Standard column → the file's header, for files in another layout. */
  columns?: Readonly<Record<string, string>>;
}

/**
 * Creates the SQL macros the loaders and rules use (text folding, dates, amounts, GB 11643); call once
 * per connection. Birth dates after `latestBirthDate` (`YYYY-MM-DD`: the run's as-of date; today when
 * an extract is profiled on its own) make an ID invalid.
 */
export async function prepareComparisonDatabase(connection: DuckDBConnection, latestBirthDate: string = chinaToday()): Promise<void> {
  // The common shapes (YYYY-MM-DD, 1234.50) take a cheap path; anything else is folded and tried in every accepted form.
  await connection.run(`${comparisonMacros(latestBirthDate)}
CREATE OR REPLACE MACRO parse_date(s) AS CASE WHEN s IS NULL OR s = '' THEN NULL
  WHEN regexp_full_match(s, '[0-9]{4}-[0-9]{2}-[0-9]{2}') THEN try_cast(s AS DATE)
  ELSE try_strptime(fold_text(s), ['%Y-%m-%d', '%Y/%m/%d', '%Y%m%d'])::DATE END;
CREATE OR REPLACE MACRO parse_month(s) AS try_strptime(fold_text(s), ['%Y-%m', '%Y/%m', '%Y%m'])::DATE;
CREATE OR REPLACE MACRO parse_cents(s) AS CASE WHEN s IS NULL OR s = '' THEN NULL
  WHEN regexp_full_match(s, '[0-9]+([.][0-9]{1,2})?') THEN CAST(try_cast(s AS DECIMAL(18, 2)) * 100 AS BIGINT)
  ELSE CAST(round(try_cast(replace(fold_text(s), ',', '') AS DECIMAL(18, 2)) * 100) AS BIGINT) END;
CREATE OR REPLACE MACRO month_index(d) AS year(d) * 12 + month(d) - 1;`);
}

/**
 * Loads one extract into the DuckDB table named after its kind. Every cell is read as text, then
 * typed and checked in SQL in one pass: a row with a missing required value, an unparseable date or
 * amount, an unknown status or the wrong number of cells is rejected with its row number and every
 * reason, and the run goes on. IDs are cleaned, validated against GB 11643 and upgraded 15→18 in SQL
 * (see id-checks.ts); a row whose ID is invalid or missing is kept with `id_valid = false` so the
 * repair and fuzzy stages can still link it — except in the insured roll, where the ID is the key.
 *
 * Each person table has `row_number, id_raw, id_clean, id_failure, id_norm (NULL unless valid),
 * id_valid, name` and its kind's typed columns; `business` puts its legal representative in those
 * person columns and the business's own name in `business_name`.
 */
export async function loadExtract(connection: DuckDBConnection, kind: ExtractKind, file: string, workDir: string, options: LoadOptions = {}): Promise<LoadedExtract> {
  const source: ExtractSource = { path: file, ...options };
  // The scan keeps the file's order, which the readers' row numbering relies on (readers.ts).
  await connection.run('SET preserve_insertion_order = true');
  const opened = await openExtract(connection, kind, source, EXTRACT_COLUMNS[kind], workDir);
  const staged = `staged_${kind}`;
  try {
    await connection.run(`DROP TABLE IF EXISTS ${kind}; DROP TABLE IF EXISTS ${staged}`);
    const { rowNumber, join, structural } = await opened.numberRows('typed');
    await connection.run(`CREATE TABLE ${staged} AS
      SELECT ${rowNumber} AS row_number, typed.*, typed.id_norm IS NOT NULL AS id_valid
      FROM (SELECT *, list_filter([${PROBLEMS[kind].join(', ')}], p -> p IS NOT NULL) AS problems
            FROM (${residentIdChecksSql(`SELECT ${TYPED_COLUMNS[kind]} FROM (${opened.relation})`)})) typed ${join}`);
    const checked = (await connection.runAndReadAll(`SELECT row_number, array_to_string(problems, '; ') AS reason FROM ${staged} WHERE len(problems) > 0`))
      .getRowObjectsJson()
      .map((row) => ({ rowNumber: Number(row.row_number), reason: String(row.reason) }));
    // The checked rows become the table as they are: the rejected ones and the columns that only
    // served the checks are dropped, which DuckDB does without copying the rest (a roll is millions of rows).
    await connection.run(`DELETE FROM ${staged} WHERE len(problems) > 0`);
    for (const column of ['problems', 'source_row', ...RAW_COLUMNS[kind]]) await connection.run(`ALTER TABLE ${staged} DROP COLUMN ${column}`);
    await connection.run(`ALTER TABLE ${staged} RENAME TO ${kind}`);
    const counts = (
      await connection.runAndReadAll(`SELECT CAST(count(*) AS INTEGER) AS loaded, CAST(count(*) FILTER (WHERE NOT id_valid) AS INTEGER) AS invalid,
        CAST(count(*) FILTER (WHERE id_clean = '') AS INTEGER) AS missing FROM ${kind}`)
    ).getRowObjectsJson()[0]!;
    const rejected = [...structural, ...checked].sort((a, b) => a.rowNumber - b.rowNumber);
    const rowsLoaded = Number(counts.loaded);
    return {
      kind,
      file,
      format: opened.format,
      encoding: opened.encoding,
      rowsRead: rowsLoaded + rejected.length,
      rowsLoaded,
      rejected,
      invalidIds: Number(counts.invalid),
      missingIds: Number(counts.missing),
    };
  } finally {
    await connection.run(`DROP TABLE IF EXISTS ${staged}`);
    await opened.release();
  }
}

/** The person columns every table has; `id_number`/`name` are the standard names of the person's ID and name. */
const personColumns = (idColumn: string, nameColumn: string) =>
  `${idColumn} AS id_raw, id_clean(${idColumn}) AS id_clean, trim(coalesce(${nameColumn}, '')) AS name`;

// Typed columns per kind, computed from the standard text columns; `*_raw` columns only serve the checks.
const TYPED_COLUMNS: Record<ExtractKind, string> = {
  insured: `${personColumns('id_number', 'name')}, trim(gender) AS gender,
    birth_date AS birth_date_raw, parse_date(birth_date) AS birth_date, fold_text(region_code) AS region_code,
    trim(insurance_type) AS insurance_type, trim(coalesce(status, '')) AS status,
    monthly_benefit AS monthly_benefit_raw, parse_cents(monthly_benefit) AS monthly_benefit_cents,
    benefit_start_date AS benefit_start_date_raw, parse_date(benefit_start_date) AS benefit_start_date, source_row`,
  deaths: `${personColumns('id_number', 'name')}, death_date AS death_date_raw, parse_date(death_date) AS death_date, trim(source) AS source, source_row`,
  prison: `${personColumns('id_number', 'name')}, start_date AS start_date_raw, parse_date(start_date) AS start_date,
    end_date AS end_date_raw, parse_date(end_date) AS end_date, source_row`,
  payroll: `fold_text(employer_credit_code) AS employer_credit_code, trim(coalesce(employer_name, '')) AS employer_name, ${personColumns('id_number', 'name')},
    month AS month_raw, parse_month(month) AS month, wage AS wage_raw, parse_cents(wage) AS wage_cents, source_row`,
  hospital: `${personColumns('id_number', 'name')}, admission_date AS admission_date_raw, parse_date(admission_date) AS admission_date,
    discharge_date AS discharge_date_raw, parse_date(discharge_date) AS discharge_date,
    total_cost AS total_cost_raw, parse_cents(total_cost) AS total_cost_cents, out_of_pocket AS out_of_pocket_raw, parse_cents(out_of_pocket) AS out_of_pocket_cents, source_row`,
  assistance: `${personColumns('id_number', 'name')}, fold_text(household_id) AS household_id, trim(coalesce(category, '')) AS category,
    monthly_amount AS monthly_amount_raw, parse_cents(monthly_amount) AS monthly_amount_cents, start_date AS start_date_raw, parse_date(start_date) AS start_date, source_row`,
  business: `upper(fold_text(credit_code)) AS credit_code, trim(coalesce(name, '')) AS business_name, ${personColumns('legal_rep_id_number', 'legal_rep_name')},
    registered_capital AS registered_capital_raw, parse_cents(registered_capital) AS registered_capital_cents,
    established_date AS established_date_raw, parse_date(established_date) AS established_date, trim(coalesce(status, '')) AS status, source_row`,
};

const RAW_COLUMNS: Record<ExtractKind, readonly string[]> = {
  insured: ['birth_date_raw', 'monthly_benefit_raw', 'benefit_start_date_raw'],
  deaths: ['death_date_raw'],
  prison: ['start_date_raw', 'end_date_raw'],
  payroll: ['month_raw', 'wage_raw'],
  hospital: ['admission_date_raw', 'discharge_date_raw', 'total_cost_raw', 'out_of_pocket_raw'],
  assistance: ['monthly_amount_raw', 'start_date_raw'],
  business: ['registered_capital_raw', 'established_date_raw'],
};

const required = (column: string, value = column) => `CASE WHEN ${value} = '' THEN '${column} is missing' END`;
const badDate = (column: string, isRequired: boolean) =>
  `CASE WHEN fold_text(${column}_raw) = '' THEN ${isRequired ? `'${column} is missing'` : 'NULL'}
        WHEN ${column} IS NULL THEN '${column} "' || ${column}_raw || '" is not a date (YYYY-MM-DD)' END`;
const badAmount = (column: string, cents: string) =>
  `CASE WHEN fold_text(${column}_raw) = '' THEN '${column} is missing'
        WHEN ${cents} IS NULL THEN '${column} "' || ${column}_raw || '" is not an amount'
        WHEN ${cents} < 0 THEN '${column} is negative' END`;

// Each entry yields a reason or NULL; a row is rejected when any reason is present.
const PROBLEMS: Record<ExtractKind, string[]> = {
  insured: [
    `CASE WHEN id_clean = '' THEN 'id_number is missing' END`,
    `CASE WHEN status = '' THEN 'status is missing'
          WHEN status NOT IN (${INSURED_STATUSES.map(sqlString).join(', ')}) THEN 'status "' || status || '" is not one of ${INSURED_STATUSES.join('/')}' END`,
    `CASE WHEN fold_text(monthly_benefit_raw) = '' THEN CASE WHEN status = '领取待遇' THEN 'monthly_benefit is missing for a record drawing benefits' END
          WHEN monthly_benefit_cents IS NULL THEN 'monthly_benefit "' || monthly_benefit_raw || '" is not an amount'
          WHEN monthly_benefit_cents < 0 THEN 'monthly_benefit is negative' END`,
    badDate('birth_date', false),
    badDate('benefit_start_date', false),
  ],
  deaths: [badDate('death_date', true)],
  prison: [badDate('start_date', true), badDate('end_date', false), `CASE WHEN end_date < start_date THEN 'end_date is before start_date' END`],
  payroll: [
    required('employer_credit_code'),
    `CASE WHEN fold_text(month_raw) = '' THEN 'month is missing' WHEN month IS NULL THEN 'month "' || month_raw || '" is not a month (YYYY-MM)' END`,
    badAmount('wage', 'wage_cents'),
  ],
  hospital: [
    badDate('admission_date', true),
    badDate('discharge_date', false),
    `CASE WHEN discharge_date < admission_date THEN 'discharge_date is before admission_date' END`,
    badAmount('total_cost', 'total_cost_cents'),
    badAmount('out_of_pocket', 'out_of_pocket_cents'),
    `CASE WHEN out_of_pocket_cents > total_cost_cents THEN 'out_of_pocket exceeds total_cost' END`,
  ],
  assistance: [required('household_id'), required('category'), badAmount('monthly_amount', 'monthly_amount_cents'), badDate('start_date', true)],
  business: [required('credit_code'), badAmount('registered_capital', 'registered_capital_cents'), badDate('established_date', false), required('status')],
};

// China has kept UTC+8 all year since 1991, so a fixed offset gives the local calendar date.
function chinaToday(): string {
  return new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
}

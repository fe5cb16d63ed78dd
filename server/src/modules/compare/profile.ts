import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { loadExtract, prepareComparisonDatabase, type ExtractKind, type RejectedRow } from './extracts.ts';

/** What profiling an uploaded extract found (数据画像). */
export interface ExtractProfile {
  /** Detected text encoding; null for a workbook or Parquet file. */
  encoding: string | null;
  /** Data rows in the file: loaded plus rejected. */
  rowsRead: number;
  rowsLoaded: number;
  /** Rows that were not loaded, each with its line number and every reason. */
  rejected: RejectedRow[];
  /** Loaded rows whose ID passes GB 11643, and those that fail it; null for a kind without a person ID. */
  idsValid: number | null;
  idsInvalid: number | null;
  /** Every date column of the loaded extract with its earliest and latest value (YYYY-MM-DD). */
  dateRanges: Record<string, { min: string | null; max: string | null }>;
  /** True when a (normalised ID → region code) index was written for placing findings. */
  hasRegionIndex: boolean;
  /** True when the loaded rows with a valid ID were written sorted by ID, for looking up a few people. */
  hasPersonIndex: boolean;
}

/**
 * Profiles one extract with the engine's own loader: loads it into an in-memory DuckDB exactly as a
 * comparison would (same validation, same rejected rows), then queries the loaded table for the ID
 * validity and the range of every date column. When the extract carries a `region_code` (the
 * insured roll does), writes `regionIndexPath`: a Parquet file of normalised ID → area code, so that
 * a run can place a finding in the person's district without loading the roll a second time.
 */
export async function profileExtract(kind: ExtractKind, file: string, options: { regionIndexPath?: string; personIndexPath?: string } = {}): Promise<ExtractProfile> {
  const workDir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'minsheng-profile-'));
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    await prepareComparisonDatabase(connection);
    const loaded = await loadExtract(connection, kind, file, workDir);
    const columns = await describe(connection, kind);
    const dateRanges: ExtractProfile['dateRanges'] = {};
    for (const column of columns.filter((c) => c.type === 'DATE').map((c) => c.name)) {
      const [row] = await readRows(connection, `SELECT CAST(min(${quoted(column)}) AS VARCHAR) AS min, CAST(max(${quoted(column)}) AS VARCHAR) AS max FROM ${quoted(kind)}`);
      dateRanges[column] = { min: asText(row?.min), max: asText(row?.max) };
    }
    let idsValid: number | null = null;
    let idsInvalid: number | null = null;
    if (columns.some((c) => c.name === 'id_valid')) {
      const [row] = await readRows(
        connection,
        `SELECT CAST(count(*) FILTER (WHERE id_valid) AS INTEGER) AS valid, CAST(count(*) FILTER (WHERE NOT id_valid OR id_valid IS NULL) AS INTEGER) AS invalid FROM ${quoted(kind)}`,
      );
      idsValid = Number(row?.valid ?? 0);
      idsInvalid = Number(row?.invalid ?? 0);
    }
    let hasRegionIndex = false;
    if (options.regionIndexPath && columns.some((c) => c.name === 'region_code') && columns.some((c) => c.name === 'id_norm')) {
      await fs.promises.mkdir(path.dirname(options.regionIndexPath), { recursive: true });
      await connection.run(
        `COPY (SELECT id_norm, arg_max(region_code, row_number) AS region_code FROM ${quoted(kind)}
               WHERE id_norm IS NOT NULL AND coalesce(region_code, '') <> '' GROUP BY id_norm)
         TO ${sqlLiteral(options.regionIndexPath)} (FORMAT parquet)`,
      );
      hasRegionIndex = true;
    }
    // The typed rows sorted by ID: Parquet's per-row-group minimum and maximum then let a lookup of
    // a household's few members (the economic check of social assistance) skip almost every group
    // instead of loading the whole extract again.
    let hasPersonIndex = false;
    if (options.personIndexPath && columns.some((c) => c.name === 'id_norm')) {
      await fs.promises.mkdir(path.dirname(options.personIndexPath), { recursive: true });
      await connection.run(`COPY (SELECT * FROM ${quoted(kind)} WHERE id_norm IS NOT NULL ORDER BY id_norm) TO ${sqlLiteral(options.personIndexPath)} (FORMAT parquet)`);
      hasPersonIndex = true;
    }
    return {
      encoding: loaded.encoding,
      rowsRead: loaded.rowsRead,
      rowsLoaded: loaded.rowsLoaded,
      rejected: loaded.rejected,
      idsValid,
      idsInvalid,
      dateRanges,
      hasRegionIndex,
      hasPersonIndex,
    };
  } finally {
    connection.closeSync();
    instance.closeSync();
    await fs.promises.rm(workDir, { recursive: true, force: true });
  }
}

/**
 * The area codes (行政区划代码) that a region index written by {@link profileExtract} holds for the
 * given normalised IDs; IDs it does not hold are absent from the answer.
 */
export async function readRegionCodes(regionIndexPath: string, idNumbers: readonly string[]): Promise<Map<string, string>> {
  const codes = new Map<string, string>();
  if (idNumbers.length === 0 || !fs.existsSync(regionIndexPath)) return codes;
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    await connection.run('CREATE TABLE wanted (id_norm VARCHAR)');
    const appender = await connection.createAppender('wanted');
    for (const id of new Set(idNumbers)) {
      appender.appendVarchar(id);
      appender.endRow();
    }
    appender.closeSync();
    const rows = await readRows(connection, `SELECT r.id_norm, r.region_code FROM read_parquet(${sqlLiteral(regionIndexPath)}) r JOIN wanted USING (id_norm)`);
    for (const row of rows) codes.set(String(row.id_norm), String(row.region_code));
    return codes;
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

async function describe(connection: DuckDBConnection, table: string): Promise<Array<{ name: string; type: string }>> {
  const rows = await readRows(connection, `SELECT column_name, column_type FROM (DESCRIBE ${quoted(table)})`);
  return rows.map((row) => ({ name: String(row.column_name), type: String(row.column_type) }));
}

async function readRows(connection: DuckDBConnection, sql: string) {
  return (await connection.runAndReadAll(sql)).getRowObjectsJson();
}

function sqlLiteral(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

function quoted(identifier: string): string {
  return `"${identifier.replaceAll('"', '""')}"`;
}

function asText(value: unknown): string | null {
  return value === null || value === undefined ? null : String(value);
}

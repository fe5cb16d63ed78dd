import { DuckDBIntegerVector, type DuckDBConnection, type DuckDBDataChunk, type DuckDBVector, type Json } from '@duckdb/node-api';
import { AppError } from '../../../platform/errors.ts';

// SQL of the fuzzy linking stage. Every statement runs inside DuckDB over the loaded extracts; only
// the candidate pairs of the leftover rows (never the insured roll) are read back into JS.

/** Columns of the engine's link table (see the compare module); created here only when absent. */
const ID_LINKS_TABLE = `CREATE TABLE IF NOT EXISTS id_links (dataset VARCHAR, row_number INTEGER, linked_id VARCHAR, method VARCHAR, score DOUBLE, evidence JSON)`;

// Whitespace (ASCII, no-break, ideographic, BOM) and the middle dots of transliterated names, as
// foldName drops them in JS. Applied to the leftover rows only: the roll's names come trimmed by the loader.
const CLEAN_NAME = (column: string) =>
  `regexp_replace(coalesce(${column}, ''), '[\\s\\x{00A0}\\x{3000}\\x{FEFF}\\x{00B7}\\x{2022}\\x{2027}\\x{30FB}\\x{FF0E}\\x{FF65}.]+', '', 'g')`;

const ID18 = `regexp_full_match(id_clean, '\\d{17}[\\dX]')`;
const ID15 = `regexp_full_match(id_clean, '\\d{15}')`;

/**
 * Tables kept on the connection between runs of the stage (one run per dataset): the per-character
 * pinyin keys, and the roll index with the fingerprint of the insured table it was built from.
 */
const CHARACTER_CODES = 'fuzzy_character_codes';
const ROLL_INDEX = 'fuzzy_roll';
const ROLL_SOURCE = 'fuzzy_roll_source';

/** Work tables of one run of the stage, dropped at its end. */
const WORK_TABLES = ['fuzzy_left', 'fuzzy_identities', 'fuzzy_keys', 'fuzzy_candidates', 'fuzzy_names', 'fuzzy_links', 'fuzzy_character_rows'] as const;

/** Optional columns of a dataset that the stage uses as extra evidence when present. */
export interface DatasetColumns {
  hasBirthDate: boolean;
  hasGender: boolean;
}

/**
 * Checks that `dataset` names a loaded person extract with the columns of the linking contract and
 * that the insured roll is loaded; creates `id_links` when the engine has not yet. The name is
 * interpolated into SQL, so it must be a plain identifier.
 */
export async function prepareFuzzyStage(connection: DuckDBConnection, dataset: string): Promise<DatasetColumns> {
  if (!/^[a-z_][a-z0-9_]*$/u.test(dataset) || dataset === 'insured') {
    throw new AppError('VALIDATION_FAILED', `the fuzzy stage links a person extract other than insured to the insured roll; "${dataset}" is not one`);
  }
  const columns = await tableColumns(connection, dataset);
  const insuredColumns = await tableColumns(connection, 'insured');
  for (const [table, present, required] of [
    [dataset, columns, ['row_number', 'id_raw', 'id_clean', 'name']],
    ['insured', insuredColumns, ['row_number', 'id_norm', 'id_valid', 'name', 'gender', 'birth_date']],
  ] as const) {
    const missing = required.filter((column) => !present.has(column));
    if (missing.length > 0) {
      throw new AppError('VALIDATION_FAILED', present.size === 0 ? `table ${table} is not loaded` : `table ${table} lacks the column(s) ${missing.join(', ')}`);
    }
  }
  await connection.run(ID_LINKS_TABLE);
  return { hasBirthDate: columns.has('birth_date'), hasGender: columns.has('gender') };
}

async function tableColumns(connection: DuckDBConnection, table: string): Promise<Set<string>> {
  const rows = await readJson(connection, `SELECT column_name FROM information_schema.columns WHERE table_name = '${table}'`);
  return new Set(rows.map((row) => String(row.column_name)));
}

/** One character's blocking codes: equal codes mean equal dialect-folded readings. */
export interface CharacterKeyRow {
  character: string;
  /** Code of the reading as a surname (单 → shan). */
  surnameCode: number;
  /** Code of the reading in a given name (单 → dan). */
  givenCode: number;
}

// Code points covered by the character codes: CJK extension A through the compatibility ideographs.
const FIRST_CODE_POINT = 0x3400;
const LAST_CODE_POINT = 0xfaff;

/** Whether the character codes are already on this connection. */
export async function hasCharacterKeys(connection: DuckDBConnection): Promise<boolean> {
  const rows = await readJson(connection, `SELECT count(*) AS n FROM duckdb_tables() WHERE table_name = '${CHARACTER_CODES}'`);
  return Number(rows[0]!.n) > 0;
}

/**
 * Stores the per-character codes computed in JS (appended row by row) as two lists indexed by code
 * point, so SQL reads a name's codes with a list lookup instead of a join: on tens of millions of
 * names that is twice as fast.
 */
export async function saveCharacterKeys(connection: DuckDBConnection, keys: Iterable<CharacterKeyRow>): Promise<void> {
  await connection.run(`CREATE OR REPLACE TEMP TABLE fuzzy_character_rows (code_point INTEGER, surname_code INTEGER, given_code INTEGER)`);
  const appender = await connection.createAppender('fuzzy_character_rows');
  for (const key of keys) {
    appender.appendInteger(key.character.codePointAt(0)!);
    appender.appendInteger(key.surnameCode);
    appender.appendInteger(key.givenCode);
    appender.endRow();
  }
  appender.closeSync();
  await connection.run(`CREATE OR REPLACE TABLE ${CHARACTER_CODES} AS
    SELECT list(c.surname_code ORDER BY p.range) AS surname_codes, list(c.given_code ORDER BY p.range) AS given_codes
    FROM range(${FIRST_CODE_POINT}, ${LAST_CODE_POINT + 1}) p LEFT JOIN fuzzy_character_rows c ON c.code_point = p.range;
    DROP TABLE fuzzy_character_rows`);
}

// A name's blocking codes from its first two characters: the surname's reading, and surname plus the
// next character's reading, which narrows a block to people whose given names sound alike too. The
// query must cross join ${CHARACTER_CODES} as \`codes\`; characters outside the table have no code.
const codeAt = (list: string, codePoint: string) =>
  `CASE WHEN ${codePoint} BETWEEN ${FIRST_CODE_POINT} AND ${LAST_CODE_POINT} THEN codes.${list}[${codePoint} - ${FIRST_CODE_POINT - 1}] END`;
const NAME_CODES = (name: string) => `
  ${codeAt('surname_codes', `unicode(${name})`)} AS surname_code,
  ${codeAt('surname_codes', `unicode(${name})`)}::BIGINT * 1000000 + ${codeAt('given_codes', `unicode(substr(${name}, 2, 1))`)} AS name_code`;

/**
 * Builds the roll index unless the insured table is the one it was built from (same table object
 * and row count): per valid insured row, the ID parts as small integers (area, birth year, month-day,
 * order code) and the name codes. Integer keys keep the blocking joins over tens of millions of rows
 * fast and the index small (about 20 bytes a row). Returns whether it was (re)built.
 */
export async function ensureRollIndex(connection: DuckDBConnection): Promise<boolean> {
  const fingerprint = `SELECT (SELECT max(table_oid) FROM duckdb_tables() WHERE table_name = 'insured') AS table_oid, (SELECT count(*) FROM insured) AS row_count`;
  await connection.run(`CREATE TABLE IF NOT EXISTS ${ROLL_SOURCE} (table_oid BIGINT, row_count BIGINT)`);
  const current = await readJson(connection, `SELECT count(*) AS n FROM (${fingerprint}) f JOIN ${ROLL_SOURCE} s USING (table_oid, row_count)`);
  if (Number(current[0]!.n) > 0) return false;
  // One BIGINT cast of the 17 body digits, then arithmetic: cheaper than four substrings.
  await connection.run(`CREATE OR REPLACE TABLE ${ROLL_INDEX} AS
    SELECT row_number AS insured_row, CAST(body // 100000000000 AS INTEGER) AS area, CAST(body // 10000000 % 10000 AS SMALLINT) AS year,
           CAST(body // 1000 % 10000 AS SMALLINT) AS month_day, CAST(body % 1000 AS SMALLINT) AS sequence, ${NAME_CODES('name')}
    FROM (SELECT row_number, CAST(left(id_norm, 17) AS BIGINT) AS body, name FROM insured WHERE id_valid), ${CHARACTER_CODES} codes`);
  await connection.run(`DELETE FROM ${ROLL_SOURCE}; INSERT INTO ${ROLL_SOURCE} ${fingerprint}`);
  return true;
}

/**
 * Copies the rows of `dataset` that have no link yet into `fuzzy_left` with the ID parts still
 * readable (birth date digits, area code, order code), whatever the check character says, and
 * groups them into identities: rows written alike (the same person paid every month) are linked
 * once. A declared birth date or gender column, when the extract has one, is kept as other evidence.
 * Returns the number of rows and of identities.
 */
export async function createLeftovers(connection: DuckDBConnection, dataset: string, columns: DatasetColumns): Promise<{ rows: number; identities: number }> {
  await connection.run(`CREATE OR REPLACE TEMP TABLE fuzzy_left AS
    WITH leftover AS (
      SELECT d.row_number, d.id_raw, coalesce(d.id_clean, '') AS id_clean, coalesce(d.id_valid, false) AS id_valid, coalesce(d.name, '') AS name, ${CLEAN_NAME('d.name')} AS clean_name,
             ${columns.hasBirthDate ? `strftime(TRY_CAST(d.birth_date AS DATE), '%Y%m%d')` : 'CAST(NULL AS VARCHAR)'} AS declared_birth,
             ${columns.hasGender ? 'CAST(d.gender AS VARCHAR)' : 'CAST(NULL AS VARCHAR)'} AS declared_gender
      FROM ${dataset} d
      WHERE NOT EXISTS (SELECT 1 FROM id_links x WHERE x.dataset = '${dataset}' AND x.row_number = d.row_number))
    SELECT *,
           CASE WHEN ${ID18} THEN substr(id_clean, 7, 8) WHEN ${ID15} THEN '19' || substr(id_clean, 7, 6) END AS id_birth,
           CASE WHEN ${ID18} OR ${ID15} THEN left(id_clean, 6) END AS area,
           CASE WHEN ${ID18} THEN substr(id_clean, 15, 3) WHEN ${ID15} THEN substr(id_clean, 13, 3) END AS sequence
    FROM leftover`);
  await connection.run(`CREATE OR REPLACE TEMP TABLE fuzzy_identities AS
    SELECT CAST(row_number() OVER (ORDER BY min(row_number)) AS INTEGER) AS identity, id_clean, clean_name, declared_birth, declared_gender,
           any_value(id_birth) AS id_birth, any_value(area) AS area, any_value(sequence) AS sequence, bool_or(id_valid) AS id_valid,
           arg_min(id_raw, row_number) AS id_raw, arg_min(name, row_number) AS name,
           list({'row': row_number, 'idAsWritten': id_raw, 'name': name} ORDER BY row_number) AS rows
    FROM fuzzy_left
    GROUP BY id_clean, clean_name, declared_birth, declared_gender`);
  const counts = await readJson(connection, `SELECT (SELECT CAST(count(*) AS INTEGER) FROM fuzzy_left) AS rows, (SELECT CAST(count(*) AS INTEGER) FROM fuzzy_identities) AS identities`);
  return { rows: Number(counts[0]!.rows), identities: Number(counts[0]!.identities) };
}

/** Leftover identities that no blocking pass can use: no name, or neither a birth date nor area and order codes. */
export async function countIdentitiesWithoutKeys(connection: DuckDBConnection): Promise<number> {
  const rows = await readJson(
    connection,
    `SELECT CAST(count(*) AS INTEGER) AS n FROM fuzzy_identities
     WHERE clean_name = '' OR (id_birth IS NULL AND declared_birth IS NULL AND (area IS NULL OR sequence IS NULL))`,
  );
  return Number(rows[0]!.n);
}

/** What the blocking kept: candidate pairs and the (identity, pass) blocks dropped by the cap. */
export interface BlockingCounts {
  candidatePairs: number;
  cappedBlocks: number;
}

// Each pass joins the leftover keys with the roll index on these columns. The 17 body digits of an ID
// fall into four parts: area, birth year, birth month-day, order code. Mistyped digits in one part
// leave three intact, and the four three-part passes need no name at all (a few people each, even on
// 26 million). Two mistyped digits in two parts leave a pair intact: each pair of parts is a pass,
// narrowed by the surname code (its reading, so homophones and near-sounds agree) where the pair is
// already narrow, and by the name code (surname and next character read alike) where it is broad.
// Sizes are for a Chongqing-sized roll (26.6 million people, 38 areas) and a common surname (7 %).
const PASSES: readonly (readonly [string, readonly string[]])[] = [
  ['birth_date+area', ['area', 'year', 'month_day']],
  ['area+birth_year+sequence', ['area', 'year', 'sequence']],
  ['area+birth_month_day+sequence', ['area', 'month_day', 'sequence']],
  ['birth_date+sequence', ['year', 'month_day', 'sequence']],
  ['birth_date+surname', ['year', 'month_day', 'surname_code']], // ≈ 60 people
  ['birth_month_day+sequence+surname', ['month_day', 'sequence', 'surname_code']], // ≈ 5
  ['area+sequence+name', ['area', 'sequence', 'name_code']], // ≈ 50 with the surname alone
  ['birth_year+sequence+name', ['year', 'sequence', 'name_code']], // ≈ 25
  ['area+birth_month_day+name', ['area', 'month_day', 'name_code']], // ≈ 130
  ['area+birth_year+name', ['area', 'year', 'name_code']], // ≈ 600
];

/**
 * Multi-pass blocking inside DuckDB: the leftover identities' keys (from the written ID, or a
 * declared birth date when the ID is missing) are joined with the roll index once per pass (see
 * PASSES: any ID with mistyped digits in one of its four parts, or in two parts under a name read
 * alike, meets its owner), and the union is kept. A key matching more than `maxBlockSize` insured
 * rows is dropped for that pass, so a placeholder birth date or a very common name cannot flood
 * the stage.
 */
export async function selectCandidates(connection: DuckDBConnection, maxBlockSize: number): Promise<BlockingCounts> {
  // Two steps: the character-code lists are crossed with a plain scan only. Crossed with the output
  // of a join, DuckDB copies both lists (tens of thousands of entries) into every row, which ran
  // out of memory at city scale.
  await connection.run(`CREATE OR REPLACE TEMP TABLE fuzzy_births AS
    WITH births AS (
      SELECT DISTINCT identity, birth FROM (SELECT identity, unnest([id_birth, declared_birth]) AS birth FROM fuzzy_identities WHERE clean_name <> '')
      QUALIFY birth IS NOT NULL OR count(birth) OVER (PARTITION BY identity) = 0)
    SELECT b.identity, f.id_valid, b.birth, f.area, f.sequence, f.clean_name FROM births b JOIN fuzzy_identities f USING (identity)`);
  await connection.run(`CREATE OR REPLACE TEMP TABLE fuzzy_keys AS
    SELECT b.identity, b.id_valid, TRY_CAST(left(b.birth, 4) AS SMALLINT) AS year, TRY_CAST(substr(b.birth, 5, 4) AS SMALLINT) AS month_day,
           TRY_CAST(b.area AS INTEGER) AS area, TRY_CAST(b.sequence AS SMALLINT) AS sequence, ${NAME_CODES('b.clean_name')}
    FROM fuzzy_births b, ${CHARACTER_CODES} codes;
    DROP TABLE fuzzy_births`);
  const cap = Math.trunc(maxBlockSize);
  // Block sizes are counted on the roll index first, per key, and only keys within the cap are
  // joined: materialising an oversized block just to drop it would hold tens of millions of pairs
  // when many leftovers have no match at all (a death register covers the uninsured too). A
  // leftover whose ID passes the check character is most likely someone who is not on the roll; a
  // typo that happens to pass it (1 in 11) still leaves three ID parts intact, so such leftovers
  // take only the ID-part passes, not the name passes.
  // A pass is stored as its index in PASSES, and a pair's passes as a bit mask: tens of millions of
  // pairs aggregate integers far faster than lists of names.
  await connection.run(`CREATE OR REPLACE TEMP TABLE fuzzy_blocks (identity INTEGER, pass TINYINT, insured_row INTEGER, is_capped BOOLEAN)`);
  for (const [pass, [, columns]] of PASSES.entries()) {
    const on = columns.map((column) => `r.${column} = k.${column}`).join(' AND ');
    const usesName = columns.some((column) => column.endsWith('_code'));
    // Keys and their block sizes go into tables of their own before each join with the roll: their
    // exact (small) sizes make DuckDB build every hash table on the keys, never on tens of millions
    // of roll rows (a semi join over a subquery was estimated the other way round and ran out of
    // memory at city scale).
    await connection.run(`CREATE OR REPLACE TEMP TABLE fuzzy_pass_keys AS
      SELECT DISTINCT identity, ${columns.join(', ')} FROM fuzzy_keys
      WHERE ${columns.map((column) => `${column} IS NOT NULL`).join(' AND ')}${usesName ? ' AND NOT id_valid' : ''}`);
    await connection.run(`CREATE OR REPLACE TEMP TABLE fuzzy_pass_sizes AS
      SELECT ${columns.map((column) => `k.${column}`).join(', ')}, count(*) AS size
      FROM (SELECT DISTINCT ${columns.join(', ')} FROM fuzzy_pass_keys) k JOIN ${ROLL_INDEX} r ON ${on}
      GROUP BY ALL`);
    await connection.run(`INSERT INTO fuzzy_blocks
      WITH sized AS (SELECT k.identity, ${columns.map((column) => `k.${column}`).join(', ')}, s.size
                     FROM fuzzy_pass_keys k JOIN fuzzy_pass_sizes s ON ${columns.map((column) => `s.${column} = k.${column}`).join(' AND ')})
      SELECT DISTINCT k.identity, ${pass}, r.insured_row, false FROM (FROM sized WHERE size <= ${cap}) k JOIN ${ROLL_INDEX} r ON ${on}
      UNION ALL
      SELECT DISTINCT identity, ${pass}, NULL, true FROM sized WHERE size > ${cap}`);
  }
  await connection.run('DROP TABLE fuzzy_pass_keys; DROP TABLE fuzzy_pass_sizes');
  const capped = await readJson(connection, `SELECT CAST(count(*) AS INTEGER) AS n FROM (SELECT DISTINCT identity, pass FROM fuzzy_blocks WHERE is_capped)`);
  // Only the oversized pass is dropped: a pair it proposed may still come through a narrower pass.
  // Each pair gets the roll's details here, in one join for all of them, and the roll's names a
  // number each (the first pass prepares each distinct name once).
  await connection.run(`CREATE OR REPLACE TEMP TABLE fuzzy_pairs AS
    WITH pairs AS (SELECT identity, insured_row, bit_or(CAST(1 AS INTEGER) << pass) AS passes FROM fuzzy_blocks WHERE NOT is_capped GROUP BY identity, insured_row)
    SELECT p.identity, p.insured_row, i.id_norm, coalesce(i.name, '') AS name, CAST(i.gender AS VARCHAR) AS gender, CAST(i.birth_date AS VARCHAR) AS birth_date,
           p.passes
    FROM pairs p JOIN insured i ON i.row_number = p.insured_row;
    DROP TABLE fuzzy_blocks;
    CREATE OR REPLACE TEMP TABLE fuzzy_names AS SELECT CAST(row_number() OVER () - 1 AS INTEGER) AS name_id, name FROM (SELECT DISTINCT name FROM fuzzy_pairs);
    CREATE OR REPLACE TEMP TABLE fuzzy_candidates AS
    SELECT p.identity, p.insured_row, p.id_norm, p.name, n.name_id, p.gender, p.birth_date, p.passes,
           CAST(left(p.id_norm, 9) AS INTEGER) AS id_high, CAST(substr(p.id_norm, 10, 8) AS INTEGER) AS id_low, CAST(unicode(substr(p.id_norm, 18, 1)) AS INTEGER) AS id_check
    FROM fuzzy_pairs p JOIN fuzzy_names n ON n.name = p.name;
    DROP TABLE fuzzy_pairs`);
  const pairs = await readJson(connection, `SELECT CAST(count(*) AS INTEGER) AS n FROM fuzzy_candidates`);
  return { candidatePairs: Number(pairs[0]!.n), cappedBlocks: Number(capped[0]!.n) };
}

/** What the first pass reads of every leftover identity, once. */
export interface IdentityToCompare {
  identity: number;
  idClean: string;
  name: string;
  declaredBirth: string | null;
  declaredGender: string | null;
}

/** Reads every leftover identity that has candidates, in identity order. */
export async function readIdentitiesToCompare(connection: DuckDBConnection): Promise<IdentityToCompare[]> {
  const identities: IdentityToCompare[] = [];
  await forEachChunk(
    connection,
    `SELECT identity, id_clean, name, declared_birth, declared_gender FROM fuzzy_identities
     WHERE identity IN (SELECT DISTINCT identity FROM fuzzy_candidates) ORDER BY identity`,
    (chunk) => {
      const [identity, idClean, name, declaredBirth, declaredGender] = [0, 1, 2, 3, 4].map((column) => chunk.getColumnVector(column));
      for (let row = 0; row < chunk.rowCount; row++) {
        identities.push({
          identity: Number(identity!.getItem(row)),
          idClean: String(idClean!.getItem(row)),
          name: String(name!.getItem(row)),
          declaredBirth: (declaredBirth!.getItem(row) as string | null) ?? null,
          declaredGender: (declaredGender!.getItem(row) as string | null) ?? null,
        });
      }
    },
  );
  return identities;
}

/** The roll's names among the candidates, indexed by their number (`name_id`). */
export async function readCandidateNames(connection: DuckDBConnection): Promise<string[]> {
  const names: string[] = [];
  await forEachChunk(connection, `SELECT name_id, name FROM fuzzy_names`, (chunk) => {
    const [nameId, name] = [chunk.getColumnVector(0), chunk.getColumnVector(1)];
    for (let row = 0; row < chunk.rowCount; row++) names[Number(nameId.getItem(row))] = String(name.getItem(row));
  });
  return names;
}

/** The distinct values of the roll's gender column among the candidates (a handful: 男, 女, null…). */
export async function readCandidateGenders(connection: DuckDBConnection): Promise<(string | null)[]> {
  const rows = await readJson(connection, `SELECT DISTINCT gender FROM fuzzy_candidates`);
  return rows.map((row) => (row.gender === null ? null : String(row.gender)));
}

/** One batch of candidate pairs in reading order, as integer columns (valid only until the next batch). */
export interface CandidatePairBatch {
  rows: number;
  identity: Int32Array;
  insuredRow: Int32Array;
  nameId: Int32Array;
  /** The insured ID's first nine digits, its next eight, and its check character's code. */
  idHigh: Int32Array;
  idLow: Int32Array;
  idCheck: Int32Array;
  /** The code `genderCodes` gives the roll's gender column, 0 for any other value. */
  gender: Int32Array;
}

/**
 * Streams every candidate pair in the order readCandidates gives (identity, insured ID, row) as
 * integer columns read from DuckDB's vectors: no value of the tens of millions of pairs becomes a
 * JS string.
 */
export async function readCandidatePairs(connection: DuckDBConnection, genderCodes: ReadonlyMap<string, number>, each: (batch: CandidatePairBatch) => void | Promise<void>): Promise<void> {
  const genderCase = genderCodes.size === 0 ? '0' : `CASE gender ${[...genderCodes].map(([value, code]) => `WHEN ${sqlString(value)} THEN ${Math.trunc(code)}`).join(' ')} ELSE 0 END`;
  await forEachChunk(
    connection,
    // The ID's three numbers sort as the ID does (digits of a fixed length; the check character's
    // code puts X after the digits), and sort faster than the text.
    `SELECT identity, insured_row, name_id, id_high, id_low, id_check, CAST(${genderCase} AS INTEGER)
     FROM fuzzy_candidates ORDER BY identity, id_high, id_low, id_check, insured_row`,
    (chunk) => {
      const [identity, insuredRow, nameId, idHigh, idLow, idCheck, gender] = [0, 1, 2, 3, 4, 5, 6].map((column) => integers(chunk.getColumnVector(column), chunk.rowCount, column));
      return each({ rows: chunk.rowCount, identity: identity!, insuredRow: insuredRow!, nameId: nameId!, idHigh: idHigh!, idLow: idLow!, idCheck: idCheck!, gender: gender! });
    },
  );
}

// One buffer per column, reused from batch to batch (a batch is at most one DuckDB chunk of 2,048 rows).
const columnBuffers = Array.from({ length: 7 }, () => new Int32Array(4096));

function integers(vector: DuckDBVector, rows: number, column: number): Int32Array {
  if (!(vector instanceof DuckDBIntegerVector)) throw new Error(`expected an INTEGER column, got ${vector.type.toString()}`);
  if (columnBuffers[column]!.length < rows) columnBuffers[column] = new Int32Array(rows);
  const buffer = columnBuffers[column]!;
  for (let row = 0; row < rows; row++) {
    const value = vector.getItem(row);
    if (value === null) throw new Error('a candidate pair column is null');
    buffer[row] = value;
  }
  return buffer;
}

function sqlString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

async function forEachChunk(connection: DuckDBConnection, sql: string, each: (chunk: DuckDBDataChunk) => void | Promise<void>): Promise<void> {
  const result = await connection.stream(sql);
  for (let chunk = await result.fetchChunk(); chunk !== null && chunk.rowCount > 0; chunk = await result.fetchChunk()) await each(chunk);
}

/** One row of a leftover identity, as written. */
export interface IdentityRow {
  row: number;
  idAsWritten: string | null;
  name: string;
}

/** A leftover identity: rows written alike, with what they say. */
export interface LeftoverIdentity {
  identity: number;
  idRaw: string | null;
  idClean: string;
  name: string;
  declaredBirth: string | null;
  declaredGender: string | null;
  rows: IdentityRow[];
}

/** One candidate pair as read back for scoring: the identity and the insured person it may be. */
export interface CandidateRow {
  identity: number;
  insuredRow: number;
  insuredId: string;
  insuredName: string;
  insuredGender: string | null;
  insuredBirthDate: string | null;
  passes: string[];
}

/** `identity IN (…)` for `only`, or nothing to add. */
function onlyIdentities(only: readonly number[] | undefined): string {
  if (!only) return '';
  if (!only.every(Number.isInteger)) throw new Error('identities must be integers');
  return ` AND identity IN (${only.join(', ')})`;
}

/** Reads the identities of a range that have candidates (`only` these, when given). */
export async function readCandidateIdentities(connection: DuckDBConnection, range: IdentityRange, only?: readonly number[]): Promise<LeftoverIdentity[]> {
  const rows = await readJson(
    connection,
    `SELECT identity, id_raw, id_clean, name, declared_birth, declared_gender, rows FROM fuzzy_identities
     WHERE identity BETWEEN ${range.from} AND ${range.to}${onlyIdentities(only)}
       AND identity IN (SELECT identity FROM fuzzy_candidates WHERE identity BETWEEN ${range.from} AND ${range.to}) ORDER BY identity`,
  );
  return rows.map((row) => ({
    identity: Number(row.identity),
    idRaw: row.id_raw === null ? null : String(row.id_raw),
    idClean: String(row.id_clean),
    name: String(row.name),
    declaredBirth: row.declared_birth === null ? null : String(row.declared_birth),
    declaredGender: row.declared_gender === null ? null : String(row.declared_gender),
    rows: (row.rows as { row: Json; idAsWritten: Json; name: Json }[]).map((entry) => ({
      row: Number(entry.row),
      idAsWritten: entry.idAsWritten === null ? null : String(entry.idAsWritten),
      name: String(entry.name),
    })),
  }));
}

/** Identities numbered `from` to `to`, both included: the linked ones are read back a range at a time, to be described. */
export interface IdentityRange {
  from: number;
  to: number;
}

/**
 * Reads the candidate pairs of a range of identities (`only` these, when given) with the roll's
 * details, by identity, then insured ID and row: the same pairs come back in the same order.
 */
export async function readCandidates(connection: DuckDBConnection, range: IdentityRange, only?: readonly number[]): Promise<CandidateRow[]> {
  const reader = await connection.runAndReadAll(
    `SELECT identity, insured_row, id_norm, name, gender, birth_date, passes FROM fuzzy_candidates
     WHERE identity BETWEEN ${range.from} AND ${range.to}${onlyIdentities(only)}
     ORDER BY identity, id_norm, insured_row`,
  );
  // Column arrays rather than row objects: a large run reads a million pairs here.
  if (reader.currentRowCount === 0) return [];
  const [identity, insuredRow, idNorm, name, gender, birthDate, passes] = reader.getColumnsJson();
  return identity!.map((value, index) => ({
    identity: Number(value),
    insuredRow: Number(insuredRow![index]),
    insuredId: String(idNorm![index]),
    insuredName: String(name![index] ?? ''),
    insuredGender: gender![index] === null ? null : String(gender![index]),
    insuredBirthDate: birthDate![index] === null ? null : String(birthDate![index]),
    passes: passNames(Number(passes![index])),
  }));
}

/** The names of the passes set in a mask of pass indexes (bit i = PASSES[i]), in alphabetical order. */
function passNames(mask: number): string[] {
  return PASSES.filter((_, index) => (mask & (1 << index)) !== 0)
    .map(([name]) => name)
    .sort();
}

/** A link the stage accepted. */
export interface FuzzyLinkRow {
  rowNumber: number;
  linkedId: string;
  score: number;
  evidence: Record<string, unknown>;
}

/** Appends the accepted links to `id_links` with method 'fuzzy'. */
export async function insertFuzzyLinks(connection: DuckDBConnection, dataset: string, links: readonly FuzzyLinkRow[]): Promise<void> {
  await connection.run(`CREATE OR REPLACE TEMP TABLE fuzzy_links (row_number INTEGER, linked_id VARCHAR, score DOUBLE, evidence VARCHAR)`);
  const appender = await connection.createAppender('fuzzy_links');
  for (const link of links) {
    appender.appendInteger(link.rowNumber);
    appender.appendVarchar(link.linkedId);
    appender.appendDouble(link.score);
    appender.appendVarchar(JSON.stringify(link.evidence));
    appender.endRow();
  }
  appender.closeSync();
  await connection.run(`INSERT INTO id_links (dataset, row_number, linked_id, method, score, evidence)
    SELECT '${dataset}', row_number, linked_id, 'fuzzy', score, evidence::JSON FROM fuzzy_links`);
}

/** Drops the work tables of one run (the character keys and the roll index stay for the next dataset). */
export async function dropWorkTables(connection: DuckDBConnection): Promise<void> {
  await connection.run(WORK_TABLES.map((table) => `DROP TABLE IF EXISTS ${table};`).join(' '));
}

/** Drops everything the stage keeps on the connection, e.g. to free the roll index's memory after the last dataset. */
export async function dropFuzzyStageTables(connection: DuckDBConnection): Promise<void> {
  await dropWorkTables(connection);
  await connection.run([CHARACTER_CODES, ROLL_INDEX, ROLL_SOURCE].map((table) => `DROP TABLE IF EXISTS ${table};`).join(' '));
}

async function readJson(connection: DuckDBConnection, sql: string): Promise<Record<string, Json>[]> {
  return (await connection.runAndReadAll(sql)).getRowObjectsJson();
}

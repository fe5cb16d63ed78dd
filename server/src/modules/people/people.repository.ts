import { type SelectQueryBuilder, sql } from 'kysely';
import type { Executor } from '../../platform/db/database.ts';
import type { NewHousehold } from '../../platform/db/schema.ts';
import { binaryColumns } from '../../platform/db/binary-arrays.ts';
import { RESIDENT_RECORD_COLUMNS, RESIDENT_RECORD_TYPES } from './resident.record.ts';
import { placeInScope, placeWithin } from '../../platform/auth/index.ts';

/** Region restriction applied to every read: an ltree scope path ('' for everything). */
export interface Scope {
  scopePath: string;
}

/** Filters of the resident search. */
export interface ResidentFilter {
  namePrefix?: string | undefined;
  idNumberIndex?: Uint8Array | undefined;
  phoneIndex?: Uint8Array | undefined;
  placePath?: string | undefined;
  tag?: string | undefined;
}

/** Upper bound of the exact count returned with a search page; beyond it the UI says "10,000+". */
export const COUNT_CAP = 10_000;

const SUMMARY_COLUMNS = [
  'r.id',
  'r.name',
  'r.gender',
  'r.birth_date',
  'r.id_number_masked',
  'r.phone_masked',
  'r.place_id',
  'p.name as place_name',
  'r.household_id',
  'r.tags',
  'r.status',
] as const;

/** Counts the rows of `query` up to {@link COUNT_CAP} + 1: exact for small results, cheap for huge ones. */
async function countCapped<DB, TB extends keyof DB>(db: Executor, query: SelectQueryBuilder<DB, TB, object>): Promise<number> {
  const limited = query.select(sql`1`.as('one')).limit(COUNT_CAP + 1);
  const counted = await sql<{ n: number }>`SELECT count(*)::int AS n FROM (${limited}) AS matches`.execute(db);
  return Number(counted.rows[0]?.n ?? 0);
}

function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}

function searchQuery(db: Executor, scope: Scope, filter: ResidentFilter) {
  let query = db.selectFrom('residents as r').where(placeInScope('r.place_id', scope));
  if (filter.idNumberIndex) query = query.where('r.id_number_index', '=', filter.idNumberIndex);
  if (filter.phoneIndex) query = query.where('r.phone_index', '=', filter.phoneIndex);
  if (filter.namePrefix) query = query.where(sql<boolean>`r.name COLLATE "C" LIKE ${escapeLike(filter.namePrefix) + '%'}`);
  if (filter.placePath) query = query.where(placeWithin('r.place_id', filter.placePath));
  if (filter.tag) query = query.where(sql<boolean>`r.tags @> ARRAY[${filter.tag}]::text[]`);
  return query;
}

/** A page of residents in scope matching the filter, with a count capped at {@link COUNT_CAP}. */
export async function searchResidents(db: Executor, scope: Scope, filter: ResidentFilter, page: { limit: number; offset: number }) {
  const base = searchQuery(db, scope, filter);
  const rows = await base
    .innerJoin('places as p', 'p.id', 'r.place_id')
    .select(SUMMARY_COLUMNS)
    .orderBy(filter.namePrefix ? sql`r.name COLLATE "C"` : sql`r.id`)
    .orderBy('r.id')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  return { rows, total: await countCapped(db, base) };
}

/** Residents in scope after `afterId`, for exports streamed in keyset pages. */
export function findResidentsAfter(db: Executor, scope: Scope, filter: ResidentFilter, afterId: number, limit: number) {
  return searchQuery(db, scope, filter)
    .innerJoin('places as p', 'p.id', 'r.place_id')
    .select([...SUMMARY_COLUMNS, 'r.address_masked', 'r.ethnicity', 'r.relation_to_head', 'p.code as place_code'])
    .where('r.id', '>', afterId)
    .orderBy('r.id')
    .limit(limit)
    .execute();
}

/** One resident in scope with its place and household, or undefined. */
export function findResidentById(db: Executor, scope: Scope, id: number) {
  return db
    .selectFrom('residents as r')
    .innerJoin('places as p', 'p.id', 'r.place_id')
    .leftJoin('households as h', 'h.id', 'r.household_id')
    .select([
      ...SUMMARY_COLUMNS,
      'r.address_masked',
      'r.ethnicity',
      'r.relation_to_head',
      'r.place_path',
      'r.created_at',
      'r.updated_at',
      'h.household_number',
    ])
    .where('r.id', '=', id)
    .where(placeInScope('r.place_id', scope))
    .executeTakeFirst();
}

/** The encrypted fields of one resident in scope. */
export function findResidentSecrets(db: Executor, scope: Scope, id: number) {
  return db
    .selectFrom('residents')
    .select(['id', 'id_number_enc', 'phone_enc', 'address_enc'])
    .where('id', '=', id)
    .where(placeInScope('place_id', scope))
    .executeTakeFirst();
}

/** Members of households, in household order then by relation. */
export function findMembers(db: Executor, scope: Scope, householdIds: number[]) {
  if (householdIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('residents as r')
    .innerJoin('places as p', 'p.id', 'r.place_id')
    .select([...SUMMARY_COLUMNS, 'r.relation_to_head'])
    .where('r.household_id', 'in', householdIds)
    .where(placeInScope('r.place_id', scope))
    .orderBy('r.household_id')
    .orderBy('r.birth_date')
    .execute();
}

/**
 * Inserts residents or updates those whose content changed, keyed on the ID's blind index; each
 * record (written by `residentRecords`) names its household by number, resolved here to its id.
 * Rows identical to what is stored are left alone, so a re-import writes nothing.
 * A batch travels as one binary array per column (platform/db/binary-arrays.ts), the same on
 * PGlite and PostgreSQL.
 */
export async function upsertResidents(db: Executor, records: readonly Uint8Array[]): Promise<{ inserted: number; updated: number; ids: number[] }> {
  if (records.length === 0) return { inserted: 0, updated: 0, ids: [] };
  const arrays = binaryColumns(records, RESIDENT_RECORD_TYPES).map((column, i) => sql`${column}::${sql.raw(RESIDENT_RECORD_TYPES[i]!)}[]`);
  const fields = sql.raw(['h', ...RESIDENT_RECORD_COLUMNS.map((_, i) => `c${i}`)].join(', '));
  const selected = sql.raw(RESIDENT_RECORD_COLUMNS.map(([, type], i) => `b.c${i}::${type}`).join(', '));
  const names = sql.join(RESIDENT_RECORD_COLUMNS.map(([name]) => sql.ref(name)));
  const updates = sql.join(
    [...RESIDENT_RECORD_COLUMNS.map(([name]) => name), 'household_id']
      .filter((name) => name !== 'id_number_index')
      .map((name) => sql`${sql.ref(name)} = excluded.${sql.ref(name)}`),
  );
  const result = await sql<{ id: number; is_insert: boolean }>`
    INSERT INTO residents (${names}, household_id)
    SELECT ${selected}, h.id
    FROM unnest(${sql.join(arrays)}) AS b(${fields})
    LEFT JOIN households h ON h.household_number = b.h
    ON CONFLICT (id_number_index) DO UPDATE SET ${updates}, updated_at = now()
    WHERE residents.record_hash IS DISTINCT FROM excluded.record_hash
    RETURNING id, (xmax = 0) AS is_insert`.execute(db);
  const inserted = result.rows.filter((r) => r.is_insert).length;
  return { inserted, updated: result.rows.length - inserted, ids: result.rows.map((r) => r.id) };
}

/** A household an imported or registered resident names, created in that resident's place if new. */
export interface HouseholdPlace {
  household_number: string;
  place_id: number;
  place_path: string;
}

/**
 * Creates the households that do not exist yet. They are inserted in number order (unnest keeps
 * the arrays' order), so batches that share households wait for each other instead of
 * deadlocking. Three array parameters rather than three per household: an import batch names
 * hundreds of households.
 */
export async function ensureHouseholds(db: Executor, households: HouseholdPlace[]): Promise<void> {
  if (households.length === 0) return;
  const ordered = [...households].sort((a, b) => (a.household_number < b.household_number ? -1 : a.household_number > b.household_number ? 1 : 0));
  await sql`
    INSERT INTO households (household_number, place_id, place_path)
    SELECT u.number, u.place_id, u.place_path::ltree
    FROM unnest(${ordered.map((h) => h.household_number)}::text[], ${ordered.map((h) => h.place_id)}::bigint[], ${ordered.map((h) => h.place_path)}::text[]) AS u(number, place_id, place_path)
    ON CONFLICT (household_number) DO NOTHING`.execute(db);
}

/** Inserts or updates households keyed on their number; unchanged ones are skipped. */
export async function upsertHouseholds(db: Executor, rows: NewHousehold[]): Promise<{ inserted: number; updated: number; ids: number[] }> {
  if (rows.length === 0) return { inserted: 0, updated: 0, ids: [] };
  const result = await db
    .insertInto('households')
    .values(rows)
    .onConflict((oc) =>
      oc
        .column('household_number')
        .doUpdateSet((eb) => ({
          place_id: eb.ref('excluded.place_id'),
          place_path: eb.ref('excluded.place_path'),
          address_enc: eb.ref('excluded.address_enc'),
          address_masked: eb.ref('excluded.address_masked'),
          record_hash: eb.ref('excluded.record_hash'),
          updated_at: sql`now()`,
        }))
        .where(sql<boolean>`households.record_hash IS DISTINCT FROM excluded.record_hash`),
    )
    .returning(['id', sql<boolean>`(xmax = 0)`.as('is_insert')])
    .execute();
  const inserted = result.filter((r) => r.is_insert).length;
  return { inserted, updated: result.length - inserted, ids: result.map((r) => r.id) };
}

/** A page of households in scope, with member counts and the head's name. */
export async function searchHouseholds(db: Executor, scope: Scope, filter: { numberPrefix?: string | undefined; placePath?: string | undefined }, page: { limit: number; offset: number }) {
  let base = db.selectFrom('households as h').where(placeInScope('h.place_id', scope));
  if (filter.numberPrefix) base = base.where('h.household_number', 'like', `${escapeLike(filter.numberPrefix)}%`);
  if (filter.placePath) base = base.where(placeWithin('h.place_id', filter.placePath));
  const rows = await base
    .innerJoin('places as p', 'p.id', 'h.place_id')
    .select([
      'h.id',
      'h.household_number',
      'h.place_id',
      'p.name as place_name',
      'h.address_masked',
      (eb) => eb.selectFrom('residents as m').select((m) => m.fn.countAll<number>().as('n')).whereRef('m.household_id', '=', 'h.id').as('member_count'),
      (eb) =>
        eb
          .selectFrom('residents as m')
          .select('m.name')
          .whereRef('m.household_id', '=', 'h.id')
          .where('m.relation_to_head', '=', '户主')
          .limit(1)
          .as('head_name'),
    ])
    .orderBy('h.household_number')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  return { rows, total: await countCapped(db, base) };
}

/** Counts of residents and households within a scope. */
export async function countPeople(db: Executor, scope: Scope) {
  const [residents, households] = await Promise.all([
    db.selectFrom('residents').select((eb) => eb.fn.countAll<number>().as('n')).where(placeInScope('place_id', scope)).executeTakeFirstOrThrow(),
    db.selectFrom('households').select((eb) => eb.fn.countAll<number>().as('n')).where(placeInScope('place_id', scope)).executeTakeFirstOrThrow(),
  ]);
  return { residents: Number(residents.n), households: Number(households.n) };
}

/** One household in scope with its place name, or undefined. */
export function findHouseholdById(db: Executor, scope: Scope, id: number) {
  return db
    .selectFrom('households as h')
    .innerJoin('places as p', 'p.id', 'h.place_id')
    .select(['h.id', 'h.household_number', 'h.place_id', 'p.name as place_name', 'h.address_masked'])
    .where('h.id', '=', id)
    .where(placeInScope('h.place_id', scope))
    .executeTakeFirst();
}

/**
 * Blind indexes among `indexKeys` (base64, as imports key their rows) that belong to residents
 * outside the scope; none to look for when the scope is the whole installation.
 */
export async function findResidentsOutsideScope(db: Executor, indexKeys: string[], scopePath: string): Promise<Set<string>> {
  if (!scopePath || indexKeys.length === 0) return new Set();
  const rows = await db
    .selectFrom('residents')
    .select('id_number_index')
    .where('id_number_index', 'in', indexKeys.map((key) => Buffer.from(key, 'base64')))
    .where(sql<boolean>`NOT ${placeWithin('place_id', scopePath)}`)
    .execute();
  return new Set(rows.map((r) => Buffer.from(r.id_number_index).toString('base64')));
}

/** Household numbers among `numbers` registered outside the scope. */
export async function findHouseholdsOutsideScope(db: Executor, numbers: string[], scopePath: string): Promise<Set<string>> {
  if (!scopePath || numbers.length === 0) return new Set();
  const rows = await db
    .selectFrom('households')
    .select('household_number')
    .where('household_number', 'in', numbers)
    .where(sql<boolean>`NOT ${placeWithin('place_id', scopePath)}`)
    .execute();
  return new Set(rows.map((r) => r.household_number));
}

/** Which residents {@link findResidentIdentities} reads. */
export interface IdentityFilter {
  ids?: number[] | undefined;
  idNumberIndex?: Uint8Array | undefined;
  householdIds?: number[] | undefined;
  /** Residents carrying at least one of these tags. */
  tagsAny?: string[] | undefined;
  status?: 'active' | 'deceased' | 'moved_out' | undefined;
  /** Keyset paging: residents with a larger id. */
  afterId?: number | undefined;
}

/**
 * Residents with what another module needs to keep its own record of a person (a warning, a
 * monitoring entry): the ID number as stored (ciphertext, blind index, mask), household, place,
 * tags and status, in id order. Nothing is decrypted here.
 */
export function findResidentIdentities(db: Executor, scope: Scope, filter: IdentityFilter, limit: number) {
  let query = db
    .selectFrom('residents as r')
    .select([
      'r.id',
      'r.name',
      'r.id_number_index',
      'r.id_number_enc',
      'r.id_number_masked',
      'r.birth_date',
      'r.household_id',
      'r.relation_to_head',
      'r.place_id',
      'r.place_path',
      'r.tags',
      'r.status',
      'r.updated_at',
    ])
    .where(placeInScope('r.place_id', scope));
  if (filter.ids) query = filter.ids.length === 0 ? query.where(sql<boolean>`false`) : query.where('r.id', 'in', filter.ids);
  if (filter.householdIds) query = filter.householdIds.length === 0 ? query.where(sql<boolean>`false`) : query.where('r.household_id', 'in', filter.householdIds);
  if (filter.idNumberIndex) query = query.where('r.id_number_index', '=', filter.idNumberIndex);
  if (filter.tagsAny) query = query.where(sql<boolean>`r.tags && ${sql.val(filter.tagsAny)}::text[]`);
  if (filter.status) query = query.where('r.status', '=', filter.status);
  if (filter.afterId !== undefined) query = query.where('r.id', '>', filter.afterId);
  return query.orderBy('r.id').limit(limit).execute();
}

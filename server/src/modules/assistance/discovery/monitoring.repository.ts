import { sql } from 'kysely';
import { inScope } from '../../../platform/auth/index.ts';
import type { Executor } from '../../../platform/db/database.ts';
import type { MonitoringEndReason } from '../../../platform/db/schema.ts';

/** The categories of the monitoring list in their order, with the registry tags that feed each. */
export function listCategories(db: Executor) {
  return db.selectFrom('assistance_monitoring_categories').select(['code', 'name_zh', 'name_en', 'source_tags', 'tag_match', 'is_coverage', 'is_active']).orderBy('sort').orderBy('code').execute();
}

/** A new entry of the list. */
export interface NewEntry {
  categoryCode: string;
  residentId: number | null;
  idNumberIndex: Uint8Array;
  idNumberEnc: Uint8Array;
  idNumberMasked: string;
  name: string;
  householdId: number | null;
  placeId: number;
  placePath: string;
  since: string;
  source: 'registry' | 'manual' | 'warning';
  note: string;
  createdBy: number | null;
}

/**
 * Adds entries, skipping a person already open in the category (the partial unique index decides,
 * so two syncs at once cannot add one twice). Returns the ids of those added.
 */
export async function insertEntries(db: Executor, entries: NewEntry[]): Promise<number[]> {
  if (entries.length === 0) return [];
  const rows = await db
    .insertInto('assistance_monitoring_entries')
    .values(
      entries.map((e) => ({
        category_code: e.categoryCode,
        resident_id: e.residentId,
        id_number_index: e.idNumberIndex,
        id_number_enc: e.idNumberEnc,
        id_number_masked: e.idNumberMasked,
        name: e.name,
        household_id: e.householdId,
        place_id: e.placeId,
        place_path: e.placePath,
        since: e.since,
        source: e.source,
        note: e.note,
        created_by: e.createdBy,
      })),
    )
    .onConflict((oc) => oc.columns(['category_code', 'id_number_index']).where('until', 'is', null).doNothing())
    .returning('id')
    .execute();
  return rows.map((row) => row.id);
}

/** Open entries that came from the registry, after `afterId`: what the sync re-checks against the registry. */
export function findOpenRegistryEntriesAfter(db: Executor, afterId: number, limit: number) {
  return db
    .selectFrom('assistance_monitoring_entries as e')
    .innerJoin('assistance_monitoring_categories as c', 'c.code', 'e.category_code')
    .select(['e.id', 'e.category_code', 'e.resident_id', 'e.since', 'c.source_tags', 'c.tag_match', 'c.is_coverage'])
    .where('e.until', 'is', null)
    .where('e.source', '=', 'registry')
    .where('e.resident_id', 'is not', null)
    .where('e.id', '>', afterId)
    .orderBy('e.id')
    .limit(limit)
    .execute();
}

/** Ends an open entry (the row stays, with `until` and why); returns false if it was no longer open. */
export async function endEntry(db: Executor, id: number, end: { until: string; reason: MonitoringEndReason; note?: string | undefined }): Promise<boolean> {
  let query = db
    .updateTable('assistance_monitoring_entries')
    .set({ until: sql`greatest(${end.until}::date, since)`, end_reason: end.reason, updated_at: sql`now()` })
    .where('id', '=', id)
    .where('until', 'is', null);
  if (end.note) query = query.set({ note: end.note });
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Categories of coverage (保障对象) in which a person is still open. */
export async function findOpenCoverage(db: Executor, idNumberIndex: Uint8Array): Promise<string[]> {
  const rows = await db
    .selectFrom('assistance_monitoring_entries as e')
    .innerJoin('assistance_monitoring_categories as c', 'c.code', 'e.category_code')
    .select('e.category_code')
    .where('e.id_number_index', '=', idNumberIndex)
    .where('e.until', 'is', null)
    .where('c.is_coverage', '=', true)
    .execute();
  return rows.map((row) => row.category_code);
}

/** Coverage entries ended for a reason other than death or moving away, since `sinceDate`: 一年内退出保障对象. */
export function findLeftCoverageSince(db: Executor, sinceDate: string, afterId: number, limit: number) {
  return db
    .selectFrom('assistance_monitoring_entries as e')
    .innerJoin('assistance_monitoring_categories as c', 'c.code', 'e.category_code')
    .select(['e.id', 'e.category_code', 'c.name_zh as category_name_zh', 'e.resident_id', 'e.id_number_index', 'e.id_number_enc', 'e.id_number_masked', 'e.name', 'e.household_id', 'e.place_id', 'e.place_path', 'e.since', 'e.until', 'e.end_reason'])
    .where('c.is_coverage', '=', true)
    .where('e.until', '>=', sinceDate)
    .where('e.end_reason', 'in', ['no_longer_tagged', 'manual'])
    .where('e.id', '>', afterId)
    .orderBy('e.id')
    .limit(limit)
    .execute();
}

/** Households with at least one open entry, after `afterId`. */
export async function findMonitoredHouseholdsAfter(db: Executor, afterId: number, limit: number): Promise<number[]> {
  const rows = await db
    .selectFrom('assistance_monitoring_entries')
    .select('household_id')
    .distinct()
    .where('until', 'is', null)
    .where('household_id', 'is not', null)
    .where('household_id', '>', afterId)
    .orderBy('household_id')
    .limit(limit)
    .execute();
  return rows.map((row) => row.household_id!);
}

/** Filters of the list page and its export. */
export interface EntryFilter {
  categoryCode?: string | undefined;
  /** `open` (default), `ended`, `left_within_year` (coverage ended since `yearAgo`), or `all`. */
  status: 'open' | 'ended' | 'left_within_year' | 'all';
  yearAgo: string;
  placePath?: string | undefined;
  namePrefix?: string | undefined;
  idNumberIndex?: Uint8Array | undefined;
  householdId?: number | undefined;
}

function entriesQuery(db: Executor, scope: { scopePath: string }, filter: EntryFilter) {
  let query = db
    .selectFrom('assistance_monitoring_entries as e')
    .innerJoin('assistance_monitoring_categories as c', 'c.code', 'e.category_code')
    .innerJoin('places as p', 'p.id', 'e.place_id')
    .where(inScope('e.place_path', scope));
  if (filter.categoryCode) query = query.where('e.category_code', '=', filter.categoryCode);
  if (filter.status === 'open') query = query.where('e.until', 'is', null);
  else if (filter.status === 'ended') query = query.where('e.until', 'is not', null);
  else if (filter.status === 'left_within_year') {
    query = query.where('c.is_coverage', '=', true).where('e.until', '>=', filter.yearAgo).where('e.end_reason', 'in', ['no_longer_tagged', 'manual']);
  }
  if (filter.placePath) query = query.where(sql<boolean>`e.place_path <@ ${filter.placePath}::ltree`);
  if (filter.namePrefix) query = query.where('e.name', 'like', `${filter.namePrefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  if (filter.idNumberIndex) query = query.where('e.id_number_index', '=', filter.idNumberIndex);
  if (filter.householdId !== undefined) query = query.where('e.household_id', '=', filter.householdId);
  return query;
}

const ENTRY_COLUMNS = [
  'e.id',
  'e.category_code',
  'c.name_zh as category_name_zh',
  'c.name_en as category_name_en',
  'e.resident_id',
  'e.name',
  'e.id_number_masked',
  'e.household_id',
  'e.place_id',
  'p.name as place_name',
  'e.since',
  'e.until',
  'e.source',
  'e.end_reason',
  'e.note',
  'e.updated_at',
] as const;

/** A page of the list within the scope, by category then name, with the total. */
export async function listEntries(db: Executor, scope: { scopePath: string }, filter: EntryFilter, page: { limit: number; offset: number }) {
  const query = entriesQuery(db, scope, filter);
  const [rows, count] = await Promise.all([
    query.select(ENTRY_COLUMNS).orderBy('c.sort').orderBy('e.name').orderBy('e.id').limit(page.limit).offset(page.offset).execute(),
    query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

/** Entries after `afterId` in id order, for the export. */
export function findEntriesAfter(db: Executor, scope: { scopePath: string }, filter: EntryFilter, afterId: number, limit: number) {
  return entriesQuery(db, scope, filter).select(ENTRY_COLUMNS).where('e.id', '>', afterId).orderBy('e.id').limit(limit).execute();
}

/** One entry in scope, with what ending it needs. */
export function findEntry(db: Executor, scope: { scopePath: string }, id: number) {
  return entriesQuery(db, scope, { status: 'all', yearAgo: '1970-01-01' })
    .select([...ENTRY_COLUMNS, 'c.is_coverage', 'e.id_number_index', 'e.id_number_enc', 'e.place_path'])
    .where('e.id', '=', id)
    .executeTakeFirst();
}

/** Per category within the scope: people open on the list, and coverage left within the year. */
export async function countByCategory(db: Executor, scope: { scopePath: string }, yearAgo: string) {
  const rows = await db
    .selectFrom('assistance_monitoring_categories as c')
    .leftJoin('assistance_monitoring_entries as e', (join) => join.onRef('e.category_code', '=', 'c.code').on(inScope('e.place_path', scope)))
    .select([
      'c.code',
      'c.name_zh',
      'c.name_en',
      'c.is_coverage',
      'c.source_tags',
      sql<number>`count(e.id) FILTER (WHERE e.until IS NULL)`.as('open'),
      sql<number>`count(e.id) FILTER (WHERE e.until >= ${yearAgo}::date AND e.end_reason IN ('no_longer_tagged','manual'))`.as('left_within_year'),
    ])
    .where('c.is_active', '=', true)
    .groupBy(['c.code', 'c.name_zh', 'c.name_en', 'c.is_coverage', 'c.source_tags', 'c.sort'])
    .orderBy('c.sort')
    .execute();
  const people = await db
    .selectFrom('assistance_monitoring_entries as e')
    .select(sql<number>`count(DISTINCT e.id_number_index)`.as('n'))
    .where('e.until', 'is', null)
    .where(inScope('e.place_path', scope))
    .executeTakeFirstOrThrow();
  return {
    categories: rows.map((row) => ({ ...row, open: Number(row.open), left_within_year: Number(row.left_within_year) })),
    people: Number(people.n),
  };
}

import { sql, type Insertable } from 'kysely';
import type { Executor } from '../../platform/db/database.ts';
import type { AppealAttributeValuesTable, Open311SubmissionsTable } from '../../platform/db/schema.ts';

// Reads here join matters, appeals, places and organisations: the Open311 views are a report over
// those modules' tables, and none of them offers a public list query with these filters yet.

/** A category offered as an Open311 service. */
export interface ServiceCategoryRow {
  code: string;
  name_zh: string;
  name_en: string;
  group_name: string | null;
  has_attributes: boolean;
}

function serviceCategories(db: Executor) {
  return db
    .selectFrom('appeal_categories as c')
    .leftJoin('appeal_categories as p', 'p.code', 'c.parent_code')
    .select(['c.code', 'c.name_zh', 'c.name_en', 'p.name_zh as group_name'])
    .select((eb) => eb.exists(eb.selectFrom('appeal_category_attributes as a').select('a.code').whereRef('a.category_code', '=', 'c.code')).as('has_attributes'))
    .where('c.is_active', '=', true)
    // A parent category is a heading, not something one can report: only leaves are services.
    .where((eb) => eb.not(eb.exists(eb.selectFrom('appeal_categories as k').select('k.code').whereRef('k.parent_code', '=', 'c.code').where('k.is_active', '=', true))));
}

/** Every active leaf category, in the administrators' order. */
export async function findServiceCategories(db: Executor): Promise<ServiceCategoryRow[]> {
  const rows = await serviceCategories(db).orderBy('c.sort').orderBy('c.code').execute();
  return rows.map((r) => ({ ...r, has_attributes: Boolean(r.has_attributes) }));
}

/** One active leaf category, or undefined. */
export async function findServiceCategory(db: Executor, code: string): Promise<ServiceCategoryRow | undefined> {
  const row = await serviceCategories(db).where('c.code', '=', code).executeTakeFirst();
  return row && { ...row, has_attributes: Boolean(row.has_attributes) };
}

/** The attributes a category asks for, in order. */
export function findAttributes(db: Executor, categoryCode: string) {
  return db.selectFrom('appeal_category_attributes').selectAll().where('category_code', '=', categoryCode).orderBy('sort').orderBy('code').execute();
}

/** Every category's attributes, in order. */
export function findAllAttributes(db: Executor) {
  return db.selectFrom('appeal_category_attributes').selectAll().orderBy('category_code').orderBy('sort').orderBy('code').execute();
}

/** The district places, which are the Open311 jurisdictions. */
export function findDistricts(db: Executor) {
  return db.selectFrom('places').select(['id', 'code', 'name', 'path']).where('level', '=', 'district').orderBy('code').execute();
}

/** Stores an appeal's answers to its category's attributes. */
export async function insertAttributeValues(db: Executor, rows: Array<Insertable<AppealAttributeValuesTable>>): Promise<void> {
  if (rows.length === 0) return;
  await db.insertInto('appeal_attribute_values').values(rows).onConflict((oc) => oc.columns(['matter_id', 'code']).doNothing()).execute();
}

/** An appeal's answers to its category's attributes. */
export function findAttributeValues(db: Executor, matterId: number) {
  return db.selectFrom('appeal_attribute_values').select(['code', 'value']).where('matter_id', '=', matterId).orderBy('code').execute();
}

/** Stores the Open311 facts of requests that `appeals` has no column for. */
export async function insertSubmissions(db: Executor, rows: Insertable<Open311SubmissionsTable>[]): Promise<void> {
  if (rows.length === 0) return;
  await db.insertInto('open311_submissions').values(rows).onConflict((oc) => oc.column('matter_id').doNothing()).execute();
}

/** Id and reference of an appeal's matter by reference or id. */
export function findAppealMatter(db: Executor, by: { reference: string } | { id: number }) {
  const query = db.selectFrom('matters as m').innerJoin('appeals as a', 'a.matter_id', 'm.id').select(['m.id', 'm.reference', 'm.place_path']);
  return ('id' in by ? query.where('m.id', '=', by.id) : query.where('m.reference', '=', by.reference)).executeTakeFirst();
}

/** Filters of the public request list; all optional, combined with AND. */
export interface RequestFilter {
  references?: string[] | undefined;
  categoryCodes?: string[] | undefined;
  /** Only matters in (or, when false, not in) these states. */
  states?: { isIn: boolean; codes: string[] } | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
  /** ltree path of the jurisdiction (district). */
  placePath?: string | undefined;
  limit: number;
}

/** Appeals as the public sees them, newest first; reporter-hidden and private appeals are never listed. */
export function findPublicRequests(db: Executor, filter: RequestFilter) {
  let query = db
    .selectFrom('matters as m')
    .innerJoin('appeals as a', 'a.matter_id', 'm.id')
    .innerJoin('appeal_categories as c', 'c.code', 'a.category_code')
    .leftJoin('organisations as o', 'o.id', 'a.handler_organisation_id')
    .leftJoin('open311_submissions as s', 's.matter_id', 'm.id')
    .leftJoin('places as pl', 'pl.id', 'm.place_id')
    .select([
      'm.id',
      'm.reference',
      'm.state',
      'm.title',
      'm.description',
      'm.lon',
      'm.lat',
      'm.created_at',
      'm.updated_at',
      'm.step_due_at',
      'a.category_code',
      'a.handler_level',
      'c.name_zh as service_name',
      'o.name as organisation_name',
      's.address_string',
      's.address_id',
      's.media_url',
      'pl.code as place_code',
      'pl.name as place_name',
      'pl.center_lon',
      'pl.center_lat',
    ])
    .select(
      sql<string | null>`(SELECT e.details->>'note' FROM matter_events e WHERE e.matter_id = m.id AND coalesce(e.details->>'note', '') <> '' ORDER BY e.id DESC LIMIT 1)`.as('status_notes'),
    )
    .where('a.is_reporter_hidden', '=', false)
    .where('a.scale', '<>', 'private');
  if (filter.references) query = query.where('m.reference', 'in', filter.references);
  if (filter.categoryCodes) query = query.where('a.category_code', 'in', filter.categoryCodes);
  if (filter.states) query = query.where('m.state', filter.states.isIn ? 'in' : 'not in', filter.states.codes);
  if (filter.from) query = query.where('m.created_at', '>=', filter.from);
  if (filter.to) query = query.where('m.created_at', '<=', filter.to);
  if (filter.placePath) query = query.where(sql<boolean>`m.place_path <@ ${filter.placePath}::ltree`);
  return query.orderBy('m.created_at', 'desc').orderBy('m.id', 'desc').limit(filter.limit).execute();
}

/** One row of {@link findPublicRequests}. */
export type PublicRequestRow = Awaited<ReturnType<typeof findPublicRequests>>[number];

/** State changes of publicly visible appeals within a time range, oldest first. */
export function findPublicTransitions(db: Executor, filter: { from: Date; to: Date; placePath?: string | undefined; limit: number }) {
  let query = db
    .selectFrom('matter_events as e')
    .innerJoin('matters as m', 'm.id', 'e.matter_id')
    .innerJoin('appeals as a', 'a.matter_id', 'm.id')
    .select(['e.id', 'e.at', 'e.to_state', 'm.reference'])
    .select(sql<string | null>`e.details->>'note'`.as('note'))
    .where('e.kind', '=', 'transition')
    .where('e.at', '>=', filter.from)
    .where('e.at', '<=', filter.to)
    .where('a.is_reporter_hidden', '=', false)
    .where('a.scale', '<>', 'private');
  if (filter.placePath) query = query.where(sql<boolean>`m.place_path <@ ${filter.placePath}::ltree`);
  return query.orderBy('e.id').limit(filter.limit).execute();
}

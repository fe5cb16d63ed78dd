import { type Expression, type SqlBool, sql } from 'kysely';
import type { Executor } from '../../../platform/db/database.ts';

/**
 * A resource is visible to an account when the region it serves and the account's region overlap:
 * a community adviser sees the city-wide sponsorships as well as the ones of the community.
 */
function overlapsScope(scope: { scopePath: string }): Expression<SqlBool> {
  if (scope.scopePath === '') return sql<SqlBool>`true`;
  return sql<SqlBool>`(r.place_path <@ ${scope.scopePath}::ltree OR r.place_path @> ${scope.scopePath}::ltree)`;
}

/** Filters of the resource catalogue. */
export interface ResourceFilter {
  /** Words looked for in the name, the provider and the description. */
  text?: string | undefined;
  kind?: string | undefined;
  /** Only resources that can be linked today (active, in their period, places left). */
  isAvailableOnly?: boolean | undefined;
  today: string;
}

function resourcesQuery(db: Executor, scope: { scopePath: string }, filter: ResourceFilter) {
  let query = db
    .selectFrom('assistance_resources as r')
    .innerJoin('places as p', 'p.id', 'r.place_id')
    .innerJoin('assistance_need_kinds as k', 'k.code', 'r.kind')
    .where(overlapsScope(scope));
  if (filter.text) {
    const pattern = `%${filter.text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query = query.where((eb) => eb.or([eb('r.name', 'like', pattern), eb('r.provider_name', 'like', pattern), eb('r.description', 'like', pattern)]));
  }
  if (filter.kind) query = query.where('r.kind', '=', filter.kind);
  if (filter.isAvailableOnly) query = query.where(isAvailable(filter.today));
  return query;
}

function isAvailable(today: string): Expression<SqlBool> {
  return sql<SqlBool>`(r.is_active AND r.valid_from <= ${today}::date AND (r.valid_until IS NULL OR r.valid_until >= ${today}::date) AND r.places_taken < r.capacity)`;
}

const RESOURCE_COLUMNS = [
  'r.id',
  'r.name',
  'r.provider_name',
  'r.provider_organisation_id',
  'r.kind',
  'k.name_zh as kind_name_zh',
  'k.name_en as kind_name_en',
  'r.description',
  'r.place_id',
  'p.name as place_name',
  'r.place_path',
  'r.capacity',
  'r.places_taken',
  'r.contact_name',
  'r.contact_phone_masked',
  'r.valid_from',
  'r.valid_until',
  'r.is_active',
  'r.version',
  'r.updated_at',
] as const;

/** A page of the catalogue visible from the scope, by kind then name, with the total. */
export async function listResources(db: Executor, scope: { scopePath: string }, filter: ResourceFilter, page: { limit: number; offset: number }) {
  const query = resourcesQuery(db, scope, filter);
  const [rows, count] = await Promise.all([
    query.select(RESOURCE_COLUMNS).orderBy('k.sort').orderBy('r.name').orderBy('r.id').limit(page.limit).offset(page.offset).execute(),
    query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

/** One resource visible from the scope; locked with `forUpdate`. */
export function findResource(db: Executor, scope: { scopePath: string }, id: number, forUpdate = false) {
  let query = resourcesQuery(db, scope, { today: '1970-01-01' }).select(RESOURCE_COLUMNS).where('r.id', '=', id);
  if (forUpdate) query = query.forUpdate('r');
  return query.executeTakeFirst();
}

/** The fields a resource is written with. */
export interface ResourceWrite {
  name: string;
  provider_name: string;
  provider_organisation_id: number | null;
  kind: string;
  description: string;
  place_id: number;
  place_path: string;
  capacity: number;
  contact_name: string;
  contact_phone_enc: Uint8Array | null;
  contact_phone_masked: string | null;
  valid_from: string;
  valid_until: string | null;
  is_active: boolean;
  updated_by: number | null;
}

/** Inserts a resource at version 1; returns its id. */
export async function insertResource(db: Executor, resource: ResourceWrite): Promise<number> {
  const row = await db
    .insertInto('assistance_resources')
    .values({ ...resource, created_by: resource.updated_by })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/**
 * Rewrites a resource if it is still at `expectedVersion` and its new capacity still holds the
 * places already taken. Returns the new version, or null when someone changed it meanwhile.
 */
export async function updateResource(db: Executor, id: number, expectedVersion: number, resource: ResourceWrite): Promise<number | null> {
  const row = await db
    .updateTable('assistance_resources')
    .set({ ...resource, version: expectedVersion + 1, updated_at: sql`now()` })
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
    .returning('version')
    .executeTakeFirst();
  return row?.version ?? null;
}

/** The contact phone of a resource (ciphertext), to show in full to someone who links it. */
export function findResourcePhone(db: Executor, id: number) {
  return db.selectFrom('assistance_resources').select(['id', 'contact_phone_enc']).where('id', '=', id).executeTakeFirst();
}

/**
 * Resources that can meet a warning today: active and in their period, of a kind the warning
 * needs, serving a region that covers the warning's place, with places left, and not linked to it
 * yet. The most local first (a community's own offer before a city-wide one), then the one whose
 * period ends soonest (use it before it lapses), then the most places left.
 */
export function findMatches(db: Executor, match: { warningId: number; placePath: string; needs: string[]; today: string }, limit: number) {
  if (match.needs.length === 0) return Promise.resolve([]);
  return resourcesQuery(db, { scopePath: '' }, { today: match.today, isAvailableOnly: true })
    .select(RESOURCE_COLUMNS)
    .where('r.kind', 'in', match.needs)
    .where(sql<boolean>`${match.placePath}::ltree <@ r.place_path`)
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom('assistance_warning_resources as l').select('l.resource_id').whereRef('l.resource_id', '=', 'r.id').where('l.warning_id', '=', match.warningId))),
    )
    .orderBy(sql`nlevel(r.place_path)`, 'desc')
    .orderBy(sql`r.valid_until IS NULL`)
    .orderBy('r.valid_until')
    .orderBy(sql`r.capacity - r.places_taken`, 'desc')
    .orderBy('r.id')
    .limit(limit)
    .execute();
}

/**
 * Takes one place of a resource for a warning, only if it still matches (available today, serving
 * the place, of a needed kind): the check and the decrement are one statement, so two advisers
 * cannot take the last place twice. Returns false when it no longer matches.
 */
export async function takePlace(db: Executor, resourceId: number, match: { placePath: string; needs: string[]; today: string }): Promise<boolean> {
  if (match.needs.length === 0) return false;
  const result = await db
    .updateTable('assistance_resources as r')
    .set({ places_taken: sql`r.places_taken + 1`, updated_at: sql`now()` })
    .where('r.id', '=', resourceId)
    .where(isAvailable(match.today))
    .where('r.kind', 'in', match.needs)
    .where(sql<boolean>`${match.placePath}::ltree <@ r.place_path`)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Records the link between a warning and a resource. */
export async function insertLink(db: Executor, link: { warningId: number; resourceId: number; note: string; by: number | null }): Promise<void> {
  await db.insertInto('assistance_warning_resources').values({ warning_id: link.warningId, resource_id: link.resourceId, note: link.note, linked_by: link.by }).execute();
}

/** True when the resource is linked to the warning already. */
export async function isLinked(db: Executor, warningId: number, resourceId: number): Promise<boolean> {
  const row = await db.selectFrom('assistance_warning_resources').select('resource_id').where('warning_id', '=', warningId).where('resource_id', '=', resourceId).executeTakeFirst();
  return row !== undefined;
}

/** The resources linked to a warning, in the order linked, with who linked them. */
export function findLinks(db: Executor, warningId: number) {
  return db
    .selectFrom('assistance_warning_resources as l')
    .innerJoin('assistance_resources as r', 'r.id', 'l.resource_id')
    .leftJoin('users as u', 'u.id', 'l.linked_by')
    .select(['r.id', 'r.name', 'r.provider_name', 'r.kind', 'r.contact_name', 'r.contact_phone_masked', 'l.note', 'l.linked_at', 'u.display_name as linked_by_name'])
    .where('l.warning_id', '=', warningId)
    .orderBy('l.linked_at')
    .orderBy('r.id')
    .execute();
}

/** The need kinds in their order. */
export function listNeedKinds(db: Executor) {
  return db.selectFrom('assistance_need_kinds').select(['code', 'name_zh', 'name_en']).orderBy('sort').orderBy('code').execute();
}

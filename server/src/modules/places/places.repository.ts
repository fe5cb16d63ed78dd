import { type Expression, type SqlBool, sql } from 'kysely';
import { inScope, placeInScope, placeWithin } from '../../platform/auth/index.ts';
import type { Executor } from '../../platform/db/database.ts';
import type { GeoJsonGeometry, NewPlace, PlaceLevel } from '../../platform/db/schema.ts';

/** A place as the tree shows it, with the number of its direct children. */
export interface PlaceNode {
  id: number;
  code: string;
  name: string;
  level: PlaceLevel;
  parent_id: number | null;
  path: string;
  center_lon: number | null;
  center_lat: number | null;
  child_count: number;
}

/** A place with its boundary, for maps and the point index. */
export interface PlaceShape {
  id: number;
  code: string;
  name: string;
  level: PlaceLevel;
  path: string;
  boundary: GeoJsonGeometry | null;
}

/** Rows per INSERT: a row has about ten parameters and PostgreSQL allows 65,535 per statement. */
export const INSERT_BATCH_SIZE = 1000;

const NODE_COLUMNS = ['p.id', 'p.code', 'p.name', 'p.level', 'p.parent_id', 'p.path', 'p.center_lon', 'p.center_lat'] as const;
const CHILD_COUNT = sql<number>`(SELECT count(*) FROM places c WHERE c.parent_id = p.id)::int`.as('child_count');

function nodes(db: Executor) {
  return db.selectFrom('places as p').select([...NODE_COLUMNS, CHILD_COUNT]);
}

function ltreeCondition(column: string, operator: '<@' | '@>', path: string): Expression<SqlBool> {
  return sql<SqlBool>`${sql.ref(column)} ${sql.raw(operator)} ${path}::ltree`;
}

/** Direct children of a place, ordered by code. */
export function findChildren(db: Executor, parentId: number): Promise<PlaceNode[]> {
  return nodes(db).where('p.parent_id', '=', parentId).orderBy('p.code').execute();
}

/** The roots of the tree (places without a parent: the cities), ordered by code. */
export function findRoots(db: Executor): Promise<PlaceNode[]> {
  return nodes(db).where('p.parent_id', 'is', null).orderBy('p.code').execute();
}

/** One place by id, or undefined. */
export function findById(db: Executor, id: number): Promise<PlaceNode | undefined> {
  return nodes(db).where('p.id', '=', id).executeTakeFirst();
}

/** One place by its code, or undefined. */
export function findByCode(db: Executor, code: string): Promise<PlaceNode | undefined> {
  return nodes(db).where('p.code', '=', code).executeTakeFirst();
}

/** One place by its ltree path, or undefined. */
export function findByPath(db: Executor, path: string): Promise<PlaceNode | undefined> {
  return nodes(db).where(sql<SqlBool>`p.path = ${path}::ltree`).executeTakeFirst();
}

/** The places above `path`, root first, without the place itself. */
export function findAncestors(db: Executor, path: string): Promise<PlaceNode[]> {
  return nodes(db)
    .where(ltreeCondition('p.path', '@>', path))
    .where(sql<SqlBool>`p.path <> ${path}::ltree`)
    .orderBy(sql`nlevel(p.path)`)
    .execute();
}

/** Direct children of a place with their boundaries, ordered by code. */
export function findChildShapes(db: Executor, parentId: number): Promise<PlaceShape[]> {
  return db
    .selectFrom('places')
    .select(['id', 'code', 'name', 'level', 'path', 'boundary'])
    .where('parent_id', '=', parentId)
    .orderBy('code')
    .execute();
}

/** One place with its boundary, or undefined. */
export function findShape(db: Executor, id: number): Promise<PlaceShape | undefined> {
  return db.selectFrom('places').select(['id', 'code', 'name', 'level', 'path', 'boundary']).where('id', '=', id).executeTakeFirst();
}

/** A place's identity and position, as needed to hang children under it. */
export interface PlaceAnchor {
  id: number;
  path: string;
  level: PlaceLevel;
}

/** The places with the given codes, by code (parents looked up while inserting). */
export async function findAnchorsByCode(db: Executor, codes: readonly string[]): Promise<Map<string, PlaceAnchor>> {
  const found = new Map<string, PlaceAnchor>();
  for (let start = 0; start < codes.length; start += INSERT_BATCH_SIZE) {
    const batch = codes.slice(start, start + INSERT_BATCH_SIZE);
    const rows = await db.selectFrom('places').select(['id', 'code', 'path', 'level']).where('code', 'in', batch).execute();
    for (const row of rows) found.set(row.code, { id: row.id, path: row.path, level: row.level });
  }
  return found;
}

/** Inserts places in batches of {@link INSERT_BATCH_SIZE}; parents must already exist or come earlier in `rows`. */
export async function insertPlaces(trx: Executor, rows: readonly NewPlace[]): Promise<{ id: number; code: string; path: string; level: PlaceLevel }[]> {
  const inserted: { id: number; code: string; path: string; level: PlaceLevel }[] = [];
  for (let start = 0; start < rows.length; start += INSERT_BATCH_SIZE) {
    const batch = rows.slice(start, start + INSERT_BATCH_SIZE);
    inserted.push(...(await trx.insertInto('places').values(batch).returning(['id', 'code', 'path', 'level']).execute()));
  }
  return inserted;
}

/**
 * Residents under `parentPath` counted per child of that place: each resident's path is cut to
 * the child's depth (`subpath(place_path, 0, nlevel(parent) + 1)`) and grouped. Keys are child paths.
 */
export async function countResidentsByChild(trx: Executor, parentPath: string): Promise<Map<string, number>> {
  const childPath = sql<string>`subpath(place_path, 0, nlevel(${parentPath}::ltree) + 1)::text`;
  const rows = await trx
    .selectFrom('residents')
    .select([childPath.as('child_path'), (eb) => eb.fn.countAll<number>().as('n')])
    .where(placeWithin('place_id', parentPath))
    .where(sql<SqlBool>`nlevel(place_path) > nlevel(${parentPath}::ltree)`)
    // By position: the same expression written twice would carry two different bind parameters.
    .groupBy(sql`1`)
    .execute();
  return new Map(rows.map((row) => [row.child_path, Number(row.n)]));
}

/** Residents living at `path` or anywhere below it. */
export async function countResidentsWithin(db: Executor, path: string): Promise<number> {
  const row = await db
    .selectFrom('residents')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where(placeWithin('place_id', path))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * The finest regions that have a boundary: every micro-grid, and each grid that has no micro-grids
 * (a city that stops at grids still gets located). These are what a point is located in.
 */
export function loadLeafBoundaries(db: Executor): Promise<{ id: number; code: string; name: string; level: PlaceLevel; path: string; boundary: GeoJsonGeometry | null }[]> {
  return db
    .selectFrom('places as p')
    .select(['p.id', 'p.code', 'p.name', 'p.level', 'p.path', 'p.boundary'])
    .where('p.boundary', 'is not', null)
    .where((eb) =>
      eb.or([
        eb('p.level', '=', 'microgrid'),
        eb.and([
          eb('p.level', '=', 'grid'),
          eb.not(eb.exists(eb.selectFrom('places as c').select('c.id').whereRef('c.parent_id', '=', 'p.id').where('c.level', '=', 'microgrid'))),
        ]),
      ]),
    )
    .execute();
}

/** A cheap fingerprint of the places table; when it changes, a cached point index is stale. */
export async function placesFingerprint(db: Executor): Promise<string> {
  const row = await db
    .selectFrom('places')
    .select([(eb) => eb.fn.countAll<number>().as('n'), (eb) => eb.fn.max('id').as('max_id')])
    .executeTakeFirstOrThrow();
  return `${Number(row.n)}:${row.max_id ?? 0}`;
}

/** Number of places of each level within `scopePath` ('' for everything). */
export async function countByLevel(db: Executor, scopePath: string): Promise<Record<PlaceLevel, number>> {
  const rows = await db
    .selectFrom('places')
    .select(['level', (eb) => eb.fn.countAll<number>().as('n')])
    .where(inScope('path', { scopePath }))
    .groupBy('level')
    .execute();
  const counts: Record<PlaceLevel, number> = { city: 0, district: 0, street: 0, community: 0, grid: 0, microgrid: 0 };
  for (const row of rows) counts[row.level] = Number(row.n);
  return counts;
}

/**
 * Registry totals for the dashboard within `scopePath`: residents and households by their place,
 * organisations by their scope. Read-only aggregates across the registry tables, kept here so that
 * the overview is one query site.
 */
export async function countRegistry(db: Executor, scopePath: string): Promise<{ residents: number; households: number; organisations: number }> {
  const scope = { scopePath };
  const row = await db
    .selectNoFrom([
      db.selectFrom('residents').select((eb) => eb.fn.countAll<number>().as('n')).where(placeInScope('place_id', scope)).as('residents'),
      db.selectFrom('households').select((eb) => eb.fn.countAll<number>().as('n')).where(placeInScope('place_id', scope)).as('households'),
      db.selectFrom('organisations').select((eb) => eb.fn.countAll<number>().as('n')).where(inScope('scope_path', scope)).as('organisations'),
    ])
    .executeTakeFirstOrThrow();
  return { residents: Number(row.residents), households: Number(row.households), organisations: Number(row.organisations) };
}

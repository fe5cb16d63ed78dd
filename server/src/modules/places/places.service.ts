import { appendAudit, type AuditActor } from '../../platform/audit/index.ts';
import { requireInScope, type Principal } from '../../platform/auth/index.ts';
import type { Db, Executor } from '../../platform/db/database.ts';
import type { GeoJsonGeometry, NewPlace, PlaceLevel } from '../../platform/db/schema.ts';
import { AppError } from '../../platform/errors.ts';
import { PointIndex } from '../../platform/geo/point-index.ts';
import type { PlaceEntry } from './place-directory.ts';
import * as repo from './places.repository.ts';
import type { LocatedPlaceView, OverviewView, PlaceDetailView, PlaceMapView, PlaceView } from './places.schema.ts';

/** The part of a principal the place rules look at: the region it may see. */
type Scoped = Pick<Principal, 'scopePath'>;

/** A place as other modules use it: identity, position in the tree and centre. */
export interface PlaceRecord {
  id: number;
  code: string;
  name: string;
  level: PlaceLevel;
  parentId: number | null;
  path: string;
  centerLon: number | null;
  centerLat: number | null;
}

/** A place to create; its parent is named by code and must exist or come in the same call. */
export interface PlaceInput {
  code: string;
  name: string;
  level: PlaceLevel;
  parentCode: string | null;
  boundary?: GeoJsonGeometry | null | undefined;
  centerLon?: number | null | undefined;
  centerLat?: number | null | undefined;
}

/** Levels from the top of the tree down; a child sits strictly below its parent. */
export const PLACE_LEVELS: readonly PlaceLevel[] = ['city', 'district', 'street', 'community', 'grid', 'microgrid'];
// ltree labels allow letters, digits and underscores; GB/T 2260 codes are digits.
const PLACE_CODE = /^[A-Za-z0-9_]{1,64}$/;
// How long a cached point index is trusted before the places table is fingerprinted again; this is
// what lets another server process see places inserted elsewhere.
const INDEX_RECHECK_MS = 5000;

/** The wire view of a place. */
export function presentPlace(node: repo.PlaceNode): PlaceView {
  return { id: node.id, code: node.code, name: node.name, level: node.level, parentId: node.parent_id, childCount: node.child_count };
}

function toRecord(node: repo.PlaceNode): PlaceRecord {
  return {
    id: node.id,
    code: node.code,
    name: node.name,
    level: node.level,
    parentId: node.parent_id,
    path: node.path,
    centerLon: node.center_lon,
    centerLat: node.center_lat,
  };
}

async function findVisiblePlace(db: Executor, principal: Scoped, id: number): Promise<repo.PlaceNode> {
  const place = await repo.findById(db, id);
  if (!place) throw new AppError('PLACE_NOT_FOUND', `place ${id} does not exist`);
  requireInScope(principal, place.path);
  return place;
}

/**
 * Children of a place, by code. Without a parent: the root of the principal's region, or the
 * cities when the principal sees the whole installation.
 */
export async function listChildren(db: Executor, principal: Scoped, parentId?: number): Promise<PlaceView[]> {
  if (parentId === undefined) {
    if (principal.scopePath === '') return (await repo.findRoots(db)).map(presentPlace);
    const root = await repo.findByPath(db, principal.scopePath);
    return root ? [presentPlace(root)] : [];
  }
  const parent = await findVisiblePlace(db, principal, parentId);
  return (await repo.findChildren(db, parent.id)).map(presentPlace);
}

/** One place with its ancestors (root first) and centre; 404 when unknown, 403 outside the region. */
export async function getPlaceDetail(db: Executor, principal: Scoped, id: number): Promise<PlaceDetailView> {
  const place = await findVisiblePlace(db, principal, id);
  const ancestors = await repo.findAncestors(db, place.path);
  return { ...presentPlace(place), ancestors: ancestors.map(presentPlace), centerLon: place.center_lon, centerLat: place.center_lat };
}

/**
 * The children of a place as a GeoJSON FeatureCollection with resident counts; a place without
 * children maps as itself, so that drilling down always ends on something to draw.
 */
export async function getPlaceMap(db: Executor, principal: Scoped, id: number): Promise<PlaceMapView> {
  const place = await findVisiblePlace(db, principal, id);
  const children = await repo.findChildShapes(db, place.id);
  if (children.length === 0) {
    const self = await repo.findShape(db, place.id);
    const residentCount = await repo.countResidentsWithin(db, place.path);
    return { type: 'FeatureCollection', features: self ? [toFeature(self, residentCount)] : [] };
  }
  const counts = await repo.countResidentsByChild(db, place.path);
  return { type: 'FeatureCollection', features: children.map((child) => toFeature(child, counts.get(child.path) ?? 0)) };
}

function toFeature(shape: repo.PlaceShape, residentCount: number): PlaceMapView['features'][number] {
  return {
    type: 'Feature',
    geometry: shape.boundary,
    properties: { id: shape.id, code: shape.code, name: shape.name, level: shape.level, residentCount },
  };
}

/** A located point: the finest region holding it and the places above it, root first. */
export interface LocatedPlace {
  place: PlaceRecord;
  ancestors: PlaceRecord[];
}

interface CachedIndex {
  index: PointIndex;
  /** The leaves the index holds, so that a located point needs no query for its place. */
  leaves: Map<number, PlaceEntry>;
  generation: number;
  fingerprint: string;
  checkedAt: number;
}

const indexCache = new WeakMap<Db, Promise<CachedIndex>>();
let indexGeneration = 0;

/**
 * Drops every cached point index, so the next lookup rebuilds from the table. `insertPlaces` calls
 * it; call it again after committing a transaction that inserted places.
 */
export function invalidatePlaceIndex(): void {
  indexGeneration += 1;
}

async function pointIndexFor(db: Db, executor: Executor): Promise<CachedIndex> {
  const cached = indexCache.get(db);
  if (cached) {
    const entry = await cached.catch(() => undefined);
    if (entry && entry.generation === indexGeneration) {
      if (Date.now() - entry.checkedAt < INDEX_RECHECK_MS) return entry;
      if ((await repo.placesFingerprint(executor)) === entry.fingerprint) {
        entry.checkedAt = Date.now();
        return entry;
      }
    }
  }
  // A transaction may see rows that never commit: use its index once, cache only committed views.
  if (executor.isTransaction) return buildPointIndex(executor);
  const building = buildPointIndex(executor);
  indexCache.set(db, building);
  try {
    return await building;
  } catch (error) {
    indexCache.delete(db);
    throw error;
  }
}

async function buildPointIndex(executor: Executor): Promise<CachedIndex> {
  const generation = indexGeneration;
  // Fingerprint first: a change landing while the leaves load makes the next check rebuild.
  const fingerprint = await repo.placesFingerprint(executor);
  const leaves = await repo.loadLeafBoundaries(executor);
  const polygons = leaves.flatMap((leaf) => (leaf.boundary ? [{ id: leaf.id, geometry: leaf.boundary }] : []));
  const entries = new Map(leaves.map(({ id, code, name, level, path }) => [id, { id, code, name, level, path }]));
  return { index: new PointIndex(polygons), leaves: entries, generation, fingerprint, checkedAt: Date.now() };
}

/**
 * The micro-grid holding a WGS84 point (or the grid, where a city has no micro-grids) with its
 * ancestors, or null outside every one. No region check: callers decide what the caller may see.
 * The index is built lazily and cached per database; `executor` lets a caller inside a
 * transaction run the SQL on it (PGlite has one connection).
 */
export async function locatePoint(db: Db, lon: number, lat: number, executor: Executor = db): Promise<LocatedPlace | null> {
  const { index } = await pointIndexFor(db, executor);
  const id = index.locate(lon, lat);
  if (id === null) return null;
  const place = await repo.findById(executor, id);
  if (!place) return null;
  const ancestors = await repo.findAncestors(executor, place.path);
  return { place: toRecord(place), ancestors: ancestors.map(toRecord) };
}

/**
 * The micro-grid (or leaf grid) holding a point, as the entry other modules link records to, or
 * null outside every one: answered from the cached index without a query, for intake.
 */
export async function locatePlaceEntry(db: Db, lon: number, lat: number, executor: Executor = db): Promise<PlaceEntry | null> {
  const { index, leaves } = await pointIndexFor(db, executor);
  const id = index.locate(lon, lat);
  return id === null ? null : (leaves.get(id) ?? null);
}

/** {@link locatePoint} for a signed-in principal: 404 outside every grid, 403 outside the principal's region. */
export async function locatePlaceForPrincipal(db: Db, principal: Scoped, lon: number, lat: number): Promise<LocatedPlaceView> {
  const { index } = await pointIndexFor(db, db);
  const id = index.locate(lon, lat);
  const place = id === null ? undefined : await repo.findById(db, id);
  if (!place) throw new AppError('PLACE_NOT_FOUND', `no grid contains the point (${lon}, ${lat})`);
  requireInScope(principal, place.path);
  const ancestors = await repo.findAncestors(db, place.path);
  return { place: presentPlace(place), ancestors: ancestors.map(presentPlace) };
}

/** Registry totals within the principal's region, for the dashboard. */
export async function getOverview(db: Executor, principal: Scoped): Promise<OverviewView> {
  const [registry, levels] = await Promise.all([repo.countRegistry(db, principal.scopePath), repo.countByLevel(db, principal.scopePath)]);
  return { ...registry, grids: levels.grid, microgrids: levels.microgrid };
}

/** Number of places of each level within an ltree scope ('' for everything). */
export function countPlacesByLevel(db: Executor, scopePath: string): Promise<Record<PlaceLevel, number>> {
  return repo.countByLevel(db, scopePath);
}

/** A place by its code (GB/T 2260 or grid code), or undefined; no region check. */
export async function findPlaceByCode(db: Executor, code: string): Promise<PlaceRecord | undefined> {
  const place = await repo.findByCode(db, code);
  return place ? toRecord(place) : undefined;
}

/** A place by id, or undefined; no region check. */
export async function findPlaceById(db: Executor, id: number): Promise<PlaceRecord | undefined> {
  const place = await repo.findById(db, id);
  return place ? toRecord(place) : undefined;
}

/** What {@link insertPlaces} did. */
export interface InsertPlacesResult {
  inserted: number;
}

/**
 * Creates places top-down: parents are resolved by code (in the database or earlier in the same
 * call), paths are derived from them, rows go in batches with one audit entry per batch, and the
 * cached point index is dropped. Given the database it runs in its own transaction; given a
 * transaction it joins it (then call {@link invalidatePlaceIndex} after commit).
 */
export async function insertPlaces(db: Executor, places: readonly PlaceInput[], actor: AuditActor): Promise<InsertPlacesResult> {
  const run = (trx: Executor) => insertPlacesWithin(trx, places, actor);
  const result = db.isTransaction ? await run(db) : await db.transaction().execute(run);
  invalidatePlaceIndex();
  return result;
}

async function insertPlacesWithin(trx: Executor, places: readonly PlaceInput[], actor: AuditActor): Promise<InsertPlacesResult> {
  validatePlaceInputs(places);
  const existing = await repo.findAnchorsByCode(trx, places.map((p) => p.code));
  if (existing.size > 0) {
    const codes = [...existing.keys()].slice(0, 10);
    throw new AppError('CONFLICT', `places already exist: ${codes.join(', ')}`, { codes });
  }
  const inputLevels = new Map(places.map((p) => [p.code, p.level]));
  const outsideParents = [...new Set(places.flatMap((p) => (p.parentCode !== null && !inputLevels.has(p.parentCode) ? [p.parentCode] : [])))];
  const known = await repo.findAnchorsByCode(trx, outsideParents);
  for (const place of places) {
    if (place.parentCode === null) continue;
    const parentLevel = inputLevels.get(place.parentCode) ?? known.get(place.parentCode)?.level;
    if (parentLevel === undefined) throw new AppError('PLACE_NOT_FOUND', `parent place ${place.parentCode} does not exist`, { code: place.parentCode });
    if (PLACE_LEVELS.indexOf(parentLevel) >= PLACE_LEVELS.indexOf(place.level)) {
      throw new AppError('VALIDATION_FAILED', `place ${place.code} (${place.level}) cannot sit under ${place.parentCode} (${parentLevel})`, { code: place.code });
    }
  }

  let inserted = 0;
  // Level by level, so that every parent has its id before its children are written.
  for (const level of PLACE_LEVELS) {
    const ofLevel = places.filter((p) => p.level === level);
    for (let start = 0; start < ofLevel.length; start += repo.INSERT_BATCH_SIZE) {
      const batch = ofLevel.slice(start, start + repo.INSERT_BATCH_SIZE);
      const rows: NewPlace[] = batch.map((place) => {
        // Levels were checked above, so a parent was written in an earlier level or already existed.
        const parent = place.parentCode === null ? undefined : known.get(place.parentCode);
        return {
          code: place.code,
          name: place.name,
          level: place.level,
          parent_id: parent?.id ?? null,
          path: parent ? `${parent.path}.${place.code}` : place.code,
          boundary: place.boundary ? JSON.stringify(place.boundary) : null,
          center_lon: place.centerLon ?? null,
          center_lat: place.centerLat ?? null,
        };
      });
      const created = await repo.insertPlaces(trx, rows);
      for (const row of created) known.set(row.code, { id: row.id, path: row.path, level: row.level });
      inserted += created.length;
      await appendAudit(trx, actor, {
        action: 'place.created',
        entityType: 'place',
        details: { level, count: created.length, firstCode: batch[0]!.code, lastCode: batch.at(-1)!.code },
      });
    }
  }
  return { inserted };
}

function validatePlaceInputs(places: readonly PlaceInput[]): void {
  const seen = new Set<string>();
  for (const place of places) {
    if (!PLACE_CODE.test(place.code)) {
      throw new AppError('VALIDATION_FAILED', `place code "${place.code}" must be 1–64 letters, digits or underscores`, { code: place.code });
    }
    if (seen.has(place.code)) throw new AppError('VALIDATION_FAILED', `place code ${place.code} appears twice`, { code: place.code });
    seen.add(place.code);
    if (!place.name.trim()) throw new AppError('VALIDATION_FAILED', `place ${place.code} has no name`, { code: place.code });
  }
}

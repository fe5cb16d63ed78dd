import { sql } from 'kysely';
import type { Executor } from '../../platform/db/database.ts';
import type { PlaceLevel } from '../../platform/db/schema.ts';
import { requireInScope, type Principal } from '../../platform/auth/index.ts';
import { AppError } from '../../platform/errors.ts';

/** A place's identity as other modules need it to link records to the tree. */
export interface PlaceEntry {
  id: number;
  code: string;
  name: string;
  level: PlaceLevel;
  path: string;
}

/**
 * Every place within `scopePath` by code, loaded once for bulk work such as imports
 * (a city of 30 million has some 100,000 places: a few megabytes).
 */
export async function loadPlaceDirectory(db: Executor, scopePath: string): Promise<Map<string, PlaceEntry>> {
  let query = db.selectFrom('places').select(['id', 'code', 'name', 'level', 'path']);
  if (scopePath) query = query.where(sql<boolean>`path <@ ${scopePath}::ltree`);
  const rows = await query.execute();
  return new Map(rows.map((row) => [row.code, row]));
}

/** One place's identity by id, or undefined. */
export function findPlaceEntry(db: Executor, id: number): Promise<PlaceEntry | undefined> {
  return db.selectFrom('places').select(['id', 'code', 'name', 'level', 'path']).where('id', '=', id).executeTakeFirst();
}

/** One place's identity by id, which must lie in the principal's region (PLACE_NOT_FOUND / FORBIDDEN). */
export async function findPlaceEntryInScope(db: Executor, principal: Pick<Principal, 'scopePath'>, id: number): Promise<PlaceEntry> {
  const place = await findPlaceEntry(db, id);
  if (!place) throw new AppError('PLACE_NOT_FOUND', `no place ${id}`);
  requireInScope(principal, place.path);
  return place;
}

/** Places on the path from the root down to (and including) the given ltree path. */
export function findPlacesOnPath(db: Executor, path: string): Promise<PlaceEntry[]> {
  return db
    .selectFrom('places')
    .select(['id', 'code', 'name', 'level', 'path'])
    .where(sql<boolean>`path @> ${path}::ltree`)
    .orderBy(sql`nlevel(path)`)
    .execute();
}

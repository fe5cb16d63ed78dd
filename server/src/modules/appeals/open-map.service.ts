import { requireInScope, requirePermission, type Principal } from '../../platform/auth/index.ts';
import type { Executor } from '../../platform/db/database.ts';
import { AppError } from '../../platform/errors.ts';
import { findPlaceEntry } from '../places/index.ts';
import { countOpenByDescendant, countOpenWithin, type OpenCountRow } from './open-map.repository.ts';

/** Open appeals per place below a parent, for the map of grids coloured by open matters. */
export interface OpenByPlace {
  parent: { id: number; code: string; name: string; level: string };
  depth: number;
  items: Array<{ placeId: number; code: string; name: string; level: string; open: number; overdue: number }>;
  /** Open appeals located above the counted level (on the parent itself or in between). */
  unplaced: { open: number; overdue: number };
}

const present = (row: OpenCountRow) => ({ placeId: row.id, code: row.code, name: row.name, level: row.level, open: row.open, overdue: row.overdue });

/**
 * Counts the open appeals of every place `depth` levels below `parentId` (1 = its children), in the
 * principal's region. A place without children counts as itself, as the place map draws it.
 */
export async function countOpenAppealsByPlace(db: Executor, principal: Principal, query: { parentId: number; depth?: number | undefined; now?: Date | undefined }): Promise<OpenByPlace> {
  requirePermission(principal, 'matters:matter:read');
  const parent = await findPlaceEntry(db, query.parentId);
  if (!parent) throw new AppError('PLACE_NOT_FOUND', `no place ${query.parentId}`);
  requireInScope(principal, parent.path);
  const now = query.now ?? new Date();
  const depth = query.depth ?? 1;
  const rows = await countOpenByDescendant(db, principal, parent.path, depth, now);
  const parentView = { id: parent.id, code: parent.code, name: parent.name, level: parent.level };
  if (rows.length === 0) {
    const self = await countOpenWithin(db, principal, parent.path, now);
    return { parent: parentView, depth: 0, items: [{ placeId: parent.id, code: parent.code, name: parent.name, level: parent.level, ...self }], unplaced: { open: 0, overdue: 0 } };
  }
  const unplaced = await countOpenWithin(db, principal, parent.path, now, { onlyAbove: parent.path.split('.').length + depth });
  return { parent: parentView, depth, items: rows.map(present), unplaced };
}

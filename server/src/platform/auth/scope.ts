import { type Expression, type SqlBool, sql } from 'kysely';
import type { Principal } from './principal.ts';

/**
 * SQL condition restricting an ltree column to the principal's region. Repositories add it to
 * every query over people and places, so that scope holds for lists, details and exports alike.
 */
export function inScope(column: string, principal: Pick<Principal, 'scopePath'>): Expression<SqlBool> {
  if (principal.scopePath === '') return sql<SqlBool>`true`;
  return sql<SqlBool>`${sql.ref(column)} <@ ${principal.scopePath}::ltree`;
}

/**
 * The same restriction for a table found by place id (residents, households): the region's places
 * come from the place tree's path index, and the rows from a B-tree on their place id. A GiST
 * index on a million residents' paths cost an import more than all their B-trees together.
 */
export function placeInScope(column: string, principal: Pick<Principal, 'scopePath'>): Expression<SqlBool> {
  if (principal.scopePath === '') return sql<SqlBool>`true`;
  return placeWithin(column, principal.scopePath);
}

/** SQL condition: the place id in `column` is the place at `path` or one below it. */
export function placeWithin(column: string, path: string): Expression<SqlBool> {
  return sql<SqlBool>`${sql.ref(column)} IN (SELECT id FROM places WHERE path <@ ${path}::ltree)`;
}

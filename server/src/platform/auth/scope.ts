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

/**
 * True when `error` is PostgreSQL's unique violation (SQLSTATE 23505), optionally of the named
 * constraint. Works for node-postgres and PGlite errors alike (both carry `code` and `constraint`).
 */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, constraint: name } = error as { code?: unknown; constraint?: unknown };
  return code === '23505' && (constraint === undefined || name === constraint);
}

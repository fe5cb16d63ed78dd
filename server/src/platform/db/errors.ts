/**
 * True when `error` is PostgreSQL's unique violation (SQLSTATE 23505), optionally of the named
 * constraint. Works for node-postgres and PGlite errors alike (both carry `code` and `constraint`).
 */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, constraint: name } = error as { code?: unknown; constraint?: unknown };
  return code === '23505' && (constraint === undefined || name === constraint);
}

/**
 * True when the database refused a statement for what it said (a constraint, a bad value: SQLSTATE
 * classes 22 and 23) — an error that retrying the same statement cannot cure, and that certainly
 * rolled its transaction back. A lost connection is not one: its transaction may have committed.
 */
export function isStatementRefusal(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code } = error as { code?: unknown };
  return typeof code === 'string' && (code.startsWith('22') || code.startsWith('23'));
}

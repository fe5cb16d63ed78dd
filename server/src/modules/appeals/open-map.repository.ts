import { sql } from 'kysely';
import type { Executor } from '../../platform/db/database.ts';
import type { PlaceLevel } from '../../platform/db/schema.ts';
import { inScope } from '../../platform/auth/index.ts';

/** Open appeals under one place of the tree. */
export interface OpenCountRow {
  id: number;
  code: string;
  name: string;
  level: PlaceLevel;
  open: number;
  overdue: number;
}

/**
 * Open appeals (not yet in a final state) counted per place `depth` levels below `parentPath`,
 * with those past their step deadline at `now`; places without any are listed with zero so that
 * a map colours every region. One pass over the subtree's open matters, grouped by ltree prefix.
 */
export async function countOpenByDescendant(db: Executor, scope: { scopePath: string }, parentPath: string, depth: number, now: Date): Promise<OpenCountRow[]> {
  const result = await sql<OpenCountRow>`
    WITH counts AS (
      SELECT subpath(m.place_path, 0, nlevel(${parentPath}::ltree) + ${depth}) AS path,
        count(*)::int AS open,
        count(*) FILTER (WHERE m.step_due_at < ${now})::int AS overdue
      FROM matters m
      JOIN appeals a ON a.matter_id = m.id
      WHERE m.closed_at IS NULL
        AND m.place_path <@ ${parentPath}::ltree
        AND nlevel(m.place_path) >= nlevel(${parentPath}::ltree) + ${depth}
        AND ${inScope('m.place_path', scope)}
      GROUP BY 1
    )
    SELECT p.id, p.code, p.name, p.level, coalesce(c.open, 0)::int AS open, coalesce(c.overdue, 0)::int AS overdue
    FROM places p
    LEFT JOIN counts c ON c.path = p.path
    WHERE p.path <@ ${parentPath}::ltree AND nlevel(p.path) = nlevel(${parentPath}::ltree) + ${depth}
    ORDER BY p.code`.execute(db);
  return result.rows.map((row) => ({ ...row, open: Number(row.open), overdue: Number(row.overdue) }));
}

/** Open appeals located at exactly this place or anywhere below it, with the overdue ones. */
export async function countOpenWithin(db: Executor, scope: { scopePath: string }, path: string, now: Date, options: { onlyAbove?: number } = {}): Promise<{ open: number; overdue: number }> {
  const above = options.onlyAbove === undefined ? sql`true` : sql`nlevel(m.place_path) < ${options.onlyAbove}`;
  const result = await sql<{ open: number; overdue: number }>`
    SELECT count(*)::int AS open, count(*) FILTER (WHERE m.step_due_at < ${now})::int AS overdue
    FROM matters m
    JOIN appeals a ON a.matter_id = m.id
    WHERE m.closed_at IS NULL AND m.place_path <@ ${path}::ltree AND ${above} AND ${inScope('m.place_path', scope)}`.execute(db);
  const row = result.rows[0];
  return { open: Number(row?.open ?? 0), overdue: Number(row?.overdue ?? 0) };
}

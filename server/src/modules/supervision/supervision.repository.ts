import { type Expression, type SqlBool, sql } from 'kysely';
import type { Executor } from '../../platform/db/database.ts';
import { inScope } from '../../platform/auth/index.ts';

/** Which overdue matters a board shows. */
export interface OverdueFilter {
  now: Date;
  /** One assignee organisation; null for the matters no organisation holds yet. */
  organisationId?: number | null | undefined;
  /** Escalation level (督办) reached: 0 none yet, 1 first, 2 second or more. */
  level?: number | undefined;
}

/** Overdue matters of one assignee organisation, by escalation level. */
export interface OverdueGroupRow {
  organisation_id: number | null;
  organisation_name: string | null;
  total: number;
  not_escalated: number;
  first_escalation: number;
  second_escalation: number;
  oldest_due_at: Date;
}

/** The condition every board query shares: open, past the current step's deadline, in the region. */
function isOverdue(scope: { scopePath: string }, now: Date): Expression<SqlBool> {
  return sql<SqlBool>`m.closed_at IS NULL AND m.step_due_at < ${now} AND ${inScope('m.place_path', scope)}`;
}

function narrowed(filter: OverdueFilter): Expression<SqlBool> {
  const organisation =
    filter.organisationId === undefined
      ? sql`true`
      : filter.organisationId === null
        ? sql`m.assignee_organisation_id IS NULL`
        : sql`m.assignee_organisation_id = ${filter.organisationId}`;
  const level = filter.level === undefined ? sql`true` : filter.level >= 2 ? sql`m.escalation_level >= 2` : sql`m.escalation_level = ${filter.level}`;
  return sql<SqlBool>`${organisation} AND ${level}`;
}

/** Overdue matters in the region grouped by assignee organisation, most overdue matters first. */
export async function findOverdueGroups(db: Executor, scope: { scopePath: string }, now: Date): Promise<OverdueGroupRow[]> {
  const result = await sql<OverdueGroupRow>`
    SELECT m.assignee_organisation_id AS organisation_id, o.name AS organisation_name,
      count(*)::int AS total,
      count(*) FILTER (WHERE m.escalation_level = 0)::int AS not_escalated,
      count(*) FILTER (WHERE m.escalation_level = 1)::int AS first_escalation,
      count(*) FILTER (WHERE m.escalation_level >= 2)::int AS second_escalation,
      min(m.step_due_at) AS oldest_due_at
    FROM matters m
    LEFT JOIN organisations o ON o.id = m.assignee_organisation_id
    WHERE ${isOverdue(scope, now)}
    GROUP BY m.assignee_organisation_id, o.name
    ORDER BY total DESC, oldest_due_at, organisation_id NULLS LAST`.execute(db);
  return result.rows.map((row) => ({
    ...row,
    total: Number(row.total),
    not_escalated: Number(row.not_escalated),
    first_escalation: Number(row.first_escalation),
    second_escalation: Number(row.second_escalation),
    oldest_due_at: new Date(row.oldest_due_at),
  }));
}

/** One overdue matter as the board lists it. */
export interface OverdueMatterRow {
  id: number;
  reference: string;
  type_code: string;
  title: string;
  state: string;
  place_id: number | null;
  place_name: string | null;
  organisation_id: number | null;
  organisation_name: string | null;
  step_due_at: Date;
  escalation_level: number;
}

/** A page of overdue matters in the region, longest overdue first, with the total. */
export async function findOverdueMatters(db: Executor, scope: { scopePath: string }, filter: OverdueFilter, page: { limit: number; offset: number }) {
  const where = sql`${isOverdue(scope, filter.now)} AND ${narrowed(filter)}`;
  const rows = await sql<OverdueMatterRow>`
    SELECT m.id, m.reference, m.type_code, m.title, m.state, m.place_id, p.name AS place_name,
      m.assignee_organisation_id AS organisation_id, o.name AS organisation_name, m.step_due_at, m.escalation_level
    FROM matters m
    LEFT JOIN organisations o ON o.id = m.assignee_organisation_id
    LEFT JOIN places p ON p.id = m.place_id
    WHERE ${where}
    ORDER BY m.step_due_at, m.id
    LIMIT ${page.limit} OFFSET ${page.offset}`.execute(db);
  const counted = await sql<{ n: number }>`SELECT count(*)::int AS n FROM matters m WHERE ${where}`.execute(db);
  return {
    rows: rows.rows.map((row) => ({ ...row, step_due_at: new Date(row.step_due_at), escalation_level: Number(row.escalation_level) })),
    total: Number(counted.rows[0]?.n ?? 0),
  };
}

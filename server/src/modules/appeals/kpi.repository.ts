import { sql } from 'kysely';
import type { Executor } from '../../platform/db/database.ts';

/** What KPIs are grouped by. */
export type KpiDimension = 'category' | 'place' | 'organisation' | 'month';

/** Counts behind the KPIs of one group; rates are derived from them, never stored. */
export interface KpiCounts {
  key: string;
  total: number;
  respondedInTime: number;
  responded: number;
  closed: number;
  closedInTime: number;
  callbacks: number;
  satisfied: number;
  solved: number;
  handlingHoursSum: number;
}

/**
 * KPI counts computed from the timeline (留痕), never typed in. A matter is
 * - responded in time when it left its first state (受理 → 派单/直办) before that step's deadline;
 * - closed in time when it reached 办结 without any escalation (督办) on the way;
 * - satisfied / solved by its latest callback (回访);
 * and its handling time runs from creation to its first 办结.
 * `placeDepth` is the ltree depth a place key is cut at (3 = street, 4 = community, 5 = grid).
 */
export async function kpiCounts(
  db: Executor,
  filter: { scopePath: string; from: Date; to: Date; dimension: KpiDimension; placeDepth: number },
): Promise<KpiCounts[]> {
  const key =
    filter.dimension === 'category'
      ? sql`a.category_code`
      : filter.dimension === 'organisation'
        ? sql`coalesce(a.handler_organisation_id::text, a.handler_level)`
        : filter.dimension === 'month'
          ? sql`to_char(m.created_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM')`
          : sql`subpath(m.place_path, 0, least(nlevel(m.place_path), ${filter.placeDepth}))::text`;
  const scope = filter.scopePath ? sql`m.place_path <@ ${filter.scopePath}::ltree` : sql`true`;
  const result = await sql<{
    key: string;
    total: number;
    responded_in_time: number;
    responded: number;
    closed: number;
    closed_in_time: number;
    callbacks: number;
    satisfied: number;
    solved: number;
    handling_hours_sum: number | null;
  }>`
    WITH facts AS (
      SELECT ${key} AS key,
        (SELECT (e.details->>'dueAt')::timestamptz FROM matter_events e WHERE e.matter_id = m.id AND e.kind = 'created') AS first_due,
        (SELECT min(e.at) FROM matter_events e WHERE e.matter_id = m.id AND e.kind = 'transition' AND e.step_seq = 2) AS first_response_at,
        (SELECT min(e.at) FROM matter_events e WHERE e.matter_id = m.id AND e.kind = 'transition' AND e.to_state = 'closed') AS first_closed_at,
        EXISTS (SELECT 1 FROM matter_events e WHERE e.matter_id = m.id AND e.kind = 'escalated') AS was_escalated,
        (SELECT e.action FROM matter_events e WHERE e.matter_id = m.id AND e.action IN ('callback_satisfied', 'callback_unsatisfied') ORDER BY e.id DESC LIMIT 1) AS last_callback,
        (SELECT (e.details->>'isSolved')::boolean FROM matter_events e WHERE e.matter_id = m.id AND e.action IN ('callback_satisfied', 'callback_unsatisfied') ORDER BY e.id DESC LIMIT 1) AS last_solved,
        m.created_at
      FROM matters m
      JOIN appeals a ON a.matter_id = m.id
      WHERE ${scope} AND m.created_at >= ${filter.from} AND m.created_at < ${filter.to}
    )
    SELECT key,
      count(*)::int AS total,
      count(*) FILTER (WHERE first_response_at <= first_due)::int AS responded_in_time,
      count(first_response_at)::int AS responded,
      count(first_closed_at)::int AS closed,
      count(*) FILTER (WHERE first_closed_at IS NOT NULL AND NOT was_escalated)::int AS closed_in_time,
      count(last_callback)::int AS callbacks,
      count(*) FILTER (WHERE last_callback = 'callback_satisfied')::int AS satisfied,
      count(*) FILTER (WHERE last_solved)::int AS solved,
      sum(extract(epoch FROM first_closed_at - created_at) / 3600.0) AS handling_hours_sum
    FROM facts
    GROUP BY key
    ORDER BY key`.execute(db);
  return result.rows.map((r) => ({
    key: r.key,
    total: Number(r.total),
    respondedInTime: Number(r.responded_in_time),
    responded: Number(r.responded),
    closed: Number(r.closed),
    closedInTime: Number(r.closed_in_time),
    callbacks: Number(r.callbacks),
    satisfied: Number(r.satisfied),
    solved: Number(r.solved),
    handlingHoursSum: Number(r.handling_hours_sum ?? 0),
  }));
}

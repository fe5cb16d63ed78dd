import { sql, type RawBuilder } from 'kysely';
import type { Db, Executor } from '../../platform/db/database.ts';

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

/** Depth at which the monthly rollups keep places: grids for the place ranking, communities for the rest. */
export const ROLLUP_PLACE_DEPTH = 5;
export const ROLLUP_AREA_DEPTH = 4;

/**
 * The facts of a matter that its KPIs are counted from, derived from its timeline (留痕):
 * - responded in time when it left its first state (受理 → 派单/直办) before that step's deadline;
 * - closed in time when it reached 办结 without any escalation (督办) on the way;
 * - satisfied / solved by its latest callback (回访 or the resident's own rating);
 * - handling time from creation to its first 办结.
 * `ids` selects the matters (a subquery of matter ids).
 */
function factsOf(ids: RawBuilder<unknown>) {
  // One hash aggregate over the matters' events; the latest callback is found by its id and read
  // after, which spares sorting every event.
  return sql`
    SELECT m.id AS matter_id, m.created_at,
      date_trunc('month', m.created_at AT TIME ZONE 'Asia/Shanghai')::date AS month,
      m.place_path, a.category_code,
      coalesce(a.handler_organisation_id::text, a.handler_level) AS handler_key,
      t.first_due, t.first_response_at, t.first_closed_at, t.was_escalated,
      cb.action AS last_callback, (cb.details->>'isSolved')::boolean AS last_solved
    FROM (
      SELECT e.matter_id,
        max((e.details->>'dueAt')::timestamptz) FILTER (WHERE e.kind = 'created') AS first_due,
        min(e.at) FILTER (WHERE e.kind = 'transition' AND e.step_seq = 2) AS first_response_at,
        min(e.at) FILTER (WHERE e.kind = 'transition' AND e.to_state = 'closed') AS first_closed_at,
        bool_or(e.kind = 'escalated') AS was_escalated,
        max(e.id) FILTER (WHERE e.action IN ('callback_satisfied', 'callback_unsatisfied')) AS last_callback_id
      FROM matter_events e
      WHERE e.matter_id IN (${ids})
      GROUP BY e.matter_id
    ) t
    JOIN matters m ON m.id = t.matter_id
    JOIN appeals a ON a.matter_id = m.id
    LEFT JOIN matter_events cb ON cb.id = t.last_callback_id`;
}

/** The counts of a group of fact rows `f`, in the column order of appeal_kpi_monthly, times `sign`. */
function countsOf(sign: number) {
  const s = sql.lit(sign);
  return sql`
    ${s} * count(*)::int AS total,
    ${s} * count(*) FILTER (WHERE f.first_response_at <= f.first_due)::int AS responded_in_time,
    ${s} * count(f.first_response_at)::int AS responded,
    ${s} * count(f.first_closed_at)::int AS closed,
    ${s} * count(*) FILTER (WHERE f.first_closed_at IS NOT NULL AND NOT f.was_escalated)::int AS closed_in_time,
    ${s} * count(f.last_callback)::int AS callbacks,
    ${s} * count(*) FILTER (WHERE f.last_callback = 'callback_satisfied')::int AS satisfied,
    ${s} * count(*) FILTER (WHERE f.last_solved)::int AS solved,
    ${s} * coalesce(sum(extract(epoch FROM f.first_closed_at - f.created_at) / 3600.0), 0)::double precision AS handling_hours_sum`;
}

/** Adds (sign 1) or removes (sign -1) the facts of matters `ids` to or from the monthly rollups. */
async function foldIntoRollups(trx: Executor, ids: RawBuilder<unknown>, sign: 1 | -1): Promise<void> {
  const place = sql`subpath(f.place_path, 0, least(nlevel(f.place_path), ${sql.lit(ROLLUP_PLACE_DEPTH)}))`;
  const area = sql`subpath(f.place_path, 0, least(nlevel(f.place_path), ${sql.lit(ROLLUP_AREA_DEPTH)}))`;
  await sql`
    INSERT INTO appeal_kpi_monthly AS r (dimension, month, area_path, key, total, responded_in_time, responded, closed, closed_in_time, callbacks, satisfied, solved, handling_hours_sum)
    SELECT 'place', f.month, ${place}, '', ${countsOf(sign)} FROM appeal_kpi_facts f WHERE f.matter_id IN (${ids}) GROUP BY f.month, ${place}
    UNION ALL
    SELECT 'category', f.month, ${area}, f.category_code, ${countsOf(sign)} FROM appeal_kpi_facts f WHERE f.matter_id IN (${ids}) GROUP BY f.month, ${area}, f.category_code
    UNION ALL
    SELECT 'organisation', f.month, ${area}, f.handler_key, ${countsOf(sign)} FROM appeal_kpi_facts f WHERE f.matter_id IN (${ids}) GROUP BY f.month, ${area}, f.handler_key
    ON CONFLICT (dimension, month, area_path, key) DO UPDATE SET
      total = r.total + excluded.total,
      responded_in_time = r.responded_in_time + excluded.responded_in_time,
      responded = r.responded + excluded.responded,
      closed = r.closed + excluded.closed,
      closed_in_time = r.closed_in_time + excluded.closed_in_time,
      callbacks = r.callbacks + excluded.callbacks,
      satisfied = r.satisfied + excluded.satisfied,
      solved = r.solved + excluded.solved,
      handling_hours_sum = r.handling_hours_sum + excluded.handling_hours_sum`.execute(trx);
}

/**
 * Folds timeline events written since the last refresh into the KPI facts and rollups: the facts
 * of every appeal with a new event are taken out of the rollups, derived again from the whole
 * timeline and put back. At most `maxEvents` events per transaction; returns the matters
 * refreshed. Refreshers in several processes queue on the state row.
 */
export async function refreshKpiFacts(db: Db, maxEvents = 50_000): Promise<number> {
  // Every KPI read comes through here: with nothing new, answer from one unlocked read instead of
  // queueing on the state row behind the other readers.
  if ((await countUnfoldedEvents(db, 1)) === 0) return 0;
  let refreshed = 0;
  for (;;) {
    const step = await db.transaction().execute(async (trx) => {
      const state = await sql<{ last_event_id: string }>`SELECT last_event_id FROM appeal_kpi_state WHERE id = 1 FOR UPDATE`.execute(trx);
      // Enough memory to aggregate a batch of events without spilling to disk.
      await sql`SET LOCAL work_mem = '64MB'`.execute(trx);
      const after = Number(state.rows[0]!.last_event_id);
      const bound = await sql<{ up_to: string | null; events: number }>`
        SELECT max(id) AS up_to, count(*)::int AS events FROM (SELECT id FROM matter_events WHERE id > ${after} ORDER BY id LIMIT ${maxEvents}) s`.execute(trx);
      const upTo = bound.rows[0]!.up_to;
      if (upTo === null) return { matters: 0, events: 0 };
      await sql`
        CREATE TEMP TABLE kpi_changed ON COMMIT DROP AS
        SELECT DISTINCT e.matter_id FROM matter_events e JOIN appeals a ON a.matter_id = e.matter_id WHERE e.id > ${after} AND e.id <= ${upTo}`.execute(trx);
      const changed = sql`SELECT matter_id FROM kpi_changed`;
      const count = await sql<{ n: number }>`SELECT count(*)::int AS n FROM kpi_changed`.execute(trx);
      await foldIntoRollups(trx, changed, -1);
      await sql`
        INSERT INTO appeal_kpi_facts AS f ${sql`(matter_id, created_at, month, place_path, category_code, handler_key, first_due, first_response_at, first_closed_at, was_escalated, last_callback, last_solved)`}
        ${factsOf(changed)}
        ON CONFLICT (matter_id) DO UPDATE SET created_at = excluded.created_at, month = excluded.month, place_path = excluded.place_path,
          category_code = excluded.category_code, handler_key = excluded.handler_key, first_due = excluded.first_due,
          first_response_at = excluded.first_response_at, first_closed_at = excluded.first_closed_at, was_escalated = excluded.was_escalated,
          last_callback = excluded.last_callback, last_solved = excluded.last_solved`.execute(trx);
      await foldIntoRollups(trx, changed, 1);
      await sql`UPDATE appeal_kpi_state SET last_event_id = ${upTo} WHERE id = 1`.execute(trx);
      return { matters: Number(count.rows[0]!.n), events: Number(bound.rows[0]!.events) };
    });
    refreshed += step.matters;
    if (step.events < maxEvents) return refreshed;
  }
}

/**
 * Recomputes the monthly rollups from the facts in one pass (a repair, and how a bulk load of
 * facts is folded in): the rollups are replaced in the caller's transaction.
 */
export async function rebuildKpiRollups(trx: Executor): Promise<void> {
  await sql`DELETE FROM appeal_kpi_monthly`.execute(trx);
  await foldIntoRollups(trx, sql`SELECT matter_id FROM appeal_kpi_facts`, 1);
}

/** Timeline events not folded into the KPI facts yet, counted up to `limit`. */
export async function countUnfoldedEvents(db: Executor, limit = Number.MAX_SAFE_INTEGER): Promise<number> {
  const result = await sql<{ n: number }>`
    SELECT count(*)::int AS n FROM (
      SELECT 1 FROM matter_events WHERE id > (SELECT last_event_id FROM appeal_kpi_state WHERE id = 1) LIMIT ${limit}
    ) s`.execute(db);
  return Number(result.rows[0]!.n);
}

interface CountsRow {
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
}

function toCounts(rows: CountsRow[]): KpiCounts[] {
  return rows.map((r) => ({
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

/** A KPI query: the principal's region, a period [from, to), the grouping. */
export interface KpiFilter {
  scopePath: string;
  from: Date;
  to: Date;
  dimension: KpiDimension;
  /** The ltree depth a place key is cut at (3 = street, 4 = community, 5 = grid). */
  placeDepth: number;
}

/** KPI counts summed from the monthly rollups; only for the periods and regions they can answer (see kpi.service.ts). */
export async function kpiCountsFromRollups(db: Executor, filter: KpiFilter & { fromMonth: string; toMonth: string }): Promise<KpiCounts[]> {
  const dimension = filter.dimension === 'month' ? 'place' : filter.dimension;
  const key =
    filter.dimension === 'month'
      ? sql`to_char(month, 'YYYY-MM')`
      : filter.dimension === 'place'
        ? sql`subpath(area_path, 0, least(nlevel(area_path), ${filter.placeDepth}))::text`
        : sql`key`;
  const scope = filter.scopePath ? sql`area_path <@ ${filter.scopePath}::ltree` : sql`true`;
  const result = await sql<CountsRow>`
    SELECT ${key} AS key, sum(total)::int AS total, sum(responded_in_time)::int AS responded_in_time, sum(responded)::int AS responded,
      sum(closed)::int AS closed, sum(closed_in_time)::int AS closed_in_time, sum(callbacks)::int AS callbacks,
      sum(satisfied)::int AS satisfied, sum(solved)::int AS solved, sum(handling_hours_sum) AS handling_hours_sum
    FROM appeal_kpi_monthly
    WHERE dimension = ${dimension} AND month >= ${filter.fromMonth}::date AND month < ${filter.toMonth}::date AND ${scope}
    GROUP BY 1 HAVING sum(total) > 0 ORDER BY 1`.execute(db);
  return toCounts(result.rows);
}

/** KPI counts summed from the per-matter facts: any period, any region. */
export async function kpiCountsFromFacts(db: Executor, filter: KpiFilter): Promise<KpiCounts[]> {
  const key =
    filter.dimension === 'category'
      ? sql`f.category_code`
      : filter.dimension === 'organisation'
        ? sql`f.handler_key`
        : filter.dimension === 'month'
          ? sql`to_char(f.month, 'YYYY-MM')`
          : sql`subpath(f.place_path, 0, least(nlevel(f.place_path), ${filter.placeDepth}))::text`;
  const scope = filter.scopePath ? sql`f.place_path <@ ${filter.scopePath}::ltree` : sql`true`;
  const result = await sql<CountsRow>`
    SELECT ${key} AS key, ${countsOf(1)}
    FROM appeal_kpi_facts f
    WHERE ${scope} AND f.created_at >= ${filter.from} AND f.created_at < ${filter.to}
    GROUP BY 1 ORDER BY 1`.execute(db);
  return toCounts(result.rows);
}

import { requirePermission, type Principal } from '../../platform/auth/index.ts';
import type { Executor } from '../../platform/db/database.ts';
import { kpiCounts, type KpiCounts, type KpiDimension } from './kpi.repository.ts';

/** The published KPIs of one group (响应率, 按时办结率, 解决率, 满意率, average handling time). */
export interface KpiRow extends KpiCounts {
  /** 响应率: responded within the first step's limit, over all matters. */
  responseRate: number | null;
  /** 按时办结率: closed without escalation, over closed matters. */
  onTimeClosureRate: number | null;
  /** 解决率: callbacks that found the problem solved, over callbacks. */
  solvedRate: number | null;
  /** 满意率: satisfied callbacks, over callbacks. */
  satisfactionRate: number | null;
  /** Mean hours from creation to first closure, over closed matters. */
  averageHandlingHours: number | null;
}

const ratio = (part: number, whole: number) => (whole === 0 ? null : part / whole);

/** KPIs of the appeals in the principal's region created in [from, to), grouped by `dimension`. */
export async function computeKpis(
  db: Executor,
  principal: Principal,
  query: { from: Date; to: Date; dimension: KpiDimension; placeDepth?: number },
): Promise<KpiRow[]> {
  requirePermission(principal, 'matters:matter:read');
  const counts = await kpiCounts(db, { scopePath: principal.scopePath, from: query.from, to: query.to, dimension: query.dimension, placeDepth: query.placeDepth ?? 5 });
  return counts.map((c) => ({
    ...c,
    responseRate: ratio(c.respondedInTime, c.total),
    onTimeClosureRate: ratio(c.closedInTime, c.closed),
    solvedRate: ratio(c.solved, c.callbacks),
    satisfactionRate: ratio(c.satisfied, c.callbacks),
    averageHandlingHours: c.closed === 0 ? null : c.handlingHoursSum / c.closed,
  }));
}

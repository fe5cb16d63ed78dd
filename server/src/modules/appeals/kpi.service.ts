import { requirePermission, type Principal } from '../../platform/auth/index.ts';
import type { Db } from '../../platform/db/database.ts';
import type { Ticker } from '../../platform/jobs/index.ts';
import {
  kpiCountsFromFacts,
  kpiCountsFromRollups,
  refreshKpiFacts,
  ROLLUP_AREA_DEPTH,
  ROLLUP_PLACE_DEPTH,
  type KpiCounts,
  type KpiDimension,
  type KpiFilter,
} from './kpi.repository.ts';

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

const CHINA_OFFSET_MS = 8 * 3600 * 1000;

/** `YYYY-MM-01` when `at` is the first moment of a month in China time, else null. */
export function chinaMonthStart(at: Date): string | null {
  const local = new Date(at.getTime() + CHINA_OFFSET_MS);
  if (local.getUTCDate() !== 1 || local.getUTCHours() !== 0 || local.getUTCMinutes() !== 0 || local.getUTCSeconds() !== 0 || local.getUTCMilliseconds() !== 0) return null;
  return local.toISOString().slice(0, 10);
}

/** Counts from the monthly rollups when they hold the answer exactly, else from the per-matter facts. */
async function countKpis(db: Db, filter: KpiFilter): Promise<KpiCounts[]> {
  const fromMonth = chinaMonthStart(filter.from);
  const toMonth = chinaMonthStart(filter.to);
  const scopeDepth = filter.scopePath ? filter.scopePath.split('.').length : 0;
  // Rollups keep grids for the place ranking and communities for the rest: a region or a key
  // finer than that needs the facts (few rows at that size).
  const byPlace = filter.dimension === 'place' || filter.dimension === 'month';
  const fits = byPlace ? scopeDepth <= ROLLUP_PLACE_DEPTH && (filter.dimension === 'month' || filter.placeDepth <= ROLLUP_PLACE_DEPTH) : scopeDepth <= ROLLUP_AREA_DEPTH;
  if (fromMonth && toMonth && fits) return kpiCountsFromRollups(db, { ...filter, fromMonth, toMonth });
  return kpiCountsFromFacts(db, filter);
}

/**
 * KPIs of the appeals in the principal's region created in [from, to), grouped by `dimension`.
 * Timeline events not yet folded into the KPI facts are folded first, so the figures include
 * every committed transition.
 */
export async function computeKpis(
  db: Db,
  principal: Principal,
  query: { from: Date; to: Date; dimension: KpiDimension; placeDepth?: number },
): Promise<KpiRow[]> {
  requirePermission(principal, 'matters:matter:read');
  await refreshKpiFacts(db);
  const counts = await countKpis(db, { scopePath: principal.scopePath, from: query.from, to: query.to, dimension: query.dimension, placeDepth: query.placeDepth ?? 5 });
  return counts.map((c) => ({
    ...c,
    responseRate: ratio(c.respondedInTime, c.total),
    onTimeClosureRate: ratio(c.closedInTime, c.closed),
    solvedRate: ratio(c.solved, c.callbacks),
    satisfactionRate: ratio(c.satisfied, c.callbacks),
    averageHandlingHours: c.closed === 0 ? null : c.handlingHoursSum / c.closed,
  }));
}

/** Folds new timeline events into the KPI facts every few seconds, so dashboards read no backlog. */
export function kpiRefresher(db: Db): Ticker {
  return { id: 'appeal-kpi-refresh', everyMs: 5000, run: () => refreshKpiFacts(db) };
}

import { requirePermission, type Principal } from '../../platform/auth/index.ts';
import { loadCalendar, type WorkingCalendar } from '../../platform/calendar/index.ts';
import type { Executor } from '../../platform/db/database.ts';
import { isAppError } from '../../platform/errors.ts';
import { chinaDate } from '../matters/index.ts';
import * as repo from './supervision.repository.ts';

/** What the supervision board needs: the database and a clock. */
export interface SupervisionDeps {
  db: Executor;
  now?: () => Date;
}

/** How long a matter has been overdue. */
export interface Overdue {
  /** Working days since the day of the deadline (official calendar); null when the calendar lacks a year. */
  workingDays: number | null;
  /** Clock hours since the deadline. */
  hours: number;
}

/** The supervisor's overdue board (督办看板). */
export interface OverdueBoard {
  asOf: Date;
  summary: { total: number; notEscalated: number; firstEscalation: number; secondEscalation: number; oldestDueAt: Date | null; oldestOverdue: Overdue | null };
  groups: Array<{
    organisationId: number | null;
    organisationName: string | null;
    total: number;
    notEscalated: number;
    firstEscalation: number;
    secondEscalation: number;
    oldestDueAt: Date;
    oldestOverdue: Overdue;
  }>;
  items: Array<repo.OverdueMatterRow & { overdue: Overdue }>;
  total: number;
}

/**
 * Working days past a deadline: the working days after the day the deadline falls on, up to and
 * including today. A deadline at the close of a day (midnight) falls on that day, so the next
 * working day is the first overdue one; a deadline at 11:00 today is less than one day overdue.
 */
export function overdueBy(calendar: WorkingCalendar, dueAt: Date, now: Date): Overdue {
  const hours = Math.max(0, Math.floor((now.getTime() - dueAt.getTime()) / 3_600_000));
  try {
    return { workingDays: Math.max(0, calendar.workingDaysBetween(chinaDate(new Date(dueAt.getTime() - 1)), chinaDate(now))), hours };
  } catch (error) {
    // A deadline in a year without calendar data: show the hours rather than fail the board.
    if (isAppError(error, 'CALENDAR_YEAR_MISSING')) return { workingDays: null, hours };
    throw error;
  }
}

/**
 * 督办看板: the open matters of the principal's region past their current step's deadline, grouped
 * by the organisation holding them with counts per escalation level (督办 first, second), the
 * oldest of each, and the list itself longest overdue first with how long in working days.
 */
export async function getOverdueBoard(deps: SupervisionDeps, principal: Principal, filter: Omit<repo.OverdueFilter, 'now'>, page: { limit: number; offset: number }): Promise<OverdueBoard> {
  requirePermission(principal, 'matters:supervision:read');
  const now = deps.now?.() ?? new Date();
  const calendar = await loadCalendar(deps.db);
  const groups = await repo.findOverdueGroups(deps.db, principal, now);
  const list = await repo.findOverdueMatters(deps.db, principal, { ...filter, now }, page);
  const oldestDueAt = groups.length === 0 ? null : new Date(Math.min(...groups.map((g) => g.oldest_due_at.getTime())));
  return {
    asOf: now,
    summary: {
      total: groups.reduce((sum, g) => sum + g.total, 0),
      notEscalated: groups.reduce((sum, g) => sum + g.not_escalated, 0),
      firstEscalation: groups.reduce((sum, g) => sum + g.first_escalation, 0),
      secondEscalation: groups.reduce((sum, g) => sum + g.second_escalation, 0),
      oldestDueAt,
      oldestOverdue: oldestDueAt ? overdueBy(calendar, oldestDueAt, now) : null,
    },
    groups: groups.map((g) => ({
      organisationId: g.organisation_id,
      organisationName: g.organisation_name,
      total: g.total,
      notEscalated: g.not_escalated,
      firstEscalation: g.first_escalation,
      secondEscalation: g.second_escalation,
      oldestDueAt: g.oldest_due_at,
      oldestOverdue: overdueBy(calendar, g.oldest_due_at, now),
    })),
    items: list.rows.map((row) => ({ ...row, overdue: overdueBy(calendar, row.step_due_at, now) })),
    total: list.total,
  };
}

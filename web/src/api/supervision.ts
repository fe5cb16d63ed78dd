import { endpoint, type PageQuery } from './endpoint';

/** How long a matter has been overdue: working days on the official calendar, and clock hours. */
export interface OverdueSpan {
  /** Null when the calendar lacks the year. */
  workingDays: number | null;
  hours: number;
}

/** Overdue counts per escalation level (督办). */
export interface EscalationCounts {
  total: number;
  notEscalated: number;
  firstEscalation: number;
  secondEscalation: number;
}

/** The overdue matters of one assignee organisation (null: not assigned to one). */
export interface OverdueGroup extends EscalationCounts {
  organisationId: number | null;
  organisationName: string | null;
  oldestDueAt: string;
  oldestOverdue: OverdueSpan;
}

/** One overdue matter on the board. */
export interface OverdueMatter {
  id: number;
  reference: string;
  typeCode: string;
  title: string;
  state: string;
  placeId: number | null;
  placeName: string | null;
  organisationId: number | null;
  organisationName: string | null;
  stepDueAt: string;
  escalationLevel: number;
  overdue: OverdueSpan;
}

/** The supervisor's overdue board (督办看板). */
export interface OverdueBoard {
  asOf: string;
  summary: EscalationCounts & { oldestDueAt: string | null; oldestOverdue: OverdueSpan | null };
  groups: OverdueGroup[];
  items: OverdueMatter[];
  total: number;
  page: number;
  pageSize: number;
}

/** Filters of the board's list. */
export interface OverdueFilters {
  organisationId?: number;
  isUnassigned?: boolean;
  level?: number;
}

/** The overdue board of the account's region. */
export function overdueBoardEndpoint(filters: OverdueFilters & PageQuery) {
  return endpoint<OverdueBoard>('/api/supervision/overdue', { ...filters });
}

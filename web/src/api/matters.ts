import { postJson, request } from './client';
import { endpoint, type PageQuery } from './endpoint';
import type { Id, MatterDetail, MatterQueue, MatterSummary, Page } from './types';

/** Narrows a work queue: matters assigned to me personally, or those my unit assists (协办). */
export const MATTER_ASSIGNMENTS = ['mine', 'assisting'] as const;

/** One narrowing of a work queue. */
export type MatterAssignment = (typeof MATTER_ASSIGNMENTS)[number];

/** Filters of a matter work queue. */
export interface MatterFilters {
  queue: MatterQueue;
  state?: string;
  typeCode?: string;
  assignment?: MatterAssignment;
}

/** A matter in a work queue, with who holds it. */
export interface MatterQueueItem extends MatterSummary {
  assigneeOrganisationId: Id | null;
  assigneeUserId: Id | null;
  /** The account's unit assists (协办) and has not reported yet. */
  isAssisting: boolean;
}

/** An assisting unit (协办) of a matter: pending until it reports its part. */
export interface MatterCoHandler {
  organisationId: Id;
  organisationName: string;
  status: 'pending' | 'reported';
  /** What the lead asked the unit to do. */
  request: string;
  addedAt: string;
  addedByName: string | null;
  report: string | null;
  reportedAt: string | null;
  reportedByName: string | null;
  /** The account belongs to this unit and may report for it. */
  isOwn: boolean;
}

/** A matter with its timeline and who holds it: the lead unit (主办), the person (指派), the assisting units. */
export interface MatterWithAssignment extends MatterDetail {
  assigneeOrganisation: { id: Id; name: string } | null;
  assigneeUser: { id: Id; displayName: string } | null;
  coHandlers: MatterCoHandler[];
  /** Co-handling settings of the matter's type; null when one unit handles it alone. */
  coHandling: { isOpen: boolean; replyRequiresAssistants: boolean; replyActions: string[] } | null;
  /** Actions that hand the matter to another organisation (转办) and so ask for one. */
  assigningActions: string[];
  /** The matter lies in the account's region; an assisting unit from elsewhere may only report. */
  isInRegion: boolean;
  /** The account may assign it to a person (a dispatcher, or a handler of the lead unit). */
  canAssign: boolean;
}

/** A person the matter may be assigned to. */
export interface AssignableUser {
  id: Id;
  displayName: string;
  username: string;
  organisationId: Id | null;
  organisationName: string | null;
}

/** An organisation that may take the matter (转办) or assist with it (协办). */
export interface AssignableOrganisation {
  id: Id;
  name: string;
  kind: string;
}

/** One page of a work queue: the account's region, plus the matters its unit assists. */
export function mattersEndpoint(filters: MatterFilters & PageQuery) {
  return endpoint<Page<MatterQueueItem>>('/api/matters', { ...filters });
}

/** One matter with its timeline and assignment. */
export function matterEndpoint(id: Id) {
  return endpoint<MatterWithAssignment>(`/api/matters/${encodeURIComponent(String(id))}`);
}

/** People who may be assigned the matter: of its lead unit, or of `organisationId` (a transfer's target). */
export function assignableUsersEndpoint(id: Id, organisationId?: Id) {
  return endpoint<{ items: AssignableUser[] }>(`/api/matters/${encodeURIComponent(String(id))}/assignable-users`, { organisationId });
}

/** Organisations that may take over the matter (`transfer`) or assist with it (`assist`), optionally by name. */
export function assignableOrganisationsEndpoint(id: Id, purpose: 'transfer' | 'assist', q?: string) {
  return endpoint<{ items: AssignableOrganisation[] }>(`/api/matters/${encodeURIComponent(String(id))}/assignable-organisations`, { purpose, q });
}

/**
 * Assigns the matter to a person (指派). The server answers 400 ASSIGNEE_INVALID or
 * ASSIGNEE_OUT_OF_SCOPE when the person may not handle it.
 */
export function assignMatterPerson(id: Id, userId: Id, note?: string): Promise<MatterWithAssignment> {
  return postJson<MatterWithAssignment>(`/api/matters/${encodeURIComponent(String(id))}/assignee`, { userId: Number(userId), note });
}

/** Enlists an assisting unit (协办) with what it is asked to do. */
export function addMatterCoHandler(id: Id, organisationId: Id, note: string): Promise<MatterWithAssignment> {
  return postJson<MatterWithAssignment>(`/api/matters/${encodeURIComponent(String(id))}/co-handlers`, { organisationId: Number(organisationId), note });
}

/** An assisting unit's report (协办反馈); 403 NOT_CO_HANDLER unless the account belongs to it. */
export function reportMatterCoHandler(id: Id, organisationId: Id, note: string): Promise<MatterWithAssignment> {
  return postJson<MatterWithAssignment>(`/api/matters/${encodeURIComponent(String(id))}/co-handlers/${encodeURIComponent(String(organisationId))}/report`, { note });
}

/** Releases an assisting unit that has not reported yet. */
export function withdrawMatterCoHandler(id: Id, organisationId: Id, note?: string): Promise<MatterWithAssignment> {
  return request<MatterWithAssignment>('DELETE', `/api/matters/${encodeURIComponent(String(id))}/co-handlers/${encodeURIComponent(String(organisationId))}`, { body: { note } });
}

/** What an action carries: the note, for callbacks whether the problem was solved, for a transfer the new assignee. */
export interface MatterActionInput {
  note?: string;
  isSolved?: boolean;
  /** Required by a transfer (转办): the organisation that takes the matter. */
  organisationId?: number;
  /** For a transfer: the person of that organisation, if one is named. */
  userId?: number;
}

/**
 * Takes one step of the matter's workflow. The server answers 409 CONFLICT (details.allowed lists
 * what the current state allows), 409 CO_HANDLERS_PENDING when a reply waits for assisting units,
 * or 400 VALIDATION_FAILED when a required note (or a transfer's organisation) is missing.
 */
export function performMatterAction(id: Id, action: string, input: MatterActionInput): Promise<MatterWithAssignment> {
  return postJson<MatterWithAssignment>(
    `/api/matters/${encodeURIComponent(String(id))}/actions/${encodeURIComponent(action)}`,
    input,
  );
}

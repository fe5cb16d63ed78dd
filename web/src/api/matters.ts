import { postJson } from './client';
import { endpoint, type PageQuery } from './endpoint';
import type { Id, MatterDetail, MatterQueue, MatterSummary, Page } from './types';

/** Filters of a matter work queue. */
export interface MatterFilters {
  queue: MatterQueue;
  state?: string;
  typeCode?: string;
}

/** One page of a work queue, within the account's region. */
export function mattersEndpoint(filters: MatterFilters & PageQuery) {
  return endpoint<Page<MatterSummary>>('/api/matters', { ...filters });
}

/** One matter with its timeline. */
export function matterEndpoint(id: Id) {
  return endpoint<MatterDetail>(`/api/matters/${encodeURIComponent(String(id))}`);
}

/** What an action carries: the note, and for callbacks whether the problem was solved. */
export interface MatterActionInput {
  note?: string;
  isSolved?: boolean;
}

/**
 * Takes one step of the matter's workflow. The server answers 409 CONFLICT (details.allowed lists
 * what the current state allows) or 400 VALIDATION_FAILED when a required note is missing.
 */
export function performMatterAction(id: Id, action: string, input: MatterActionInput): Promise<MatterDetail> {
  return postJson<MatterDetail>(
    `/api/matters/${encodeURIComponent(String(id))}/actions/${encodeURIComponent(action)}`,
    input,
  );
}

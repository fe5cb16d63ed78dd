import { buildUrl, postJson } from './client';
import { endpoint, type PageQuery } from './endpoint';
import type { Id, Page, ResidentDetail, ResidentSummary, UnmaskedResident } from './types';

/** Filters of the resident list and export. */
export interface ResidentFilters {
  /** Name prefix, full ID number or phone number. */
  q?: string;
  placeId?: string;
  tag?: string;
}

/** One page of residents. */
export function residentsEndpoint(filters: ResidentFilters & PageQuery) {
  return endpoint<Page<ResidentSummary>>('/api/residents', { ...filters });
}

/** CSV download of the filtered list (masked), for an `<a href>`. */
export function residentsExportUrl(filters: ResidentFilters): string {
  return buildUrl('/api/residents/export.csv', { ...filters });
}

/** One resident, masked. */
export function residentEndpoint(id: Id) {
  return endpoint<ResidentDetail>(`/api/residents/${encodeURIComponent(String(id))}`);
}

/** Reads a resident's clear personal fields; the server records the reason in the audit log. */
export function unmaskResident(id: Id, reason: string): Promise<UnmaskedResident> {
  return postJson<UnmaskedResident>(`/api/residents/${encodeURIComponent(String(id))}/unmask`, { reason });
}

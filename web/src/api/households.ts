import { endpoint, type PageQuery } from './endpoint';
import type { HouseholdDetail, HouseholdSummary, Id, Page } from './types';

/** Filters of the household list. */
export interface HouseholdFilters {
  q?: string;
  placeId?: string;
}

/** One page of households. */
export function householdsEndpoint(filters: HouseholdFilters & PageQuery) {
  return endpoint<Page<HouseholdSummary>>('/api/households', { ...filters });
}

/** One household with its members. */
export function householdEndpoint(id: Id) {
  return endpoint<HouseholdDetail>(`/api/households/${encodeURIComponent(String(id))}`);
}

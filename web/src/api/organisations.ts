import { endpoint, type PageQuery } from './endpoint';
import type { Id, OrganisationDetail, OrganisationSummary, Page } from './types';

/** Filters of the organisation list. */
export interface OrganisationFilters {
  /** Name or unified social credit code. */
  q?: string;
  kind?: string;
}

/** One page of organisations. */
export function organisationsEndpoint(filters: OrganisationFilters & PageQuery) {
  return endpoint<Page<OrganisationSummary>>('/api/organisations', { ...filters });
}

/** One organisation. */
export function organisationEndpoint(id: Id) {
  return endpoint<OrganisationDetail>(`/api/organisations/${encodeURIComponent(String(id))}`);
}

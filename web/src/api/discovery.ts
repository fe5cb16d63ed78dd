import { request } from './client';
import { endpoint, type PageQuery } from './endpoint';
import type { Id, MatterEvent, Page } from './types';

/**
 * 主动发现 in the console: warnings (预警) and their 预警核查 matters, the low-income monitoring list
 * (低收入人口动态监测), the social-resource catalogue (社会资源) and the grid worker's visit form.
 */

/** What raised a warning. */
export const WARNING_KINDS = ['illness_poverty_risk', 'breadwinner_death', 'job_loss', 'new_disability', 'left_coverage', 'grid_visit'] as const;
/** How a warning ends. */
export const WARNING_OUTCOMES = ['included', 'benefit_raised', 'temporary_assistance', 'resources_linked', 'not_needed'] as const;
/** One of the outcomes. */
export type WarningOutcome = (typeof WARNING_OUTCOMES)[number];
/** What the account may do with a warning now. */
export type WarningAction = 'verify' | 'set_needs' | 'link_resource' | WarningOutcome;

/** Names of the codes the discovery pages show. */
export interface DiscoveryReference {
  categories: Array<{ code: string; nameZh: string; nameEn: string; isCoverage: boolean; sourceTags: string[] }>;
  needs: Array<{ code: string; nameZh: string; nameEn: string }>;
  warningKinds: Array<{ code: string; isRaised: boolean }>;
  outcomes: string[];
}

/** A warning in the queue (the person masked). */
export interface WarningSummary {
  id: Id;
  kind: string;
  matterId: Id;
  reference: string;
  state: string;
  isOpen: boolean;
  dueAt: string | null;
  closedAt: string | null;
  escalationLevel: number;
  name: string;
  idNumberMasked: string;
  residentId: Id | null;
  householdId: Id | null;
  placeId: Id;
  placeName: string;
  organisationId: Id | null;
  organisationName: string | null;
  assigneeName: string | null;
  needs: string[];
  outcome: string | null;
  createdAt: string;
  updatedAt: string;
}

/** A resource that can meet a warning's needs. */
export interface MatchedResource {
  id: Id;
  name: string;
  providerName: string;
  kind: string;
  placeId: Id;
  placeName: string;
  placesLeft: number;
  validUntil: string | null;
  contactName: string;
  contactPhoneMasked: string | null;
}

/** A warning with its evidence, timeline and resources. */
export interface WarningDetail extends WarningSummary {
  evidence: Record<string, unknown>;
  note: string;
  outcomeReason: string | null;
  decidedAt: string | null;
  sourceListingId: Id | null;
  sourceRunId: Id | null;
  sourceMonitoringEntryId: Id | null;
  timeline: MatterEvent[];
  linkedResources: Array<{ id: Id; name: string; providerName: string; kind: string; contactName: string; contactPhoneMasked: string | null; note: string; linkedAt: string; linkedBy: string | null }>;
  matchedResources: MatchedResource[];
  actions: WarningAction[];
}

/** Filters of the queue. */
export interface WarningFilters {
  kind?: string;
  state?: string;
  q?: string;
  mine?: boolean;
}

/** An entry of the monitoring list. */
export interface MonitoringEntry {
  id: Id;
  categoryCode: string;
  categoryNameZh: string;
  categoryNameEn: string;
  residentId: Id | null;
  name: string;
  idNumberMasked: string;
  householdId: Id | null;
  placeId: Id;
  placeName: string;
  since: string;
  until: string | null;
  source: string;
  endReason: string | null;
  note: string;
  updatedAt: string;
}

/** Filters of the monitoring list. */
export interface MonitoringFilters {
  categoryCode?: string;
  status?: string;
  q?: string;
}

/** The 8 categories with their counts in the account's region. */
export interface MonitoringCounts {
  categories: Array<{ code: string; nameZh: string; nameEn: string; isCoverage: boolean; sourceTags: string[]; open: number; leftWithinYear: number }>;
  people: number;
}

/** A resource of the catalogue (phone masked). */
export interface Resource {
  id: Id;
  name: string;
  providerName: string;
  providerOrganisationId: Id | null;
  kind: string;
  kindNameZh: string;
  kindNameEn: string;
  description: string;
  placeId: Id;
  placeName: string;
  capacity: number;
  placesTaken: number;
  placesLeft: number;
  contactName: string;
  contactPhoneMasked: string | null;
  validFrom: string;
  validUntil: string | null;
  isActive: boolean;
  version: number;
  updatedAt: string;
}

/** A resource as the form writes it. */
export interface ResourceInput {
  name: string;
  providerName: string;
  kind: string;
  description?: string;
  placeId: number;
  capacity: number;
  contactName?: string;
  /** In full; on an edit, omitted keeps the stored one (never sent back) and null clears it. */
  contactPhone?: string | null;
  validFrom: string;
  validUntil?: string | null;
  isActive?: boolean;
}

const path = (...parts: Array<string | number>) => parts.map((part) => encodeURIComponent(String(part))).join('/');

/** Categories, needs, kinds and outcomes. */
export function discoveryReferenceEndpoint() {
  return endpoint<DiscoveryReference>('/api/assistance/discovery/reference');
}

/** A page of the warnings queue, with open counts per kind. */
export function warningsEndpoint(query: WarningFilters & PageQuery) {
  return endpoint<Page<WarningSummary> & { openByKind: Array<{ kind: string; open: number }> }>('/api/assistance/warnings', { ...query });
}

/** One warning. */
export function warningEndpoint(id: Id) {
  return endpoint<WarningDetail>(`/api/assistance/warnings/${path(id)}`);
}

/** Records the verification. */
export function verifyWarning(id: Id, note: string): Promise<WarningDetail> {
  return request<WarningDetail>('POST', `/api/assistance/warnings/${path(id)}/verify`, { body: { note } });
}

/** Ends a warning with a decision and its reason. */
export function decideWarning(id: Id, input: { outcome: WarningOutcome; reason: string; categoryCode?: string }): Promise<WarningDetail> {
  return request<WarningDetail>('POST', `/api/assistance/warnings/${path(id)}/decision`, { body: input });
}

/** Replaces a warning's needs. */
export function setWarningNeeds(id: Id, needs: string[]): Promise<WarningDetail> {
  return request<WarningDetail>('PUT', `/api/assistance/warnings/${path(id)}/needs`, { body: { needs } });
}

/** Links a resource to a warning (takes one of its places). */
export function linkResource(id: Id, resourceId: Id, note: string): Promise<WarningDetail> {
  return request<WarningDetail>('POST', `/api/assistance/warnings/${path(id)}/resources`, { body: { resourceId: Number(resourceId), ...(note ? { note } : {}) } });
}

/** Runs the registry and comparison syncs now (administrators). */
export function syncDiscovery(): Promise<{ registry: Record<string, number>; illness: Record<string, number> }> {
  return request('POST', '/api/assistance/warnings/sync');
}

/** A grid worker's visit. */
export interface GridVisitInput {
  residentId?: number;
  idNumber?: string;
  name?: string;
  placeId?: number;
  needs: string[];
  note: string;
}

/** Raises a warning from a visit. */
export function raiseGridVisit(input: GridVisitInput): Promise<{ id: Id; matterId: Id; reference: string; organisationId: Id | null; adviserId: Id | null }> {
  return request('POST', '/api/assistance/warnings/visits', { body: input });
}

/** A page of the monitoring list. */
export function monitoringEndpoint(query: MonitoringFilters & PageQuery) {
  return endpoint<Page<MonitoringEntry>>('/api/assistance/monitoring', { ...query });
}

/** CSV of the list (masked), for an `<a href>`. */
export function monitoringExportUrl(query: MonitoringFilters): string {
  return endpoint<never>('/api/assistance/monitoring.csv', { ...query });
}

/** The categories with counts. */
export function monitoringCountsEndpoint() {
  return endpoint<MonitoringCounts>('/api/assistance/monitoring/counts');
}

/** Puts a resident on the list by hand. */
export function addMonitoringEntry(input: { residentId: number; categoryCode: string; since?: string; note?: string }): Promise<{ id: Id }> {
  return request('POST', '/api/assistance/monitoring', { body: input });
}

/** Ends an entry with the reason. */
export function endMonitoringEntry(id: Id, input: { until?: string; reason: string }): Promise<void> {
  return request('POST', `/api/assistance/monitoring/${path(id)}/end`, { body: input });
}

/** A page of the resource catalogue. */
export function resourcesEndpoint(query: { q?: string; kind?: string; available?: boolean } & PageQuery) {
  return endpoint<Page<Resource>>('/api/assistance/resources', { ...query });
}

/** Adds a resource. */
export function createResource(input: ResourceInput): Promise<Resource> {
  return request<Resource>('POST', '/api/assistance/resources', { body: input });
}

/** Rewrites a resource at the version the editor saw. */
export function updateResource(id: Id, version: number, input: ResourceInput): Promise<Resource> {
  return request<Resource>('PUT', `/api/assistance/resources/${path(id)}`, { body: { ...input, version } });
}

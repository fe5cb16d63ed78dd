import { ApiError, NETWORK_ERROR, buildUrl, errorFromResponse, postJson, reportUnauthorized, request } from './client';
import { endpoint, type PageQuery } from './endpoint';
import type { Id, MatterEvent, Page } from './types';

/**
 * 大数据比对 in the console: the dataset catalogue, comparison runs, 疑点核查 findings, recovery
 * totals and the lists some rules feed (应参保未参保 per street, 因病致贫风险 for social assistance).
 * Extract kinds and rule codes are strings the server defines; the console reads them as data.
 */

/** An extract kind with its standard columns (GET /api/compare/kinds). */
export interface ExtractKindInfo {
  kind: string;
  columns: string[];
}

/** Where a dataset is. */
export type DatasetStatus = 'profiling' | 'ready' | 'invalid';

/** An uploaded extract with its profile (数据画像). */
export interface Dataset {
  id: Id;
  kind: string;
  name: string;
  fileName: string;
  fileSize: number;
  sha256: string;
  status: DatasetStatus;
  encoding: string | null;
  rowsRead: number | null;
  rowsLoaded: number | null;
  rowsRejected: number | null;
  idsValid: number | null;
  idsInvalid: number | null;
  /** 0…1, or null before profiling or for a kind without ID numbers. */
  idValidityRate: number | null;
  dateRanges: Record<string, { min: string | null; max: string | null }>;
  message: string | null;
  createdBy: string | null;
  createdAt: string;
  profiledAt: string | null;
}

/** A rejected row of an extract. */
export interface DatasetReject {
  rowNumber: number;
  reason: string;
}

/** One stage of a run. */
export interface RunStage {
  name: string;
  status: 'running' | 'done' | 'failed';
  ms: number | null;
  detail?: string;
}

/** What a run's reconciliation did. */
export interface RunOutcome {
  raised?: number;
  raisedAgain?: number;
  updated?: number;
  unchanged?: number;
  retracted?: number;
  keptConfirmed?: number;
  suppressed?: number;
  listed?: { inserted: number; updated: number; retired: number };
}

/** Where a run is. */
export type RunStatus = 'queued' | 'running' | 'completed' | 'failed';

/** A comparison run. */
export interface ComparisonRun {
  id: Id;
  asOf: string;
  datasets: Record<string, number>;
  status: RunStatus;
  stage: string | null;
  stages: RunStage[];
  rules: Array<{ rule: string; suspects: number; amountAtStake: string }>;
  skippedRules: string[];
  timingsMs: Record<string, number>;
  files: Record<string, unknown>;
  outcome: RunOutcome | null;
  error: string | null;
  createdBy: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

/** A finding in the auditor's queue. */
export interface FindingSummary {
  id: Id;
  matterId: Id;
  reference: string;
  state: string;
  isOpen: boolean;
  dueAt: string | null;
  closedAt: string | null;
  rule: string;
  name: string;
  idNumberMasked: string;
  matchMethod: string;
  matchScore: number;
  amountAtStake: string;
  amountToRecover: string | null;
  amountRecovered: string;
  dismissalReason: string | null;
  placeId: Id;
  placeName: string;
  regionSource: string;
  firstRunId: Id;
  lastRunId: Id;
  createdAt: string;
  updatedAt: string;
}

/** What the account may do with a finding now. */
export type FindingAction = 'confirm' | 'dismiss' | 'set_amount_to_recover' | 'record_recovery' | 'settle';

/** A finding with its evidence, recoveries and timeline. */
export interface FindingDetail extends FindingSummary {
  dataset: string;
  recordKey: string;
  evidence: Record<string, unknown>;
  previousFindingId: Id | null;
  recoveries: Array<{ id: Id; amount: string; recoveredOn: string; note: string; createdBy: string | null; createdAt: string }>;
  timeline: MatterEvent[];
  actions: FindingAction[];
  canUnmask: boolean;
}

/** Totals of one rule (or of all) within the account's region. */
export interface FindingTotals {
  findings: number;
  pending: number;
  confirmed: number;
  settled: number;
  dismissed: number;
  retracted: number;
  atStake: string;
  toRecover: string;
  recovered: string;
}

/** The lists rules feed instead of matters. */
export const LISTING_HANDLINGS = ['coverage_list', 'assistance_watch'] as const;
/** One of those lists. */
export type ListingHandling = (typeof LISTING_HANDLINGS)[number];

/** An entry of a list. */
export interface ListingEntry {
  id: Id;
  rule: string;
  name: string;
  idNumberMasked: string;
  matchMethod: string;
  matchScore: number;
  amount: string;
  evidence: Record<string, unknown>;
  placeId: Id;
  placeName: string;
  streetId: Id | null;
  streetName: string | null;
  regionSource: string;
  isCurrent: boolean;
  firstRunId: Id;
  lastRunId: Id;
  updatedAt: string;
}

/** Reasons a finding may be dismissed for. */
export const DISMISSAL_REASONS = ['false_match', 'explained', 'other'] as const;

const path = (...parts: Array<string | number>) => parts.map((part) => encodeURIComponent(String(part))).join('/');

/** The extract kinds the engine reads. */
export function extractKindsEndpoint() {
  return endpoint<{ items: ExtractKindInfo[] }>('/api/compare/kinds');
}

/** Blank CSV with a kind's standard header, for an `<a href>`. */
export function extractTemplateUrl(kind: string): string {
  return `/api/compare/templates/${encodeURIComponent(kind)}.csv`;
}

/** Filters of the catalogue. */
export interface DatasetFilters {
  kind?: string;
  status?: string;
  q?: string;
}

/** A page of the catalogue. */
export function datasetsEndpoint(query: DatasetFilters & PageQuery) {
  return endpoint<Page<Dataset>>('/api/compare/datasets', { ...query });
}

/** One dataset. */
export function datasetEndpoint(id: Id) {
  return endpoint<Dataset>(`/api/compare/datasets/${path(id)}`);
}

/** Rejected rows of a dataset. */
export function datasetRejectsEndpoint(id: Id, query: PageQuery) {
  return endpoint<Page<DatasetReject>>(`/api/compare/datasets/${path(id)}/rejects`, { ...query });
}

/** CSV of a dataset's rejected rows, for an `<a href>`. */
export function datasetRejectsUrl(id: Id): string {
  return `/api/compare/datasets/${path(id)}/rejects.csv`;
}

/** Uploads an extract (multipart `kind`, `name`, `file`), with upload progress. */
export function uploadDataset(kind: string, name: string, file: File, onProgress: (percent: number) => void): Promise<Dataset> {
  const form = new FormData();
  form.append('kind', kind);
  if (name.trim()) form.append('name', name.trim());
  form.append('file', file, file.name);
  return new Promise<Dataset>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/api/compare/datasets');
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(Math.round((event.loaded / event.total) * 100));
    };
    xhr.onerror = () => reject(new ApiError(NETWORK_ERROR, 'Network error', 0));
    xhr.onload = () => {
      const headers = new Headers();
      const contentType = xhr.getResponseHeader('Content-Type');
      if (contentType) headers.set('Content-Type', contentType);
      const response = new Response(xhr.responseText || null, { status: xhr.status, headers });
      if (!response.ok) {
        if (xhr.status === 401) reportUnauthorized();
        void errorFromResponse(response).then(reject, reject);
        return;
      }
      response.json().then((dataset: Dataset) => resolve(dataset), reject);
    };
    xhr.send(form);
  });
}

/** A page of runs. */
export function runsEndpoint(query: PageQuery & { status?: string }) {
  return endpoint<Page<ComparisonRun>>('/api/compare/runs', { ...query });
}

/** One run. */
export function runEndpoint(id: Id) {
  return endpoint<ComparisonRun>(`/api/compare/runs/${path(id)}`);
}

/** Starts a run as of a date: a dataset per kind, null to leave a kind out; kinds not named use their newest ready dataset. */
export function startRun(asOf: string, datasets: Record<string, Id | null>): Promise<ComparisonRun> {
  return postJson<ComparisonRun>('/api/compare/runs', { asOf, datasets: Object.fromEntries(Object.entries(datasets).map(([kind, id]) => [kind, id === null ? null : Number(id)])) });
}

/** Filters of the auditor's queue. */
export interface FindingFilters {
  rule?: string;
  state?: string;
  runId?: string;
  placeId?: string;
  q?: string;
}

/** A page of findings. */
export function findingsEndpoint(query: FindingFilters & PageQuery) {
  return endpoint<Page<FindingSummary>>('/api/compare/findings', { ...query });
}

/** CSV of the filtered findings (ID numbers masked), for an `<a href>`. */
export function findingsExportUrl(filters: FindingFilters): string {
  return buildUrl('/api/compare/findings.csv', { ...filters });
}

/** One finding. */
export function findingEndpoint(id: Id) {
  return endpoint<FindingDetail>(`/api/compare/findings/${path(id)}`);
}

/** Reads a finding's ID number and full evidence; the server records the reason. */
export function unmaskFinding(id: Id, reason: string): Promise<{ idNumber: string; evidence: Record<string, unknown> }> {
  return postJson(`/api/compare/findings/${path(id)}/unmask`, { reason });
}

/** Confirms a finding (确认属实), optionally with the amount to recover. */
export function confirmFinding(id: Id, body: { note: string; amountToRecover?: string }): Promise<FindingDetail> {
  return postJson(`/api/compare/findings/${path(id)}/confirm`, body);
}

/** Dismisses a finding (排除) with a reason. */
export function dismissFinding(id: Id, body: { reason: string; note: string }): Promise<FindingDetail> {
  return postJson(`/api/compare/findings/${path(id)}/dismiss`, body);
}

/** Records the amount to recover of a confirmed finding. */
export function setAmountToRecover(id: Id, body: { amount: string; note?: string }): Promise<FindingDetail> {
  return request<FindingDetail>('PUT', `/api/compare/findings/${path(id)}/amount-to-recover`, { body });
}

/** Records money recovered on a confirmed finding. */
export function recordRecovery(id: Id, body: { amount: string; recoveredOn: string; note?: string }): Promise<FindingDetail> {
  return postJson(`/api/compare/findings/${path(id)}/recoveries`, body);
}

/** Settles a confirmed finding (结案). */
export function settleFinding(id: Id, body: { note?: string }): Promise<FindingDetail> {
  return postJson(`/api/compare/findings/${path(id)}/settle`, body);
}

/** Recovery totals per rule within the account's region. */
export function totalsEndpoint(query: { placeId?: string } = {}) {
  return endpoint<{ rules: Array<FindingTotals & { rule: string }>; total: FindingTotals }>('/api/compare/totals', { ...query });
}

/** Filters of a list. */
export interface ListingFilters {
  handling: ListingHandling;
  street?: string;
  rule?: string;
  q?: string;
  includeRetired?: boolean;
}

/** A page of a list. */
export function listingsEndpoint(query: ListingFilters & PageQuery) {
  return endpoint<Page<ListingEntry>>('/api/compare/listings', { ...query });
}

/** CSV of a list (ID numbers masked), for an `<a href>`. */
export function listingsExportUrl(filters: ListingFilters): string {
  return buildUrl('/api/compare/listings.csv', { ...filters });
}

/** Current entries per street. */
export function listingStreetsEndpoint(handling: ListingHandling) {
  return endpoint<{ items: Array<{ streetId: Id | null; streetName: string | null; count: number }> }>('/api/compare/listings/streets', { handling });
}

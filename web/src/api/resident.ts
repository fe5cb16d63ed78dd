import { getJson, postJson, request } from './client';
import { endpoint, type PageQuery } from './endpoint';
import type { Id, Page } from './types';

/**
 * The residents' door (随手拍) of the API: self-registration, reports filed from a phone, their
 * photos, the resident's own list and the rating of a closed report. Wire types live here because
 * only the mobile pages use them.
 */

/** A name in both languages of the console. */
export interface BilingualName {
  zh: string;
  en: string;
}

/** A category a resident may choose, with the group it belongs to. */
export interface ResidentCategory {
  code: string;
  name: BilingualName;
  parentCode: string | null;
  parentName: BilingualName | null;
}

/** Where a point lies in the city, or that it lies outside. */
export interface ResidentLocation {
  isInCity: boolean;
  district: string | null;
  street: string | null;
  community: string | null;
  /** Code of the smallest place holding the point (its grid), which an assistance application is filed under. */
  placeCode: string | null;
}

/** The city's districts as GeoJSON, for picking a point. */
export interface CityOutline {
  type: 'FeatureCollection';
  features: Array<{ type: 'Feature'; geometry: unknown; properties: { code: string; name: string } }>;
}

/** One of the resident's reports in the list. */
export interface ReportSummary {
  id: Id;
  reference: string;
  title: string;
  categoryCode: string;
  categoryName: BilingualName;
  state: string;
  stateName: BilingualName;
  canRate: boolean;
  createdAt: string;
  lastUpdateAt: string;
}

/** One entry of a report's public timeline: never who handled it, only what happened. */
export interface ReportEvent {
  at: string;
  kind: string;
  action: string | null;
  fromState: string | null;
  toState: string | null;
  toStateName: BilingualName | null;
  /** The resident took this step (a rating). */
  isMine: boolean;
  /** The answer (回复) or the resident's own comment; internal notes never come. */
  note: string | null;
}

/** One of the resident's reports in full. */
export interface ReportDetail extends ReportSummary {
  description: string;
  round: number;
  lon: number | null;
  lat: number | null;
  placeNames: string[];
  closedAt: string | null;
  canAddPhotos: boolean;
  timeline: ReportEvent[];
  photos: Array<{ id: Id; contentType: string; size: number; createdAt: string }>;
}

/** What a resident sends from the 随手拍 form. */
export interface ReportInput {
  categoryCode: string;
  description: string;
  lon: number;
  lat: number;
  title?: string;
}

/** A resident's verdict on a closed report. */
export interface RatingInput {
  satisfied: boolean;
  solved: boolean;
  comment?: string;
}

/** Creates a resident account signing in with a mobile number. */
export function registerResident(phone: string, password: string): Promise<{ id: Id; phoneMasked: string }> {
  return postJson('/api/resident/register', { phone, password }, { isUnauthorizedExpected: true });
}

/** The categories a resident picks from. */
export function residentCategoriesEndpoint() {
  return endpoint<{ items: ResidentCategory[] }>('/api/resident/categories');
}

/** Where a point lies: district, street, community. */
export function locateForResident(lon: number, lat: number, signal?: AbortSignal): Promise<ResidentLocation> {
  return getJson<ResidentLocation>('/api/resident/locate', { lon, lat }, signal);
}

/** The outlines of the city's districts. */
export function cityOutlineEndpoint() {
  return endpoint<CityOutline>('/api/resident/map');
}

/** Files a report; the same key sent again (a retry, a double tap) answers with the same report. */
export function fileResidentReport(input: ReportInput, idempotencyKey: string): Promise<ReportDetail> {
  return request<ReportDetail>('POST', '/api/resident/reports', { body: input, headers: { 'Idempotency-Key': idempotencyKey } });
}

/** Adds a photo to one's own open report. */
export function uploadReportPhoto(id: Id, file: Blob, fileName: string): Promise<{ id: Id; contentType: string; size: number }> {
  const form = new FormData();
  form.append('file', file, fileName);
  return postJson(`/api/resident/reports/${encodeURIComponent(String(id))}/photos`, form);
}

/** One page of one's own reports, newest first. */
export function myReportsEndpoint(page: PageQuery) {
  return endpoint<Page<ReportSummary>>('/api/resident/reports', { ...page });
}

/** One of one's own reports. */
export function myReportEndpoint(id: Id) {
  return endpoint<ReportDetail>(`/api/resident/reports/${encodeURIComponent(String(id))}`);
}

/** Where the browser loads a photo of one's own report from (the session cookie goes along). */
export function reportPhotoUrl(reportId: Id, photoId: Id): string {
  return `/api/resident/reports/${encodeURIComponent(String(reportId))}/photos/${encodeURIComponent(String(photoId))}`;
}

/**
 * Rates a closed report. Anything but satisfied-and-solved reopens it and needs a comment
 * (400 VALIDATION_FAILED without one); before 办结 the server answers 409 REPORT_NOT_CLOSED.
 */
export function rateReport(id: Id, rating: RatingInput): Promise<ReportDetail> {
  return postJson<ReportDetail>(`/api/resident/reports/${encodeURIComponent(String(id))}/rating`, rating);
}

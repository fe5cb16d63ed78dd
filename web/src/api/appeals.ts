import { getJson, postJson, request } from './client';
import { endpoint } from './endpoint';
import type { AppealInput, AppealKpi, AppealTriage, DuplicateCandidate, Id, KpiDimension, Place } from './types';

/**
 * Registers an appeal. The same `idempotencyKey` sent twice (a double click, a retry after a lost
 * answer) creates one matter and answers with it both times.
 */
export function createAppeal(input: AppealInput, idempotencyKey: string): Promise<AppealTriage> {
  return request<AppealTriage>('POST', '/api/appeals', { body: input, headers: { 'Idempotency-Key': idempotencyKey } });
}

/** Query of the appeal KPIs. */
export interface KpiQuery {
  /** ISO instants. */
  from: string;
  to: string;
  dimension: KpiDimension;
  placeDepth?: number;
}

/** The appeal KPIs grouped by one dimension. */
export function appealKpisEndpoint(query: KpiQuery) {
  return endpoint<{ items: AppealKpi[] }>('/api/appeals/kpis', { ...query });
}

/** Open appeals that look like the same problem as this one (same category, nearby, recent). */
export function duplicatesEndpoint(id: Id) {
  return endpoint<{ items: DuplicateCandidate[] }>(`/api/appeals/${encodeURIComponent(String(id))}/duplicates`);
}

/** Merges appeal `id` into `primaryId` as a duplicate; its reporters are kept on the primary. */
export function mergeAppeal(id: Id, primaryId: Id, reason: string): Promise<void> {
  return request<void>('POST', `/api/appeals/${encodeURIComponent(String(id))}/merge`, {
    body: { primaryId: Number(primaryId), reason },
  });
}

/** An earlier appeal from the caller's number, as the 12345 console lists it. */
export interface CallerAppeal {
  matterId: number;
  reference: string;
  title: string;
  state: string;
  categoryCode: string;
  kind: string;
  door: string;
  reporterName: string | null;
  phoneMasked: string | null;
  createdAt: string;
  closedAt: string | null;
}

/** A resident registered with the caller's number, masked. */
export interface CallerResident {
  id: number;
  name: string;
  gender: string;
  age: number;
  idNumberMasked: string;
  phoneMasked: string | null;
  placeName: string;
}

/** 来电查询: what the region knows about a phone number. */
export interface CallerProfile {
  phoneMasked: string;
  appeals: CallerAppeal[];
  residents: CallerResident[];
  /** False when the account may not read the registry. */
  isRegistrySearched: boolean;
}

/** Earlier appeals and registered residents of a caller's number (the lookup is audited). */
export function lookUpCaller(phone: string, signal?: AbortSignal): Promise<CallerProfile> {
  return getJson<CallerProfile>('/api/appeals/callers', { phone }, signal);
}

/**
 * 直办: answers a received appeal at once and closes it, citing a knowledge-base article when one
 * is given (its answer is the note when `note` is empty).
 */
export function answerAppealDirectly(id: Id, input: { articleId?: number; note?: string }): Promise<{ matterId: number; state: string }> {
  return postJson(`/api/appeals/${encodeURIComponent(String(id))}/answer-directly`, input);
}

/** A stored photo of a matter. */
export interface MatterAttachment {
  id: number;
  sha256: string;
  contentType: string;
  size: number;
}

/** Uploads a photo (JPEG, PNG, WebP) to a matter; the server checks what the bytes are. */
export function attachMatterPhoto(id: Id, file: File): Promise<MatterAttachment> {
  const form = new FormData();
  form.append('file', file, file.name);
  return postJson<MatterAttachment>(`/api/matters/${encodeURIComponent(String(id))}/attachments`, form);
}

/** Open appeals of one place on the map. */
export interface OpenPlaceCount {
  placeId: number;
  code: string;
  name: string;
  level: string;
  open: number;
  overdue: number;
}

/** Open appeals per place below a parent (its children when depth is 1). */
export interface OpenByPlace {
  parent: { id: number; code: string; name: string; level: string };
  /** 0 when the parent has no children and is counted as itself. */
  depth: number;
  items: OpenPlaceCount[];
  unplaced: { open: number; overdue: number };
}

/** Open appeals per child place of `parent`, for the KPI map. */
export function openByPlaceEndpoint(parent: Id, depth = 1) {
  return endpoint<OpenByPlace>('/api/appeals/open-by-place', { parent, depth });
}

/** The micro-grid (or grid) holding a point and the places above it, root first. */
export interface LocatedPoint {
  place: Place;
  ancestors: Place[];
}

/** Where a WGS84 point lies: 404 outside every grid, 403 outside the account's region. */
export function locatePoint(lon: number, lat: number, signal?: AbortSignal): Promise<LocatedPoint> {
  return getJson<LocatedPoint>('/api/places/locate', { lon, lat }, signal);
}

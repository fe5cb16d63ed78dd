import type { Db, Executor } from '../../../platform/db/database.ts';
import type { GeoJsonGeometry } from '../../../platform/db/schema.ts';
import { findResidentPhone, requirePermission, type Permission, type Principal } from '../../../platform/auth/index.ts';
import { AppError, isAppError } from '../../../platform/errors.ts';
import type { StoredBlob } from '../../../platform/storage/blob-store.ts';
import { applyAction, attachToMatter, validateMatterType, type MatterTypeDefinition } from '../../matters/index.ts';
import { findPlacesOnPath, getPlaceMap, listChildren, locatePoint } from '../../places/index.ts';
import { submitAppeal, type AppealInput, type AppealsDeps } from '../appeals.service.ts';
import * as repo from './resident.repository.ts';

/** Photos a resident may attach to one report (what a phone's share sheet usually allows). */
export const MAX_REPORT_PHOTOS = 9;

/** Photo types a resident may attach: what every phone browser can also show back. */
export const RESIDENT_PHOTO_TYPES: readonly string[] = ['image/jpeg', 'image/png', 'image/webp'];

/** Actions whose note is the answer to the resident (回复, 直办), and so part of the public timeline. */
const REPLY_ACTIONS: readonly string[] = ['reply', 'answer_directly'];

/** The state in which a resident rates the result (办结). */
const RATABLE_STATE = 'closed';

/** A resident's report as filed from a phone. */
export interface ResidentReportInput {
  categoryCode: string;
  description: string;
  lon: number;
  lat: number;
  title?: string | undefined;
  kind?: AppealInput['kind'] | undefined;
  idempotencyKey?: string | undefined;
}

/** A resident's verdict on a closed report (评价). */
export interface ResidentRating {
  isSatisfied: boolean;
  isSolved: boolean;
  comment?: string | undefined;
}

/**
 * The resident holds no staff permission and no region. For the one matter they own, the service
 * acts with a principal narrowed to that matter's place and the single permission the step needs,
 * so that the matters engine checks, records and audits the step as it does for staff.
 */
function actingFor(principal: Principal, permission: Permission, scopePath: string): Principal {
  return { ...principal, permissions: new Set([permission]), scopePath };
}

async function requireOwnReport(db: Executor, principal: Principal, matterId: number): Promise<repo.OwnReportRow> {
  const report = await repo.findOwnReport(db, principal.userId, matterId);
  // Someone else's report answers exactly like a missing one: its existence is not the caller's business.
  if (!report) throw new AppError('NOT_FOUND', `no report ${matterId} of yours`);
  return report;
}

async function loadDefinition(db: Executor, typeCode: string): Promise<MatterTypeDefinition> {
  const row = await repo.findMatterTypeDefinition(db, typeCode);
  if (!row) throw new Error(`matter type ${typeCode} is not defined`);
  return validateMatterType(row.definition);
}

function stateName(definition: MatterTypeDefinition, code: string | null): { zh: string; en: string } | null {
  if (code === null) return null;
  const state = definition.states.find((s) => s.code === code);
  return { zh: state?.nameZh ?? code, en: state?.nameEn ?? code };
}

function isFinalState(definition: MatterTypeDefinition, code: string): boolean {
  return definition.states.find((s) => s.code === code)?.isFinal === true;
}

/** A title for the staff queue when the resident gave none: the start of the description. */
function titleFrom(description: string): string {
  const line = description.split('\n')[0]!.replace(/\s+/g, ' ').trim();
  const chars = Array.from(line);
  return chars.length > 30 ? `${chars.slice(0, 30).join('')}…` : line;
}

function iso(value: Date | string | null): string | null {
  return value === null ? null : new Date(value).toISOString();
}

/**
 * Files a 随手拍 report for the signed-in resident: located by its coordinate (which must lie in a
 * grid of the city), triaged (三事分流) like every appeal, with the resident's number as the
 * reporter's phone and the account as the reporter. An Idempotency-Key is kept per resident, so a
 * retried send files one report and one resident's key never finds another's report.
 */
export async function fileReport(deps: AppealsDeps, principal: Principal, input: ResidentReportInput): Promise<{ id: number; isNew: boolean }> {
  requirePermission(principal, 'appeals:own_report:write');
  const phone = await findResidentPhone(deps.db, deps.cipher, principal.userId);
  if (!phone) throw new AppError('FORBIDDEN', 'only resident accounts file reports here');
  const description = input.description.trim();
  if (Array.from(description).length < 2) throw new AppError('VALIDATION_FAILED', 'description is too short', { fields: [{ field: 'description', message: 'required' }] });
  const categories = await repo.findLeafCategories(deps.db);
  if (!categories.some((c) => c.code === input.categoryCode)) {
    throw new AppError('VALIDATION_FAILED', `category ${input.categoryCode} cannot be chosen`, { fields: [{ field: 'categoryCode', message: 'unknown' }] });
  }
  try {
    const result = await submitAppeal(deps, actingFor(principal, 'matters:matter:create', ''), {
      kind: input.kind ?? 'help',
      door: 'snap',
      categoryCode: input.categoryCode,
      title: input.title?.trim() || titleFrom(description),
      description,
      lon: input.lon,
      lat: input.lat,
      reporterPhone: phone,
      reporterUserId: principal.userId,
      idempotencyKey: input.idempotencyKey ? `resident:${principal.userId}:${input.idempotencyKey}` : undefined,
    });
    return { id: result.matterId, isNew: result.isNew };
  } catch (error) {
    if (isAppError(error, 'PLACE_NOT_FOUND')) {
      throw new AppError('LOCATION_OUTSIDE_CITY', `(${input.lon}, ${input.lat}) is outside every grid of the city`, { fields: [{ field: 'lon', message: 'outside the city' }] });
    }
    throw error;
  }
}

/** One page of the resident's own reports, newest first. */
export async function listReports(deps: Pick<AppealsDeps, 'db'>, principal: Principal, page: { limit: number; offset: number }) {
  requirePermission(principal, 'appeals:own_report:read');
  const { rows, total } = await repo.listOwnReports(deps.db, principal.userId, page);
  const definitions = new Map<string, MatterTypeDefinition>();
  const items = [];
  for (const row of rows) {
    if (!definitions.has(row.type_code)) definitions.set(row.type_code, await loadDefinition(deps.db, row.type_code));
    const definition = definitions.get(row.type_code)!;
    items.push({
      id: row.id,
      reference: row.reference,
      title: row.title,
      categoryCode: row.category_code,
      categoryName: { zh: row.category_name_zh, en: row.category_name_en },
      state: row.state,
      stateName: stateName(definition, row.state)!,
      canRate: row.state === RATABLE_STATE,
      createdAt: row.created_at.toISOString(),
      lastUpdateAt: iso(row.last_update_at) ?? row.created_at.toISOString(),
    });
  }
  return { items, total };
}

/**
 * One of the resident's reports with its public timeline: state changes, and the notes that answer
 * the resident (回复, 直办) or that the resident wrote; never who handled it or internal notes.
 */
export async function getReport(deps: Pick<AppealsDeps, 'db'>, principal: Principal, matterId: number) {
  requirePermission(principal, 'appeals:own_report:read');
  const report = await requireOwnReport(deps.db, principal, matterId);
  const definition = await loadDefinition(deps.db, report.type_code);
  const events = await repo.findPublicEvents(deps.db, report.id);
  const photos = await repo.findOwnPhotos(deps.db, report.id, principal.userId);
  const places = await findPlacesOnPath(deps.db, report.place_path);
  return {
    id: report.id,
    reference: report.reference,
    title: report.title,
    description: report.description,
    categoryCode: report.category_code,
    categoryName: { zh: report.category_name_zh, en: report.category_name_en },
    state: report.state,
    stateName: stateName(definition, report.state)!,
    round: report.round,
    lon: report.lon,
    lat: report.lat,
    placeNames: places.filter((p) => p.level === 'district' || p.level === 'street' || p.level === 'community').map((p) => p.name),
    createdAt: report.created_at.toISOString(),
    lastUpdateAt: iso(report.last_update_at) ?? report.created_at.toISOString(),
    closedAt: iso(report.closed_at),
    canRate: report.state === RATABLE_STATE,
    canAddPhotos: !isFinalState(definition, report.state) && photos.length < MAX_REPORT_PHOTOS,
    timeline: events.map((event) => ({
      at: new Date(event.at).toISOString(),
      kind: event.kind,
      action: event.action,
      fromState: event.from_state,
      toState: event.to_state,
      toStateName: stateName(definition, event.to_state),
      isMine: event.actor_id === principal.userId,
      note: event.note && ((event.action !== null && REPLY_ACTIONS.includes(event.action)) || event.actor_id === principal.userId) ? event.note : null,
    })),
    photos: photos.map((photo) => ({ id: photo.id, contentType: photo.content_type, size: photo.size, createdAt: photo.created_at.toISOString() })),
  };
}

/**
 * Attaches a photo to the resident's own open report. The report is checked before `store` reads
 * the upload, so nothing is written for a report that is not the caller's; only JPEG, PNG and WebP
 * are kept, the types every phone browser shows back.
 */
export async function addReportPhoto(
  deps: Pick<AppealsDeps, 'db' | 'now'>,
  principal: Principal,
  matterId: number,
  store: () => Promise<StoredBlob & { fileName: string }>,
): Promise<StoredBlob & { id: number }> {
  requirePermission(principal, 'appeals:own_report:write');
  const report = await requireOwnReport(deps.db, principal, matterId);
  const definition = await loadDefinition(deps.db, report.type_code);
  if (isFinalState(definition, report.state)) throw new AppError('CONFLICT', `report ${matterId} is finished`, { state: report.state });
  const existing = await repo.findOwnPhotos(deps.db, report.id, principal.userId);
  if (existing.length >= MAX_REPORT_PHOTOS) {
    throw new AppError('VALIDATION_FAILED', `at most ${MAX_REPORT_PHOTOS} photos per report`, { fields: [{ field: 'file', message: 'too many photos' }] });
  }
  const blob = await store();
  if (!RESIDENT_PHOTO_TYPES.includes(blob.contentType)) throw new AppError('INVALID_FILE', 'only JPEG, PNG or WebP photos are accepted');
  const id = await attachToMatter(deps, actingFor(principal, 'matters:matter:read', report.place_path), report.id, blob);
  return { id, sha256: blob.sha256, contentType: blob.contentType, size: blob.size };
}

/** A photo the resident attached to their own report, for showing it back. */
export async function getReportPhoto(deps: Pick<AppealsDeps, 'db'>, principal: Principal, matterId: number, photoId: number) {
  requirePermission(principal, 'appeals:own_report:read');
  const report = await requireOwnReport(deps.db, principal, matterId);
  const photo = (await repo.findOwnPhotos(deps.db, report.id, principal.userId)).find((p) => p.id === photoId);
  if (!photo) throw new AppError('NOT_FOUND', `no photo ${photoId} on report ${matterId}`);
  return photo;
}

/**
 * The resident rates a closed report (评价). Satisfied and solved ends it (回访满意 → 已评价);
 * anything else reopens it for a second round of handling (二次办理), with the resident's comment
 * as the reason. It is the same callback action a hotline agent records, with the resident as the
 * actor, so 满意率 and 解决率 count it exactly like a callback. Throws REPORT_NOT_CLOSED before 办结.
 */
export async function rateReport(deps: AppealsDeps, principal: Principal, matterId: number, rating: ResidentRating) {
  requirePermission(principal, 'appeals:own_report:write');
  const report = await requireOwnReport(deps.db, principal, matterId);
  if (report.state !== RATABLE_STATE) {
    throw new AppError('REPORT_NOT_CLOSED', `report ${matterId} is ${report.state}; it can be rated once closed`, { state: report.state });
  }
  const comment = rating.comment?.trim() ?? '';
  const isAccepted = rating.isSatisfied && rating.isSolved;
  if (!isAccepted && !comment) {
    throw new AppError('VALIDATION_FAILED', 'say what is still wrong so that it can be handled again', { fields: [{ field: 'comment', message: 'required' }] });
  }
  await applyAction(deps, actingFor(principal, 'matters:matter:callback', report.place_path), report.id, isAccepted ? 'callback_satisfied' : 'callback_unsatisfied', {
    note: comment || undefined,
    isSolved: rating.isSolved,
  });
  return getReport(deps, principal, matterId);
}

/** The categories a resident picks from: active leaves, grouped under their parents' names. */
export async function listReportCategories(db: Executor) {
  const rows = await repo.findLeafCategories(db);
  return rows.map((row) => ({
    code: row.code,
    name: { zh: row.name_zh, en: row.name_en },
    parentCode: row.parent_code,
    parentName: row.parent_code ? { zh: row.parent_name_zh ?? row.parent_code, en: row.parent_name_en ?? row.parent_code } : null,
  }));
}

/**
 * Where a point is, for the resident to check before sending: the district, street and community,
 * and the code of the smallest place holding it (the grid), which an assistance application files
 * the household under.
 */
export async function describeLocation(db: Db, lon: number, lat: number) {
  const located = await locatePoint(db, lon, lat);
  if (!located) return { isInCity: false, district: null, street: null, community: null, placeCode: null };
  const on = [...located.ancestors, located.place];
  const nameAt = (level: string) => on.find((p) => p.level === level)?.name ?? null;
  return { isInCity: true, district: nameAt('district'), street: nameAt('street'), community: nameAt('community'), placeCode: located.place.code };
}

// Outlines change when the registry is edited, which is rare; a resident opening the map picker
// should not cost a query over the whole place tree each time.
const OUTLINE_TTL_MS = 10 * 60_000;
const outlineCache = new WeakMap<Db, { at: number; value: Promise<CityOutline> }>();

/** The districts of the city as GeoJSON, for picking a point on a map. */
export interface CityOutline {
  type: 'FeatureCollection';
  features: Array<{ type: 'Feature'; geometry: GeoJsonGeometry; properties: { code: string; name: string } }>;
}

/**
 * The outlines of the city's districts (public geography, no counts), for the map a resident
 * picks a location on when the phone cannot tell it.
 */
export function cityOutline(db: Db, now = Date.now()): Promise<CityOutline> {
  const cached = outlineCache.get(db);
  if (cached && now - cached.at < OUTLINE_TTL_MS) return cached.value;
  const value = loadCityOutline(db);
  outlineCache.set(db, { at: now, value });
  // A failed load is not kept: the next request tries again.
  value.catch(() => outlineCache.delete(db));
  return value;
}

async function loadCityOutline(db: Db): Promise<CityOutline> {
  const wholeCity = { scopePath: '' };
  const features: CityOutline['features'] = [];
  for (const root of await listChildren(db, wholeCity)) {
    const map = await getPlaceMap(db, wholeCity, root.id);
    for (const feature of map.features) {
      if (feature.geometry) features.push({ type: 'Feature', geometry: feature.geometry, properties: { code: feature.properties.code, name: feature.properties.name } });
    }
  }
  return { type: 'FeatureCollection', features };
}

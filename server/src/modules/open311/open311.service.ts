import type { FieldCipher } from '../../platform/crypto/field-cipher.ts';
import { cachedReference } from '../../platform/db/reference-cache.ts';
import type { Insertable } from 'kysely';
import type { Db, Executor } from '../../platform/db/database.ts';
import type { HandlerLevel, Open311SubmissionsTable } from '../../platform/db/schema.ts';
import { appendAudit, appendAudits } from '../../platform/audit/index.ts';
import { authenticateApiKey } from '../../platform/auth/auth.service.ts';
import { auditActorOf, requireInScope, requirePermission, type Principal } from '../../platform/auth/index.ts';
import { AppError } from '../../platform/errors.ts';
import type { JobRunner } from '../../platform/jobs/index.ts';
import { submitAppeal } from '../appeals/index.ts';
import { findEvents, findMatter, insertEvent } from '../matters/matters.repository.ts';
import { findPlaceByCode, locatePlaceEntry } from '../places/index.ts';
import type { Open311Value } from './open311.format.ts';
import * as repo from './open311.repository.ts';

/** What the Open311 service needs: the appeals' dependencies. */
export interface Open311Deps {
  db: Db;
  jobs: JobRunner;
  cipher: FieldCipher;
  now?: () => Date;
}

/** Date of the last change to this endpoint's behaviour (discovery `changeset`). */
export const OPEN311_CHANGESET = '2026-11-22T00:00:00Z';
/** Most requests one GET returns (the spec's default upper bound). */
export const MAX_REQUESTS = 1000;
/** Widest date range of a request search, and the default window (the spec's 90 days). */
const MAX_RANGE_MS = 90 * 24 * 3_600_000;

/** Our appeal states that the public sees as closed; every other state is open. */
const CLOSED_STATES: ReadonlySet<string> = new Set(['closed', 'evaluated']);

/**
 * FixMyStreet's extended statuses for our appeal states: received→confirmed, dispatched→action
 * scheduled, handling and replied→in progress, closed (办结)→fixed, evaluated (回访)→closed.
 */
export const FMS_STATUS: Readonly<Record<string, string>> = {
  received: 'confirmed',
  dispatched: 'action scheduled',
  handling: 'in progress',
  replied: 'in progress',
  closed: 'fixed',
  evaluated: 'closed',
};

const HANDLER_NOTICE: Record<HandlerLevel, string> = {
  department: '已受理，将派至职能部门办理',
  street: '已受理，将由街道办理',
  community: '已受理，将由社区办理',
  grid: '已受理，将由网格员办理',
  resident: '已受理，属私人事务，将为您提供指引',
};

/** The principal behind an Open311 `api_key`; a missing or invalid key is a 403. */
export async function authenticateOpen311Key(db: Db, apiKey: string | undefined, ip: string | null): Promise<Principal> {
  if (!apiKey) throw new AppError('FORBIDDEN', 'api_key is required');
  const principal = await authenticateApiKey(db, apiKey, ip);
  if (!principal) throw new AppError('FORBIDDEN', 'api_key is invalid or revoked');
  return principal;
}

/** The discovery document for an endpoint served at `url`. */
export function discover(url: string): Open311Value {
  return {
    changeset: OPEN311_CHANGESET,
    contact: '请联系本市 12345 政务服务便民热线的系统管理员',
    key_service: 'API keys (api_key) are issued by an administrator in the minsheng console (系统管理 → API 密钥)',
    endpoints: [{ specification: 'http://wiki.open311.org/GeoReport_v2', url, changeset: OPEN311_CHANGESET, type: 'production', formats: ['text/xml', 'application/json'] }],
  };
}

/** The services (active leaf categories) and their attributes, cached until categories change. */
function serviceCatalogue(db: Db) {
  return cachedReference(db, db, 'appeal_categories', 'open311-catalogue', async (executor) => {
    const services = await repo.findServiceCategories(executor);
    const attributes = Map.groupBy(await repo.findAllAttributes(executor), (a) => a.category_code);
    return { services: new Map(services.map((s) => [s.code, s])), attributes };
  });
}

/**
 * The district a request names; unknown → 404. Without one, the only district when there is a
 * single one; with several, `isRequired` makes it a 400.
 */
export async function resolveJurisdiction(db: Db, jurisdictionId: string | undefined, isRequired: boolean) {
  const districts = await cachedReference(db, db, 'places', 'districts', repo.findDistricts);
  if (jurisdictionId !== undefined && jurisdictionId !== '') {
    const district = districts.find((d) => d.code === jurisdictionId);
    if (!district) throw new AppError('NOT_FOUND', `jurisdiction_id ${jurisdictionId} is unknown`);
    return district;
  }
  if (districts.length > 1 && isRequired) throw new AppError('VALIDATION_FAILED', 'jurisdiction_id is required: this endpoint serves several districts');
  return districts.length === 1 ? districts[0] : undefined;
}

/** The service list: one service per active leaf category. */
export async function listServices(db: Db, jurisdictionId: string | undefined): Promise<Open311Value[]> {
  await resolveJurisdiction(db, jurisdictionId, false);
  const categories = await repo.findServiceCategories(db);
  return categories.map((c) => ({
    service_code: c.code,
    service_name: c.name_zh,
    description: c.name_en,
    metadata: c.has_attributes,
    type: 'realtime',
    keywords: [c.name_zh, c.group_name].filter(Boolean).join(','),
    group: c.group_name ?? '',
  }));
}

/** A service's definition: the attributes its category asks for; unknown service → 404. */
export async function getServiceDefinition(db: Db, serviceCode: string, jurisdictionId: string | undefined): Promise<Open311Value> {
  await resolveJurisdiction(db, jurisdictionId, false);
  const category = await repo.findServiceCategory(db, serviceCode);
  if (!category) throw new AppError('NOT_FOUND', `service_code ${serviceCode} is unknown`);
  const attributes = await repo.findAttributes(db, category.code);
  return {
    service_code: category.code,
    attributes: attributes.map((a, index) => ({
      variable: true,
      code: a.code,
      datatype: a.datatype,
      required: a.is_required,
      datatype_description: a.datatype_description,
      order: index + 1,
      description: a.description,
      values: (a.values ?? []).map((v) => ({ key: v.key, name: v.name })),
    })),
  };
}

/** A new service request as POSTed (names as in the spec, already typed by the route's schema). */
export interface ServiceRequestInput {
  jurisdictionId?: string | undefined;
  serviceCode?: string | undefined;
  lat?: number | undefined;
  long?: number | undefined;
  addressString?: string | undefined;
  addressId?: string | undefined;
  attributes: Record<string, string[]>;
  email?: string | undefined;
  deviceId?: string | undefined;
  accountId?: string | undefined;
  firstName?: string | undefined;
  lastName?: string | undefined;
  phone?: string | undefined;
  description?: string | undefined;
  mediaUrl?: string | undefined;
  idempotencyKey?: string | undefined;
}

/** Checks the answers against the category's attributes; returns the values to store. */
function validateAttributes(defined: Awaited<ReturnType<typeof repo.findAttributes>>, given: Record<string, string[]>): Array<{ code: string; value: string }> {
  const stored: Array<{ code: string; value: string }> = [];
  // Answers to attributes the service does not define are ignored, as other GeoReport servers do.
  for (const attribute of defined) {
    const name = `attribute[${attribute.code}]`;
    const values = (given[attribute.code] ?? []).map((v) => v.trim()).filter((v) => v !== '');
    if (values.length === 0) {
      if (attribute.is_required) throw new AppError('VALIDATION_FAILED', `${name} is required`, { fields: [{ field: name, message: 'required' }] });
      continue;
    }
    const invalid = (reason: string) => new AppError('VALIDATION_FAILED', `${name} ${reason}`, { fields: [{ field: name, message: reason }] });
    if (attribute.datatype !== 'multivaluelist' && values.length > 1) throw invalid('takes one value');
    const keys = (attribute.values ?? []).map((v) => v.key);
    switch (attribute.datatype) {
      case 'singlevaluelist':
      case 'multivaluelist':
        for (const value of values) if (!keys.includes(value)) throw invalid(`"${value}" is not one of ${keys.join(', ')}`);
        break;
      case 'number':
        if (!Number.isFinite(Number(values[0]))) throw invalid('must be a number');
        break;
      case 'datetime':
        if (Number.isNaN(Date.parse(values[0]!))) throw invalid('must be an ISO 8601 date and time');
        break;
      case 'string':
      case 'text':
        break;
      default: {
        const unknown: never = attribute.datatype;
        throw new Error(`unknown datatype ${String(unknown)}`);
      }
    }
    stored.push({ code: attribute.code, value: attribute.datatype === 'multivaluelist' ? JSON.stringify(values) : values[0]! });
  }
  return stored;
}

/** Where a request is: a coordinate (located in its grid), an address id (a place code) or, failing both, the jurisdiction. */
async function resolveLocation(db: Db, input: ServiceRequestInput, jurisdiction: { id: number; path: string } | undefined) {
  const within = (path: string, what: string) => {
    if (jurisdiction && path !== jurisdiction.path && !path.startsWith(`${jurisdiction.path}.`)) {
      throw new AppError('VALIDATION_FAILED', `${what} lies outside jurisdiction_id`, { fields: [{ field: what, message: 'outside jurisdiction' }] });
    }
  };
  if (input.lat !== undefined || input.long !== undefined) {
    if (input.lat === undefined || input.long === undefined) throw new AppError('VALIDATION_FAILED', 'lat and long must be given together');
    const located = await locatePlaceEntry(db, input.long, input.lat);
    if (!located) throw new AppError('VALIDATION_FAILED', `lat/long (${input.lat}, ${input.long}) is outside every grid of the city`);
    within(located.path, 'lat/long');
    // The appeal locates the point again, from the same cached index: no place query at all.
    return { placeId: undefined, lon: input.long, lat: input.lat };
  }
  if (input.addressId) {
    const place = await findPlaceByCode(db, input.addressId);
    if (!place) throw new AppError('VALIDATION_FAILED', `address_id ${input.addressId} is unknown`);
    within(place.path, 'address_id');
    return { placeId: place.id, lon: undefined, lat: undefined };
  }
  if (input.addressString) {
    // We cannot geocode free text: the appeal goes to the district's intake desk with the address.
    if (!jurisdiction) throw new AppError('VALIDATION_FAILED', 'address_string alone needs jurisdiction_id; or give lat/long or address_id');
    return { placeId: jurisdiction.id, lon: undefined, lat: undefined };
  }
  throw new AppError('VALIDATION_FAILED', 'a location is required: lat and long, address_string or address_id');
}

function reporterName(first: string | undefined, last: string | undefined): string | undefined {
  const parts = [first?.trim(), last?.trim()].filter((p): p is string => Boolean(p));
  if (parts.length < 2) return parts[0];
  // Chinese names are written surname first without a space.
  return /\p{Script=Han}/u.test(parts.join('')) ? `${parts[1]}${parts[0]}` : parts.join(' ');
}

/**
 * Creates an appeal from an Open311 request (door `open311`), then stores its attribute answers
 * and Open311 facts. Answers `[{service_request_id, service_notice, account_id}]`; `isNew` is false
 * for a retry with a known Idempotency-Key.
 */
export async function createServiceRequest(deps: Open311Deps, principal: Principal, input: ServiceRequestInput): Promise<{ body: Open311Value[]; isNew: boolean }> {
  if (!input.serviceCode) throw new AppError('VALIDATION_FAILED', 'service_code is required', { fields: [{ field: 'service_code', message: 'required' }] });
  const jurisdiction = await resolveJurisdiction(deps.db, input.jurisdictionId, true);
  const catalogue = await serviceCatalogue(deps.db);
  const category = catalogue.services.get(input.serviceCode);
  if (!category) throw new AppError('NOT_FOUND', `service_code ${input.serviceCode} is unknown`);
  const values = validateAttributes(catalogue.attributes.get(category.code) ?? [], input.attributes);
  const location = await resolveLocation(deps.db, input, jurisdiction);
  const description = input.description?.trim() ?? '';
  const { reference, decision, isNew } = await submitAppeal(
    deps,
    principal,
    {
      kind: 'complaint',
      door: 'open311',
      categoryCode: category.code,
      title: description ? [...description].slice(0, 50).join('') : category.name_zh,
      description: [description, input.addressString ? `地址：${input.addressString.trim()}` : ''].filter(Boolean).join('\n'),
      placeId: location.placeId,
      lon: location.lon,
      lat: location.lat,
      reporterName: reporterName(input.firstName, input.lastName),
      reporterPhone: input.phone,
      idempotencyKey: input.idempotencyKey,
    },
    // The Open311 facts commit with the appeal itself: no appeal without its attribute answers.
    {
      writer: writeOpen311Facts,
      payload: {
        values,
        submission: {
          address_string: input.addressString?.trim() || null,
          address_id: input.addressId?.trim() || null,
          media_url: input.mediaUrl?.trim() || null,
          email_enc: input.email?.trim() ? deps.cipher.encrypt(input.email.trim()) : null,
          device_id: input.deviceId?.trim() || null,
          account_id: input.accountId?.trim() || null,
        },
      },
    },
  );
  return { body: [{ service_request_id: reference, service_notice: HANDLER_NOTICE[decision.handlerLevel], account_id: input.accountId ?? null }], isNew };
}

/** What an Open311 request records besides the appeal: attribute answers and the submission's facts. */
interface Open311Facts {
  values: { code: string; value: string }[];
  submission: Omit<Insertable<Open311SubmissionsTable>, 'matter_id'>;
}

/** Writes the Open311 facts of a batch of new appeals, one statement per table. */
async function writeOpen311Facts(trx: Executor, appeals: { matterId: number; principal: Principal; payload: Open311Facts }[]): Promise<void> {
  await repo.insertAttributeValues(trx, appeals.flatMap(({ matterId, payload }) => payload.values.map((v) => ({ matter_id: matterId, code: v.code, value: v.value }))));
  await repo.insertSubmissions(trx, appeals.map(({ matterId, payload }) => ({ matter_id: matterId, ...payload.submission })));
  await appendAudits(
    trx,
    appeals.map(({ matterId, principal, payload }) => ({
      actor: auditActorOf(principal),
      entry: { action: 'appeal.open311_received', entityType: 'matter', entityId: matterId, details: { attributes: payload.values.map((v) => v.code) } },
    })),
  );
}

/** The request behind a token; tokens are the references themselves since requests are created at once. */
export async function findToken(db: Db, token: string): Promise<Open311Value[]> {
  const matter = await repo.findAppealMatter(db, { reference: token });
  if (!matter) throw new AppError('NOT_FOUND', `token ${token} is unknown`);
  return [{ service_request_id: matter.reference, token: matter.reference }];
}

/** Query parameters of GET requests, as strings from the URL. */
export interface RequestQuery {
  jurisdictionId?: string | undefined;
  serviceRequestId?: string | undefined;
  serviceCode?: string | undefined;
  startDate?: string | undefined;
  endDate?: string | undefined;
  status?: string | undefined;
}

function commaList(value: string | undefined): string[] | undefined {
  const items = value?.split(',').map((s) => s.trim()).filter(Boolean);
  return items && items.length > 0 ? items : undefined;
}

function parseDate(value: string | undefined, name: string): Date | undefined {
  if (value === undefined || value === '') return undefined;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new AppError('VALIDATION_FAILED', `${name} must be an ISO 8601 date and time`, { fields: [{ field: name, message: 'invalid' }] });
  return new Date(ms);
}

/** The spec's date window: both ends given, one end plus 90 days, or the last 90 days; never wider than 90 days. */
function dateWindow(start: string | undefined, end: string | undefined, now: Date): { from: Date; to: Date } {
  const from = parseDate(start, 'start_date');
  const to = parseDate(end, 'end_date');
  if (from && to) {
    if (to < from) throw new AppError('VALIDATION_FAILED', 'end_date is before start_date');
    if (to.getTime() - from.getTime() > MAX_RANGE_MS) throw new AppError('VALIDATION_FAILED', 'start_date to end_date may not span more than 90 days');
    return { from, to };
  }
  if (from) return { from, to: new Date(from.getTime() + MAX_RANGE_MS) };
  if (to) return { from: new Date(to.getTime() - MAX_RANGE_MS), to };
  return { from: new Date(now.getTime() - MAX_RANGE_MS), to: now };
}

const iso = (value: Date | string | null) => (value === null ? null : new Date(value).toISOString());

function presentRequest(row: repo.PublicRequestRow): Open311Value {
  const state = row.state;
  return {
    service_request_id: row.reference,
    status: CLOSED_STATES.has(state) ? 'closed' : 'open',
    status_notes: row.status_notes ?? '',
    service_name: row.service_name,
    service_code: row.category_code,
    description: row.description,
    agency_responsible: row.organisation_name ?? row.handler_level,
    service_notice: HANDLER_NOTICE[row.handler_level],
    requested_datetime: iso(row.created_at),
    updated_datetime: iso(row.updated_at),
    expected_datetime: CLOSED_STATES.has(state) ? null : iso(row.step_due_at),
    address: row.address_string ?? row.place_name ?? '',
    address_id: row.address_id ?? row.place_code ?? '',
    zipcode: null,
    lat: row.lat ?? row.center_lat,
    long: row.lon ?? row.center_lon,
    media_url: row.media_url ?? '',
    extended_attributes: { fms_status: FMS_STATUS[state] ?? 'confirmed' },
  };
}

/**
 * Public search of requests: `service_request_id` (a comma list) overrides every other filter;
 * otherwise service codes, open/closed status and a date window of at most 90 days, newest first.
 */
export async function listServiceRequests(deps: Pick<Open311Deps, 'db' | 'now'>, query: RequestQuery): Promise<Open311Value[]> {
  const references = commaList(query.serviceRequestId);
  if (references) return (await repo.findPublicRequests(deps.db, { references, limit: MAX_REQUESTS })).map(presentRequest);
  const jurisdiction = query.jurisdictionId ? await resolveJurisdiction(deps.db, query.jurisdictionId, false) : undefined;
  const statuses = commaList(query.status);
  for (const status of statuses ?? []) {
    if (status !== 'open' && status !== 'closed') throw new AppError('VALIDATION_FAILED', `status "${status}" is not open or closed`, { fields: [{ field: 'status', message: 'invalid' }] });
  }
  const { from, to } = dateWindow(query.startDate, query.endDate, deps.now?.() ?? new Date());
  const isClosed = statuses && new Set(statuses).size === 1 ? statuses[0] === 'closed' : undefined;
  const rows = await repo.findPublicRequests(deps.db, {
    categoryCodes: commaList(query.serviceCode),
    states: isClosed === undefined ? undefined : { isIn: isClosed, codes: [...CLOSED_STATES] },
    from,
    to,
    placePath: jurisdiction?.path,
    limit: MAX_REQUESTS,
  });
  return rows.map(presentRequest);
}

/** One request as a one-element list; unknown or not public → 404. */
export async function getServiceRequest(db: Db, reference: string): Promise<Open311Value[]> {
  const rows = await repo.findPublicRequests(db, { references: [reference], limit: 1 });
  if (rows.length === 0) throw new AppError('NOT_FOUND', `service_request_id ${reference} is unknown`);
  return rows.map(presentRequest);
}

/** FixMyStreet's update feed: every state change of a public request in the window, oldest first. */
export async function listServiceRequestUpdates(deps: Pick<Open311Deps, 'db' | 'now'>, query: { startDate?: string | undefined; endDate?: string | undefined; jurisdictionId?: string | undefined }): Promise<Open311Value[]> {
  const jurisdiction = query.jurisdictionId ? await resolveJurisdiction(deps.db, query.jurisdictionId, false) : undefined;
  const { from, to } = dateWindow(query.startDate, query.endDate, deps.now?.() ?? new Date());
  const rows = await repo.findPublicTransitions(deps.db, { from, to, placePath: jurisdiction?.path, limit: MAX_REQUESTS });
  return rows.map((r) => ({
    update_id: String(r.id),
    service_request_id: r.reference,
    status: FMS_STATUS[r.to_state ?? ''] ?? 'confirmed',
    updated_datetime: iso(r.at),
    description: r.note ?? '',
    media_url: '',
  }));
}

/** An update FixMyStreet posts about a request (a resident's comment on its site). */
export interface ServiceRequestUpdateInput {
  serviceRequestId?: string | undefined;
  status?: string | undefined;
  description?: string | undefined;
  updatedDatetime?: string | undefined;
  firstName?: string | undefined;
  lastName?: string | undefined;
  externalUpdateId?: string | undefined;
}

/**
 * Records a posted update as a note on the matter's timeline. The posted status is kept in the
 * note but never moves the matter: only our handlers take actions on it.
 */
export async function postServiceRequestUpdate(deps: Open311Deps, principal: Principal, input: ServiceRequestUpdateInput): Promise<Open311Value[]> {
  requirePermission(principal, 'matters:matter:create');
  if (!input.serviceRequestId) throw new AppError('VALIDATION_FAILED', 'service_request_id is required', { fields: [{ field: 'service_request_id', message: 'required' }] });
  const description = input.description?.trim();
  if (!description) throw new AppError('VALIDATION_FAILED', 'description is required', { fields: [{ field: 'description', message: 'required' }] });
  const postedAt = parseDate(input.updatedDatetime, 'updated_datetime');
  const found = await repo.findAppealMatter(deps.db, { reference: input.serviceRequestId });
  if (!found) throw new AppError('NOT_FOUND', `service_request_id ${input.serviceRequestId} is unknown`);
  requireInScope(principal, found.place_path);
  const now = deps.now?.() ?? new Date();
  const eventId = await deps.db.transaction().execute(async (trx) => {
    const matter = await findMatter(trx, principal, found.id, true);
    if (!matter) throw new AppError('NOT_FOUND', `service_request_id ${input.serviceRequestId} is unknown`);
    await insertEvent(trx, {
      matterId: matter.id,
      at: now,
      actorId: principal.via === 'system' ? null : principal.userId,
      actorName: principal.username,
      kind: 'note',
      stepSeq: matter.step_seq,
      details: {
        note: description,
        source: 'open311',
        postedStatus: input.status ?? null,
        postedAt: postedAt?.toISOString() ?? null,
        author: reporterName(input.firstName, input.lastName) ?? null,
        externalUpdateId: input.externalUpdateId ?? null,
      },
    });
    // insertEvent does not return the id; the newest event of the locked matter is ours.
    const events = await findEvents(trx, matter.id);
    const event = events.at(-1);
    if (!event) throw new Error('note was not recorded');
    await appendAudit(trx, auditActorOf(principal), { action: 'matter.note', entityType: 'matter', entityId: matter.id, details: { source: 'open311' } });
    return event.id;
  });
  return [{ update_id: String(eventId) }];
}

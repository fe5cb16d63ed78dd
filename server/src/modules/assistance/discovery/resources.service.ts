import { appendAudit } from '../../../platform/audit/index.ts';
import { auditActorOf, isInScope, requirePermission, type Principal } from '../../../platform/auth/index.ts';
import { maskPhone } from '../../../platform/crypto/masking.ts';
import { AppError } from '../../../platform/errors.ts';
import type { AppServices } from '../../../platform/http/context.ts';
import { chinaDate } from '../../matters/index.ts';
import { getOrganisation } from '../../organisations/index.ts';
import { findPlaceEntryInScope } from '../../places/index.ts';
import * as repo from './resources.repository.ts';

/** A mainland mobile number or a landline with its area code, as the registry accepts them. */
const PHONE = /^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$/u;
const MAX_CAPACITY = 100_000;

/** A resource as submitted by the catalogue's form. */
export interface ResourceInput {
  name: string;
  providerName: string;
  providerOrganisationId?: number | null | undefined;
  kind: string;
  description?: string | undefined;
  /** The place whose subtree the resource serves. */
  placeId: number;
  capacity: number;
  contactName?: string | undefined;
  /** In full; on an edit, left out keeps the stored phone and null clears it. */
  contactPhone?: string | null | undefined;
  validFrom: string;
  validUntil?: string | null | undefined;
  isActive?: boolean | undefined;
}

type ResourceRow = NonNullable<Awaited<ReturnType<typeof repo.findResource>>>;

/** A resource as the catalogue shows it: the contact phone masked. */
export function presentResource(row: ResourceRow) {
  return {
    id: row.id,
    name: row.name,
    providerName: row.provider_name,
    providerOrganisationId: row.provider_organisation_id,
    kind: row.kind,
    kindNameZh: row.kind_name_zh,
    kindNameEn: row.kind_name_en,
    description: row.description,
    placeId: row.place_id,
    placeName: row.place_name,
    capacity: row.capacity,
    placesTaken: row.places_taken,
    placesLeft: row.capacity - row.places_taken,
    contactName: row.contact_name,
    contactPhoneMasked: row.contact_phone_masked,
    validFrom: row.valid_from,
    validUntil: row.valid_until,
    isActive: row.is_active,
    version: row.version,
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}

/** Search input of the catalogue. */
export interface ResourceSearch {
  q?: string | undefined;
  kind?: string | undefined;
  isAvailableOnly?: boolean | undefined;
}

/** A page of the catalogue: resources whose region overlaps the principal's. */
export async function listResources(services: Pick<AppServices, 'db'>, principal: Principal, search: ResourceSearch, page: { limit: number; offset: number }, now = new Date()) {
  requirePermission(principal, 'assistance:resource:read');
  const { rows, total } = await repo.listResources(services.db, principal, { text: search.q?.trim() || undefined, kind: search.kind || undefined, isAvailableOnly: search.isAvailableOnly, today: chinaDate(now) }, page);
  return { items: rows.map(presentResource), total };
}

/** One resource visible from the principal's region. */
export async function getResource(services: Pick<AppServices, 'db'>, principal: Principal, id: number) {
  requirePermission(principal, 'assistance:resource:read');
  const row = await repo.findResource(services.db, principal, id);
  if (!row) throw new AppError('NOT_FOUND', `no resource ${id} visible in your region`);
  return presentResource(row);
}

function isDate(value: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/u.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) && new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) === value;
}

/** Checks a submitted resource and turns it into the row to write; every problem is listed at once. */
async function prepare(services: AppServices, principal: Principal, input: ResourceInput): Promise<repo.ResourceWrite> {
  const problems: Array<{ field: string; message: string }> = [];
  const name = input.name.trim();
  const providerName = input.providerName.trim();
  if (!name) problems.push({ field: 'name', message: 'required' });
  if (!providerName) problems.push({ field: 'providerName', message: 'required' });
  const kinds = new Set((await repo.listNeedKinds(services.db)).map((k) => k.code));
  if (!kinds.has(input.kind)) problems.push({ field: 'kind', message: `unknown kind ${input.kind}` });
  if (!Number.isInteger(input.capacity) || input.capacity < 1 || input.capacity > MAX_CAPACITY) problems.push({ field: 'capacity', message: `a whole number from 1 to ${MAX_CAPACITY}` });
  const phone = input.contactPhone?.replace(/[\s-]/gu, '') || null;
  if (phone && !PHONE.test(phone)) problems.push({ field: 'contactPhone', message: 'not a mainland mobile or landline number' });
  if (!isDate(input.validFrom)) problems.push({ field: 'validFrom', message: 'a date YYYY-MM-DD' });
  const validUntil = input.validUntil || null;
  if (validUntil !== null && !isDate(validUntil)) problems.push({ field: 'validUntil', message: 'a date YYYY-MM-DD' });
  else if (validUntil !== null && isDate(input.validFrom) && validUntil < input.validFrom) problems.push({ field: 'validUntil', message: 'before validFrom' });
  if (problems.length > 0) throw new AppError('VALIDATION_FAILED', `the resource is incomplete: ${problems.map((p) => `${p.field} ${p.message}`).join('; ')}`, { fields: problems });
  // The region served must lie within the writer's own: a community cannot offer for the whole city.
  const place = await findPlaceEntryInScope(services.db, principal, input.placeId);
  if (input.providerOrganisationId != null) await getOrganisation(services, principal, input.providerOrganisationId);
  return {
    name,
    provider_name: providerName,
    provider_organisation_id: input.providerOrganisationId ?? null,
    kind: input.kind,
    description: input.description?.trim() ?? '',
    place_id: place.id,
    place_path: place.path,
    capacity: input.capacity,
    contact_name: input.contactName?.trim() ?? '',
    contact_phone_enc: phone ? services.cipher.encrypt(phone) : null,
    contact_phone_masked: phone ? maskPhone(phone) : null,
    valid_from: input.validFrom,
    valid_until: validUntil,
    is_active: input.isActive ?? true,
    updated_by: principal.via === 'system' ? null : principal.userId,
  };
}

/** Adds a resource to the catalogue, audited. */
export async function createResource(services: AppServices, principal: Principal, input: ResourceInput) {
  requirePermission(principal, 'assistance:resource:write');
  const row = await prepare(services, principal, input);
  const id = await services.db.transaction().execute(async (trx) => {
    const created = await repo.insertResource(trx, row);
    await appendAudit(trx, auditActorOf(principal), { action: 'assistance.resource.created', entityType: 'assistance_resource', entityId: created, details: { kind: row.kind, place: row.place_path, capacity: row.capacity } });
    return created;
  });
  return getResource(services, principal, id);
}

/**
 * Rewrites a resource at the version the editor saw (CONFLICT if someone saved meanwhile); the new
 * capacity must hold the places already taken. Audited with the fields that changed.
 */
export async function updateResource(services: AppServices, principal: Principal, id: number, version: number, input: ResourceInput) {
  requirePermission(principal, 'assistance:resource:write');
  const row = await prepare(services, principal, input);
  await services.db.transaction().execute(async (trx) => {
    const current = await repo.findResource(trx, principal, id, true);
    if (!current) throw new AppError('NOT_FOUND', `no resource ${id} visible in your region`);
    // Visible is not editable: a city-wide offer seen from a community is kept by the city.
    if (!isInScope(principal, current.place_path)) throw new AppError('OUT_OF_SCOPE', 'the resource serves a region beyond yours: it is kept by the level above');
    if (row.capacity < current.places_taken) {
      throw new AppError('VALIDATION_FAILED', `${current.places_taken} places are taken: the capacity cannot be lower`, { fields: [{ field: 'capacity', message: `at least ${current.places_taken}` }] });
    }
    // The phone is never sent back to the form: an edit that leaves it out keeps the stored one.
    if (input.contactPhone === undefined) {
      const stored = await repo.findResourcePhone(trx, id);
      Object.assign(row, { contact_phone_enc: stored?.contact_phone_enc ?? null, contact_phone_masked: current.contact_phone_masked });
    }
    const saved = await repo.updateResource(trx, id, version, row);
    if (saved === null) throw new AppError('CONFLICT', 'the resource was changed meanwhile: reload it', { reason: 'version', version: current.version });
    const before: Record<string, unknown> = { name: current.name, provider_name: current.provider_name, kind: current.kind, place_id: current.place_id, capacity: current.capacity, valid_from: current.valid_from, valid_until: current.valid_until, is_active: current.is_active, contact_phone_masked: current.contact_phone_masked };
    const changed = Object.keys(before).filter((key) => before[key] !== row[key as keyof repo.ResourceWrite]);
    await appendAudit(trx, auditActorOf(principal), { action: 'assistance.resource.updated', entityType: 'assistance_resource', entityId: id, details: { version: saved, changed } });
  });
  return getResource(services, principal, id);
}

/** The need kinds (which are also the kinds of resources), in their order. */
export async function listNeedKinds(services: Pick<AppServices, 'db'>) {
  return (await repo.listNeedKinds(services.db)).map((k) => ({ code: k.code, nameZh: k.name_zh, nameEn: k.name_en }));
}

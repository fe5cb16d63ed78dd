import type { AppServices } from '../../platform/http/context.ts';
import { appendAudit } from '../../platform/audit/index.ts';
import { auditActorOf, isInScope, requirePermission, type Principal } from '../../platform/auth/index.ts';
import { AppError } from '../../platform/errors.ts';
import { personSearchTerms } from '../../platform/identity/index.ts';
import { findPlaceByCode, findPlaceEntryInScope, findPlacesOnPath } from '../places/index.ts';
import * as repo from './people.repository.ts';
import { prepareResident, type ResidentInput } from './resident.prepare.ts';
import { residentRecords } from './resident.record.ts';

/** Search input of the resident list: free text (name prefix, full ID number or phone) and filters. */
export interface ResidentSearch {
  q?: string | undefined;
  placeId?: number | undefined;
  tag?: string | undefined;
}

type SummaryRow = Awaited<ReturnType<typeof repo.searchResidents>>['rows'][number];

/** Age in whole years on `today`. */
export function ageOn(birthDate: string, today = new Date()): number {
  const [y, m, d] = birthDate.split('-').map(Number) as [number, number, number];
  const beforeBirthday = today.getUTCMonth() + 1 < m || (today.getUTCMonth() + 1 === m && today.getUTCDate() < d);
  return today.getUTCFullYear() - y - (beforeBirthday ? 1 : 0);
}

/** The list view of a resident: personal fields masked. */
export function presentSummary(row: SummaryRow) {
  return {
    id: row.id,
    name: row.name,
    gender: row.gender,
    birthDate: row.birth_date,
    age: ageOn(row.birth_date),
    idNumberMasked: row.id_number_masked,
    phoneMasked: row.phone_masked,
    placeId: row.place_id,
    placeName: row.place_name,
    householdId: row.household_id,
    tags: row.tags,
    status: row.status,
  };
}

async function toFilter(services: AppServices, principal: Principal, search: ResidentSearch): Promise<repo.ResidentFilter> {
  const filter: repo.ResidentFilter = { tag: search.tag || undefined };
  Object.assign(filter, personSearchTerms(search.q, services.cipher, { phones: true }));
  if (search.placeId !== undefined) {
    filter.placePath = (await findPlaceEntryInScope(services.db, principal, search.placeId)).path;
  }
  return filter;
}

/** A page of residents within the principal's region. */
export async function searchResidents(services: AppServices, principal: Principal, search: ResidentSearch, page: { limit: number; offset: number }) {
  const filter = await toFilter(services, principal, search);
  const { rows, total } = await repo.searchResidents(services.db, principal, filter, page);
  return { items: rows.map(presentSummary), total };
}

/** One resident, masked; out-of-region residents are reported as not found. */
export async function getResident(services: AppServices, principal: Principal, id: number) {
  const row = await repo.findResidentById(services.db, principal, id);
  if (!row) throw new AppError('RESIDENT_NOT_FOUND', `no resident ${id} in your region`);
  const placePath = await findPlacesOnPath(services.db, row.place_path);
  return {
    ...presentSummary(row),
    addressMasked: row.address_masked,
    ethnicity: row.ethnicity,
    relationToHead: row.relation_to_head,
    household: row.household_id !== null && row.household_number ? { id: row.household_id, householdNumber: row.household_number } : null,
    placePath: placePath.map((p) => ({ id: p.id, code: p.code, name: p.name, level: p.level })),
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/**
 * Decrypts a resident's ID number, phone and address for a stated reason. Needs
 * `registry:resident:unmask`; the read is written to the audit trail in the same transaction.
 */
export async function unmaskResident(services: AppServices, principal: Principal, id: number, reason: string) {
  requirePermission(principal, 'registry:resident:unmask');
  const trimmed = reason.trim();
  if (trimmed.length < 2) throw new AppError('VALIDATION_FAILED', 'a reason is required', { fields: [{ field: 'reason', message: 'required' }] });
  return services.db.transaction().execute(async (trx) => {
    const row = await repo.findResidentSecrets(trx, principal, id);
    if (!row) throw new AppError('RESIDENT_NOT_FOUND', `no resident ${id} in your region`);
    const revealed = {
      idNumber: services.cipher.decrypt(row.id_number_enc),
      phone: row.phone_enc ? services.cipher.decrypt(row.phone_enc) : null,
      address: row.address_enc ? services.cipher.decrypt(row.address_enc) : null,
    };
    await appendAudit(trx, auditActorOf(principal), {
      action: 'resident.unmasked',
      entityType: 'resident',
      entityId: id,
      details: { fields: ['id_number', 'phone', 'address'], reason: trimmed },
    });
    return revealed;
  });
}

/** Columns of the masked CSV export. */
export const EXPORT_COLUMNS = ['id', 'name', 'gender', 'birth_date', 'id_number', 'phone', 'address', 'place_code', 'place_name', 'household_id', 'relation_to_head', 'ethnicity', 'tags', 'status'];

/**
 * Streams residents in scope as CSV lines with personal fields masked. The export itself is
 * audited (filters and row count) once the last row has been read.
 */
export async function* exportResidents(services: AppServices, principal: Principal, search: ResidentSearch): AsyncGenerator<string[]> {
  requirePermission(principal, 'registry:resident:export');
  const filter = await toFilter(services, principal, search);
  let afterId = 0;
  let count = 0;
  for (;;) {
    const rows = await repo.findResidentsAfter(services.db, principal, filter, afterId, 5000);
    if (rows.length === 0) break;
    for (const r of rows) {
      yield [
        String(r.id),
        r.name,
        r.gender,
        r.birth_date,
        r.id_number_masked,
        r.phone_masked ?? '',
        r.address_masked ?? '',
        r.place_code,
        r.place_name,
        r.household_id === null ? '' : String(r.household_id),
        r.relation_to_head ?? '',
        r.ethnicity ?? '',
        r.tags.join('|'),
        r.status,
      ];
    }
    count += rows.length;
    afterId = rows[rows.length - 1]!.id;
  }
  await services.db.transaction().execute((trx) =>
    appendAudit(trx, auditActorOf(principal), { action: 'resident.exported', entityType: 'resident', details: { filters: { ...search }, rows: count, masked: true } }),
  );
}

/** Registers or updates one resident from a form (audited). */
export async function saveResident(services: AppServices, principal: Principal, input: ResidentInput): Promise<{ id: number; created: boolean }> {
  requirePermission(principal, 'registry:resident:write');
  // One form names one place: look it up alone rather than loading the region's directory.
  const place = await findPlaceByCode(services.db, (input.placeCode ?? '').trim());
  const placeInScope = place && isInScope(principal, place.path) ? place : undefined;
  const prepared = prepareResident(input, services.cipher, (code) => (placeInScope?.code === code ? placeInScope : undefined));
  if (!prepared.ok) {
    throw new AppError('VALIDATION_FAILED', prepared.problems.map((p) => `${p.field}: ${p.reason}`).join('; '), {
      fields: prepared.problems.map((p) => ({ field: p.field, message: p.reason })),
    });
  }
  const { row, householdNumber, indexKey } = prepared.value;
  return services.db.transaction().execute(async (trx) => {
    if ((await repo.findResidentsOutsideScope(trx, [indexKey], principal.scopePath)).size > 0) {
      throw new AppError('OUT_OF_SCOPE', 'this person is registered outside your region; ask that region to transfer the record');
    }
    if (householdNumber) await repo.ensureHouseholds(trx, [{ household_number: householdNumber, place_id: row.place_id, place_path: row.place_path }]);
    const result = await repo.upsertResidents(trx, residentRecords([{ row, householdNumber }]));
    const id = result.ids[0] ?? (await repo.searchResidents(trx, principal, { idNumberIndex: row.id_number_index }, { limit: 1, offset: 0 })).rows[0]?.id;
    if (id === undefined) throw new AppError('RESIDENT_NOT_FOUND', 'the resident could not be saved');
    await appendAudit(trx, auditActorOf(principal), {
      action: result.inserted ? 'resident.created' : result.updated ? 'resident.updated' : 'resident.unchanged',
      entityType: 'resident',
      entityId: id,
      details: { name: row.name, place: input.placeCode },
    });
    return { id, created: result.inserted > 0 };
  });
}

/** A page of households within the principal's region. */
export async function searchHouseholds(services: AppServices, principal: Principal, search: { q?: string | undefined; placeId?: number | undefined }, page: { limit: number; offset: number }) {
  let placePath: string | undefined;
  if (search.placeId !== undefined) {
    placePath = (await findPlaceEntryInScope(services.db, principal, search.placeId)).path;
  }
  const { rows, total } = await repo.searchHouseholds(services.db, principal, { numberPrefix: search.q?.trim() || undefined, placePath }, page);
  return {
    items: rows.map((h) => ({
      id: h.id,
      householdNumber: h.household_number,
      placeId: h.place_id,
      placeName: h.place_name,
      addressMasked: h.address_masked,
      memberCount: Number(h.member_count ?? 0),
      headName: h.head_name ?? null,
    })),
    total,
  };
}

/** One household in scope with its members. */
export async function getHousehold(services: AppServices, principal: Principal, id: number) {
  const household = await repo.findHouseholdById(services.db, principal, id);
  if (!household) throw new AppError('HOUSEHOLD_NOT_FOUND', `no household ${id} in your region`);
  const members = await repo.findMembers(services.db, principal, [id]);
  return {
    id: household.id,
    householdNumber: household.household_number,
    placeId: household.place_id,
    placeName: household.place_name,
    addressMasked: household.address_masked,
    memberCount: members.length,
    headName: members.find((m) => m.relation_to_head === '户主')?.name ?? null,
    members: members.map((m) => ({ ...presentSummary(m), relationToHead: m.relation_to_head })),
  };
}

import type { FieldCipher } from '../../platform/crypto/field-cipher.ts';
import { cachedReference } from '../../platform/db/reference-cache.ts';
import { maskPhone } from '../../platform/crypto/masking.ts';
import type { AppealsTable } from '../../platform/db/schema.ts';
import type { Executor } from '../../platform/db/database.ts';
import { requireInScope, requirePermission, type Principal } from '../../platform/auth/index.ts';
import { AppError } from '../../platform/errors.ts';
import { isUniqueViolation } from '../../platform/db/errors.ts';
import { assignOrganisation, IDEMPOTENCY_CONSTRAINT, openMatterIn, warmMatterReference, type MattersDeps } from '../matters/index.ts';
import { findPlaceEntry, locatePlaceEntry } from '../places/index.ts';
import * as repo from './appeals.repository.ts';
import { triage, type TriageDecision } from './triage.ts';

/** What an appeal needs beyond the matters engine: the cipher for the reporter's phone. */
export interface AppealsDeps extends MattersDeps {
  cipher: FieldCipher;
}

/** An appeal as any door submits it. */
export interface AppealInput {
  kind: AppealsTable['kind'];
  door: AppealsTable['door'];
  categoryCode: string;
  title: string;
  description?: string | undefined;
  /** Either a place, or a coordinate that is located in its micro-grid. */
  placeId?: number | undefined;
  lon?: number | undefined;
  lat?: number | undefined;
  reporterName?: string | undefined;
  reporterPhone?: string | undefined;
  /** The resident account filing it (随手拍 by a signed-in resident), who may follow and rate it. */
  reporterUserId?: number | undefined;
  idempotencyKey?: string | undefined;
}

/**
 * Receives an appeal through any door: finds its grid (point-in-polygon when a coordinate is
 * given), triages it (三事分流) by the rules as data, and opens the matter with the appeal's facts
 * in one transaction. 12350 work-safety reports hide the reporter from everyone but the intake desk.
 */
export async function submitAppeal(
  deps: AppealsDeps,
  principal: Principal,
  input: AppealInput,
  /** More facts a door records about a new appeal, written in the same transaction (Open311 attributes). */
  alsoWrite?: (trx: Executor, matterId: number) => Promise<void>,
): Promise<{ matterId: number; decision: TriageDecision; isNew: boolean }> {
  requirePermission(principal, 'matters:matter:create');
  const category = (await cachedReference(deps.db, deps.db, 'appeal_categories', 'active', repo.findActiveCategories)).get(input.categoryCode);
  if (!category) throw new AppError('VALIDATION_FAILED', `unknown category ${input.categoryCode}`, { fields: [{ field: 'categoryCode', message: 'unknown' }] });
  const place = await resolvePlace(deps, input);
  requireInScope(principal, place.path);
  const phone = input.reporterPhone?.replace(/[\s-]/g, '') || null;
  if (phone && !/^(1[3-9]\d{9}|0\d{9,11})$/.test(phone)) {
    throw new AppError('VALIDATION_FAILED', `phone ${phone} is not a valid number`, { fields: [{ field: 'reporterPhone', message: 'invalid' }] });
  }
  const decision = triage(await cachedReference(deps.db, deps.db, 'triage_rules', 'active', repo.findActiveRules), { categoryCode: category.code, placePath: place.path, defaultScale: category.default_scale });
  try {
    return await insertAppealIn(deps, principal, input, place, category.code, phone, decision, alsoWrite);
  } catch (error) {
    const existing =
      input.idempotencyKey && isUniqueViolation(error, IDEMPOTENCY_CONSTRAINT)
        ? await deps.db.selectFrom('matters').select('id').where('idempotency_key', '=', input.idempotencyKey).executeTakeFirst()
        : undefined;
    if (existing) return { matterId: existing.id, decision, isNew: false };
    throw error;
  }
}

async function insertAppealIn(
  deps: AppealsDeps,
  principal: Principal,
  input: AppealInput,
  place: { id: number; code: string; path: string },
  categoryCode: string,
  phone: string | null,
  decision: TriageDecision,
  alsoWrite: ((trx: Executor, matterId: number) => Promise<void>) | undefined,
) {
  await warmMatterReference(deps);
  return deps.db.transaction().execute(async (trx) => {
    if (input.idempotencyKey) {
      const existing = await trx.selectFrom('matters').select('id').where('idempotency_key', '=', input.idempotencyKey).executeTakeFirst();
      if (existing) return { matterId: existing.id, decision, isNew: false };
    }
    const matterId = await openMatterIn(deps, trx, principal, place, {
      typeCode: 'appeal',
      title: input.title,
      description: input.description,
      lon: input.lon ?? null,
      lat: input.lat ?? null,
      idempotencyKey: input.idempotencyKey,
    });
    await repo.insertAppeal(trx, {
      matter_id: matterId,
      kind: input.kind,
      category_code: categoryCode,
      door: input.door,
      scale: decision.scale,
      handler_level: decision.handlerLevel,
      handler_organisation_id: decision.organisationId,
      triage_rule_id: decision.ruleId,
      reporter_name: input.reporterName?.trim() || null,
      reporter_phone_index: phone ? deps.cipher.blindIndex(phone) : null,
      reporter_phone_enc: phone ? deps.cipher.encrypt(phone) : null,
      reporter_phone_masked: phone ? maskPhone(phone) : null,
      is_reporter_hidden: input.door === 'work_safety',
      reporter_user_id: input.reporterUserId ?? null,
    });
    if (decision.organisationId !== null) await assignOrganisation(trx, matterId, decision.organisationId);
    await alsoWrite?.(trx, matterId);
    return { matterId, decision, isNew: true };
  });
}

async function resolvePlace(deps: AppealsDeps, input: AppealInput) {
  if (input.placeId !== undefined) {
    const place = await findPlaceEntry(deps.db, input.placeId);
    if (!place) throw new AppError('PLACE_NOT_FOUND', `no place ${input.placeId}`);
    return place;
  }
  if (input.lon === undefined || input.lat === undefined) {
    throw new AppError('VALIDATION_FAILED', 'a place or a location is required', { fields: [{ field: 'placeId', message: 'required without lon/lat' }] });
  }
  const located = await locatePlaceEntry(deps.db, input.lon, input.lat);
  if (!located) throw new AppError('PLACE_NOT_FOUND', `(${input.lon}, ${input.lat}) is outside every grid of the city`);
  return located;
}

/** The appeal facts of a matter, with the reporter shown only where the door allows. */
export async function getAppeal(deps: Pick<AppealsDeps, 'db'>, principal: Principal, matterId: number) {
  const appeal = await repo.findAppeal(deps.db, matterId);
  if (!appeal) throw new AppError('NOT_FOUND', `matter ${matterId} is not an appeal`);
  const canSeeReporter = !appeal.is_reporter_hidden || principal.permissions.has('*') || principal.permissions.has('matters:matter:dispatch');
  return {
    kind: appeal.kind,
    door: appeal.door,
    categoryCode: appeal.category_code,
    scale: appeal.scale,
    handlerLevel: appeal.handler_level,
    handlerOrganisationId: appeal.handler_organisation_id,
    triageRuleId: appeal.triage_rule_id,
    reporterName: canSeeReporter ? appeal.reporter_name : null,
    reporterPhoneMasked: canSeeReporter ? appeal.reporter_phone_masked : null,
    isReporterHidden: appeal.is_reporter_hidden,
  };
}

import type { FieldCipher } from '../../platform/crypto/field-cipher.ts';
import { cachedReference } from '../../platform/db/reference-cache.ts';
import { maskPhone } from '../../platform/crypto/masking.ts';
import type { AppealsTable } from '../../platform/db/schema.ts';
import type { Executor } from '../../platform/db/database.ts';
import { requireInScope, requirePermission, type Principal } from '../../platform/auth/index.ts';
import { AppError } from '../../platform/errors.ts';
import { isStatementRefusal, isUniqueViolation } from '../../platform/db/errors.ts';
import { findByIdempotencyKeys, IDEMPOTENCY_CONSTRAINT, openMattersIn, warmMatterReference, type MattersDeps } from '../matters/index.ts';
import { GroupCommitter, type Settled } from '../../platform/db/group-commit.ts';
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
 * A door's own facts about new appeals (Open311 attribute answers), written in the same
 * transaction as the appeals: called once per committed batch with every appeal of the batch
 * that carried a payload for it.
 */
export type AppealFactsWriter<P> = (trx: Executor, appeals: { matterId: number; principal: Principal; payload: P }[]) => Promise<void>;

/** More facts to write with an appeal: the door's writer and this appeal's payload for it. */
export interface AppealFacts<P> {
  writer: AppealFactsWriter<P>;
  payload: P;
}

/** A submitted appeal: its matter, reference, triage decision, and false for a repeated idempotency key. */
export interface SubmittedAppeal {
  matterId: number;
  reference: string;
  decision: TriageDecision;
  isNew: boolean;
}

/**
 * Receives an appeal through any door: finds its grid (point-in-polygon when a coordinate is
 * given), triages it (三事分流) by the rules as data, and opens the matter with the appeal's facts
 * in one transaction. 12350 work-safety reports hide the reporter from everyone but the intake desk.
 *
 * Everything that can be checked is checked before the write; the write itself goes through a
 * group commit: appeals arriving together (a hotline's busy minute) share one transaction with one
 * statement per table, and each caller is answered when that transaction has committed.
 */
export async function submitAppeal<P = never>(deps: AppealsDeps, principal: Principal, input: AppealInput, facts?: AppealFacts<P>): Promise<SubmittedAppeal> {
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
  await warmMatterReference(deps);
  const pending: PendingAppeal = { deps, principal, input, place, phone, decision, facts: facts as AppealFacts<unknown> | undefined, receivedAt: deps.now?.() ?? new Date() };
  try {
    return await intakeOf(deps).submit(pending);
  } catch (error) {
    const existing =
      input.idempotencyKey && isUniqueViolation(error, IDEMPOTENCY_CONSTRAINT) ? (await findByIdempotencyKeys(deps.db, [input.idempotencyKey])).get(input.idempotencyKey) : undefined;
    if (existing) return { matterId: existing.id, reference: existing.reference, decision, isNew: false };
    throw error;
  }
}

interface PendingAppeal {
  deps: AppealsDeps;
  principal: Principal;
  input: AppealInput;
  place: { id: number; code: string; path: string };
  phone: string | null;
  decision: TriageDecision;
  facts: AppealFacts<unknown> | undefined;
  receivedAt: Date;
}

const intakes = new WeakMap<object, GroupCommitter<PendingAppeal, SubmittedAppeal>>();

/** The group commit of one database's appeals (one per application). */
function intakeOf(deps: AppealsDeps): GroupCommitter<PendingAppeal, SubmittedAppeal> {
  let intake = intakes.get(deps.db);
  if (!intake) {
    intake = new GroupCommitter(insertAppeals, {
      canRetryInParts: (error) => isStatementRefusal(error) || error instanceof AppError,
    });
    intakes.set(deps.db, intake);
  }
  return intake;
}

/**
 * Writes a batch of appeals in one transaction. A repeated idempotency key answers the matter it
 * made before, whether that committed earlier or is in this very batch.
 */
async function insertAppeals(batch: PendingAppeal[]): Promise<Settled<SubmittedAppeal>[]> {
  const { deps } = batch[0]!;
  return deps.db.transaction().execute(async (trx) => {
    const keys = batch.map((item) => item.input.idempotencyKey).filter((key): key is string => Boolean(key));
    const earlier = await findByIdempotencyKeys(trx, keys);
    const firstOfKey = new Map<string, number>();
    const fresh: number[] = [];
    batch.forEach((item, index) => {
      const key = item.input.idempotencyKey;
      if (key && (earlier.has(key) || firstOfKey.has(key))) return;
      if (key) firstOfKey.set(key, index);
      fresh.push(index);
    });
    const opened = await openMattersIn(
      deps,
      trx,
      fresh.map((index) => {
        const { principal, place, input, decision, receivedAt } = batch[index]!;
        return {
          principal,
          place,
          receivedAt,
          organisationId: decision.organisationId,
          input: { typeCode: 'appeal', title: input.title, description: input.description, lon: input.lon ?? null, lat: input.lat ?? null, idempotencyKey: input.idempotencyKey },
        };
      }),
    );
    const made = new Map(fresh.map((index, position) => [index, opened[position]!]));
    await repo.insertAppeals(
      trx,
      fresh.map((index) => {
        const { input, decision, phone } = batch[index]!;
        return {
          matter_id: made.get(index)!.id,
          kind: input.kind,
          category_code: input.categoryCode,
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
        };
      }),
    );
    const byWriter = new Map<AppealFactsWriter<unknown>, Parameters<AppealFactsWriter<unknown>>[1]>();
    for (const index of fresh) {
      const { facts, principal } = batch[index]!;
      if (!facts) continue;
      const rows = byWriter.get(facts.writer) ?? [];
      rows.push({ matterId: made.get(index)!.id, principal, payload: facts.payload });
      byWriter.set(facts.writer, rows);
    }
    for (const [writer, rows] of byWriter) await writer(trx, rows);
    return batch.map((item, index): Settled<SubmittedAppeal> => {
      const key = item.input.idempotencyKey;
      const matter = made.get(index) ?? (key ? (earlier.get(key) ?? made.get(firstOfKey.get(key)!)) : undefined);
      if (!matter) return { ok: false, error: new Error('appeal batch lost an item') };
      return { ok: true, value: { matterId: matter.id, reference: matter.reference, decision: item.decision, isNew: made.has(index) } };
    });
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

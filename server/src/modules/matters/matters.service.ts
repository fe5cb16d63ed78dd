import { Type } from 'typebox';
import type { Db, Executor } from '../../platform/db/database.ts';
import { appendAudit } from '../../platform/audit/index.ts';
import { auditActorOf, requireInScope, requirePermission, type Principal } from '../../platform/auth/index.ts';
import { loadCalendar } from '../../platform/calendar/index.ts';
import { AppError } from '../../platform/errors.ts';
import type { JobRunner, JobSpec } from '../../platform/jobs/index.ts';
import { findPlaceEntry } from '../places/index.ts';
import { chinaDate, computeDue, pointInStep } from './deadlines.ts';
import { findAction, findState, validateMatterType, type MatterTypeDefinition } from './matter-type.ts';
import * as repo from './matters.repository.ts';
import { isUniqueViolation } from '../../platform/db/errors.ts';

/** The unique index that makes an Idempotency-Key create one matter. */
export const IDEMPOTENCY_CONSTRAINT = 'matters_idempotency_key_key';

/** What the matters engine needs: the database, the job runner for its timers, and a clock. */
export interface MattersDeps {
  db: Db;
  jobs: JobRunner;
  now?: () => Date;
}

/** Warn the handler when 80% (per type) of a step's time limit has passed. */
export const MATTER_WARN_JOB = {
  id: 'matter.deadline.warn',
  schema: Type.Object({ matterId: Type.Integer({ minimum: 1 }), stepSeq: Type.Integer({ minimum: 1 }) }),
} satisfies JobSpec;

/** Escalate (督办) an overdue step one level up; re-armed per period up to the type's maximum. */
export const MATTER_ESCALATE_JOB = {
  id: 'matter.deadline.escalate',
  schema: Type.Object({ matterId: Type.Integer({ minimum: 1 }), stepSeq: Type.Integer({ minimum: 1 }), level: Type.Integer({ minimum: 1 }) }),
} satisfies JobSpec;

/** A new matter as submitted. */
export interface NewMatterInput {
  typeCode: string;
  title: string;
  description?: string | undefined;
  placeId: number;
  lon?: number | null | undefined;
  lat?: number | null | undefined;
  idempotencyKey?: string | undefined;
}

async function loadType(db: Executor, code: string): Promise<MatterTypeDefinition> {
  const row = await repo.findMatterType(db, code);
  if (!row) throw new AppError('VALIDATION_FAILED', `unknown matter type ${code}`, { fields: [{ field: 'typeCode', message: 'unknown' }] });
  return validateMatterType(row.definition);
}

/** Arms the warning and the first escalation of a step, in the transaction that started it. */
async function armTimers(deps: MattersDeps, trx: Executor, type: MatterTypeDefinition, matterId: number, stepSeq: number, start: Date, due: Date | null): Promise<void> {
  if (!due) return;
  await deps.jobs.enqueue(trx, MATTER_WARN_JOB, { matterId, stepSeq }, { startAfter: pointInStep(start, due, type.escalation.warnAtRatio), singletonKey: `${matterId}:${stepSeq}:warn` });
  if (type.escalation.maxLevels > 0) {
    await deps.jobs.enqueue(trx, MATTER_ESCALATE_JOB, { matterId, stepSeq, level: 1 }, { startAfter: due, singletonKey: `${matterId}:${stepSeq}:escalate:1` });
  }
}

/**
 * Opens a matter in its type's initial state with the state's deadline (working days on the
 * official calendar) and arms its timers, all in one transaction. A repeated request with the
 * same idempotency key returns the first matter instead of creating another.
 */
export async function createMatter(deps: MattersDeps, principal: Principal, input: NewMatterInput): Promise<{ id: number; isNew: boolean }> {
  requirePermission(principal, 'matters:matter:create');
  if (input.idempotencyKey) {
    const existing = await repo.findByIdempotencyKey(deps.db, input.idempotencyKey);
    if (existing) return { id: existing.id, isNew: false };
  }
  const place = await findPlaceEntry(deps.db, input.placeId);
  if (!place) throw new AppError('PLACE_NOT_FOUND', `no place ${input.placeId}`);
  requireInScope(principal, place.path);
  try {
    const id = await deps.db.transaction().execute((trx) => openMatterIn(deps, trx, principal, place, input));
    return { id, isNew: true };
  } catch (error) {
    // Two retries of one request racing: the second insert hits the key's unique index.
    const existing = input.idempotencyKey && isUniqueViolation(error, IDEMPOTENCY_CONSTRAINT) ? await repo.findByIdempotencyKey(deps.db, input.idempotencyKey) : undefined;
    if (existing) return { id: existing.id, isNew: false };
    throw error;
  }
}

/**
 * The body of {@link createMatter} inside the caller's transaction, for modules that write their
 * own facts about the matter (an appeal's category and reporter) in the same commit.
 */
export async function openMatterIn(
  deps: MattersDeps,
  trx: Executor,
  principal: Principal,
  place: { id: number; code: string; path: string },
  input: Omit<NewMatterInput, 'placeId'>,
): Promise<number> {
  const now = deps.now?.() ?? new Date();
  const type = await loadType(trx, input.typeCode);
  const calendar = await loadCalendar(trx);
  const initial = findState(type, type.initialState);
  const due = initial.limit ? computeDue(calendar, now, initial.limit) : null;
  const id = await repo.insertMatter(trx, {
    reference: await repo.nextReference(trx, chinaDate(now)),
    typeCode: input.typeCode,
    state: initial.code,
    title: input.title,
    description: input.description ?? '',
    placeId: place.id,
    placePath: place.path,
    lon: input.lon ?? null,
    lat: input.lat ?? null,
    stepStartedAt: now,
    stepDueAt: due,
    idempotencyKey: input.idempotencyKey ?? null,
    createdBy: principal.via === 'system' ? null : principal.userId,
  });
  await repo.insertEvent(trx, { matterId: id, at: now, actorId: principal.userId, actorName: principal.username, kind: 'created', toState: initial.code, stepSeq: 1, details: { dueAt: due?.toISOString() ?? null } });
  await appendAudit(trx, auditActorOf(principal), { action: 'matter.created', entityType: 'matter', entityId: id, details: { type: input.typeCode, place: place.code } });
  await armTimers(deps, trx, type, id, 1, now, due);
  return id;
}

/**
 * Takes an action on a matter: checks that the type allows it from the current state and that the
 * principal holds its permission, moves to the next step with a fresh deadline and timers, and
 * records it on the timeline and in the audit trail. A reopening action starts a new round.
 */
export async function applyAction(
  deps: MattersDeps,
  principal: Principal,
  matterId: number,
  actionCode: string,
  input: { note?: string | undefined; /** A callback's finding: was the problem solved (解决率). */ isSolved?: boolean | undefined } = {},
  /** More writes that belong to the action, in its transaction (a merge records its primary). */
  alsoWrite?: (trx: Executor, matter: { id: number; place_path: string }) => Promise<void>,
) {
  const now = deps.now?.() ?? new Date();
  return deps.db.transaction().execute(async (trx) => {
    const matter = await repo.findMatter(trx, principal, matterId, true);
    if (!matter) throw new AppError('NOT_FOUND', `no matter ${matterId} in your region`);
    const type = await loadType(trx, matter.type_code);
    const action = findAction(type, matter.state, actionCode);
    requirePermission(principal, action.permission as Parameters<typeof requirePermission>[1]);
    const note = input.note?.trim() ?? '';
    if (action.requiresNote && !note) throw new AppError('VALIDATION_FAILED', `action ${actionCode} needs a note`, { fields: [{ field: 'note', message: 'required' }] });
    const next = findState(type, action.to);
    const calendar = await loadCalendar(trx);
    const due = !next.isFinal && next.limit ? computeDue(calendar, now, next.limit) : null;
    const stepSeq = matter.step_seq + 1;
    const round = matter.round + (action.isReopen ? 1 : 0);
    await repo.updateStep(trx, matter.id, { state: next.code, stepSeq, startedAt: now, dueAt: due, round, closedAt: next.isFinal ? now : null, escalationLevel: 0 });
    await repo.insertEvent(trx, {
      matterId: matter.id,
      at: now,
      actorId: principal.userId,
      actorName: principal.username,
      kind: 'transition',
      action: action.code,
      fromState: matter.state,
      toState: next.code,
      stepSeq,
      details: { note: note || undefined, dueAt: due?.toISOString() ?? null, round, isSolved: input.isSolved },
    });
    await appendAudit(trx, auditActorOf(principal), { action: `matter.${action.code}`, entityType: 'matter', entityId: matter.id, details: { from: matter.state, to: next.code } });
    await armTimers(deps, trx, type, matter.id, stepSeq, now, due);
    await alsoWrite?.(trx, matter);
    return { state: next.code, stepSeq, dueAt: due, round };
  });
}

const SYSTEM_ACTOR = { userId: null, name: 'timer', ip: null };

/** Timer: warns on the timeline when a step is near its deadline; stale timers do nothing. */
export async function handleWarn(deps: MattersDeps, data: { matterId: number; stepSeq: number }): Promise<boolean> {
  const now = deps.now?.() ?? new Date();
  return deps.db.transaction().execute(async (trx) => {
    const matter = await repo.findMatterForTimer(trx, data.matterId);
    if (!matter || matter.step_seq !== data.stepSeq || matter.closed_at) return false;
    await repo.insertEvent(trx, { matterId: matter.id, at: now, actorId: null, actorName: 'timer', kind: 'warned', stepSeq: matter.step_seq, details: { dueAt: matter.step_due_at ? new Date(matter.step_due_at).toISOString() : null } });
    return true;
  });
}

/**
 * Timer: escalates an overdue step to the level above the matter's place (督办), and re-arms
 * itself one step-period later for the next level, up to the type's maximum.
 */
export async function handleEscalate(deps: MattersDeps, data: { matterId: number; stepSeq: number; level: number }): Promise<boolean> {
  const now = deps.now?.() ?? new Date();
  return deps.db.transaction().execute(async (trx) => {
    const matter = await repo.findMatterForTimer(trx, data.matterId);
    if (!matter || matter.step_seq !== data.stepSeq || matter.closed_at || matter.escalation_level >= data.level) return false;
    const type = await loadType(trx, matter.type_code);
    const labels = matter.place_path.split('.');
    const targetPath = labels.slice(0, Math.max(1, labels.length - data.level)).join('.');
    await repo.setEscalationLevel(trx, matter.id, data.level);
    await repo.insertEvent(trx, { matterId: matter.id, at: now, actorId: null, actorName: 'timer', kind: 'escalated', stepSeq: matter.step_seq, details: { level: data.level, targetPath } });
    await appendAudit(trx, SYSTEM_ACTOR, { action: 'matter.escalated', entityType: 'matter', entityId: matter.id, details: { level: data.level, targetPath } });
    if (data.level < type.escalation.maxLevels && matter.step_due_at) {
      const period = new Date(matter.step_due_at).getTime() - new Date(matter.step_started_at).getTime();
      await deps.jobs.enqueue(trx, MATTER_ESCALATE_JOB, { matterId: matter.id, stepSeq: matter.step_seq, level: data.level + 1 }, {
        startAfter: new Date(now.getTime() + period),
        singletonKey: `${matter.id}:${matter.step_seq}:escalate:${data.level + 1}`,
      });
    }
    return true;
  });
}

/** One matter in the principal's region with its timeline. */
export async function getMatter(deps: Pick<MattersDeps, 'db'>, principal: Principal, id: number) {
  requirePermission(principal, 'matters:matter:read');
  const matter = await repo.findMatter(deps.db, principal, id);
  if (!matter) throw new AppError('NOT_FOUND', `no matter ${id} in your region`);
  const events = await repo.findEvents(deps.db, id);
  return { matter, events };
}

/** Hours before a step's deadline at which it shows in the "due soon" queue. */
export const DUE_SOON_HOURS = 24;

/** A work queue of the principal's region: open, due soon, overdue or closed matters. */
export async function listQueue(
  deps: Pick<MattersDeps, 'db' | 'now'>,
  principal: Principal,
  filter: { queue: repo.MatterQueueFilter['queue']; state?: string | undefined; typeCode?: string | undefined },
  page: { limit: number; offset: number },
) {
  requirePermission(principal, 'matters:matter:read');
  return repo.findQueue(deps.db, principal, { ...filter, now: deps.now?.() ?? new Date(), dueSoonHours: DUE_SOON_HOURS }, page);
}

/** Largest photo accepted on a matter. */
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;

/**
 * Attaches a stored photo to a matter in the principal's region: recorded with a timeline note and
 * in the audit trail, in one transaction (the bytes were stored content-addressed before).
 */
export async function attachToMatter(
  deps: Pick<MattersDeps, 'db' | 'now'>,
  principal: Principal,
  matterId: number,
  blob: { sha256: string; contentType: string; size: number; fileName: string },
): Promise<number> {
  requirePermission(principal, 'matters:matter:read');
  const now = deps.now?.() ?? new Date();
  return deps.db.transaction().execute(async (trx) => {
    const matter = await repo.findMatter(trx, principal, matterId, true);
    if (!matter) throw new AppError('NOT_FOUND', `no matter ${matterId} in your region`);
    const id = await repo.insertAttachment(trx, { matterId, ...blob, createdBy: principal.via === 'system' ? null : principal.userId });
    await repo.insertEvent(trx, { matterId, at: now, actorId: principal.userId, actorName: principal.username, kind: 'note', stepSeq: matter.step_seq, details: { attachmentId: id, fileName: blob.fileName } });
    await appendAudit(trx, auditActorOf(principal), { action: 'matter.attachment_added', entityType: 'matter', entityId: matterId, details: { attachmentId: id, sha256: blob.sha256, size: blob.size } });
    return id;
  });
}

/** An attachment whose matter lies in the principal's region. */
export async function getAttachment(deps: Pick<MattersDeps, 'db'>, principal: Principal, id: number) {
  requirePermission(principal, 'matters:matter:read');
  const attachment = await repo.findAttachment(deps.db, principal, id);
  if (!attachment) throw new AppError('NOT_FOUND', `no attachment ${id} in your region`);
  return attachment;
}

import { Type } from 'typebox';
import { cachedReference } from '../../platform/db/reference-cache.ts';
import type { Db, Executor } from '../../platform/db/database.ts';
import { appendAudit, appendAudits } from '../../platform/audit/index.ts';
import { auditActorOf, hasPermission, isInScope, requirePermission, type Principal } from '../../platform/auth/index.ts';
import { loadCalendar } from '../../platform/calendar/index.ts';
import { AppError } from '../../platform/errors.ts';
import type { JobRunner, JobSpec, Ticker } from '../../platform/jobs/index.ts';
import { findPlaceEntryInScope } from '../places/index.ts';
import { chinaDate, pointInStep, stepDeadline } from './deadlines.ts';
import { findAction, findState, validateMatterType, type MatterTypeDefinition, type TimeLimit } from './matter-type.ts';
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

/** Every matter type, validated (or the reason it is invalid), cached until matter_types changes. */
function matterTypes(deps: Pick<MattersDeps, 'db'>, executor: Executor) {
  return cachedReference(deps.db, executor, 'matter_types', 'all', async (ex) => {
    const types = new Map<string, MatterTypeDefinition | Error>();
    for (const row of await repo.findMatterTypes(ex)) {
      try {
        types.set(row.code, validateMatterType(row.definition));
      } catch (error) {
        types.set(row.code, error instanceof Error ? error : new Error(String(error)));
      }
    }
    return types;
  });
}

/** The working calendar, cached until a year is edited. */
function workingCalendar(deps: Pick<MattersDeps, 'db'>, executor: Executor) {
  return cachedReference(deps.db, executor, 'calendar', 'all', loadCalendar);
}

async function loadType(deps: Pick<MattersDeps, 'db'>, executor: Executor, code: string): Promise<MatterTypeDefinition> {
  const type = (await matterTypes(deps, executor)).get(code);
  if (!type) throw new AppError('VALIDATION_FAILED', `unknown matter type ${code}`, { fields: [{ field: 'typeCode', message: 'unknown' }] });
  if (type instanceof Error) throw type;
  return type;
}

/**
 * Loads the matter types and the calendar outside any transaction, where they can be cached, so
 * that the transaction about to start finds them (what a transaction loads is never cached).
 */
export async function warmMatterReference(deps: Pick<MattersDeps, 'db'>): Promise<void> {
  await matterTypes(deps, deps.db);
  await workingCalendar(deps, deps.db);
}

/** Arms the warning and the first escalation of a step, in the transaction that started it. */
function armTimers(deps: MattersDeps, trx: Executor, type: MatterTypeDefinition, matterId: number, stepSeq: number, start: Date, due: Date | null): Promise<void> {
  return armTimersOf(deps, trx, [{ type, matterId, stepSeq, start, due }]);
}

/** {@link armTimers} for many steps at once: one statement per queue. */
async function armTimersOf(deps: MattersDeps, trx: Executor, steps: { type: MatterTypeDefinition; matterId: number; stepSeq: number; start: Date; due: Date | null }[]): Promise<void> {
  const timed = steps.filter((step): step is typeof step & { due: Date } => step.due !== null);
  await deps.jobs.enqueueMany(
    trx,
    MATTER_WARN_JOB,
    timed.map(({ type, matterId, stepSeq, start, due }) => ({
      data: { matterId, stepSeq },
      options: { startAfter: pointInStep(start, due, type.escalation.warnAtRatio), singletonKey: `${matterId}:${stepSeq}:warn` },
    })),
  );
  await deps.jobs.enqueueMany(
    trx,
    MATTER_ESCALATE_JOB,
    timed
      .filter(({ type }) => type.escalation.maxLevels > 0)
      .map(({ matterId, stepSeq, due }) => ({ data: { matterId, stepSeq, level: 1 }, options: { startAfter: due, singletonKey: `${matterId}:${stepSeq}:escalate:1` } })),
  );
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
  const place = await findPlaceEntryInScope(deps.db, principal, input.placeId);
  try {
    await warmMatterReference(deps);
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
  const [opened] = await openMattersIn(deps, trx, [{ principal, place, input }]);
  return opened!.id;
}

/** One matter of a batch for {@link openMattersIn}. */
export interface MatterToOpen {
  principal: Principal;
  place: { id: number; code: string; path: string };
  input: Omit<NewMatterInput, 'placeId'>;
  /** The organisation it is handed to at once (an appeal's triage), if any. */
  organisationId?: number | null;
  /** When it was received, if not now: a batch holds matters received at slightly different moments. */
  receivedAt?: Date;
  /** A state of the type to start in other than its initial one (not a final state). */
  initialState?: string;
  /** The first step's time limit when not its state's (a policy's own limit). */
  limit?: TimeLimit;
}

/**
 * Opens several matters in the caller's transaction with one statement per table (group commit of
 * concurrent intakes): what {@link openMatterIn} does for one, and answers their ids and references
 * in the order given.
 */
export async function openMattersIn(deps: MattersDeps, trx: Executor, matters: MatterToOpen[]): Promise<{ id: number; reference: string }[]> {
  if (matters.length === 0) return [];
  const now = deps.now?.() ?? new Date();
  const calendar = await workingCalendar(deps, trx);
  const numbers = await repo.nextReferenceNumbers(trx, matters.length);
  const prepared = await Promise.all(
    matters.map(async (matter, index) => {
      const type = await loadType(deps, trx, matter.input.typeCode);
      const initial = findState(type, matter.initialState ?? type.initialState);
      if (initial.isFinal) throw new AppError('VALIDATION_FAILED', `a ${matter.input.typeCode} matter cannot start in final state ${initial.code}`);
      const at = matter.receivedAt ?? now;
      const { due, pendingYear } = stepDeadline(calendar, at, matter.limit ?? initial.limit);
      const reference = `MS${chinaDate(at).replaceAll('-', '')}${String(numbers[index]).padStart(6, '0')}`;
      return { ...matter, type, initial, at, due, pendingYear, reference };
    }),
  );
  const ids = await repo.insertMatters(
    trx,
    prepared.map(({ principal, place, input, organisationId, initial, at, due, pendingYear, reference, limit }) => ({
      reference,
      typeCode: input.typeCode,
      state: initial.code,
      title: input.title,
      description: input.description ?? '',
      placeId: place.id,
      placePath: place.path,
      lon: input.lon ?? null,
      lat: input.lat ?? null,
      stepStartedAt: at,
      stepDueAt: due,
      duePendingYear: pendingYear,
      idempotencyKey: input.idempotencyKey ?? null,
      createdBy: principal.via === 'system' ? null : principal.userId,
      assigneeOrganisationId: organisationId ?? null,
      firstStepLimit: limit ?? null,
    })),
  );
  await repo.insertEvents(
    trx,
    prepared.map(({ principal, initial, at, due, pendingYear }, index) => ({
      matterId: ids[index]!,
      at,
      actorId: principal.userId,
      actorName: principal.username,
      kind: 'created' as const,
      toState: initial.code,
      stepSeq: 1,
      details: { dueAt: due?.toISOString() ?? null, ...(pendingYear ? { duePendingYear: pendingYear } : {}) },
    })),
  );
  await appendAudits(
    trx,
    prepared.map(({ principal, input, place }, index) => ({
      actor: auditActorOf(principal),
      entry: { action: 'matter.created', entityType: 'matter', entityId: ids[index]!, details: { type: input.typeCode, place: place.code } },
    })),
  );
  await armTimersOf(deps, trx, prepared.map(({ type, at, due }, index) => ({ type, matterId: ids[index]!, stepSeq: 1, start: at, due })));
  return prepared.map(({ reference }, index) => ({ id: ids[index]!, reference }));
}

/** What an action carries besides its code. */
export interface ActionInput {
  note?: string | undefined;
  /** A callback's finding: was the problem solved (解决率). */
  isSolved?: boolean | undefined;
  /** What the action rests on, kept on its timeline entry (e.g. the knowledge article a 直办 cites). */
  references?: Record<string, string | number> | undefined;
  /** The organisation an assigning action (转办) hands the matter to. */
  organisationId?: number | undefined;
  /** The person of that organisation it goes to, if the dispatcher names one. */
  userId?: number | undefined;
}

type MatterRow = NonNullable<Awaited<ReturnType<typeof repo.findMatter>>>;

/** Timeline and audit text of who holds a matter. */
interface AssigneeRef {
  id: number;
  name: string;
}

async function describeAssignee(trx: Executor, matter: Pick<MatterRow, 'assignee_organisation_id' | 'assignee_user_id'>) {
  const organisation = matter.assignee_organisation_id === null ? undefined : await repo.findOrganisationForAssignment(trx, matter.assignee_organisation_id);
  const names = await repo.findUserNames(trx, matter.assignee_user_id === null ? [] : [matter.assignee_user_id]);
  return {
    organisation: organisation ? ({ id: organisation.id, name: organisation.name } satisfies AssigneeRef) : null,
    user: matter.assignee_user_id === null ? null : ({ id: matter.assignee_user_id, name: names.get(matter.assignee_user_id) ?? '' } satisfies AssigneeRef),
  };
}

/**
 * An active organisation that may take the matter: its area covers the matter's place, or (for an
 * assisting unit, `alsoWithin` the enlisting account's region) it lies in that region.
 */
async function requireAssignableOrganisation(trx: Executor, matter: MatterRow, organisationId: number, alsoWithin?: Principal) {
  const organisation = await repo.findOrganisationForAssignment(trx, organisationId);
  if (!organisation) throw new AppError('ORGANISATION_NOT_FOUND', `no organisation ${organisationId}`, { fields: [{ field: 'organisationId', message: 'unknown' }] });
  if (organisation.status !== 'active') {
    throw new AppError('ASSIGNEE_INVALID', `organisation ${organisationId} is ${organisation.status}`, { reason: 'inactive', fields: [{ field: 'organisationId', message: 'inactive' }] });
  }
  const covers = isInScope({ scopePath: organisation.scope_path }, matter.place_path);
  if (!covers && !(alsoWithin && isInScope(alsoWithin, organisation.scope_path))) {
    throw new AppError('ASSIGNEE_OUT_OF_SCOPE', `organisation ${organisationId} does not cover the matter's place`, { reason: 'organisation_out_of_scope', fields: [{ field: 'organisationId', message: 'out of scope' }] });
  }
  return organisation;
}

/**
 * An active person who may handle the matter: a role that handles matters, a region that covers
 * the matter's place, and membership of the lead unit (or a unit under it) when there is one.
 */
async function requireAssignableUser(trx: Executor, matter: MatterRow, leadOrganisationId: number | null, userId: number) {
  const user = await repo.findUserForAssignment(trx, userId);
  const refuse = (reason: string) => new AppError('ASSIGNEE_INVALID', `user ${userId} cannot be assigned: ${reason}`, { reason, fields: [{ field: 'userId', message: reason }] });
  if (!user) throw refuse('unknown');
  if (user.status !== 'active') throw refuse('inactive');
  if (!user.can_handle) throw refuse('cannot_handle');
  if (!isInScope({ scopePath: user.scope_path }, matter.place_path)) {
    throw new AppError('ASSIGNEE_OUT_OF_SCOPE', `user ${userId} does not cover the matter's place`, { reason: 'user_out_of_scope', fields: [{ field: 'userId', message: 'out of scope' }] });
  }
  if (leadOrganisationId !== null && (user.organisation_id === null || !(await repo.isOrganisationWithin(trx, user.organisation_id, leadOrganisationId)))) {
    throw refuse('not_in_organisation');
  }
  return user;
}

/**
 * Takes an action on a matter: checks that the type allows it from the current state and that the
 * principal holds its permission, moves to the next step with a fresh deadline and timers, and
 * records it on the timeline and in the audit trail. A reopening action starts a new round; an
 * assigning action (转办) hands the matter to `input.organisationId`; an answering action of a
 * co-handled type waits for the assisting units, or names those that had not reported.
 */
export async function applyAction(
  deps: MattersDeps,
  principal: Principal,
  matterId: number,
  actionCode: string,
  input: ActionInput = {},
  /** More writes that belong to the action, in its transaction (a merge records its primary). */
  alsoWrite?: AlsoWrite,
) {
  await warmMatterReference(deps);
  return deps.db.transaction().execute((trx) => applyActionIn(deps, trx, principal, matterId, actionCode, input, alsoWrite));
}

/** Writes of a module that belong to an action on one of its matters. */
export type AlsoWrite = (trx: Executor, matter: { id: number; place_path: string }) => Promise<void>;

/**
 * {@link applyAction} in the caller's transaction, for a module that takes several actions in one
 * (a bundle granting its items without review); the caller warms the matter reference first.
 * An action the type reserves to its module (`viaModule`) needs the module's `alsoWrite`.
 */
export async function applyActionIn(deps: MattersDeps, trx: Executor, principal: Principal, matterId: number, actionCode: string, input: ActionInput = {}, alsoWrite?: AlsoWrite) {
  const now = deps.now?.() ?? new Date();
  const matter = await repo.findMatter(trx, principal, matterId, true);
  if (!matter) throw new AppError('NOT_FOUND', `no matter ${matterId} in your region`);
  const type = await loadType(deps, trx, matter.type_code);
  const action = findAction(type, matter.state, actionCode);
  requirePermission(principal, action.permission as Parameters<typeof requirePermission>[1]);
  if (action.viaModule && !alsoWrite) {
    throw new AppError('MATTER_ACTION_RESERVED', `action ${actionCode} is taken through its own page, which records what it decides`, { action: actionCode, type: matter.type_code });
  }
  const note = input.note?.trim() ?? '';
  if (action.requiresNote && !note) throw new AppError('VALIDATION_FAILED', `action ${actionCode} needs a note`, { fields: [{ field: 'note', message: 'required' }] });
  const pendingAssistants = await checkAssistants(trx, type, matter, action.code);
  const handover = await handOver(trx, matter, action, input);
  const next = findState(type, action.to);
  const calendar = await workingCalendar(deps, trx);
  const { due, pendingYear } = stepDeadline(calendar, now, next.isFinal ? undefined : next.limit);
  const stepSeq = matter.step_seq + 1;
  const round = matter.round + (action.isReopen ? 1 : 0);
  await repo.updateStep(trx, matter.id, { state: next.code, stepSeq, startedAt: now, dueAt: due, duePendingYear: pendingYear, round, closedAt: next.isFinal ? now : null, escalationLevel: 0 });
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
    details: {
      note: note || undefined,
      dueAt: due?.toISOString() ?? null,
      ...(pendingYear ? { duePendingYear: pendingYear } : {}),
      round,
      isSolved: input.isSolved,
      ...(handover ? { fromAssignee: handover.from, toAssignee: handover.to, wasAssisting: handover.wasAssisting || undefined } : {}),
      ...(pendingAssistants.length > 0 ? { pendingAssistants } : {}),
      ...input.references,
    },
  });
  await appendAudit(trx, auditActorOf(principal), {
    action: `matter.${action.code}`,
    entityType: 'matter',
    entityId: matter.id,
    details: {
      from: matter.state,
      to: next.code,
      ...(handover ? { fromOrganisationId: handover.from.organisation?.id ?? null, toOrganisationId: handover.to.organisation.id, toUserId: handover.to.user?.id ?? null } : {}),
    },
  });
  await armTimers(deps, trx, type, matter.id, stepSeq, now, due);
  await alsoWrite?.(trx, matter);
  return { state: next.code, stepSeq, dueAt: due, round };
}

/**
 * For an assigning action (转办): checks the target organisation and person and writes the new
 * assignee, returning who held the matter before and who holds it now. The person assignment is cleared unless the dispatcher names one of the new unit, and
 * a unit that was assisting becomes the lead instead (one unit cannot be both).
 */
async function handOver(trx: Executor, matter: MatterRow, action: MatterTypeDefinition['actions'][number], input: ActionInput) {
  if (!action.assignsOrganisation) {
    if (input.organisationId !== undefined || input.userId !== undefined) {
      throw new AppError('VALIDATION_FAILED', `action ${action.code} does not take an assignee`, { fields: [{ field: input.organisationId !== undefined ? 'organisationId' : 'userId', message: 'not allowed' }] });
    }
    return null;
  }
  if (input.organisationId === undefined) {
    throw new AppError('VALIDATION_FAILED', `action ${action.code} needs the organisation it hands the matter to`, { fields: [{ field: 'organisationId', message: 'required' }] });
  }
  if (input.organisationId === matter.assignee_organisation_id) {
    throw new AppError('VALIDATION_FAILED', `the matter is already with organisation ${input.organisationId}`, { fields: [{ field: 'organisationId', message: 'unchanged' }] });
  }
  const organisation = await requireAssignableOrganisation(trx, matter, input.organisationId);
  const user = input.userId === undefined ? null : await requireAssignableUser(trx, matter, organisation.id, input.userId);
  const from = await describeAssignee(trx, matter);
  const wasAssisting = (await repo.findCoHandler(trx, matter.id, organisation.id)) !== undefined;
  if (wasAssisting) await repo.deleteCoHandler(trx, matter.id, organisation.id);
  await repo.transferAssignee(trx, matter.id, organisation.id, user?.id ?? null);
  return {
    from,
    to: { organisation: { id: organisation.id, name: organisation.name } satisfies AssigneeRef, user: user ? ({ id: user.id, name: user.display_name } satisfies AssigneeRef) : null },
    wasAssisting,
  };
}

/**
 * For an answering action of a co-handled type: refuses it while an assisting unit has not reported
 * (CO_HANDLERS_PENDING) when the type says so, and otherwise returns the units that had not, for
 * the timeline.
 */
async function checkAssistants(trx: Executor, type: MatterTypeDefinition, matter: MatterRow, actionCode: string): Promise<AssigneeRef[]> {
  if (!type.coHandling?.replyActions.includes(actionCode)) return [];
  const pending = (await repo.findCoHandlers(trx, matter.id)).filter((h) => h.reported_at === null).map((h) => ({ id: h.organisation_id, name: h.organisation_name }));
  if (pending.length > 0 && type.coHandling.replyRequiresAssistants) {
    throw new AppError('CO_HANDLERS_PENDING', `assisting units have not reported: ${pending.map((p) => p.name).join(', ')}`, { pending });
  }
  return pending;
}

/** Dispatchers may assign anyone who qualifies; a handler of the lead unit may assign within the unit. */
function mayAssign(principal: Principal, matter: Pick<MatterRow, 'assignee_organisation_id'>): boolean {
  if (hasPermission(principal, 'matters:matter:dispatch')) return true;
  const isLeadMember = principal.organisationId !== null && principal.organisationId === matter.assignee_organisation_id;
  return isLeadMember && hasPermission(principal, 'matters:matter:handle');
}

/**
 * Assigns a matter to a person (指派): an active handler whose region covers the matter's place and
 * who belongs to the lead unit (or a unit under it). Dispatchers may assign anyone who qualifies; a
 * handler of the lead unit may assign within the unit (including themselves).
 */
export async function assignPerson(deps: Pick<MattersDeps, 'db' | 'now'>, principal: Principal, matterId: number, input: { userId: number; note?: string | undefined }) {
  const now = deps.now?.() ?? new Date();
  return deps.db.transaction().execute(async (trx) => {
    const matter = await repo.findMatter(trx, principal, matterId, true);
    if (!matter) throw new AppError('NOT_FOUND', `no matter ${matterId} in your region`);
    if (!mayAssign(principal, matter)) {
      throw new AppError('FORBIDDEN', 'only a dispatcher or a handler of the lead unit may assign this matter', { permission: 'matters:matter:dispatch' });
    }
    if (matter.closed_at) throw new AppError('CONFLICT', `matter ${matterId} is closed`, { state: matter.state });
    if (matter.assignee_user_id !== null && matter.assignee_user_id === input.userId) {
      throw new AppError('VALIDATION_FAILED', `the matter is already assigned to user ${input.userId}`, { fields: [{ field: 'userId', message: 'unchanged' }] });
    }
    const user = await requireAssignableUser(trx, matter, matter.assignee_organisation_id, input.userId);
    const from = await describeAssignee(trx, matter);
    await repo.assignUser(trx, matter.id, user.id);
    const message = input.note?.trim() || undefined;
    await repo.insertEvent(trx, {
      matterId: matter.id,
      at: now,
      actorId: principal.userId,
      actorName: principal.username,
      kind: 'assigned',
      stepSeq: matter.step_seq,
      // Internal remarks go under `message`: a `note` would show in the public Open311 status notes.
      details: { fromUser: from.user, toUser: { id: user.id, name: user.display_name }, message },
    });
    await appendAudit(trx, auditActorOf(principal), { action: 'matter.assigned', entityType: 'matter', entityId: matter.id, details: { fromUserId: from.user?.id ?? null, toUserId: user.id } });
  });
}

/** The co-handling settings of a matter's type, or CONFLICT when its matters have no assisting units. */
function requireCoHandling(type: MatterTypeDefinition, matter: MatterRow) {
  if (!type.coHandling) throw new AppError('CONFLICT', `matters of type ${matter.type_code} are not co-handled`, { reason: 'not_co_handled' });
  return type.coHandling;
}

/**
 * Enlists an assisting unit (协办) with what it is asked to do. The unit covers the matter's place or
 * lies in the dispatcher's region; it is not the lead and not already enlisted.
 */
export async function addCoHandler(deps: Pick<MattersDeps, 'db' | 'now'>, principal: Principal, matterId: number, input: { organisationId: number; note: string }) {
  requirePermission(principal, 'matters:matter:dispatch');
  const now = deps.now?.() ?? new Date();
  const request = input.note.trim();
  if (!request) throw new AppError('VALIDATION_FAILED', 'say what the assisting unit is asked to do', { fields: [{ field: 'note', message: 'required' }] });
  await warmMatterReference(deps);
  return deps.db.transaction().execute(async (trx) => {
    const matter = await repo.findMatter(trx, principal, matterId, true);
    if (!matter) throw new AppError('NOT_FOUND', `no matter ${matterId} in your region`);
    const type = await loadType(deps, trx, matter.type_code);
    const coHandling = requireCoHandling(type, matter);
    if (!coHandling.states.includes(matter.state)) {
      throw new AppError('CONFLICT', `assisting units cannot be added in state ${matter.state}`, { state: matter.state, allowedStates: coHandling.states });
    }
    if (input.organisationId === matter.assignee_organisation_id) {
      throw new AppError('VALIDATION_FAILED', 'the lead unit cannot also assist', { fields: [{ field: 'organisationId', message: 'is the lead' }] });
    }
    const organisation = await requireAssignableOrganisation(trx, matter, input.organisationId, principal);
    if (await repo.findCoHandler(trx, matter.id, organisation.id)) {
      throw new AppError('CONFLICT', `organisation ${organisation.id} already assists`, { reason: 'already_assisting' });
    }
    await repo.insertCoHandler(trx, { matterId: matter.id, organisationId: organisation.id, request, addedAt: now, addedBy: principal.via === 'system' ? null : principal.userId });
    await repo.insertEvent(trx, {
      matterId: matter.id,
      at: now,
      actorId: principal.userId,
      actorName: principal.username,
      kind: 'co_handler_added',
      stepSeq: matter.step_seq,
      details: { organisation: { id: organisation.id, name: organisation.name }, message: request },
    });
    await appendAudit(trx, auditActorOf(principal), { action: 'matter.co_handler_added', entityType: 'matter', entityId: matter.id, details: { organisationId: organisation.id } });
  });
}

/**
 * An assisting unit's report (协办反馈): its part of the answer, by a handler who belongs to that
 * unit, once, while the matter is still open. The account may lie outside the matter's region.
 */
export async function reportCoHandler(deps: Pick<MattersDeps, 'db' | 'now'>, principal: Principal, matterId: number, organisationId: number, input: { note: string }) {
  requirePermission(principal, 'matters:matter:handle');
  const now = deps.now?.() ?? new Date();
  const report = input.note.trim();
  if (!report) throw new AppError('VALIDATION_FAILED', 'the report needs its text', { fields: [{ field: 'note', message: 'required' }] });
  return deps.db.transaction().execute(async (trx) => {
    const matter = await repo.findVisibleMatter(trx, principal, matterId, true);
    if (!matter) throw new AppError('NOT_FOUND', `no matter ${matterId} in your region`);
    const coHandler = await repo.findCoHandler(trx, matter.id, organisationId);
    if (!coHandler) throw new AppError('NOT_FOUND', `organisation ${organisationId} does not assist matter ${matterId}`);
    if (principal.organisationId !== organisationId) {
      throw new AppError('NOT_CO_HANDLER', `only a member of organisation ${organisationId} may report for it`, { organisationId });
    }
    if (coHandler.reported_at !== null) throw new AppError('CONFLICT', `organisation ${organisationId} has already reported`, { reason: 'already_reported' });
    if (matter.closed_at) throw new AppError('CONFLICT', `matter ${matterId} is closed`, { state: matter.state });
    const by = principal.via === 'system' ? null : principal.userId;
    await repo.markCoHandlerReported(trx, matter.id, organisationId, { at: now, by, text: report });
    await repo.insertEvent(trx, {
      matterId: matter.id,
      at: now,
      actorId: principal.userId,
      actorName: principal.username,
      kind: 'co_handler_reported',
      stepSeq: matter.step_seq,
      details: { organisation: { id: organisationId, name: coHandler.organisation_name }, message: report },
    });
    await appendAudit(trx, auditActorOf(principal), { action: 'matter.co_handler_reported', entityType: 'matter', entityId: matter.id, details: { organisationId } });
  });
}

/** Releases an assisting unit that has not reported yet (撤回协办), with an optional reason. */
export async function withdrawCoHandler(deps: Pick<MattersDeps, 'db' | 'now'>, principal: Principal, matterId: number, organisationId: number, input: { note?: string | undefined } = {}) {
  requirePermission(principal, 'matters:matter:dispatch');
  const now = deps.now?.() ?? new Date();
  return deps.db.transaction().execute(async (trx) => {
    const matter = await repo.findMatter(trx, principal, matterId, true);
    if (!matter) throw new AppError('NOT_FOUND', `no matter ${matterId} in your region`);
    const coHandler = await repo.findCoHandler(trx, matter.id, organisationId);
    if (!coHandler) throw new AppError('NOT_FOUND', `organisation ${organisationId} does not assist matter ${matterId}`);
    if (coHandler.reported_at !== null) throw new AppError('CONFLICT', `organisation ${organisationId} has already reported`, { reason: 'already_reported' });
    if (matter.closed_at) throw new AppError('CONFLICT', `matter ${matterId} is closed`, { state: matter.state });
    await repo.deleteCoHandler(trx, matter.id, organisationId);
    await repo.insertEvent(trx, {
      matterId: matter.id,
      at: now,
      actorId: principal.userId,
      actorName: principal.username,
      kind: 'co_handler_withdrawn',
      stepSeq: matter.step_seq,
      details: { organisation: { id: organisationId, name: coHandler.organisation_name }, message: input.note?.trim() || undefined },
    });
    await appendAudit(trx, auditActorOf(principal), { action: 'matter.co_handler_withdrawn', entityType: 'matter', entityId: matter.id, details: { organisationId } });
  });
}

/** Most candidates a picker lists. */
const CANDIDATE_LIMIT = 50;

/**
 * People the principal may assign the matter to: of the lead unit by default, or of
 * `organisationId` when choosing the person of a transfer's target.
 */
export async function listAssignableUsers(deps: Pick<MattersDeps, 'db'>, principal: Principal, matterId: number, filter: { organisationId?: number | undefined } = {}) {
  requirePermission(principal, 'matters:matter:handle');
  const matter = await repo.findMatter(deps.db, principal, matterId);
  if (!matter) throw new AppError('NOT_FOUND', `no matter ${matterId} in your region`);
  const organisationId = filter.organisationId ?? matter.assignee_organisation_id;
  return repo.findAssignableUsers(deps.db, matter.place_path, organisationId, CANDIDATE_LIMIT);
}

/**
 * Organisations that may take the matter: for a transfer, those whose area covers its place; for
 * assisting, those and the organisations of the principal's region. The lead and the units already
 * assisting are left out.
 */
export async function listAssignableOrganisations(deps: Pick<MattersDeps, 'db'>, principal: Principal, matterId: number, filter: { purpose: 'transfer' | 'assist'; q?: string | undefined }) {
  requirePermission(principal, 'matters:matter:dispatch');
  const matter = await repo.findMatter(deps.db, principal, matterId);
  if (!matter) throw new AppError('NOT_FOUND', `no matter ${matterId} in your region`);
  const assisting = (await repo.findCoHandlers(deps.db, matter.id)).map((h) => h.organisation_id);
  const lead = matter.assignee_organisation_id === null ? [] : [matter.assignee_organisation_id];
  return repo.findAssignableOrganisations(deps.db, matter.place_path, {
    alsoWithin: filter.purpose === 'assist' ? principal.scopePath : undefined,
    nameContains: filter.q?.trim() || undefined,
    excludeIds: filter.purpose === 'assist' ? [...lead, ...assisting] : lead,
    limit: CANDIDATE_LIMIT,
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
 * Sets the deadlines that were waiting for a year's holidays, now that the year has been entered:
 * each from its step's start, as if the calendar had been there all along, with its timers armed
 * (a deadline already past escalates at once) and a `deadline_set` entry on the timeline. Cheap
 * when nothing waits (one indexed read); run by a ticker. Answers how many deadlines it set.
 */
export async function settlePendingDeadlines(deps: MattersDeps, batchSize = 500): Promise<number> {
  const earliest = await repo.findEarliestPendingYear(deps.db);
  if (earliest === undefined) return 0;
  await warmMatterReference(deps);
  let settled = 0;
  for (;;) {
    const count = await deps.db.transaction().execute(async (trx) => {
      const calendar = await workingCalendar(deps, trx);
      const known = calendar.years.filter((year) => year >= earliest);
      if (known.length === 0) return 0;
      const steps = await repo.findStepsAwaitingDeadline(trx, known, batchSize);
      const timers: Parameters<typeof armTimersOf>[2] = [];
      const now = deps.now?.() ?? new Date();
      for (const step of steps) {
        const type = await loadType(deps, trx, step.type_code);
        const start = new Date(step.step_started_at);
        const limit = step.step_seq === 1 && step.first_step_limit ? step.first_step_limit : findState(type, step.state).limit;
        const { due, pendingYear } = stepDeadline(calendar, start, limit);
        // A long limit may run on into a further missing year: it waits again, for that one.
        if (!due) {
          await repo.setStepPendingYear(trx, step.id, pendingYear);
          continue;
        }
        await repo.setStepDeadline(trx, step.id, due);
        await repo.insertEvent(trx, { matterId: step.id, at: now, actorId: null, actorName: 'calendar', kind: 'deadline_set', stepSeq: step.step_seq, details: { dueAt: due.toISOString(), year: step.due_pending_year } });
        timers.push({ type, matterId: step.id, stepSeq: step.step_seq, start, due });
      }
      await armTimersOf(deps, trx, timers);
      await appendAudits(
        trx,
        timers.map(({ matterId, due }) => ({ actor: SYSTEM_ACTOR, entry: { action: 'matter.deadline_set', entityType: 'matter', entityId: matterId, details: { dueAt: due!.toISOString() } } })),
      );
      settled += timers.length;
      return steps.length;
    });
    if (count < batchSize) return settled;
  }
}

/** The ticker that sets waiting deadlines within a minute of their year being entered. */
export function deadlineSettler(deps: () => MattersDeps): Ticker {
  return { id: 'matter-deadline-settle', everyMs: 60_000, run: () => settlePendingDeadlines(deps()) };
}

/**
 * Timer: escalates an overdue step to the level above the matter's place (督办), and re-arms
 * itself one step-period later for the next level, up to the type's maximum.
 */
export async function handleEscalate(deps: MattersDeps, data: { matterId: number; stepSeq: number; level: number }): Promise<boolean> {
  const now = deps.now?.() ?? new Date();
  await warmMatterReference(deps);
  return deps.db.transaction().execute(async (trx) => {
    const matter = await repo.findMatterForTimer(trx, data.matterId);
    if (!matter || matter.step_seq !== data.stepSeq || matter.closed_at || matter.escalation_level >= data.level) return false;
    const type = await loadType(deps, trx, matter.type_code);
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

/**
 * One matter the principal may read (in its region, or assisted by its organisation) with its
 * timeline, who holds it (the lead unit and the person), its assisting units, and the parts of its
 * type the console needs to offer assignment (the assigning actions, the co-handling settings), and
 * whether the principal may act on it and assign it.
 */
export async function getMatter(deps: Pick<MattersDeps, 'db'>, principal: Principal, id: number) {
  requirePermission(principal, 'matters:matter:read');
  const matter = await repo.findVisibleMatter(deps.db, principal, id);
  if (!matter) throw new AppError('NOT_FOUND', `no matter ${id} in your region`);
  const events = await repo.findEvents(deps.db, id);
  const assignee = await describeAssignee(deps.db, matter);
  const coHandlers = await repo.findCoHandlers(deps.db, id);
  const type = await loadType(deps, deps.db, matter.type_code);
  // An assisting unit may read a matter outside its region, but acts on it only through its report.
  const isInRegion = isInScope(principal, matter.place_path);
  return {
    matter,
    events,
    isInRegion,
    canAssign: isInRegion && matter.closed_at === null && mayAssign(principal, matter),
    assignee,
    coHandlers: coHandlers.map((h) => ({ ...h, isOwn: principal.organisationId !== null && h.organisation_id === principal.organisationId })),
    coHandling: type.coHandling ? { ...type.coHandling, isOpen: type.coHandling.states.includes(matter.state) } : null,
    assigningActions: type.actions.filter((a) => a.assignsOrganisation).map((a) => a.code),
  };
}

/** Hours before a step's deadline at which it shows in the "due soon" queue. */
export const DUE_SOON_HOURS = 24;

/** Whose matters a work queue shows: all it may see, those assigned to the principal, or those its unit assists. */
export type QueueAssignment = 'mine' | 'assisting';

/**
 * A work queue: open, due soon, overdue or closed matters of the principal's region, plus those its
 * organisation assists (协办) and has not reported on, wherever they lie; `assignment` narrows it to
 * the matters assigned to the principal personally or to the ones its unit assists.
 */
export async function listQueue(
  deps: Pick<MattersDeps, 'db' | 'now'>,
  principal: Principal,
  filter: { queue: repo.MatterQueueFilter['queue']; state?: string | undefined; typeCode?: string | undefined; assignment?: QueueAssignment | undefined },
  page: { limit: number; offset: number },
) {
  requirePermission(principal, 'matters:matter:read');
  const assistingIds = principal.organisationId === null ? [] : await repo.findPendingAssistMatterIds(deps.db, principal.organisationId);
  const { assignment, ...rest } = filter;
  const result = await repo.findQueue(
    deps.db,
    principal,
    {
      ...rest,
      assigneeUserId: assignment === 'mine' ? principal.userId : undefined,
      isAssistingOnly: assignment === 'assisting',
      assistingIds,
      now: deps.now?.() ?? new Date(),
      dueSoonHours: DUE_SOON_HOURS,
    },
    page,
  );
  const assisting = new Set(assistingIds);
  return { rows: result.rows.map((row) => ({ ...row, isAssisting: assisting.has(row.id) })), total: result.total };
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

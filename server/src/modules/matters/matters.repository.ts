import { sql } from 'kysely';
import type { Executor } from '../../platform/db/database.ts';
import type { MatterEventKind } from '../../platform/db/schema.ts';
import { inScope } from '../../platform/auth/index.ts';

/** A matter type row with its parsed definition (validated when stored). */
export async function findMatterType(db: Executor, code: string) {
  return db.selectFrom('matter_types').selectAll().where('code', '=', code).executeTakeFirst();
}

/** A new reference: MS, the China date, and the next number of the reference sequence (MS20261122000042). */
export async function nextReference(db: Executor, day: string): Promise<string> {
  const row = await sql<{ n: number }>`SELECT nextval('matter_reference_seq')::int AS n`.execute(db);
  return `MS${day.replaceAll('-', '')}${String(row.rows[0]!.n).padStart(6, '0')}`;
}

/** The matter created with an idempotency key, if any. */
export function findByIdempotencyKey(db: Executor, key: string) {
  return db.selectFrom('matters').select('id').where('idempotency_key', '=', key).executeTakeFirst();
}

/** Inserts a matter and returns its id. */
export async function insertMatter(
  db: Executor,
  matter: {
    reference: string;
    typeCode: string;
    state: string;
    title: string;
    description: string;
    placeId: number | null;
    placePath: string;
    lon: number | null;
    lat: number | null;
    stepStartedAt: Date;
    stepDueAt: Date | null;
    idempotencyKey: string | null;
    createdBy: number | null;
  },
): Promise<number> {
  const row = await db
    .insertInto('matters')
    .values({
      reference: matter.reference,
      type_code: matter.typeCode,
      state: matter.state,
      title: matter.title,
      description: matter.description,
      place_id: matter.placeId,
      place_path: matter.placePath,
      lon: matter.lon,
      lat: matter.lat,
      step_started_at: matter.stepStartedAt,
      step_due_at: matter.stepDueAt,
      created_at: matter.stepStartedAt,
      idempotency_key: matter.idempotencyKey,
      created_by: matter.createdBy,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** One matter in scope, locked for the caller's transaction when `forUpdate`. */
export function findMatter(db: Executor, scope: { scopePath: string }, id: number, forUpdate = false) {
  let query = db.selectFrom('matters').selectAll().where('id', '=', id).where(inScope('place_path', scope));
  if (forUpdate) query = query.forUpdate();
  return query.executeTakeFirst();
}

/** Moves a matter to a new step. */
export async function updateStep(
  db: Executor,
  id: number,
  step: { state: string; stepSeq: number; startedAt: Date; dueAt: Date | null; round: number; closedAt: Date | null; escalationLevel: number },
): Promise<void> {
  await db
    .updateTable('matters')
    .set({
      state: step.state,
      step_seq: step.stepSeq,
      step_started_at: step.startedAt,
      step_due_at: step.dueAt,
      round: step.round,
      closed_at: step.closedAt,
      escalation_level: step.escalationLevel,
      updated_at: sql`now()`,
    })
    .where('id', '=', id)
    .execute();
}

/** Records an escalation level reached by the current step. */
export async function setEscalationLevel(db: Executor, id: number, level: number): Promise<void> {
  await db.updateTable('matters').set({ escalation_level: level, updated_at: sql`now()` }).where('id', '=', id).execute();
}

/** Appends an entry to a matter's timeline. */
export async function insertEvent(
  db: Executor,
  event: { matterId: number; at: Date; actorId: number | null; actorName: string; kind: MatterEventKind; action?: string | null; fromState?: string | null; toState?: string | null; stepSeq: number; details?: Record<string, unknown> },
): Promise<void> {
  await db
    .insertInto('matter_events')
    .values({
      matter_id: event.matterId,
      at: event.at,
      actor_id: event.actorId,
      actor_name: event.actorName,
      kind: event.kind,
      action: event.action ?? null,
      from_state: event.fromState ?? null,
      to_state: event.toState ?? null,
      step_seq: event.stepSeq,
      details: JSON.stringify(event.details ?? {}),
    })
    .execute();
}

/** A matter's timeline in order. */
export function findEvents(db: Executor, matterId: number) {
  return db.selectFrom('matter_events').selectAll().where('matter_id', '=', matterId).orderBy('id').execute();
}

/** A matter by id without scope, for timers (which act for the system). */
export function findMatterForTimer(db: Executor, id: number) {
  return db.selectFrom('matters').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

/** Filters of a work queue. */
export interface MatterQueueFilter {
  queue: 'open' | 'due_soon' | 'overdue' | 'closed' | 'all';
  state?: string | undefined;
  typeCode?: string | undefined;
  now: Date;
  dueSoonHours: number;
}

/** A page of matters in scope for a work queue, most urgent first, with the total. */
export async function findQueue(db: Executor, scope: { scopePath: string }, filter: MatterQueueFilter, page: { limit: number; offset: number }) {
  let query = db.selectFrom('matters').where(inScope('place_path', scope));
  if (filter.typeCode) query = query.where('type_code', '=', filter.typeCode);
  if (filter.state) query = query.where('state', '=', filter.state);
  const soon = new Date(filter.now.getTime() + filter.dueSoonHours * 3_600_000);
  switch (filter.queue) {
    case 'open':
      query = query.where('closed_at', 'is', null);
      break;
    case 'due_soon':
      query = query.where('closed_at', 'is', null).where('step_due_at', '>=', filter.now).where('step_due_at', '<', soon);
      break;
    case 'overdue':
      query = query.where('closed_at', 'is', null).where('step_due_at', '<', filter.now);
      break;
    case 'closed':
      query = query.where('closed_at', 'is not', null);
      break;
    case 'all':
      break;
  }
  const [rows, count] = await Promise.all([
    query
      .selectAll()
      .orderBy(sql`step_due_at IS NULL`)
      .orderBy('step_due_at')
      .orderBy('id', 'desc')
      .limit(page.limit)
      .offset(page.offset)
      .execute(),
    query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

/** Makes an organisation responsible for a matter (the department triage named, or a transfer's target). */
export async function assignOrganisation(db: Executor, matterId: number, organisationId: number): Promise<void> {
  await db.updateTable('matters').set({ assignee_organisation_id: organisationId, updated_at: sql`now()` }).where('id', '=', matterId).execute();
}

/** Records an attachment of a matter. */
export async function insertAttachment(db: Executor, attachment: { matterId: number; sha256: string; contentType: string; size: number; fileName: string; createdBy: number | null }): Promise<number> {
  const row = await db
    .insertInto('matter_attachments')
    .values({ matter_id: attachment.matterId, sha256: attachment.sha256, content_type: attachment.contentType, size: attachment.size, file_name: attachment.fileName, created_by: attachment.createdBy })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** One attachment, if its matter lies in the scope. */
export function findAttachment(db: Executor, scope: { scopePath: string }, id: number) {
  return db
    .selectFrom('matter_attachments as a')
    .innerJoin('matters as m', 'm.id', 'a.matter_id')
    .select(['a.id', 'a.matter_id', 'a.sha256', 'a.content_type', 'a.size', 'a.file_name'])
    .where('a.id', '=', id)
    .where(inScope('m.place_path', scope))
    .executeTakeFirst();
}

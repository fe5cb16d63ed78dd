import { sql } from 'kysely';
import type { Executor } from '../../platform/db/database.ts';
import type { MatterEventKind } from '../../platform/db/schema.ts';
import { inScope } from '../../platform/auth/index.ts';
import type { TimeLimit } from './matter-type.ts';

/** A matter type row with its parsed definition (validated when stored). */
export async function findMatterType(db: Executor, code: string) {
  return db.selectFrom('matter_types').selectAll().where('code', '=', code).executeTakeFirst();
}

/** Every matter type. */
export function findMatterTypes(db: Executor) {
  return db.selectFrom('matter_types').selectAll().execute();
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

/** A new matter's row. */
export interface NewMatterRow {
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
  /** The year awaited before the deadline can be set (see migration 0016), if any. */
  duePendingYear: number | null;
  idempotencyKey: string | null;
  createdBy: number | null;
  /** The organisation it is handed to at once (triage), if any. */
  assigneeOrganisationId?: number | null;
  /** The first step's own time limit when not the type's. */
  firstStepLimit?: TimeLimit | null;
}

/** `count` numbers for new matter references, in one round trip. */
export async function nextReferenceNumbers(db: Executor, count: number): Promise<number[]> {
  const rows = await sql<{ n: number }>`SELECT nextval('matter_reference_seq')::int AS n FROM generate_series(1, ${count}) ORDER BY 1`.execute(db);
  return rows.rows.map((row) => row.n);
}

/** Ids and references of the matters created with these idempotency keys. */
export async function findByIdempotencyKeys(db: Executor, keys: string[]): Promise<Map<string, { id: number; reference: string }>> {
  if (keys.length === 0) return new Map();
  const rows = await db.selectFrom('matters').select(['id', 'reference', 'idempotency_key']).where('idempotency_key', 'in', keys).execute();
  return new Map(rows.map((row) => [row.idempotency_key!, { id: row.id, reference: row.reference }]));
}

/** Inserts matters in one statement and returns their ids in the order given. */
export async function insertMatters(db: Executor, matters: NewMatterRow[]): Promise<number[]> {
  const rows = await db
    .insertInto('matters')
    .values(
      matters.map((matter) => ({
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
        due_pending_year: matter.duePendingYear,
        created_at: matter.stepStartedAt,
        idempotency_key: matter.idempotencyKey,
        created_by: matter.createdBy,
        assignee_organisation_id: matter.assigneeOrganisationId ?? null,
        first_step_limit: matter.firstStepLimit ? JSON.stringify(matter.firstStepLimit) : null,
      })),
    )
    .returning(['id', 'reference'])
    .execute();
  // RETURNING's order is not promised by SQL: match the rows back by their unique reference.
  const ids = new Map(rows.map((row) => [row.reference, row.id]));
  return matters.map((matter) => ids.get(matter.reference)!);
}

/** One matter in scope, locked for the caller's transaction when `forUpdate`. */
export function findMatter(db: Executor, scope: { scopePath: string }, id: number, forUpdate = false) {
  let query = db.selectFrom('matters').selectAll().where('id', '=', id).where(inScope('place_path', scope));
  if (forUpdate) query = query.forUpdate();
  return query.executeTakeFirst();
}

/**
 * One matter the account may read: in its region, or one its organisation assists (协办) wherever
 * it lies, since an assisting unit from another region must see what it was asked to help with.
 */
export function findVisibleMatter(db: Executor, access: { scopePath: string; organisationId: number | null }, id: number, forUpdate = false) {
  const organisationId = access.organisationId;
  let query = db
    .selectFrom('matters')
    .selectAll()
    .where('id', '=', id)
    .where((eb) =>
      organisationId === null
        ? inScope('place_path', access)
        : eb.or([
            inScope('place_path', access),
            eb.exists(eb.selectFrom('matter_co_handlers as h').select('h.matter_id').whereRef('h.matter_id', '=', 'matters.id').where('h.organisation_id', '=', organisationId)),
          ]),
    );
  if (forUpdate) query = query.forUpdate();
  return query.executeTakeFirst();
}

/** Moves a matter to a new step. */
export async function updateStep(
  db: Executor,
  id: number,
  step: { state: string; stepSeq: number; startedAt: Date; dueAt: Date | null; duePendingYear: number | null; round: number; closedAt: Date | null; escalationLevel: number },
): Promise<void> {
  await db
    .updateTable('matters')
    .set({
      state: step.state,
      step_seq: step.stepSeq,
      step_started_at: step.startedAt,
      step_due_at: step.dueAt,
      due_pending_year: step.duePendingYear,
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

/** A timeline entry to append. */
export interface NewMatterEvent {
  matterId: number;
  at: Date;
  actorId: number | null;
  actorName: string;
  kind: MatterEventKind;
  action?: string | null;
  fromState?: string | null;
  toState?: string | null;
  stepSeq: number;
  details?: Record<string, unknown>;
}

/** Appends entries to matters' timelines in one statement. */
export async function insertEvents(db: Executor, events: NewMatterEvent[]): Promise<void> {
  if (events.length === 0) return;
  await db
    .insertInto('matter_events')
    .values(
      events.map((event) => ({
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
      })),
    )
    .execute();
}

/** Appends one entry to a matter's timeline. */
export function insertEvent(db: Executor, event: NewMatterEvent): Promise<void> {
  return insertEvents(db, [event]);
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
  /** Only matters assigned to this person (the "mine" queue). */
  assigneeUserId?: number | undefined;
  /** Only the matters of `assistingIds`. */
  isAssistingOnly?: boolean | undefined;
  /** Matters the account's organisation assists and has not reported on; shown even outside its region. */
  assistingIds: number[];
  now: Date;
  dueSoonHours: number;
}

/** Ids of the matters an organisation assists (协办) and has not reported on yet. */
export async function findPendingAssistMatterIds(db: Executor, organisationId: number): Promise<number[]> {
  const rows = await db.selectFrom('matter_co_handlers').select('matter_id').where('organisation_id', '=', organisationId).where('reported_at', 'is', null).execute();
  return rows.map((r) => r.matter_id);
}

/** A page of matters in scope for a work queue, most urgent first, with the total. */
export async function findQueue(db: Executor, scope: { scopePath: string }, filter: MatterQueueFilter, page: { limit: number; offset: number }) {
  // The assisted matters come as a short list of ids rather than a subquery, so that PostgreSQL can
  // still combine the region's index with the primary key instead of scanning every matter.
  const ids = filter.assistingIds;
  let query = db.selectFrom('matters').where((eb) => {
    const assisted = ids.length > 0 ? eb('id', 'in', ids) : sql<boolean>`false`;
    return filter.isAssistingOnly ? assisted : eb.or([inScope('place_path', scope), assisted]);
  });
  if (filter.assigneeUserId !== undefined) query = query.where('assignee_user_id', '=', filter.assigneeUserId);
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

/** Hands a matter to an organisation and (optionally) one of its people, replacing both (转办). */
export async function transferAssignee(db: Executor, matterId: number, organisationId: number, userId: number | null): Promise<void> {
  await db.updateTable('matters').set({ assignee_organisation_id: organisationId, assignee_user_id: userId, updated_at: sql`now()` }).where('id', '=', matterId).execute();
}

/** Makes a person responsible for a matter (指派). */
export async function assignUser(db: Executor, matterId: number, userId: number): Promise<void> {
  await db.updateTable('matters').set({ assignee_user_id: userId, updated_at: sql`now()` }).where('id', '=', matterId).execute();
}

/** An organisation with what assignment needs to know: whether it is active and the area it covers. */
export function findOrganisationForAssignment(db: Executor, id: number) {
  return db.selectFrom('organisations').select(['id', 'name', 'status', 'scope_path']).where('id', '=', id).executeTakeFirst();
}

/** The display names of people, by id. */
export async function findUserNames(db: Executor, ids: number[]): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('users').select(['id', 'display_name']).where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, r.display_name]));
}

/** Roles whose permissions let a person handle matters. */
const HANDLER_PERMISSIONS = ['*', 'matters:matter:handle'];

/** A person with what assignment needs to know: status, region, organisation, and whether a role lets them handle matters. */
export function findUserForAssignment(db: Executor, id: number) {
  return db
    .selectFrom('users as u')
    .select(['u.id', 'u.display_name', 'u.status', 'u.scope_path', 'u.organisation_id'])
    .select(sql<boolean>`EXISTS (SELECT 1 FROM roles r WHERE r.code = ANY(u.role_codes) AND r.permissions && ${sql.val(HANDLER_PERMISSIONS)}::text[])`.as('can_handle'))
    .where('u.id', '=', id)
    .executeTakeFirst();
}

/** The organisation `id` and every organisation under it (by parent), for "a person of this unit". */
function organisationSubtree(db: Executor, id: number) {
  return db
    .withRecursive('subtree(id)', (qb) =>
      qb
        .selectFrom('organisations')
        .select('id')
        .where('id', '=', id)
        .unionAll((u) => u.selectFrom('organisations as o').innerJoin('subtree as s', 's.id', 'o.parent_id').select('o.id')),
    )
    .selectFrom('subtree')
    .select('subtree.id');
}

/** True when organisation `memberId` is `unitId` or lies under it. */
export async function isOrganisationWithin(db: Executor, memberId: number, unitId: number): Promise<boolean> {
  const rows = await organisationSubtree(db, unitId).execute();
  return rows.some((r) => r.id === memberId);
}

/**
 * Active people who may be assigned a matter at `placePath`: a role that handles matters, a region
 * covering the place, and (when the matter has a lead unit) membership of that unit or one under it.
 */
export async function findAssignableUsers(db: Executor, placePath: string, organisationId: number | null, limit: number) {
  let query = db
    .selectFrom('users as u')
    .leftJoin('organisations as o', 'o.id', 'u.organisation_id')
    .select(['u.id', 'u.display_name', 'u.username', 'u.organisation_id', 'o.name as organisation_name'])
    .where('u.status', '=', 'active')
    .where(sql<boolean>`${placePath}::ltree <@ u.scope_path`)
    .where(sql<boolean>`EXISTS (SELECT 1 FROM roles r WHERE r.code = ANY(u.role_codes) AND r.permissions && ${sql.val(HANDLER_PERMISSIONS)}::text[])`);
  if (organisationId !== null) {
    const units = (await organisationSubtree(db, organisationId).execute()).map((r) => r.id);
    query = query.where('u.organisation_id', 'in', units);
  }
  return query.orderBy('u.display_name').orderBy('u.id').limit(limit).execute();
}

/**
 * Active organisations that may take a matter at `placePath`: those whose area covers the place,
 * and (for assisting, when `alsoWithin` is given) those of that region as well.
 */
export function findAssignableOrganisations(db: Executor, placePath: string, filter: { alsoWithin?: string | undefined; nameContains?: string | undefined; excludeIds: number[]; limit: number }) {
  let query = db
    .selectFrom('organisations as o')
    .select(['o.id', 'o.name', 'o.kind', 'o.scope_path'])
    .where('o.status', '=', 'active')
    .where((eb) =>
      filter.alsoWithin === undefined
        ? sql<boolean>`${placePath}::ltree <@ o.scope_path`
        : eb.or([sql<boolean>`${placePath}::ltree <@ o.scope_path`, inScope('o.scope_path', { scopePath: filter.alsoWithin })]),
    );
  if (filter.excludeIds.length > 0) query = query.where('o.id', 'not in', filter.excludeIds);
  if (filter.nameContains) query = query.where(sql<boolean>`o.name LIKE ${`%${filter.nameContains.replace(/[\\%_]/g, (c) => `\\${c}`)}%`}`);
  // Public bodies before companies and associations, and among them the nearest first: the deeper
  // an organisation's area, the closer it is to the place.
  return query
    .orderBy(sql`CASE WHEN o.kind IN ('community_committee', 'street_office', 'department', 'government') THEN 0 ELSE 1 END`)
    .orderBy(sql`nlevel(o.scope_path)`, 'desc')
    .orderBy('o.name')
    .orderBy('o.id')
    .limit(filter.limit)
    .execute();
}

/** The assisting units of a matter with their names and who asked and answered, in the order they were added. */
export function findCoHandlers(db: Executor, matterId: number) {
  return db
    .selectFrom('matter_co_handlers as h')
    .innerJoin('organisations as o', 'o.id', 'h.organisation_id')
    .leftJoin('users as adder', 'adder.id', 'h.added_by')
    .leftJoin('users as reporter', 'reporter.id', 'h.reported_by')
    .select(['h.organisation_id', 'o.name as organisation_name', 'h.request', 'h.added_at', 'adder.display_name as added_by_name', 'h.reported_at', 'h.report', 'reporter.display_name as reported_by_name'])
    .where('h.matter_id', '=', matterId)
    .orderBy('h.added_at')
    .orderBy('h.organisation_id')
    .execute();
}

/** One assisting unit of a matter (callers hold the matter's row lock, which serialises changes to its units). */
export function findCoHandler(db: Executor, matterId: number, organisationId: number) {
  return db
    .selectFrom('matter_co_handlers as h')
    .innerJoin('organisations as o', 'o.id', 'h.organisation_id')
    .select(['h.organisation_id', 'o.name as organisation_name', 'h.reported_at'])
    .where('h.matter_id', '=', matterId)
    .where('h.organisation_id', '=', organisationId)
    .executeTakeFirst();
}

/** Enlists an assisting unit. */
export async function insertCoHandler(db: Executor, row: { matterId: number; organisationId: number; request: string; addedAt: Date; addedBy: number | null }): Promise<void> {
  await db
    .insertInto('matter_co_handlers')
    .values({ matter_id: row.matterId, organisation_id: row.organisationId, request: row.request, added_at: row.addedAt, added_by: row.addedBy })
    .execute();
}

/** Records an assisting unit's report (协办反馈). */
export async function markCoHandlerReported(db: Executor, matterId: number, organisationId: number, report: { at: Date; by: number | null; text: string }): Promise<void> {
  await db
    .updateTable('matter_co_handlers')
    .set({ reported_at: report.at, reported_by: report.by, report: report.text })
    .where('matter_id', '=', matterId)
    .where('organisation_id', '=', organisationId)
    .execute();
}

/** Releases an assisting unit; the timeline keeps that it was asked. */
export async function deleteCoHandler(db: Executor, matterId: number, organisationId: number): Promise<void> {
  await db.deleteFrom('matter_co_handlers').where('matter_id', '=', matterId).where('organisation_id', '=', organisationId).execute();
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

/** The earliest year that open steps are waiting for before their deadlines can be set, if any. */
export async function findEarliestPendingYear(db: Executor): Promise<number | undefined> {
  const row = await db.selectFrom('matters').select((eb) => eb.fn.min('due_pending_year').as('year')).where('due_pending_year', 'is not', null).executeTakeFirst();
  return row?.year ?? undefined;
}

/** Open steps waiting for one of `years`, locked (skipping those another process holds). */
export function findStepsAwaitingDeadline(db: Executor, years: number[], limit: number) {
  return db
    .selectFrom('matters')
    .select(['id', 'type_code', 'state', 'step_seq', 'step_started_at', 'due_pending_year', 'first_step_limit'])
    .where('due_pending_year', 'in', years)
    .orderBy('id')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute();
}

/** Sets the deadline of a step that was waiting for its year's holidays. */
export async function setStepDeadline(db: Executor, id: number, dueAt: Date): Promise<void> {
  await db.updateTable('matters').set({ step_due_at: dueAt, due_pending_year: null, updated_at: sql`now()` }).where('id', '=', id).execute();
}

/** Moves a waiting step on to wait for a later missing year (or none). */
export async function setStepPendingYear(db: Executor, id: number, year: number | null): Promise<void> {
  await db.updateTable('matters').set({ due_pending_year: year, updated_at: sql`now()` }).where('id', '=', id).execute();
}

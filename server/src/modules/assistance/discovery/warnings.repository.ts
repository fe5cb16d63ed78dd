import { sql } from 'kysely';
import { inScope } from '../../../platform/auth/index.ts';
import type { Executor } from '../../../platform/db/database.ts';
import type { WarningKind, WarningOutcome } from '../../../platform/db/schema.ts';

/** The partial unique index that keeps one open warning per person and kind. */
export const ONE_OPEN_WARNING_CONSTRAINT = 'assistance_warnings_one_open';

/**
 * The community organisation (社区居委会) whose area covers a place: the deepest active one, so a
 * warning placed in a grid goes to the community above it. Organisations mirror the place tree.
 */
export function findCommunityOrganisation(db: Executor, placePath: string) {
  return db
    .selectFrom('organisations')
    .select(['id', 'name', 'scope_path'])
    .where('kind', '=', 'community_committee')
    .where('status', '=', 'active')
    .where(sql<boolean>`${placePath}::ltree <@ scope_path::ltree`)
    .orderBy(sql`nlevel(scope_path::ltree)`, 'desc')
    .orderBy('id')
    .limit(1)
    .executeTakeFirst();
}

/**
 * The social-assistance adviser of an organisation: its first active member whose role grants the
 * handling of warnings by name (administrators, who hold everything through `*`, are not advisers).
 */
export async function findAdviser(db: Executor, organisationId: number): Promise<number | undefined> {
  const row = await db
    .selectFrom('users as u')
    .select('u.id')
    .where('u.organisation_id', '=', organisationId)
    .where('u.status', '=', 'active')
    .where(sql<boolean>`EXISTS (SELECT 1 FROM roles r WHERE r.code = ANY(u.role_codes) AND 'assistance:warning:handle' = ANY(r.permissions))`)
    .orderBy('u.id')
    .limit(1)
    .executeTakeFirst();
  return row?.id;
}

/** A warning as written when it is raised. */
export interface NewWarning {
  kind: WarningKind;
  matterId: number;
  idNumberIndex: Uint8Array;
  idNumberEnc: Uint8Array;
  idNumberMasked: string;
  name: string;
  residentId: number | null;
  householdId: number | null;
  placeId: number;
  placePath: string;
  organisationId: number | null;
  sourceListingId?: number | null;
  sourceRunId?: number | null;
  sourceMonitoringEntryId?: number | null;
  raisedBy: number | null;
  evidence: Record<string, unknown>;
  needs: string[];
  note: string;
}

/** Inserts a warning for the matter just opened; returns its id. */
export async function insertWarning(db: Executor, warning: NewWarning): Promise<number> {
  const row = await db
    .insertInto('assistance_warnings')
    .values({
      kind: warning.kind,
      matter_id: warning.matterId,
      id_number_index: warning.idNumberIndex,
      id_number_enc: warning.idNumberEnc,
      id_number_masked: warning.idNumberMasked,
      name: warning.name,
      resident_id: warning.residentId,
      household_id: warning.householdId,
      place_id: warning.placeId,
      place_path: warning.placePath,
      organisation_id: warning.organisationId,
      source_listing_id: warning.sourceListingId ?? null,
      source_run_id: warning.sourceRunId ?? null,
      source_monitoring_entry_id: warning.sourceMonitoringEntryId ?? null,
      raised_by: warning.raisedBy,
      evidence: JSON.stringify(warning.evidence),
      needs: sql<string[]>`${sql.val(warning.needs)}::text[]`,
      note: warning.note,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/**
 * The undecided warning of a kind for a person, if any, with its matter's state: the matter may
 * have been closed through the generic matters API without the warning's decision being recorded.
 */
export function findUndecidedWarning(db: Executor, kind: WarningKind, idNumberIndex: Uint8Array) {
  return db
    .selectFrom('assistance_warnings as w')
    .innerJoin('matters as m', 'm.id', 'w.matter_id')
    .select(['w.id', 'w.matter_id', 'm.state', 'm.closed_at'])
    .where('w.kind', '=', kind)
    .where('w.id_number_index', '=', idNumberIndex)
    .where('w.outcome', 'is', null)
    .executeTakeFirst();
}

/** The latest warning raised from each of these watch-list entries, open while its matter is. */
export async function findLatestWarningPerListing(db: Executor, listingIds: number[]) {
  if (listingIds.length === 0) return new Map<number, { id: number; isOpen: boolean; sourceLapsedAt: Date | null }>();
  const rows = await db
    .selectFrom('assistance_warnings as w')
    .innerJoin('matters as m', 'm.id', 'w.matter_id')
    .select(['w.id', 'w.source_listing_id', 'm.closed_at', 'w.source_lapsed_at'])
    .distinctOn('w.source_listing_id')
    .where('w.source_listing_id', 'in', listingIds)
    .orderBy('w.source_listing_id')
    .orderBy('w.id', 'desc')
    .execute();
  return new Map(rows.map((row) => [row.source_listing_id!, { id: row.id, isOpen: row.closed_at === null, sourceLapsedAt: row.source_lapsed_at }]));
}

/** The open warning of a kind for a person, if any. */
export function findOpenWarning(db: Executor, kind: WarningKind, idNumberIndex: Uint8Array) {
  return db.selectFrom('assistance_warnings').select(['id', 'matter_id']).where('kind', '=', kind).where('id_number_index', '=', idNumberIndex).where('outcome', 'is', null).executeTakeFirst();
}

/** Notes that the comparison no longer lists these entries: a later listing starts a new episode. */
export async function markListingsLapsed(db: Executor, listingIds: number[]): Promise<number> {
  if (listingIds.length === 0) return 0;
  const result = await db
    .updateTable('assistance_warnings')
    .set({ source_lapsed_at: sql`now()`, updated_at: sql`now()` })
    .where('source_listing_id', 'in', listingIds)
    .where('source_lapsed_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Which of these monitoring entries have raised a warning already. */
export async function findEntriesWithWarning(db: Executor, entryIds: number[]): Promise<Set<number>> {
  if (entryIds.length === 0) return new Set();
  const rows = await db.selectFrom('assistance_warnings').select('source_monitoring_entry_id').where('source_monitoring_entry_id', 'in', entryIds).execute();
  return new Set(rows.map((row) => row.source_monitoring_entry_id!));
}

/** Which of these residents have a warning of this kind already (open or closed). */
export async function findResidentsWithWarning(db: Executor, kind: WarningKind, residentIds: number[]): Promise<Set<number>> {
  if (residentIds.length === 0) return new Set();
  const rows = await db.selectFrom('assistance_warnings').select('resident_id').where('kind', '=', kind).where('resident_id', 'in', residentIds).execute();
  return new Set(rows.map((row) => row.resident_id!));
}

/** Filters of the warnings queue. */
export interface WarningFilter {
  kind?: WarningKind | undefined;
  /** `open`, `closed`, `all`, or a state of the 预警核查 type. */
  state?: string | undefined;
  placePath?: string | undefined;
  namePrefix?: string | undefined;
  idNumberIndex?: Uint8Array | undefined;
  /** Warnings whose matter is assigned to this person. */
  assigneeUserId?: number | undefined;
}

function warningsQuery(db: Executor, scope: { scopePath: string }, filter: WarningFilter) {
  let query = db
    .selectFrom('assistance_warnings as w')
    .innerJoin('matters as m', 'm.id', 'w.matter_id')
    .innerJoin('places as p', 'p.id', 'w.place_id')
    .leftJoin('organisations as o', 'o.id', 'w.organisation_id')
    .leftJoin('users as u', 'u.id', 'm.assignee_user_id')
    .where(inScope('w.place_path', scope));
  if (filter.kind) query = query.where('w.kind', '=', filter.kind);
  if (filter.state === 'open') query = query.where('m.closed_at', 'is', null);
  else if (filter.state === 'closed') query = query.where('m.closed_at', 'is not', null);
  else if (filter.state && filter.state !== 'all') query = query.where('m.state', '=', filter.state);
  if (filter.placePath) query = query.where(sql<boolean>`w.place_path <@ ${filter.placePath}::ltree`);
  if (filter.namePrefix) query = query.where('w.name', 'like', `${filter.namePrefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  if (filter.idNumberIndex) query = query.where('w.id_number_index', '=', filter.idNumberIndex);
  if (filter.assigneeUserId !== undefined) query = query.where('m.assignee_user_id', '=', filter.assigneeUserId);
  return query;
}

const SUMMARY_COLUMNS = [
  'w.id',
  'w.kind',
  'w.matter_id',
  'm.reference',
  'm.state',
  'm.step_due_at',
  'm.closed_at',
  'm.escalation_level',
  'w.name',
  'w.id_number_masked',
  'w.resident_id',
  'w.household_id',
  'w.place_id',
  'p.name as place_name',
  'w.organisation_id',
  'o.name as organisation_name',
  'u.display_name as assignee_name',
  'w.needs',
  'w.outcome',
  'w.created_at',
  'w.updated_at',
] as const;

/** A page of warnings within the scope: open ones by due date first, then the newest. */
export async function listWarnings(db: Executor, scope: { scopePath: string }, filter: WarningFilter, page: { limit: number; offset: number }) {
  const query = warningsQuery(db, scope, filter);
  const [rows, count] = await Promise.all([
    query.select(SUMMARY_COLUMNS).orderBy(sql`m.closed_at IS NOT NULL`).orderBy('m.step_due_at').orderBy('w.id', 'desc').limit(page.limit).offset(page.offset).execute(),
    query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

/** Open warnings per kind within the scope, for the queue's tabs. */
export async function countOpenByKind(db: Executor, scope: { scopePath: string }) {
  const rows = await db
    .selectFrom('assistance_warnings as w')
    .innerJoin('matters as m', 'm.id', 'w.matter_id')
    .select(['w.kind', sql<number>`count(*)`.as('n')])
    .where(inScope('w.place_path', scope))
    .where('m.closed_at', 'is', null)
    .groupBy('w.kind')
    .execute();
  return rows.map((row) => ({ kind: row.kind, open: Number(row.n) }));
}

/** One warning in scope with its evidence and matter; locked with `forUpdate`. */
export async function findWarning(db: Executor, scope: { scopePath: string }, id: number, forUpdate = false) {
  let query = warningsQuery(db, scope, {})
    .select([...SUMMARY_COLUMNS, 'w.place_path', 'w.evidence', 'w.note', 'w.outcome_reason', 'w.decided_at', 'w.source_listing_id', 'w.source_run_id', 'w.source_monitoring_entry_id', 'w.id_number_index', 'w.id_number_enc'])
    .where('w.id', '=', id);
  if (forUpdate) query = query.forUpdate('w');
  return query.executeTakeFirst();
}

/** Records the decision that closed a warning's matter. */
export async function setOutcome(db: Executor, id: number, decision: { outcome: WarningOutcome; reason: string; by: number | null }): Promise<void> {
  await db
    .updateTable('assistance_warnings')
    .set({ outcome: decision.outcome, outcome_reason: decision.reason, decided_by: decision.by, decided_at: sql`now()`, updated_at: sql`now()` })
    .where('id', '=', id)
    .execute();
}

/** Replaces the needs a warning records. */
export async function setNeeds(db: Executor, id: number, needs: string[]): Promise<void> {
  await db
    .updateTable('assistance_warnings')
    .set({ needs: sql<string[]>`${sql.val(needs)}::text[]`, updated_at: sql`now()` })
    .where('id', '=', id)
    .execute();
}

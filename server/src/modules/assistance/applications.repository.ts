import { sql, type Insertable, type Updateable } from 'kysely';
import type { Executor } from '../../platform/db/database.ts';
import type { AssistanceApplicationItemsTable, AssistanceApplicationsTable } from '../../platform/db/schema.ts';
import { inScope } from '../../platform/auth/index.ts';

/** A new application's id and reference number (`SA` + date + sequence), taken before the insert. */
export async function nextApplicationId(db: Executor): Promise<number> {
  const row = await sql<{ id: string }>`SELECT nextval(pg_get_serial_sequence('assistance_applications', 'id')) AS id`.execute(db);
  return Number(row.rows[0]!.id);
}

export async function insertApplication(db: Executor, row: Insertable<AssistanceApplicationsTable> & { id: number }): Promise<void> {
  await db.insertInto('assistance_applications').values(row).execute();
}

export async function updateApplication(db: Executor, id: number, changes: Updateable<AssistanceApplicationsTable>): Promise<void> {
  await db.updateTable('assistance_applications').set({ ...changes, updated_at: sql`now()` }).where('id', '=', id).execute();
}

/** Who may see an application: its author (a resident sees only theirs), and staff whose region holds its place. */
export type ApplicationAccess = { createdBy: number } | { scopePath: string; userId: number };

function applications(db: Executor, access: ApplicationAccess) {
  const query = db.selectFrom('assistance_applications as a');
  if ('scopePath' in access) {
    // A draft without a place yet is only its author's.
    return query.where((eb) => eb.or([eb('a.created_by', '=', access.userId), eb.and([eb('a.place_path', 'is not', null), inScope('a.place_path', access)])]));
  }
  return query.where('a.created_by', '=', access.createdBy);
}

export type ApplicationRow = Awaited<ReturnType<typeof findApplication>> & {};

/** One application as its author or staff of its region may see it, optionally locked for an update. */
export function findApplication(db: Executor, access: ApplicationAccess, id: number, forUpdate = false) {
  let query = applications(db, access)
    .leftJoin('places as p', 'p.id', 'a.place_id')
    .leftJoin('matters as m', 'm.id', 'a.bundle_matter_id')
    .selectAll('a')
    .select(['p.name as place_name', 'p.code as place_code', 'm.reference as bundle_reference', 'm.state as bundle_state', 'm.step_due_at as bundle_due_at', 'm.due_pending_year as bundle_due_pending_year'])
    .where('a.id', '=', id);
  if (forUpdate) query = query.forUpdate('a');
  return query.executeTakeFirst();
}

/** Filters of an application list. */
export interface ApplicationFilter {
  status?: 'draft' | 'submitted' | 'withdrawn' | undefined;
  /** Words in the reference or the applicant's name. */
  text?: string | undefined;
  /** The blind index of the applicant's ID number (an exact search). */
  applicantIndex?: Uint8Array | undefined;
  /** The matter of the bundle or of one of its items: the generic matter page links to its application. */
  matterId?: number | undefined;
}

/** A page of applications, newest first, with the bundle's state. */
export async function listApplications(db: Executor, access: ApplicationAccess, filter: ApplicationFilter, page: { limit: number; offset: number }) {
  let query = applications(db, access).leftJoin('matters as m', 'm.id', 'a.bundle_matter_id').leftJoin('places as p', 'p.id', 'a.place_id');
  if (filter.status) query = query.where('a.status', '=', filter.status);
  if (filter.applicantIndex) query = query.where('a.applicant_id_number_index', '=', filter.applicantIndex);
  const { matterId } = filter;
  if (matterId !== undefined) {
    query = query.where((eb) =>
      eb.or([
        eb('a.bundle_matter_id', '=', matterId),
        eb.exists(eb.selectFrom('assistance_application_items as mi').select('mi.id').whereRef('mi.application_id', '=', 'a.id').where('mi.matter_id', '=', matterId)),
      ]),
    );
  }
  if (filter.text) {
    const pattern = `%${filter.text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query = query.where((eb) => eb.or([eb('a.reference', 'like', pattern), eb('a.applicant_name', 'like', pattern)]));
  }
  const [rows, count] = await Promise.all([
    query
      .select([
        'a.id',
        'a.reference',
        'a.status',
        'a.channel',
        'a.applicant_name',
        'a.applicant_id_number_masked',
        'a.missing',
        'a.created_at',
        'a.updated_at',
        'a.submitted_at',
        'p.name as place_name',
        'm.reference as bundle_reference',
        'm.state as bundle_state',
        'm.step_due_at as bundle_due_at',
      ])
      .select(
        sql<Record<string, number> | null>`(SELECT jsonb_object_agg(s.state, s.n) FROM (
            SELECT im.state, count(*) AS n FROM assistance_application_items i JOIN matters im ON im.id = i.matter_id
             WHERE i.application_id = a.id GROUP BY im.state) s)`.as('item_states'),
      )
      .orderBy('a.id', 'desc')
      .limit(page.limit)
      .offset(page.offset)
      .execute(),
    query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

export async function insertItems(db: Executor, items: Insertable<AssistanceApplicationItemsTable>[]): Promise<number[]> {
  if (items.length === 0) return [];
  const rows = await db.insertInto('assistance_application_items').values(items).returning(['id', 'policy_id']).execute();
  const byPolicy = new Map(rows.map((row) => [Number(row.policy_id), Number(row.id)]));
  return items.map((item) => byPolicy.get(item.policy_id)!);
}

/** The items of an application with their matters' states and deadlines, in department then policy order. */
export function findItems(db: Executor, applicationId: number) {
  return db
    .selectFrom('assistance_application_items as i')
    .innerJoin('matters as m', 'm.id', 'i.matter_id')
    .innerJoin('assistance_policies as p', 'p.id', 'i.policy_id')
    .innerJoin('assistance_departments as d', 'd.code', 'i.department_code')
    .leftJoin('organisations as o', 'o.id', 'm.assignee_organisation_id')
    .selectAll('i')
    .select([
      'p.name_zh as policy_name_zh',
      'p.name_en as policy_name_en',
      'p.materials as policy_materials',
      'd.name_zh as department_name_zh',
      'd.name_en as department_name_en',
      'm.reference as matter_reference',
      'm.state as matter_state',
      'm.step_due_at as matter_due_at',
      'm.due_pending_year as matter_due_pending_year',
      'm.closed_at as matter_closed_at',
      'o.name as organisation_name',
    ])
    .where('i.application_id', '=', applicationId)
    .orderBy('d.sort')
    .orderBy('i.policy_code')
    .execute();
}

export type ItemRow = Awaited<ReturnType<typeof findItems>>[number];

/** An item with its application, locked for a decision. */
export function findItemForUpdate(db: Executor, itemId: number) {
  return db.selectFrom('assistance_application_items').selectAll().where('id', '=', itemId).forUpdate().executeTakeFirst();
}

export async function setItemDecision(db: Executor, itemId: number, decision: { decision: 'granted' | 'refused' | 'withdrawn'; reason: string | null; at: Date; by: number | null; amountFen?: number | null }): Promise<void> {
  await db
    .updateTable('assistance_application_items')
    .set({
      decision: decision.decision,
      decision_reason: decision.reason,
      decided_at: decision.at,
      decided_by: decision.by,
      ...(decision.amountFen !== undefined ? { amount_fen: decision.amountFen } : {}),
    })
    .where('id', '=', itemId)
    .execute();
}

/** Items of an application not yet decided. */
export async function countUndecidedItems(db: Executor, applicationId: number): Promise<number> {
  const row = await db.selectFrom('assistance_application_items').select((eb) => eb.fn.countAll<number>().as('n')).where('application_id', '=', applicationId).where('decision', 'is', null).executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * The office that handles a department's items for a place: the active department organisation
 * whose name ends with the catalogue's `organisation_name` (沙坪坝区民政局 for 民政局) and whose
 * area covers the place, the closest one first.
 */
export async function findDepartmentOrganisations(db: Executor, placePath: string, organisationNames: readonly string[]): Promise<Map<string, number>> {
  if (organisationNames.length === 0) return new Map();
  const rows = await db
    .selectFrom('organisations')
    .select(['id', 'name', sql<number>`nlevel(scope_path)`.as('depth')])
    .where('kind', '=', 'department')
    .where('status', '=', 'active')
    .where(sql<boolean>`scope_path @> ${placePath}::ltree`)
    .where((eb) => eb.or(organisationNames.map((name) => eb(sql`right(name, ${name.length})`, '=', name))))
    .orderBy('depth', 'desc')
    .orderBy('id')
    .execute();
  const found = new Map<string, number>();
  for (const name of organisationNames) {
    const match = rows.find((row) => row.name.endsWith(name));
    if (match) found.set(name, Number(match.id));
  }
  return found;
}

/** The community committee (居委会/村委会) whose area holds the place: where a bundle is followed. */
export async function findCommunityOrganisation(db: Executor, placePath: string): Promise<number | null> {
  const row = await db
    .selectFrom('organisations')
    .select('id')
    .where('kind', '=', 'community_committee')
    .where('status', '=', 'active')
    .where(sql<boolean>`scope_path @> ${placePath}::ltree`)
    .orderBy(sql`nlevel(scope_path)`, 'desc')
    .orderBy('id')
    .executeTakeFirst();
  return row ? Number(row.id) : null;
}

/** The catalogue's department rows by code. */
export async function findDepartments(db: Executor, codes: readonly string[]) {
  if (codes.length === 0) return [];
  return db.selectFrom('assistance_departments').selectAll().where('code', 'in', [...codes]).execute();
}

import { sql } from 'kysely';
import type { Executor } from '../../platform/db/database.ts';

/**
 * SQL of the assistance catalogue. The catalogue is city-wide reference data (every district
 * offers the same policies), so no query here is narrowed to a region: what varies by region are
 * the parameter values, looked up by area code.
 */

/** A policy as stored, with the names of its department and category and its service lists. */
export interface PolicyRow {
  id: number;
  code: string;
  name_zh: string;
  name_en: string;
  department_code: string;
  department_name_zh: string;
  department_name_en: string;
  category_code: string;
  category_name_zh: string;
  category_name_en: string;
  summary: string;
  eligibility: unknown;
  benefit_formula: string | null;
  benefit_period: 'monthly' | 'yearly' | 'once' | 'none';
  materials: string[];
  time_limit_days: number;
  is_review_free: boolean;
  legal_basis: string;
  status: 'draft' | 'active' | 'retired';
  version: number;
  updated_at: Date;
  service_list_codes: string[];
}

/** Filters of the policy list. */
export interface PolicyFilter {
  /** Words looked for in the code, both names and the summary. */
  text?: string | undefined;
  departmentCode?: string | undefined;
  categoryCode?: string | undefined;
  serviceListCode?: string | undefined;
  status?: 'draft' | 'active' | 'retired' | undefined;
  isReviewFree?: boolean | undefined;
}

function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}

function policies(db: Executor) {
  return db
    .selectFrom('assistance_policies as p')
    .innerJoin('assistance_departments as d', 'd.code', 'p.department_code')
    .innerJoin('assistance_categories as c', 'c.code', 'p.category_code');
}

function filtered(db: Executor, filter: PolicyFilter) {
  let query = policies(db);
  if (filter.text) {
    const pattern = `%${escapeLike(filter.text)}%`;
    query = query.where((eb) => eb.or([eb('p.code', 'ilike', pattern), eb('p.name_zh', 'ilike', pattern), eb('p.name_en', 'ilike', pattern), eb('p.summary', 'ilike', pattern)]));
  }
  if (filter.departmentCode) query = query.where('p.department_code', '=', filter.departmentCode);
  if (filter.categoryCode) query = query.where('p.category_code', '=', filter.categoryCode);
  if (filter.status) query = query.where('p.status', '=', filter.status);
  if (filter.isReviewFree !== undefined) query = query.where('p.is_review_free', '=', filter.isReviewFree);
  if (filter.serviceListCode) {
    const code = filter.serviceListCode;
    query = query.where((eb) =>
      eb.exists(eb.selectFrom('assistance_service_list_policies as l').select('l.policy_id').whereRef('l.policy_id', '=', 'p.id').where('l.service_list_code', '=', code)),
    );
  }
  return query;
}

const POLICY_COLUMNS = [
  'p.id',
  'p.code',
  'p.name_zh',
  'p.name_en',
  'p.department_code',
  'd.name_zh as department_name_zh',
  'd.name_en as department_name_en',
  'p.category_code',
  'c.name_zh as category_name_zh',
  'c.name_en as category_name_en',
  'p.summary',
  'p.eligibility',
  'p.benefit_formula',
  'p.benefit_period',
  'p.materials',
  'p.time_limit_days',
  'p.is_review_free',
  'p.legal_basis',
  'p.status',
  'p.version',
  'p.updated_at',
] as const;

const SERVICE_LIST_CODES = sql<string[]>`ARRAY(SELECT l.service_list_code FROM assistance_service_list_policies l JOIN assistance_service_lists s ON s.code = l.service_list_code WHERE l.policy_id = p.id ORDER BY s.sort, s.code)`;

/** A page of policies in catalogue order (department, then as shipped or created), with the total. */
export async function searchPolicies(db: Executor, filter: PolicyFilter, page: { limit: number; offset: number }): Promise<{ rows: PolicyRow[]; total: number }> {
  const [rows, count] = await Promise.all([
    filtered(db, filter)
      .select([...POLICY_COLUMNS, SERVICE_LIST_CODES.as('service_list_codes')])
      .orderBy('d.sort')
      .orderBy('p.id')
      .limit(page.limit)
      .offset(page.offset)
      .execute(),
    filtered(db, filter).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows: rows as PolicyRow[], total: Number(count.n) };
}

/** One policy by id. */
export async function findPolicy(db: Executor, id: number): Promise<PolicyRow | undefined> {
  const row = await policies(db).select([...POLICY_COLUMNS, SERVICE_LIST_CODES.as('service_list_codes')]).where('p.id', '=', id).executeTakeFirst();
  return row as PolicyRow | undefined;
}

/** The id of the policy with this code, if any. */
export async function findPolicyIdByCode(db: Executor, code: string): Promise<number | undefined> {
  const row = await db.selectFrom('assistance_policies').select('id').where('code', '=', code).executeTakeFirst();
  return row?.id;
}

/** Every policy of any status, in catalogue order: what evaluation compiles (drafts are tested by code). */
export async function listPoliciesForEvaluation(db: Executor): Promise<PolicyRow[]> {
  const rows = await policies(db).select([...POLICY_COLUMNS, SERVICE_LIST_CODES.as('service_list_codes')]).orderBy('d.sort').orderBy('p.id').execute();
  return rows as PolicyRow[];
}

/** The fields a policy is written with. */
export interface PolicyWrite {
  code: string;
  name_zh: string;
  name_en: string;
  department_code: string;
  category_code: string;
  summary: string;
  eligibility: string;
  benefit_formula: string | null;
  benefit_period: 'monthly' | 'yearly' | 'once' | 'none';
  materials: string;
  time_limit_days: number;
  is_review_free: boolean;
  legal_basis: string;
  status: 'draft' | 'active' | 'retired';
  updated_by: number | null;
}

/** Inserts a policy at version 1 and returns its id. */
export async function insertPolicy(db: Executor, policy: PolicyWrite): Promise<number> {
  const row = await db.insertInto('assistance_policies').values({ ...policy, version: 1 }).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

/**
 * Rewrites a policy and raises its version, only if it is still at `expectedVersion`: two staff
 * editing the same policy cannot overwrite each other's rule unseen. Returns the new version, or
 * null when the policy was changed (or removed) meanwhile.
 */
export async function updatePolicy(db: Executor, id: number, expectedVersion: number, policy: PolicyWrite): Promise<number | null> {
  const row = await db
    .updateTable('assistance_policies')
    .set({ ...policy, version: expectedVersion + 1, updated_at: sql`now()` })
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
    .returning('version')
    .executeTakeFirst();
  return row?.version ?? null;
}

/** Makes the policy belong to exactly these service lists. */
export async function replaceServiceLists(db: Executor, policyId: number, codes: string[]): Promise<void> {
  await db.deleteFrom('assistance_service_list_policies').where('policy_id', '=', policyId).execute();
  if (codes.length > 0) await db.insertInto('assistance_service_list_policies').values(codes.map((code) => ({ service_list_code: code, policy_id: policyId }))).execute();
}

/** Keeps a saved version of a policy. */
export async function insertRevision(db: Executor, revision: { policyId: number; version: number; snapshot: Record<string, unknown>; changedBy: number | null }): Promise<void> {
  await db
    .insertInto('assistance_policy_revisions')
    .values({ policy_id: revision.policyId, version: revision.version, snapshot: JSON.stringify(revision.snapshot), changed_by: revision.changedBy })
    .execute();
}

/** The versions of a policy, newest first, with who saved each (null for shipped data). */
export function listRevisions(db: Executor, policyId: number) {
  return db
    .selectFrom('assistance_policy_revisions as r')
    .leftJoin('users as u', 'u.id', 'r.changed_by')
    .select(['r.version', 'r.changed_at', 'u.display_name as changed_by_name'])
    .where('r.policy_id', '=', policyId)
    .orderBy('r.version', 'desc')
    .execute();
}

/** One saved version's snapshot. */
export async function findRevision(db: Executor, policyId: number, version: number): Promise<Record<string, unknown> | undefined> {
  const row = await db.selectFrom('assistance_policy_revisions').select('snapshot').where('policy_id', '=', policyId).where('version', '=', version).executeTakeFirst();
  return row?.snapshot;
}

/** The catalogue's departments in their order. */
export function listDepartments(db: Executor) {
  return db.selectFrom('assistance_departments').select(['code', 'name_zh', 'name_en', 'organisation_name']).orderBy('sort').orderBy('code').execute();
}

/** The catalogue's categories in their order (inactive ones too: old policies still carry them). */
export function listCategories(db: Executor) {
  return db.selectFrom('assistance_categories').select(['code', 'name_zh', 'name_en', 'is_active']).orderBy('sort').orderBy('code').execute();
}

/** A service list with how many policies and departments it gathers (active policies only). */
export interface ServiceListRow {
  code: string;
  name_zh: string;
  name_en: string;
  description: string;
  is_active: boolean;
  policy_count: number;
  department_count: number;
}

function serviceLists(db: Executor, text: string | undefined) {
  let query = db.selectFrom('assistance_service_lists as s');
  if (text) {
    const pattern = `%${escapeLike(text)}%`;
    query = query.where((eb) => eb.or([eb('s.code', 'ilike', pattern), eb('s.name_zh', 'ilike', pattern), eb('s.name_en', 'ilike', pattern), eb('s.description', 'ilike', pattern)]));
  }
  return query;
}

const LIST_COUNTS = {
  policies: sql<number>`(SELECT count(*)::int FROM assistance_service_list_policies l JOIN assistance_policies p ON p.id = l.policy_id WHERE l.service_list_code = s.code AND p.status = 'active')`,
  departments: sql<number>`(SELECT count(DISTINCT p.department_code)::int FROM assistance_service_list_policies l JOIN assistance_policies p ON p.id = l.policy_id WHERE l.service_list_code = s.code AND p.status = 'active')`,
};

/** A page of service lists in their order, with the total. */
export async function searchServiceLists(db: Executor, text: string | undefined, page: { limit: number; offset: number }): Promise<{ rows: ServiceListRow[]; total: number }> {
  const [rows, count] = await Promise.all([
    serviceLists(db, text)
      .select(['s.code', 's.name_zh', 's.name_en', 's.description', 's.is_active', LIST_COUNTS.policies.as('policy_count'), LIST_COUNTS.departments.as('department_count')])
      .orderBy('s.sort')
      .orderBy('s.code')
      .limit(page.limit)
      .offset(page.offset)
      .execute(),
    serviceLists(db, text).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows: rows.map((row) => ({ ...row, policy_count: Number(row.policy_count), department_count: Number(row.department_count) })), total: Number(count.n) };
}

/** One service list by code. */
export async function findServiceList(db: Executor, code: string): Promise<ServiceListRow | undefined> {
  const row = await db
    .selectFrom('assistance_service_lists as s')
    .select(['s.code', 's.name_zh', 's.name_en', 's.description', 's.is_active', LIST_COUNTS.policies.as('policy_count'), LIST_COUNTS.departments.as('department_count')])
    .where('s.code', '=', code)
    .executeTakeFirst();
  return row ? { ...row, policy_count: Number(row.policy_count), department_count: Number(row.department_count) } : undefined;
}

/** Which of these service list codes exist. */
export async function findServiceListCodes(db: Executor, codes: string[]): Promise<Set<string>> {
  if (codes.length === 0) return new Set();
  const rows = await db.selectFrom('assistance_service_lists').select('code').where('code', 'in', codes).execute();
  return new Set(rows.map((row) => row.code));
}

/** The local standards rules may read, by key. */
export function listParameterDefinitions(db: Executor) {
  return db.selectFrom('assistance_parameters').select(['key', 'value_type', 'unit', 'name_zh', 'name_en']).orderBy('key').execute();
}

/** Every value of every standard, in every area and year, for the caller to pick from. */
export function listParameterValues(db: Executor) {
  return db.selectFrom('assistance_parameter_values').select(['key', 'area_code', 'year', 'value']).execute();
}

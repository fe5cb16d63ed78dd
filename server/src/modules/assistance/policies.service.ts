import { appendAudit, canonicalJson } from '../../platform/audit/index.ts';
import { auditActorOf, requirePermission, type Principal } from '../../platform/auth/index.ts';
import type { Db } from '../../platform/db/database.ts';
import { isUniqueViolation } from '../../platform/db/errors.ts';
import { AppError } from '../../platform/errors.ts';
import type { AppServices } from '../../platform/http/context.ts';
import { searchOrganisations } from '../organisations/index.ts';
import { compiledCatalogue, rulesOf } from './catalogue.ts';
import * as repo from './policies.repository.ts';
import { compileRules, type BenefitPeriod, type PolicyRules, type RuleGroup, type RuleProblem } from './rules.ts';

/** A policy's life: drafts are tested, active ones offered and evaluated, retired ones kept for history. */
export type PolicyStatus = 'draft' | 'active' | 'retired';

/** A code with names in both languages. */
export interface Named {
  code: string;
  nameZh: string;
  nameEn: string;
}

/** A policy as lists show it. */
export interface PolicySummary {
  id: number;
  code: string;
  nameZh: string;
  nameEn: string;
  department: Named;
  category: Named;
  summary: string;
  benefitPeriod: BenefitPeriod;
  timeLimitDays: number;
  isReviewFree: boolean;
  status: PolicyStatus;
  version: number;
  serviceListCodes: string[];
}

/** A policy in full: its rule, formula, materials, the offices that handle it, its versions. */
export interface PolicyDetail extends PolicySummary {
  eligibility: RuleGroup;
  benefitFormula: string | null;
  materials: string[];
  legalBasis: string;
  updatedAt: string;
  /** Problems of a stored rule that no longer checks (e.g. a parameter it reads was removed). */
  ruleProblems: RuleProblem[];
  /** The departments in the reader's region that handle this policy (found by name in the registry). */
  handlingOrganisations: Array<{ id: number; name: string }>;
  revisions: Array<{ version: number; changedAt: string; changedBy: string | null }>;
}

/** A policy as staff write it. */
export interface PolicyInput {
  nameZh: string;
  nameEn: string;
  departmentCode: string;
  categoryCode: string;
  summary: string;
  eligibility: RuleGroup;
  benefitFormula: string | null;
  benefitPeriod: BenefitPeriod;
  materials: string[];
  timeLimitDays: number;
  isReviewFree: boolean;
  legalBasis: string;
  status: PolicyStatus;
  serviceListCodes: string[];
}

/** A search of the catalogue. */
export interface PolicySearch {
  q?: string | undefined;
  departmentCode?: string | undefined;
  categoryCode?: string | undefined;
  serviceListCode?: string | undefined;
  status?: PolicyStatus | undefined;
  isReviewFree?: boolean | undefined;
}

// The registry is searched for departments this many at a time; a city of 41 districts has ~860.
const DEPARTMENT_SCAN_LIMIT = 2000;

function presentSummary(row: repo.PolicyRow): PolicySummary {
  return {
    id: row.id,
    code: row.code,
    nameZh: row.name_zh,
    nameEn: row.name_en,
    department: { code: row.department_code, nameZh: row.department_name_zh, nameEn: row.department_name_en },
    category: { code: row.category_code, nameZh: row.category_name_zh, nameEn: row.category_name_en },
    summary: row.summary,
    benefitPeriod: row.benefit_period,
    timeLimitDays: row.time_limit_days,
    isReviewFree: row.is_review_free,
    status: row.status,
    version: row.version,
    serviceListCodes: row.service_list_codes,
  };
}

/** A page of the catalogue: words in codes, names and summaries; by department, category, service list, status. */
export async function searchPolicies(db: Db, principal: Principal, search: PolicySearch, page: { limit: number; offset: number }) {
  requirePermission(principal, 'assistance:policy:read');
  const text = (search.q ?? '').trim().replace(/\s+/g, ' ').slice(0, 100);
  const { rows, total } = await repo.searchPolicies(db, { ...search, text: text || undefined }, page);
  return { items: rows.map(presentSummary), total };
}

/** One policy in full, with the departments of the reader's region that handle it. */
export async function getPolicy(services: AppServices, principal: Principal, id: number): Promise<PolicyDetail> {
  requirePermission(principal, 'assistance:policy:read');
  const row = await repo.findPolicy(services.db, id);
  if (!row) throw new AppError('ASSISTANCE_POLICY_NOT_FOUND', `no assistance policy ${id}`);
  const [catalogue, departments, revisions] = await Promise.all([compiledCatalogue(services.db), repo.listDepartments(services.db), repo.listRevisions(services.db, id)]);
  const compiled = catalogue.policies.find((policy) => policy.row.id === id && policy.row.version === row.version);
  const ruleProblems = compiled ? compiled.problems : compileRules(catalogue.environment, rulesOf(row)).problems;
  const organisationName = departments.find((d) => d.code === row.department_code)?.organisation_name;
  return {
    ...presentSummary(row),
    eligibility: row.eligibility as RuleGroup,
    benefitFormula: row.benefit_formula,
    materials: row.materials,
    legalBasis: row.legal_basis,
    updatedAt: new Date(row.updated_at).toISOString(),
    ruleProblems,
    handlingOrganisations: organisationName ? await findHandlingOrganisations(services, principal, organisationName) : [],
    revisions: revisions.map((r) => ({ version: r.version, changedAt: new Date(r.changed_at).toISOString(), changedBy: r.changed_by_name })),
  };
}

/**
 * The offices of the reader's region that carry the department's name (沙坪坝区民政局 for 民政局),
 * through the organisations module and its region rules: a district sees its own office, the city
 * sees every district's, a street sees none (the district office lies above it).
 */
async function findHandlingOrganisations(services: AppServices, principal: Principal, organisationName: string) {
  const { items } = await searchOrganisations(services, principal, { kind: 'department' }, { limit: DEPARTMENT_SCAN_LIMIT, offset: 0 });
  return items.filter((o) => o.name.endsWith(organisationName) && o.status === 'active').map((o) => ({ id: o.id, name: o.name }));
}

interface FieldProblem {
  field: string;
  message: string;
}

async function toWrite(db: Db, principal: Principal, code: string, input: PolicyInput): Promise<{ write: repo.PolicyWrite; serviceListCodes: string[] }> {
  const [departments, categories, catalogue] = await Promise.all([repo.listDepartments(db), repo.listCategories(db), compiledCatalogue(db)]);
  const serviceListCodes = [...new Set(input.serviceListCodes)];
  const knownLists = await repo.findServiceListCodes(db, serviceListCodes);
  const problems: FieldProblem[] = [];
  const require = (field: string, value: string, min = 1) => {
    if (value.trim().length < min) problems.push({ field, message: 'is required' });
  };
  require('nameZh', input.nameZh, 2);
  require('nameEn', input.nameEn, 2);
  if (!departments.some((d) => d.code === input.departmentCode)) problems.push({ field: 'departmentCode', message: 'unknown' });
  if (!categories.some((c) => c.code === input.categoryCode && c.is_active)) problems.push({ field: 'categoryCode', message: 'unknown' });
  for (const list of serviceListCodes) if (!knownLists.has(list)) problems.push({ field: 'serviceListCodes', message: `unknown service list ${list}` });
  const materials = [...new Set(input.materials.map((m) => m.trim()).filter(Boolean))];
  if (problems.length > 0) throw new AppError('VALIDATION_FAILED', 'the policy is incomplete', { fields: problems });

  const benefitFormula = input.benefitFormula === null || input.benefitFormula.trim() === '' ? null : input.benefitFormula.trim();
  const rules = { eligibility: input.eligibility, benefitFormula, benefitPeriod: input.benefitPeriod };
  const checked = compileRules(catalogue.environment, rules);
  if (checked.problems.length > 0) {
    throw new AppError('ASSISTANCE_RULE_INVALID', checked.problems.map((p) => `${p.condition ?? p.path}: ${p.message}`).join('; '), { problems: checked.problems });
  }
  return {
    write: {
      code,
      name_zh: input.nameZh.trim(),
      name_en: input.nameEn.trim(),
      department_code: input.departmentCode,
      category_code: input.categoryCode,
      summary: input.summary.trim(),
      eligibility: JSON.stringify(input.eligibility),
      benefit_formula: benefitFormula,
      benefit_period: input.benefitPeriod,
      materials: JSON.stringify(materials),
      time_limit_days: input.timeLimitDays,
      is_review_free: input.isReviewFree,
      legal_basis: input.legalBasis.trim(),
      status: input.status,
      updated_by: principal.via === 'system' ? null : principal.userId,
    },
    serviceListCodes,
  };
}

function snapshotOf(write: repo.PolicyWrite, serviceListCodes: string[]): Record<string, unknown> {
  return {
    code: write.code,
    nameZh: write.name_zh,
    nameEn: write.name_en,
    departmentCode: write.department_code,
    categoryCode: write.category_code,
    summary: write.summary,
    eligibility: JSON.parse(write.eligibility) as unknown,
    benefitFormula: write.benefit_formula,
    benefitPeriod: write.benefit_period,
    materials: JSON.parse(write.materials) as unknown,
    timeLimitDays: write.time_limit_days,
    isReviewFree: write.is_review_free,
    legalBasis: write.legal_basis,
    status: write.status,
    serviceListCodes,
  };
}

/**
 * Adds a policy (needs `assistance:policy:write`). Its rule is checked against the declared facts
 * and the local standards first; the policy, its first revision, its service lists and the audit
 * entry are written in one transaction.
 */
export async function createPolicy(services: AppServices, principal: Principal, code: string, input: PolicyInput): Promise<PolicyDetail> {
  requirePermission(principal, 'assistance:policy:write');
  const { db } = services;
  if (await repo.findPolicyIdByCode(db, code)) throw new AppError('CONFLICT', `a policy with code ${code} exists`, { fields: [{ field: 'code', message: 'is taken' }] });
  const { write, serviceListCodes } = await toWrite(db, principal, code, input);
  const id = await db.transaction().execute(async (trx) => {
    const newId = await repo.insertPolicy(trx, write).catch((error: unknown) => {
      // Two keepers creating the same code at once: the second learns it as the first check would have said.
      if (isUniqueViolation(error, 'assistance_policies_code_key')) throw new AppError('CONFLICT', `a policy with code ${code} exists`, { fields: [{ field: 'code', message: 'is taken' }] });
      throw error;
    });
    await repo.replaceServiceLists(trx, newId, serviceListCodes);
    await repo.insertRevision(trx, { policyId: newId, version: 1, snapshot: snapshotOf(write, serviceListCodes), changedBy: write.updated_by });
    await appendAudit(trx, auditActorOf(principal), { action: 'assistance.policy.created', entityType: 'assistance_policy', entityId: newId, details: { code, version: 1, status: write.status } });
    return newId;
  });
  return getPolicy(services, principal, id);
}

const COMPARED_FIELDS = ['name_zh', 'name_en', 'department_code', 'category_code', 'summary', 'benefit_formula', 'benefit_period', 'time_limit_days', 'is_review_free', 'legal_basis', 'status'] as const;

/**
 * Rewrites a policy as a new version (needs `assistance:policy:write`), only when the editor saw
 * the current version (`expectedVersion`), else CONFLICT. The audit entry names what changed; the
 * revision keeps the whole new version.
 */
export async function updatePolicy(services: AppServices, principal: Principal, id: number, expectedVersion: number, input: PolicyInput): Promise<PolicyDetail> {
  requirePermission(principal, 'assistance:policy:write');
  const { db } = services;
  const before = await repo.findPolicy(db, id);
  if (!before) throw new AppError('ASSISTANCE_POLICY_NOT_FOUND', `no assistance policy ${id}`);
  if (before.version !== expectedVersion) throw new AppError('CONFLICT', `policy ${before.code} is at version ${before.version}, not ${expectedVersion}`, { version: before.version });
  const { write, serviceListCodes } = await toWrite(db, principal, before.code, input);
  const changed: string[] = COMPARED_FIELDS.filter((field) => before[field] !== write[field]);
  // jsonb keeps its own key order: rules are compared in a canonical form, not as sent.
  if (canonicalJson(before.eligibility) !== canonicalJson(JSON.parse(write.eligibility))) changed.push('eligibility');
  if (canonicalJson(before.materials) !== canonicalJson(JSON.parse(write.materials))) changed.push('materials');
  if ([...before.service_list_codes].sort().join() !== [...serviceListCodes].sort().join()) changed.push('service_lists');
  await db.transaction().execute(async (trx) => {
    const version = await repo.updatePolicy(trx, id, expectedVersion, write);
    if (version === null) throw new AppError('CONFLICT', `policy ${before.code} was changed meanwhile`);
    await repo.replaceServiceLists(trx, id, serviceListCodes);
    await repo.insertRevision(trx, { policyId: id, version, snapshot: snapshotOf(write, serviceListCodes), changedBy: write.updated_by });
    await appendAudit(trx, auditActorOf(principal), { action: 'assistance.policy.updated', entityType: 'assistance_policy', entityId: id, details: { code: before.code, version, changed } });
  });
  return getPolicy(services, principal, id);
}

/** A saved version of a policy as it was. */
export async function getPolicyRevision(db: Db, principal: Principal, id: number, version: number): Promise<Record<string, unknown>> {
  requirePermission(principal, 'assistance:policy:read');
  const snapshot = await repo.findRevision(db, id, version);
  if (!snapshot) throw new AppError('ASSISTANCE_POLICY_NOT_FOUND', `no version ${version} of assistance policy ${id}`);
  return snapshot;
}

/** The catalogue's departments, categories and local standards, for filters and the rule editor. */
export async function getCatalogueReference(db: Db, principal: Principal) {
  requirePermission(principal, 'assistance:policy:read');
  const [departments, categories, catalogue] = await Promise.all([repo.listDepartments(db), repo.listCategories(db), compiledCatalogue(db)]);
  return {
    departments: departments.map((d) => ({ code: d.code, nameZh: d.name_zh, nameEn: d.name_en })),
    categories: categories.map((c) => ({ code: c.code, nameZh: c.name_zh, nameEn: c.name_en, isActive: c.is_active })),
    parameters: catalogue.parameters.map((p) => ({ key: p.key, valueType: p.valueType, unit: p.unit, nameZh: p.nameZh, nameEn: p.nameEn })),
  };
}

function presentServiceList(row: repo.ServiceListRow) {
  return {
    code: row.code,
    nameZh: row.name_zh,
    nameEn: row.name_en,
    description: row.description,
    isActive: row.is_active,
    policyCount: row.policy_count,
    departmentCount: row.department_count,
  };
}

/** A page of service lists (服务清单), each with how many active policies of how many departments it holds. */
export async function searchServiceLists(db: Db, principal: Principal, q: string | undefined, page: { limit: number; offset: number }) {
  requirePermission(principal, 'assistance:policy:read');
  const text = (q ?? '').trim().slice(0, 100);
  const { rows, total } = await repo.searchServiceLists(db, text || undefined, page);
  return { items: rows.map(presentServiceList), total };
}

/** One service list. */
export async function getServiceList(db: Db, principal: Principal, code: string) {
  requirePermission(principal, 'assistance:policy:read');
  const row = await repo.findServiceList(db, code);
  if (!row) throw new AppError('NOT_FOUND', `no service list ${code}`);
  return presentServiceList(row);
}

/** Checks a rule without saving it (the editor's live check): every problem, by condition. */
export async function validatePolicyRules(db: Db, principal: Principal, rules: PolicyRules): Promise<{ isValid: boolean; problems: RuleProblem[] }> {
  requirePermission(principal, 'assistance:policy:read');
  const catalogue = await compiledCatalogue(db);
  const benefitFormula = rules.benefitFormula === null || rules.benefitFormula.trim() === '' ? null : rules.benefitFormula.trim();
  const { problems } = compileRules(catalogue.environment, { ...rules, benefitFormula });
  return { isValid: problems.length === 0, problems };
}

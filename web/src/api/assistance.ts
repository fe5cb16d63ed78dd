import { request } from './client';
import { endpoint, type PageQuery } from './endpoint';
import type { Page } from './types';

/** A code with names in both languages. */
export interface Named {
  code: string;
  nameZh: string;
  nameEn: string;
}

/** How often a benefit is paid: per month, per year, once, or not money at all. */
export type BenefitPeriod = 'monthly' | 'yearly' | 'once' | 'none';

/** A policy's life: drafts are tested, active ones offered, retired ones kept for history. */
export type PolicyStatus = 'draft' | 'active' | 'retired';

/** The policy statuses, for filters and the editor. */
export const POLICY_STATUSES: readonly PolicyStatus[] = ['draft', 'active', 'retired'];

/** The benefit periods, for the editor. */
export const BENEFIT_PERIODS: readonly BenefitPeriod[] = ['monthly', 'yearly', 'once', 'none'];

/** A named condition of an eligibility rule (CEL over `household` and `params`). */
export interface RuleCondition {
  kind: 'condition';
  name: string;
  label: string;
  labelEn?: string;
  expression: string;
}

/** Conditions of which all or at least one must hold. */
export interface RuleGroup {
  kind: 'all' | 'any';
  items: RuleNode[];
}

/** A node of an eligibility rule. */
export type RuleNode = RuleCondition | RuleGroup;

/** A policy as the catalogue lists it. */
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
  /** 免审即享: granted without review when the data proves eligibility. */
  isReviewFree: boolean;
  status: PolicyStatus;
  version: number;
  serviceListCodes: string[];
}

/** A problem the server found in a rule, by condition. */
export interface RuleProblem {
  path: string;
  condition: string | null;
  message: string;
  range: { start: number; end: number } | null;
}

/** A policy in full. */
export interface PolicyDetail extends PolicySummary {
  eligibility: RuleGroup;
  benefitFormula: string | null;
  materials: string[];
  legalBasis: string;
  updatedAt: string;
  ruleProblems: RuleProblem[];
  handlingOrganisations: Array<{ id: number; name: string }>;
  revisions: Array<{ version: number; changedAt: string; changedBy: string | null }>;
}

/** What the catalogue list searches by. */
export interface PolicySearch {
  q?: string;
  departmentCode?: string;
  categoryCode?: string;
  serviceListCode?: string;
  status?: PolicyStatus;
  isReviewFree?: boolean;
}

/** A service list (服务清单) with how many active policies of how many departments it gathers. */
export interface ServiceList {
  code: string;
  nameZh: string;
  nameEn: string;
  description: string;
  isActive: boolean;
  policyCount: number;
  departmentCount: number;
}

/** Departments, categories and local standards of the catalogue. */
export interface CatalogueReference {
  departments: Named[];
  categories: Array<Named & { isActive: boolean }>;
  parameters: Array<{ key: string; valueType: string; unit: string; nameZh: string; nameEn: string }>;
}

/** One declared household fact a rule may read. */
export interface FactDescription {
  path: string;
  type: string;
  unit: string | null;
  values: string[] | null;
  isDerived: boolean;
  isRequired: boolean;
  default: unknown;
  description: string;
}

/** What became of a condition or group. */
export type ConditionOutcome = 'held' | 'failed' | 'error';

/** The answer of a policy for a household. */
export type EligibilityOutcome = 'eligible' | 'ineligible' | 'error';

/** A value a condition looked at; null when it does not exist. */
export interface LookedAt {
  path: string;
  value: unknown;
}

/** A condition or group, explained. */
export interface ExplanationNode {
  kind: string;
  outcome: ConditionOutcome;
  name?: string;
  label?: string;
  labelEn?: string | null;
  expression?: string;
  values?: LookedAt[];
  error?: string | null;
  items?: ExplanationNode[];
}

/** The benefit formula, explained. */
export interface FormulaExplanation {
  expression: string;
  outcome: 'computed' | 'skipped' | 'error';
  amountFen: number | null;
  values: LookedAt[];
  error: string | null;
}

/** One policy's answer for the household. */
export interface PolicyResult {
  policyId: number | null;
  code: string;
  nameZh: string;
  nameEn: string;
  departmentCode: string;
  departmentNameZh: string;
  departmentNameEn: string;
  categoryCode: string;
  status: PolicyStatus;
  version: number;
  isReviewFree: boolean;
  timeLimitDays: number;
  benefitPeriod: BenefitPeriod;
  outcome: EligibilityOutcome;
  amountFen: number | null;
  isGrantableWithoutReview: boolean;
  rule: ExplanationNode | null;
  formula: FormulaExplanation | null;
  errors: string[];
}

/** The answer for one household. */
export interface Evaluation {
  areaCode: string;
  areaName: string;
  year: number;
  household: { size: number; totalMonthlyIncome: number; incomePerHead: number };
  parameters: Array<{ key: string; value: number; areaCode: string; year: number }>;
  counts: Record<EligibilityOutcome, number>;
  results: PolicyResult[];
}

/** The rule part of a policy. */
export interface PolicyRules {
  eligibility: RuleGroup;
  benefitFormula: string | null;
  benefitPeriod: BenefitPeriod;
}

/** What to evaluate. */
export interface EvaluationRequest {
  household: unknown;
  areaCode?: string;
  year?: number;
  policyCode?: string;
  draft?: PolicyRules;
}

/** A policy as its keepers write it. */
export interface PolicyInput extends PolicyRules {
  nameZh: string;
  nameEn: string;
  departmentCode: string;
  categoryCode: string;
  summary: string;
  materials: string[];
  timeLimitDays: number;
  isReviewFree: boolean;
  legalBasis: string;
  status: PolicyStatus;
  serviceListCodes: string[];
}

/** The catalogue, filtered and paged. */
export function policiesEndpoint(search: PolicySearch & PageQuery) {
  return endpoint<Page<PolicySummary>>('/api/assistance/policies', { ...search });
}

/** One policy in full. */
export function policyEndpoint(id: number | string) {
  return endpoint<PolicyDetail>(`/api/assistance/policies/${encodeURIComponent(String(id))}`);
}

/** The service lists, filtered and paged. */
export function serviceListsEndpoint(search: { q?: string } & PageQuery) {
  return endpoint<Page<ServiceList>>('/api/assistance/service-lists', { ...search });
}

/** Departments, categories and local standards. */
export function catalogueReferenceEndpoint() {
  return endpoint<CatalogueReference>('/api/assistance/reference');
}

/** The declared household facts. */
export function factsEndpoint() {
  return endpoint<FactDescription[]>('/api/assistance/facts');
}

/** Evaluates a household against the catalogue, one policy or a draft, with explanations. */
export function evaluateHousehold(input: EvaluationRequest): Promise<Evaluation> {
  return request<Evaluation>('POST', '/api/assistance/evaluate', { body: input });
}

/** Checks a rule without saving it. */
export function checkRules(rules: PolicyRules): Promise<{ isValid: boolean; problems: RuleProblem[] }> {
  return request<{ isValid: boolean; problems: RuleProblem[] }>('POST', '/api/assistance/rules/check', { body: rules });
}

/** Adds a policy (needs `assistance:policy:write`). */
export function createPolicy(code: string, input: PolicyInput): Promise<PolicyDetail> {
  return request<PolicyDetail>('POST', '/api/assistance/policies', { body: { code, ...input } });
}

/** Saves a new version of a policy; `version` is the one the editor started from. */
export function updatePolicy(id: number, version: number, input: PolicyInput): Promise<PolicyDetail> {
  return request<PolicyDetail>('PUT', `/api/assistance/policies/${encodeURIComponent(String(id))}`, { body: { version, ...input } });
}

import { requirePermission, type Principal } from '../../platform/auth/index.ts';
import type { Db } from '../../platform/db/database.ts';
import { AppError } from '../../platform/errors.ts';
import { compiledCatalogue, defaultAreaCode, resolveParameters, type CompiledPolicy, type ParameterSource } from './catalogue.ts';
import { evaluateRules, type EligibilityOutcome, type FormulaExplanation, type GroupExplanation, type ParameterValues } from './evaluation.ts';
import { describeFacts, prepareHousehold, type HouseholdContext, type HouseholdFactsInput } from './facts.ts';
import type { PolicyStatus } from './policies.service.ts';
import { compileRules, type BenefitPeriod, type CompiledRules, type PolicyRules } from './rules.ts';

/** What to evaluate: one household's facts, where and when, against which policies. */
export interface EvaluationRequest {
  household: HouseholdFactsInput;
  /** The area whose local standards apply; the root of the caller's region when left out. */
  areaCode?: string | undefined;
  /** The year whose standards apply; the current year when left out. */
  year?: number | undefined;
  /** One policy by code (any status, to test a draft); every active policy when left out. */
  policyCode?: string | undefined;
  /** A rule not yet saved, evaluated alone (the editor's "try it"). */
  draft?: PolicyRules | undefined;
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
  /** 免审即享: eligible by the data alone and marked so; others go to the department's review. */
  isGrantableWithoutReview: boolean;
  rule: GroupExplanation | null;
  formula: FormulaExplanation | null;
  errors: string[];
}

/** The answer for one household. */
export interface EvaluationResult {
  areaCode: string;
  areaName: string;
  year: number;
  household: { size: number; totalMonthlyIncome: number; incomePerHead: number };
  parameters: ParameterSource[];
  counts: Record<EligibilityOutcome, number>;
  results: PolicyResult[];
}

// Standards are set per calendar year in China; the year turns at midnight Beijing time.
const YEAR_FORMAT = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric' });

function evaluateOne(compiled: CompiledRules, household: HouseholdContext, params: ParameterValues) {
  try {
    return evaluateRules(compiled, household, params);
  } catch (error) {
    // evaluateRules reports every failure of a rule itself; this guards the bundle against a defect.
    const message = `evaluation failed: ${error instanceof Error ? error.message : String(error)}`;
    return { outcome: 'error' as const, amountFen: null, rule: null, formula: null, errors: [message] };
  }
}

function resultOf(policy: CompiledPolicy, household: HouseholdContext, params: ParameterValues): PolicyResult {
  const { row } = policy;
  const base = {
    policyId: row.id,
    code: row.code,
    nameZh: row.name_zh,
    nameEn: row.name_en,
    departmentCode: row.department_code,
    departmentNameZh: row.department_name_zh,
    departmentNameEn: row.department_name_en,
    categoryCode: row.category_code,
    status: row.status,
    version: row.version,
    isReviewFree: row.is_review_free,
    timeLimitDays: row.time_limit_days,
    benefitPeriod: row.benefit_period,
  };
  if (!policy.compiled) {
    // A stored rule that no longer checks decides nothing: it is an error for every household.
    const errors = policy.problems.map((p) => `${p.condition ?? p.path}: ${p.message}`);
    return { ...base, outcome: 'error', amountFen: null, isGrantableWithoutReview: false, rule: null, formula: null, errors };
  }
  const evaluation = evaluateOne(policy.compiled, household, params);
  return {
    ...base,
    outcome: evaluation.outcome,
    amountFen: evaluation.amountFen,
    isGrantableWithoutReview: evaluation.outcome === 'eligible' && row.is_review_free,
    rule: evaluation.rule,
    formula: evaluation.formula,
    errors: evaluation.errors,
  };
}

/**
 * Evaluates a household's facts against every active policy (or one, or an unsaved draft) with the
 * local standards of its area and year, and explains each answer. One policy's failure to
 * evaluate is that policy's `error` outcome, never the whole answer's: the other policies are
 * still decided. Nothing is stored: this is the rule tester and the engine the application
 * bundle (一件事联办) will call.
 */
export async function evaluateHousehold(db: Db, principal: Principal, request: EvaluationRequest, now: Date = new Date()): Promise<EvaluationResult> {
  requirePermission(principal, 'assistance:policy:read');
  const prepared = prepareHousehold(request.household);
  if (!prepared.context) throw new AppError('VALIDATION_FAILED', 'the household facts are not valid', { fields: prepared.problems.map((p) => ({ field: `household.${p.field}`, message: p.message })) });
  const household = prepared.context;
  const catalogue = await compiledCatalogue(db);
  const areaCode = request.areaCode ?? (await defaultAreaCode(db, principal));
  const year = request.year ?? Number(YEAR_FORMAT.format(now));
  const { values, sources, areaName } = await resolveParameters(db, catalogue.parameters, areaCode, year);

  let results: PolicyResult[];
  if (request.draft) {
    const checked = compileRules(catalogue.environment, request.draft);
    if (!checked.compiled) {
      throw new AppError('ASSISTANCE_RULE_INVALID', checked.problems.map((p) => `${p.condition ?? p.path}: ${p.message}`).join('; '), { problems: checked.problems });
    }
    const evaluation = evaluateOne(checked.compiled, household, values);
    results = [
      {
        policyId: null,
        code: 'draft',
        nameZh: '草稿规则',
        nameEn: 'Draft rule',
        departmentCode: '',
        departmentNameZh: '',
        departmentNameEn: '',
        categoryCode: '',
        status: 'draft',
        version: 0,
        isReviewFree: false,
        timeLimitDays: 0,
        benefitPeriod: request.draft.benefitPeriod,
        outcome: evaluation.outcome,
        amountFen: evaluation.amountFen,
        isGrantableWithoutReview: false,
        rule: evaluation.rule,
        formula: evaluation.formula,
        errors: evaluation.errors,
      },
    ];
  } else {
    const chosen = request.policyCode ? catalogue.policies.filter((p) => p.row.code === request.policyCode) : catalogue.policies.filter((p) => p.row.status === 'active');
    if (request.policyCode && chosen.length === 0) throw new AppError('ASSISTANCE_POLICY_NOT_FOUND', `no assistance policy ${request.policyCode}`);
    results = chosen.map((policy) => resultOf(policy, household, values));
  }
  const counts: Record<EligibilityOutcome, number> = { eligible: 0, ineligible: 0, error: 0 };
  for (const result of results) counts[result.outcome] += 1;
  const facts = household.facts as { size: number; totalMonthlyIncome: number; incomePerHead: number };
  return {
    areaCode,
    areaName,
    year,
    household: { size: facts.size, totalMonthlyIncome: facts.totalMonthlyIncome, incomePerHead: facts.incomePerHead },
    parameters: sources,
    counts,
    results,
  };
}

/** The declared facts and what each means, for the tester's reference and the editor's help. */
export function listFacts(principal: Principal) {
  requirePermission(principal, 'assistance:policy:read');
  return describeFacts();
}

/** The local standards in force in an area and year (the caller's region and this year by default). */
export async function getParameters(db: Db, principal: Principal, query: { areaCode?: string | undefined; year?: number | undefined }, now: Date = new Date()) {
  requirePermission(principal, 'assistance:policy:read');
  const catalogue = await compiledCatalogue(db);
  const areaCode = query.areaCode ?? (await defaultAreaCode(db, principal));
  const year = query.year ?? Number(YEAR_FORMAT.format(now));
  const { sources, areaName } = await resolveParameters(db, catalogue.parameters, areaCode, year);
  const bySource = new Map(sources.map((source) => [source.key, source]));
  return {
    areaCode,
    areaName,
    year,
    parameters: catalogue.parameters.map((p) => {
      const source = bySource.get(p.key);
      return { key: p.key, nameZh: p.nameZh, nameEn: p.nameEn, unit: p.unit, valueType: p.valueType, value: source?.value ?? null, areaCode: source?.areaCode ?? null, year: source?.year ?? null };
    }),
  };
}

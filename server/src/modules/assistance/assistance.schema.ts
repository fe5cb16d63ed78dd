import { Type, type TSchema } from 'typebox';
import { Nullable, PageQuery } from '../../platform/http/schemas.ts';
import { HouseholdFactsSchema } from './facts.ts';
import { RULE_LIMITS } from './rules.ts';

// Rules nest at most RULE_LIMITS.depth groups deep, so their schemas are spelled out to that depth
// instead of being recursive: the OpenAPI document stays plain and a deeper rule is a 400. In the
// answers, a node at depth d (the root group is 1) may be a group while d <= RULE_LIMITS.depth.
const CODE = Type.String({ pattern: '^[a-z][a-z0-9_]{1,59}$' });
const BenefitPeriod = Type.Union([Type.Literal('monthly'), Type.Literal('yearly'), Type.Literal('once'), Type.Literal('none')]);
const PolicyStatus = Type.Union([Type.Literal('draft'), Type.Literal('active'), Type.Literal('retired')]);
const Outcome = Type.Union([Type.Literal('held'), Type.Literal('failed'), Type.Literal('error')]);
const EligibilityOutcome = Type.Union([Type.Literal('eligible'), Type.Literal('ineligible'), Type.Literal('error')]);

const ConditionBody = Type.Object(
  {
    kind: Type.Literal('condition'),
    name: Type.String({ maxLength: RULE_LIMITS.nameLength, description: 'key unique within the rule, snake_case' }),
    label: Type.String({ maxLength: RULE_LIMITS.labelLength, description: 'what the condition means, as staff read it' }),
    labelEn: Type.Optional(Type.String({ maxLength: RULE_LIMITS.labelLength })),
    expression: Type.String({ maxLength: RULE_LIMITS.expressionLength, description: 'CEL over `household` and `params`, giving true or false' }),
  },
  { additionalProperties: false },
);

function groupBody(depth: number): TSchema {
  const item = depth >= RULE_LIMITS.depth ? ConditionBody : Type.Union([ConditionBody, groupBody(depth + 1)]);
  return Type.Object({ kind: Type.Union([Type.Literal('all'), Type.Literal('any')]), items: Type.Array(item, { maxItems: RULE_LIMITS.conditions }) }, { additionalProperties: false });
}

/** An eligibility rule as written: an `all` or `any` group of named conditions and groups. */
export const RuleGroupBody = groupBody(1);

function ruleNode(depth: number): TSchema {
  return Type.Object({
    kind: Type.String(),
    name: Type.Optional(Type.String()),
    label: Type.Optional(Type.String()),
    labelEn: Type.Optional(Type.String()),
    expression: Type.Optional(Type.String()),
    ...(depth <= RULE_LIMITS.depth ? { items: Type.Optional(Type.Array(ruleNode(depth + 1))) } : {}),
  });
}

const LookedAt = Type.Object({ path: Type.String(), value: Type.Unknown({ description: 'the value read; null when it does not exist' }) });

function explanationNode(depth: number): TSchema {
  return Type.Object({
    kind: Type.String(),
    outcome: Outcome,
    name: Type.Optional(Type.String()),
    label: Type.Optional(Type.String()),
    labelEn: Type.Optional(Nullable(Type.String())),
    expression: Type.Optional(Type.String()),
    values: Type.Optional(Type.Array(LookedAt)),
    error: Type.Optional(Nullable(Type.String())),
    ...(depth <= RULE_LIMITS.depth ? { items: Type.Optional(Type.Array(explanationNode(depth + 1))) } : {}),
  });
}

const Named = Type.Object({ code: Type.String(), nameZh: Type.String(), nameEn: Type.String() });

/** A policy as lists show it. */
export const PolicySummary = Type.Object({
  id: Type.Integer(),
  code: Type.String(),
  nameZh: Type.String(),
  nameEn: Type.String(),
  department: Named,
  category: Named,
  summary: Type.String(),
  benefitPeriod: BenefitPeriod,
  timeLimitDays: Type.Integer(),
  isReviewFree: Type.Boolean(),
  status: PolicyStatus,
  version: Type.Integer(),
  serviceListCodes: Type.Array(Type.String()),
});

const RuleProblem = Type.Object({
  path: Type.String(),
  condition: Nullable(Type.String()),
  message: Type.String(),
  range: Nullable(Type.Object({ start: Type.Integer(), end: Type.Integer() })),
});

/** A policy in full. */
export const PolicyDetail = Type.Object({
  ...PolicySummary.properties,
  eligibility: ruleNode(1),
  benefitFormula: Nullable(Type.String()),
  materials: Type.Array(Type.String()),
  legalBasis: Type.String(),
  updatedAt: Type.String(),
  ruleProblems: Type.Array(RuleProblem),
  handlingOrganisations: Type.Array(Type.Object({ id: Type.Integer(), name: Type.String() })),
  revisions: Type.Array(Type.Object({ version: Type.Integer(), changedAt: Type.String(), changedBy: Nullable(Type.String()) })),
});

const PolicyFields = {
  nameZh: Type.String({ minLength: 1, maxLength: 200 }),
  nameEn: Type.String({ minLength: 1, maxLength: 200 }),
  departmentCode: Type.String({ maxLength: 60 }),
  categoryCode: Type.String({ maxLength: 60 }),
  summary: Type.String({ maxLength: 2000, default: '' }),
  eligibility: RuleGroupBody,
  benefitFormula: Nullable(Type.String({ maxLength: RULE_LIMITS.expressionLength })),
  benefitPeriod: BenefitPeriod,
  materials: Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { maxItems: 30, default: [] }),
  timeLimitDays: Type.Integer({ minimum: 1, maximum: 365, description: 'working days from a complete application to the decision' }),
  isReviewFree: Type.Boolean({ default: false, description: '免审即享: granted without review when the data proves eligibility' }),
  legalBasis: Type.String({ maxLength: 500, default: '' }),
  status: PolicyStatus,
  serviceListCodes: Type.Array(Type.String({ maxLength: 60 }), { maxItems: 40, default: [] }),
};

/** A new policy. */
export const PolicyCreateBody = Type.Object({ code: CODE, ...PolicyFields }, { additionalProperties: false });

/** A policy rewritten; `version` is the version the editor started from. */
export const PolicyUpdateBody = Type.Object({ version: Type.Integer({ minimum: 1 }), ...PolicyFields }, { additionalProperties: false });

/** The rule part alone, to check or to try. */
export const RulesBody = Type.Object(
  { eligibility: RuleGroupBody, benefitFormula: Nullable(Type.String({ maxLength: RULE_LIMITS.expressionLength })), benefitPeriod: BenefitPeriod },
  { additionalProperties: false },
);

/** Filters and page of the catalogue. */
export const PolicyListQuery = Type.Intersect([
  PageQuery,
  Type.Object({
    q: Type.Optional(Type.String({ maxLength: 100, description: 'words in the code, names or summary' })),
    departmentCode: Type.Optional(Type.String({ maxLength: 60 })),
    categoryCode: Type.Optional(Type.String({ maxLength: 60 })),
    serviceListCode: Type.Optional(Type.String({ maxLength: 60 })),
    status: Type.Optional(PolicyStatus),
    isReviewFree: Type.Optional(Type.Boolean()),
  }),
]);

/** A service list (服务清单). */
export const ServiceList = Type.Object({
  code: Type.String(),
  nameZh: Type.String(),
  nameEn: Type.String(),
  description: Type.String(),
  isActive: Type.Boolean(),
  policyCount: Type.Integer(),
  departmentCount: Type.Integer(),
});

/** Departments, categories and local standards of the catalogue. */
export const CatalogueReference = Type.Object({
  departments: Type.Array(Named),
  categories: Type.Array(Type.Object({ ...Named.properties, isActive: Type.Boolean() })),
  parameters: Type.Array(Type.Object({ key: Type.String(), valueType: Type.String(), unit: Type.String(), nameZh: Type.String(), nameEn: Type.String() })),
});

/** One declared fact. */
export const FactDescription = Type.Object({
  path: Type.String(),
  type: Type.String(),
  unit: Nullable(Type.String()),
  values: Nullable(Type.Array(Type.String())),
  isDerived: Type.Boolean(),
  isRequired: Type.Boolean(),
  default: Type.Unknown(),
  description: Type.String(),
});

const AreaAndYear = {
  areaCode: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_]{1,64}$', description: 'the area whose standards apply; the root of your region by default' })),
  year: Type.Optional(Type.Integer({ minimum: 2000, maximum: 2100, description: 'the year whose standards apply; this year by default' })),
};

/** Which area's and year's standards to show. */
export const ParametersQuery = Type.Object(AreaAndYear);

/** The local standards in force. */
export const ParametersView = Type.Object({
  areaCode: Type.String(),
  areaName: Type.String(),
  year: Type.Integer(),
  parameters: Type.Array(
    Type.Object({
      key: Type.String(),
      nameZh: Type.String(),
      nameEn: Type.String(),
      unit: Type.String(),
      valueType: Type.String(),
      value: Nullable(Type.Number()),
      areaCode: Nullable(Type.String()),
      year: Nullable(Type.Integer()),
    }),
  ),
});

/** A household to evaluate, and against what. */
export const EvaluateBody = Type.Object(
  {
    household: HouseholdFactsSchema,
    ...AreaAndYear,
    policyCode: Type.Optional(Type.String({ maxLength: 60, description: 'one policy (any status); every active policy when left out' })),
    draft: Type.Optional(RulesBody),
  },
  { additionalProperties: false },
);

const PolicyResult = Type.Object({
  policyId: Nullable(Type.Integer()),
  code: Type.String(),
  nameZh: Type.String(),
  nameEn: Type.String(),
  departmentCode: Type.String(),
  departmentNameZh: Type.String(),
  departmentNameEn: Type.String(),
  categoryCode: Type.String(),
  status: PolicyStatus,
  version: Type.Integer(),
  isReviewFree: Type.Boolean(),
  timeLimitDays: Type.Integer(),
  benefitPeriod: BenefitPeriod,
  outcome: EligibilityOutcome,
  amountFen: Nullable(Type.Integer()),
  isGrantableWithoutReview: Type.Boolean(),
  rule: Nullable(explanationNode(1)),
  formula: Nullable(
    Type.Object({
      expression: Type.String(),
      outcome: Type.Union([Type.Literal('computed'), Type.Literal('skipped'), Type.Literal('error')]),
      amountFen: Nullable(Type.Integer()),
      values: Type.Array(LookedAt),
      error: Nullable(Type.String()),
    }),
  ),
  errors: Type.Array(Type.String()),
});

/** The answer for one household: per policy eligible, ineligible or error, explained. */
export const EvaluationView = Type.Object({
  areaCode: Type.String(),
  areaName: Type.String(),
  year: Type.Integer(),
  household: Type.Object({ size: Type.Integer(), totalMonthlyIncome: Type.Integer(), incomePerHead: Type.Integer() }),
  parameters: Type.Array(Type.Object({ key: Type.String(), value: Type.Number(), areaCode: Type.String(), year: Type.Integer() })),
  counts: Type.Object({ eligible: Type.Integer(), ineligible: Type.Integer(), error: Type.Integer() }),
  results: Type.Array(PolicyResult),
});

/** The result of checking a rule without saving it. */
export const RulesCheckView = Type.Object({ isValid: Type.Boolean(), problems: Type.Array(RuleProblem) });

import { describe, expect, it } from 'vitest';
import { evaluateRules, parameterValues, type ConditionExplanation, type GroupExplanation } from './evaluation.ts';
import { prepareHousehold, type HouseholdContext, type HouseholdFactsInput } from './facts.ts';
import { compileRules, createRuleEnvironment, type CompiledRules, type ParameterDefinition, type PolicyRules, type RuleGroup, type RuleNode } from './rules.ts';

const PARAMETERS: ParameterDefinition[] = [
  { key: 'subsistenceLineUrban', valueType: 'int', unit: 'fen', nameZh: '城市低保标准', nameEn: 'Urban line' },
  { key: 'classifiedSupportPercent', valueType: 'int', unit: 'ratio', nameZh: '分类施保', nameEn: 'Classified support' },
  { key: 'elderlyAllowance80', valueType: 'int', unit: 'fen', nameZh: '高龄津贴80', nameEn: '80+' },
  { key: 'elderlyAllowance90', valueType: 'int', unit: 'fen', nameZh: '高龄津贴90', nameEn: '90+' },
  { key: 'elderlyAllowance100', valueType: 'int', unit: 'fen', nameZh: '高龄津贴100', nameEn: '100+' },
  { key: 'destituteRatio', valueType: 'double', unit: 'ratio', nameZh: '特困倍数', nameEn: 'Destitute ratio' },
];
const environment = createRuleEnvironment(PARAMETERS, ['subsistence_allowance', 'destitute_support']);
const VALUES = new Map<string, number>([
  ['subsistenceLineUrban', 75_000],
  ['classifiedSupportPercent', 10],
  ['elderlyAllowance80', 5_000],
  ['elderlyAllowance90', 10_000],
  ['elderlyAllowance100', 50_000],
  ['destituteRatio', 1.3],
]);
const params = parameterValues(PARAMETERS, VALUES, '500106', 2024);

const condition = (name: string, expression: string): RuleNode => ({ kind: 'condition', name, label: name, expression });
const all = (...items: RuleNode[]): RuleGroup => ({ kind: 'all', items });
const any = (...items: RuleNode[]): RuleGroup => ({ kind: 'any', items });

function compile(rules: PolicyRules): CompiledRules {
  const result = compileRules(environment, rules);
  if (!result.compiled) throw new Error(JSON.stringify(result.problems));
  return result.compiled;
}

function household(input: HouseholdFactsInput): HouseholdContext {
  const prepared = prepareHousehold(input);
  if (!prepared.context) throw new Error(JSON.stringify(prepared.problems));
  return prepared.context;
}

const SUBSISTENCE = compile({
  eligibility: all(
    condition('urban', '!household.isRural'),
    condition('income_below_line', 'household.incomePerHead < params.subsistenceLineUrban'),
    condition('no_car', '!household.vehicles.exists(v, v.kind == "car")'),
  ),
  benefitFormula:
    '(params.subsistenceLineUrban - household.incomePerHead) * household.size + household.members.filter(m, m.age >= 70 || m.health == "serious_illness").size() * params.subsistenceLineUrban * params.classifiedSupportPercent / 100',
  benefitPeriod: 'monthly',
});

const conditionOf = (group: GroupExplanation, name: string) => group.items.find((item): item is ConditionExplanation => item.kind === 'condition' && item.name === name)!;

describe('household facts', () => {
  it('fills defaults and derives size, total income and income per head rounded down', () => {
    const context = household({ members: [{ age: 40, gender: 'female', monthlyIncome: 100_001 }, { age: 12, gender: 'male' }, { age: 70, gender: 'male', monthlyIncome: 50_000 }], otherMonthlyIncome: 1 });
    expect(context.facts).toMatchObject({ size: 3, totalMonthlyIncome: 150_002, incomePerHead: 50_000, isRural: false, housing: 'owned', benefits: [], vehicles: [] });
    expect((context.facts.members as Array<Record<string, unknown>>)[1]).toMatchObject({ disabilityGrade: 0, health: 'healthy', schoolStage: 'none', hasCapableSupporter: true });
    expect(context.cel.size).toBe(3n);
  });

  it('reports undeclared, missing and out-of-range facts by field', () => {
    const prepared = prepareHousehold({ members: [{ age: 200, gender: 'x' }, { gender: 'male', salary: 1 }], incomePerHead: 5, housing: 'castle' });
    expect(prepared.context).toBeNull();
    expect(prepared.problems.map((p) => p.field).sort()).toEqual(['housing', 'incomePerHead', 'members.0.age', 'members.0.gender', 'members.1.age', 'members.1.salary'].sort());
  });
});

describe('assistance rules are explained when evaluated', () => {
  it('says which conditions held and which failed, with the values each looked at', () => {
    const result = evaluateRules(SUBSISTENCE, household({ members: [{ age: 45, gender: 'male', monthlyIncome: 90_000 }], vehicles: [{ kind: 'car', value: 3_000_000 }] }), params);
    expect(result.outcome).toBe('ineligible');
    expect(result.amountFen).toBeNull();
    expect(result.rule.outcome).toBe('failed');
    expect(conditionOf(result.rule, 'urban')).toMatchObject({ outcome: 'held', values: [{ path: 'household.isRural', value: false }] });
    expect(conditionOf(result.rule, 'income_below_line')).toMatchObject({
      outcome: 'failed',
      label: 'income_below_line',
      expression: 'household.incomePerHead < params.subsistenceLineUrban',
      values: [
        { path: 'household.incomePerHead', value: 90_000 },
        { path: 'params.subsistenceLineUrban', value: 75_000 },
      ],
      error: null,
    });
    expect(conditionOf(result.rule, 'no_car')).toMatchObject({
      outcome: 'failed',
      values: [
        { path: 'size(household.vehicles)', value: 1 },
        { path: 'household.vehicles[].kind', value: ['car'] },
      ],
    });
    expect(result.formula).toMatchObject({ outcome: 'skipped', amountFen: null });
  });

  it('pays the gap to the line for each member, plus 10% of the line per old or seriously ill member', () => {
    const result = evaluateRules(
      SUBSISTENCE,
      household({ members: [{ age: 72, gender: 'female', monthlyIncome: 60_000 }, { age: 40, gender: 'male', health: 'serious_illness' }, { age: 10, gender: 'male' }] }),
      params,
    );
    // Income per head 20,000 fen: (75,000 − 20,000) × 3 + 2 × 7,500.
    expect(result).toMatchObject({ outcome: 'eligible', amountFen: 180_000, errors: [] });
    expect(result.formula).toMatchObject({ outcome: 'computed', amountFen: 180_000 });
    expect(result.formula!.values).toContainEqual({ path: 'household.members[].age', value: [72, 40, 10] });
  });

  it('refuses a household exactly at the line and accepts one a fen below it', () => {
    const at = evaluateRules(SUBSISTENCE, household({ members: [{ age: 30, gender: 'male', monthlyIncome: 75_000 }] }), params);
    expect(at.outcome).toBe('ineligible');
    const below = evaluateRules(SUBSISTENCE, household({ members: [{ age: 30, gender: 'male', monthlyIncome: 74_999 }] }), params);
    expect(below).toMatchObject({ outcome: 'eligible', amountFen: 1 });
  });

  it('pays the old-age allowance by tier, at the birthdays that open each tier', () => {
    const allowance = compile({
      eligibility: all(condition('aged_80', 'household.members.exists(m, m.age >= 80)')),
      benefitFormula: 'household.members.map(m, m.age >= 100 ? params.elderlyAllowance100 : (m.age >= 90 ? params.elderlyAllowance90 : (m.age >= 80 ? params.elderlyAllowance80 : 0))).sum()',
      benefitPeriod: 'monthly',
    });
    const amountFor = (...ages: number[]) => evaluateRules(allowance, household({ members: ages.map((age) => ({ age, gender: 'female' })) }), params).amountFen;
    expect(amountFor(79)).toBeNull();
    expect(amountFor(80)).toBe(5_000);
    expect(amountFor(89, 90)).toBe(15_000);
    expect(amountFor(99, 100, 60)).toBe(60_000);
  });

  it('computes with double parameters when the formula converts explicitly', () => {
    const destitute = compile({ eligibility: all(condition('always', 'true')), benefitFormula: 'int(double(params.subsistenceLineUrban) * params.destituteRatio) * household.size', benefitPeriod: 'monthly' });
    expect(evaluateRules(destitute, household({ members: [{ age: 70, gender: 'male' }, { age: 68, gender: 'female' }] }), params).amountFen).toBe(195_000);
  });

  it('stops a policy with an error, never a refusal, when a condition fails to evaluate, and still evaluates the others', () => {
    const rules = compile({
      eligibility: all(condition('third_member_adult', 'household.members[2].age >= 18'), condition('income_below_line', 'household.incomePerHead < params.subsistenceLineUrban'), condition('urban', 'household.isRural')),
      benefitFormula: null,
      benefitPeriod: 'none',
    });
    const result = evaluateRules(rules, household({ members: [{ age: 30, gender: 'male' }] }), params);
    expect(result.outcome).toBe('error');
    expect(result.errors).toEqual(['third_member_adult: No such key: index out of bounds, index 2 >= size 1']);
    expect(conditionOf(result.rule, 'third_member_adult')).toMatchObject({ outcome: 'error', error: 'No such key: index out of bounds, index 2 >= size 1' });
    expect(conditionOf(result.rule, 'income_below_line').outcome).toBe('held');
    // The group itself is decided by its failed condition; the policy still answers "error".
    expect(conditionOf(result.rule, 'urban').outcome).toBe('failed');
    expect(result.rule.outcome).toBe('failed');
  });

  it('names the missing local standard, the area and the year', () => {
    const withoutLine = parameterValues(PARAMETERS, new Map([...VALUES].filter(([key]) => key !== 'subsistenceLineUrban')), '500106', 2021);
    const result = evaluateRules(SUBSISTENCE, household({ members: [{ age: 30, gender: 'male' }] }), withoutLine);
    expect(result.outcome).toBe('error');
    expect(result.errors).toEqual(['income_below_line: no value of params.subsistenceLineUrban for area 500106 in 2021']);
    expect(conditionOf(result.rule, 'income_below_line').values).toContainEqual({ path: 'params.subsistenceLineUrban', value: null });
  });

  it('decides groups in three-valued logic: an "any" group holds when one item holds despite an error', () => {
    const rules = compile({ eligibility: any(condition('broken', 'household.members[5].age > 1'), condition('single', 'household.size == 1')), benefitFormula: null, benefitPeriod: 'none' });
    const result = evaluateRules(rules, household({ members: [{ age: 30, gender: 'male' }] }), params);
    expect(result.rule.outcome).toBe('held');
    expect(result.outcome).toBe('error');
    const failing = evaluateRules(rules, household({ members: [{ age: 30, gender: 'male' }, { age: 3, gender: 'male' }] }), params);
    expect(failing.rule.outcome).toBe('error');
  });

  it('turns a formula that fails or gives a negative amount into an error for an eligible household', () => {
    const negative = compile({ eligibility: all(condition('always', 'true')), benefitFormula: 'params.subsistenceLineUrban - household.incomePerHead', benefitPeriod: 'monthly' });
    const result = evaluateRules(negative, household({ members: [{ age: 30, gender: 'male', monthlyIncome: 80_000 }] }), params);
    expect(result).toMatchObject({ outcome: 'error', amountFen: null });
    expect(result.errors[0]).toBe('benefitFormula: the formula gave -5000, not an amount from 0 to 100000000 fen');
    const dividing = compile({ eligibility: all(condition('always', 'true')), benefitFormula: 'params.subsistenceLineUrban / (household.size - 1)', benefitPeriod: 'monthly' });
    expect(evaluateRules(dividing, household({ members: [{ age: 30, gender: 'male' }] }), params).errors).toEqual(['benefitFormula: division by zero']);
  });
});

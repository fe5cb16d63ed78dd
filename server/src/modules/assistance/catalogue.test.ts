import { describe, expect, it } from 'vitest';
import {
  CATALOGUE_AREA,
  SHIPPED_CATEGORIES,
  SHIPPED_DEPARTMENTS,
  SHIPPED_PARAMETERS,
  SHIPPED_POLICIES,
  SHIPPED_SERVICE_LISTS,
} from '../../platform/db/migrations/0015-assistance-policies.data.ts';
import { DISTRICT_DEPARTMENTS } from '../demo/index.ts';
import { evaluateRules, parameterValues } from './evaluation.ts';
import { prepareHousehold } from './facts.ts';
import { compileRules, createRuleEnvironment, type CompiledRules, type ParameterDefinition } from './rules.ts';

const DEFINITIONS: ParameterDefinition[] = SHIPPED_PARAMETERS.map((p) => ({ key: p.key, valueType: p.valueType, unit: p.unit, nameZh: p.nameZh, nameEn: p.nameEn }));
const environment = createRuleEnvironment(DEFINITIONS, SHIPPED_CATEGORIES.map((c) => c.code));

function compiledPolicies(): Map<string, CompiledRules> {
  const compiled = new Map<string, CompiledRules>();
  for (const policy of SHIPPED_POLICIES) {
    const result = compileRules(environment, { eligibility: policy.eligibility, benefitFormula: policy.benefitFormula, benefitPeriod: policy.benefitPeriod });
    if (result.compiled) compiled.set(policy.code, result.compiled);
  }
  return compiled;
}

function valuesIn(year: number): Map<string, number> {
  const values = new Map<string, number>();
  for (const parameter of SHIPPED_PARAMETERS) {
    const inForce = parameter.values.filter((v) => v.areaCode === CATALOGUE_AREA && v.year <= year).sort((a, b) => b.year - a.year)[0];
    if (inForce) values.set(parameter.key, inForce.value);
  }
  return values;
}

describe('the demo city’s assistance catalogue (社会救助政策目录)', () => {
  it('validates every shipped rule and formula against the declared facts and standards', () => {
    const problems = SHIPPED_POLICIES.flatMap((policy) =>
      compileRules(environment, { eligibility: policy.eligibility, benefitFormula: policy.benefitFormula, benefitPeriod: policy.benefitPeriod }).problems.map((p) => `${policy.code}: ${p.condition ?? p.path}: ${p.message}`),
    );
    expect(problems).toEqual([]);
  });

  it('holds 57 policies of 15 departments in 20 service lists, as the Shapingba complex does', () => {
    expect(SHIPPED_POLICIES).toHaveLength(57);
    expect(new Set(SHIPPED_POLICIES.map((p) => p.code)).size).toBe(57);
    expect(SHIPPED_DEPARTMENTS).toHaveLength(15);
    expect(new Set(SHIPPED_POLICIES.map((p) => p.department))).toEqual(new Set(SHIPPED_DEPARTMENTS.map((d) => d.code)));
    expect(SHIPPED_SERVICE_LISTS).toHaveLength(20);
    const categories = new Set(SHIPPED_CATEGORIES.map((c) => c.code));
    expect(SHIPPED_POLICIES.filter((p) => !categories.has(p.category))).toEqual([]);
    for (const code of ['subsistence_allowance', 'destitute_support', 'temporary_assistance', 'medical_assistance', 'education_assistance', 'housing_assistance', 'employment_assistance', 'orphan_allowance', 'disability_subsidies', 'elderly_allowance']) {
      expect(categories.has(code), code).toBe(true);
    }
  });

  it('puts every policy in a service list and leaves no list empty', () => {
    const lists = new Set(SHIPPED_SERVICE_LISTS.map((l) => l.code));
    expect(SHIPPED_POLICIES.filter((p) => p.serviceLists.length === 0).map((p) => p.code)).toEqual([]);
    expect(SHIPPED_POLICIES.flatMap((p) => p.serviceLists.filter((l) => !lists.has(l)))).toEqual([]);
    const used = new Set(SHIPPED_POLICIES.flatMap((p) => p.serviceLists));
    expect([...lists].filter((l) => !used.has(l))).toEqual([]);
  });

  it('bundles 11 items of 7 departments into the "one thing" list (社会救助一件事)', () => {
    const items = SHIPPED_POLICIES.filter((p) => p.serviceLists.includes('one_thing'));
    expect(items).toHaveLength(11);
    expect(new Set(items.map((p) => p.department)).size).toBe(7);
  });

  it('lists exactly the policies granted without review, each decided within 5 working days', () => {
    const reviewFree = SHIPPED_POLICIES.filter((p) => p.isReviewFree);
    expect(SHIPPED_POLICIES.filter((p) => p.serviceLists.includes('review_free')).map((p) => p.code)).toEqual(reviewFree.map((p) => p.code));
    expect(reviewFree.filter((p) => p.timeLimitDays > 5).map((p) => p.code)).toEqual([]);
    expect(reviewFree.length).toBeGreaterThanOrEqual(10);
  });

  it('names departments as the demo registry names each district’s offices', () => {
    expect(SHIPPED_DEPARTMENTS.filter((d) => !(DISTRICT_DEPARTMENTS as readonly string[]).includes(d.organisationName)).map((d) => d.code)).toEqual([]);
  });

  it('gives every standard a value for the city from 2023, and raises the subsistence lines in 2024', () => {
    expect(SHIPPED_PARAMETERS.filter((p) => !p.values.some((v) => v.areaCode === CATALOGUE_AREA && v.year === 2023)).map((p) => p.key)).toEqual([]);
    expect(valuesIn(2024).get('subsistenceLineUrban')).toBeGreaterThan(valuesIn(2023).get('subsistenceLineUrban')!);
    // Money is whole fen.
    expect(SHIPPED_PARAMETERS.flatMap((p) => p.values.filter((v) => !Number.isInteger(v.value)).map(() => p.key))).toEqual([]);
  });

  it('answers the seed’s worked example: an 11-year-old on 低保 whose mother fell ill', () => {
    // Shapingba, seed 002: the mother fell ill and nobody looked after the girl; temporary
    // assistance, a housing subsidy, medical assistance and fee waivers followed, some without review.
    const prepared = prepareHousehold({
      members: [
        { age: 38, gender: 'female', relation: 'head', health: 'serious_illness', employment: 'unable_to_work' },
        { age: 11, gender: 'female', relation: 'child', schoolStage: 'primary' },
      ],
      housing: 'private_rental',
      benefits: ['subsistence_allowance'],
      hardships: ['serious_illness', 'caregiver_ill'],
      hospitalCostsLast12Months: 1_200_000,
    });
    expect(prepared.problems).toEqual([]);
    const params = parameterValues(DEFINITIONS, valuesIn(2024), '500106', 2024);
    const outcomes = new Map([...compiledPolicies()].map(([code, rules]) => [code, evaluateRules(rules, prepared.context!, params)]));
    expect([...outcomes].filter(([, e]) => e.outcome === 'error').map(([code]) => code)).toEqual([]);
    const eligible = (code: string) => outcomes.get(code)!.outcome === 'eligible';
    expect(['temporary_assistance_emergency', 'rent_subsidy', 'medical_assistance_inpatient', 'garbage_fee_waiver', 'subsistence_urban'].filter((code) => !eligible(code))).toEqual([]);
    // 3 months of the 750-yuan line for 2 people; 15 m² a head at 10 yuan; 70% of 12,000 yuan.
    expect(outcomes.get('temporary_assistance_emergency')!.amountFen).toBe(450_000);
    expect(outcomes.get('rent_subsidy')!.amountFen).toBe(30_000);
    expect(outcomes.get('medical_assistance_inpatient')!.amountFen).toBe(840_000);
    const reviewFree = SHIPPED_POLICIES.filter((p) => p.isReviewFree && eligible(p.code)).map((p) => p.code);
    expect(reviewFree).toEqual(expect.arrayContaining(['medical_assistance_inpatient', 'garbage_fee_waiver']));
    expect(SHIPPED_POLICIES.filter((p) => !p.isReviewFree && eligible(p.code)).map((p) => p.code)).toEqual(expect.arrayContaining(['temporary_assistance_emergency', 'rent_subsidy']));
    // Not everything: the girl is not an orphan, nobody is 80, the price link is not triggered.
    for (const code of ['orphan_allowance', 'elderly_allowance', 'price_temporary_subsidy', 'destitute_support']) expect(outcomes.get(code)!.outcome, code).toBe('ineligible');
  });

  it('pays an old couple the old-age allowance and the grade-1 care subsidy with the shipped standards', () => {
    const compiled = compiledPolicies();
    const prepared = prepareHousehold({ members: [{ age: 82, gender: 'male', disabilityGrade: 1 }, { age: 79, gender: 'female', monthlyIncome: 40_000 }], benefits: ['subsistence_allowance'] });
    const params = parameterValues(DEFINITIONS, valuesIn(2024), CATALOGUE_AREA, 2024);
    const elderly = evaluateRules(compiled.get('elderly_allowance')!, prepared.context!, params);
    const care = evaluateRules(compiled.get('severe_disability_care_subsidy')!, prepared.context!, params);
    expect(elderly).toMatchObject({ outcome: 'eligible', amountFen: 5_000 });
    expect(care).toMatchObject({ outcome: 'eligible', amountFen: 12_000 });
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../platform/db/database.ts';
import { isAppError } from '../../platform/errors.ts';
import { createTestDatabase, testDatabaseKinds } from '../../platform/testing/test-database.ts';
import { insertPlaceFixture, PLACES } from '../../testing/fixtures.ts';
import { compiledCatalogue, resolveParameters, type CompiledPolicy } from './catalogue.ts';
import { evaluateRules, type EligibilityOutcome, type ParameterValues } from './evaluation.ts';
import { prepareHousehold, type HouseholdFactsInput } from './facts.ts';
import type { RuleNode } from './rules.ts';
import { generateHouseholds } from './sweep.fixtures.ts';
import { planSweep, sweepCatalogueOf, sweepHouseholdOutcomes, sweepHouseholds, type DiscoveryCandidate, type SweepCatalogue, type SweepHousehold, type SweepPolicy } from './sweep.ts';

const condition = (name: string, expression: string): RuleNode => ({ kind: 'condition', name, label: name, expression });

/** Households written by hand around the lines the shipped rules draw (2024: ¥750 urban, ¥610 rural). */
const HAND_MADE: SweepHousehold[] = [
  {
    // Seed 002's worked example: an 11-year-old on 低保 whose mother fell ill.
    id: 'seed-child',
    facts: {
      members: [
        { age: 38, gender: 'female', relation: 'head', health: 'serious_illness', employment: 'unable_to_work' },
        { age: 11, gender: 'female', relation: 'child', schoolStage: 'primary' },
      ],
      housing: 'private_rental',
      benefits: ['subsistence_allowance'],
      hardships: ['serious_illness', 'caregiver_ill'],
      hospitalCostsLast12Months: 1_200_000,
    },
  },
  // Income per head one fen below, at, and one fen above the urban line.
  { id: 'urban-below-line', facts: { members: [{ age: 45, gender: 'male', monthlyIncome: 74_999 }] } },
  { id: 'urban-at-line', facts: { members: [{ age: 45, gender: 'male', monthlyIncome: 75_000 }] } },
  { id: 'urban-above-line', facts: { members: [{ age: 45, gender: 'male', monthlyIncome: 75_001 }] } },
  { id: 'rural-below-line', facts: { isRural: true, members: [{ age: 52, gender: 'female', employment: 'farming', monthlyIncome: 60_999 }] } },
  {
    id: 'old-couple',
    facts: { members: [{ age: 82, gender: 'male', disabilityGrade: 1, disabilityKind: 'physical', selfCare: 'none' }, { age: 79, gender: 'female', monthlyIncome: 40_000 }], benefits: ['subsistence_allowance'] },
  },
  {
    id: 'destitute-elder',
    facts: { members: [{ age: 88, gender: 'female', livesAlone: true, hasCapableSupporter: false, selfCare: 'partial', monthlyIncome: 20_000 }], benefits: ['destitute_support'], hospitalCostsLast12Months: 300_000 },
  },
  {
    id: 'orphans-with-grandmother',
    facts: {
      members: [
        { age: 68, gender: 'female', relation: 'grandparent', monthlyIncome: 38_000 },
        { age: 9, gender: 'male', relation: 'grandchild', isOrphan: true, hasCapableSupporter: false, schoolStage: 'primary', isBoarding: true },
        { age: 16, gender: 'female', relation: 'grandchild', isOrphan: true, hasCapableSupporter: false, schoolStage: 'senior' },
      ],
      isRural: true,
      housing: 'dilapidated',
      property: { homes: 1 },
    },
  },
  {
    id: 'rich-with-car-and-company',
    facts: {
      members: [{ age: 40, gender: 'male', monthlyIncome: 2_000_000 }],
      vehicles: [{ kind: 'car', value: 30_000_000 }],
      businesses: [{ kind: 'company', registeredCapital: 500_000_000 }],
      property: { financialAssets: 9_000_000_000, homes: 3, hasCommercialProperty: true },
    },
  },
  // Poor by income, but the assets are one fen over the limit (¥750 × 24 months × 1 person).
  { id: 'assets-over-limit', facts: { members: [{ age: 50, gender: 'female' }], property: { financialAssets: 1_800_001 } } },
  { id: 'assets-at-limit', facts: { members: [{ age: 50, gender: 'female' }], property: { financialAssets: 1_800_000 } } },
];

function outcomesByEvaluateRules(policies: CompiledPolicy[], facts: HouseholdFactsInput, params: ParameterValues) {
  const prepared = prepareHousehold(facts);
  if (!prepared.context) throw new Error(JSON.stringify(prepared.problems));
  return policies.map((policy) => {
    const evaluation = evaluateRules(policy.compiled!, prepared.context!, params);
    return { code: policy.row.code, outcome: evaluation.outcome, amountFen: evaluation.amountFen };
  });
}

/** Totals and candidates computed household by household with evaluateRules: what a sweep must report. */
function expectedSweep(policies: CompiledPolicy[], households: SweepHousehold[], params: ParameterValues) {
  const counts = policies.map((policy) => ({ code: policy.row.code, eligible: 0, ineligible: 0, error: 0 }));
  const candidates: DiscoveryCandidate[] = [];
  for (const { id, facts } of households) {
    const benefits = ((facts.benefits as string[] | undefined) ?? []);
    outcomesByEvaluateRules(policies, facts, params).forEach((result, i) => {
      counts[i]![result.outcome] += 1;
      if (result.outcome === 'eligible' && !benefits.includes(policies[i]!.row.category_code)) candidates.push({ householdId: id, policyCode: result.code, amountFen: result.amountFen });
    });
  }
  return { counts, candidates };
}

describe.each(testDatabaseKinds())('the monitoring sweep (主动发现) on %s', (kind) => {
  let handle: DatabaseHandle;
  let active: CompiledPolicy[];
  let params: ParameterValues;
  let catalogue: SweepCatalogue;
  // Several hundred households of a generated city, and the hand-made ones.
  const generated = [...generateHouseholds({ persons: 1_200, seed: 5 })];
  const households = [...HAND_MADE, ...generated];

  beforeAll(async () => {
    handle = await createTestDatabase(kind);
    await insertPlaceFixture(handle.db);
    const compiled = await compiledCatalogue(handle.db);
    active = compiled.policies.filter((policy) => policy.row.status === 'active');
    params = (await resolveParameters(handle.db, compiled.parameters, PLACES.district, 2024)).values;
    catalogue = sweepCatalogueOf(compiled, params);
  });

  afterAll(async () => {
    await handle.close();
  });

  it('loads the shipped catalogue: 57 active policies, every one compiled, with the district’s standards of 2024', () => {
    expect(catalogue.policies).toHaveLength(57);
    expect(active.filter((policy) => !policy.compiled).map((policy) => policy.row.code)).toEqual([]);
    expect(catalogue).toMatchObject({ areaCode: PLACES.district, year: 2024 });
    expect(new Map(catalogue.values).get('subsistenceLineUrban')).toBe(75_000);
  });

  it('gives every household exactly the outcome and amount evaluateRules gives, policy by policy', () => {
    expect(generated.length).toBeGreaterThan(300);
    const plan = planSweep(catalogue);
    const seen: Record<EligibilityOutcome, number> = { eligible: 0, ineligible: 0, error: 0 };
    const policiesWithEligible = new Set<string>();
    for (const { id, facts } of households) {
      const expected = outcomesByEvaluateRules(active, facts, params);
      const actual = sweepHouseholdOutcomes(plan, prepareHousehold(facts).context!);
      expect(actual, id).toEqual(expected);
      for (const result of actual) {
        seen[result.outcome] += 1;
        if (result.outcome === 'eligible') policiesWithEligible.add(result.code);
      }
    }
    // Not a vacuous comparison: households are eligible and ineligible for most policies.
    expect(seen.eligible).toBeGreaterThan(households.length);
    expect(seen.ineligible).toBeGreaterThan(households.length * 30);
    expect(policiesWithEligible.size).toBeGreaterThan(45);
  });

  it('answers the boundaries as the rules draw them: below the line is eligible, at the line is not, assets at the limit are', () => {
    const plan = planSweep(catalogue);
    const outcomeOf = (id: string, code: string) => {
      const household = HAND_MADE.find((h) => h.id === id)!;
      return sweepHouseholdOutcomes(plan, prepareHousehold(household.facts).context!).find((r) => r.code === code)!;
    };
    expect(outcomeOf('urban-below-line', 'subsistence_urban')).toMatchObject({ outcome: 'eligible', amountFen: 1 });
    expect(outcomeOf('urban-at-line', 'subsistence_urban').outcome).toBe('ineligible');
    expect(outcomeOf('urban-above-line', 'subsistence_urban').outcome).toBe('ineligible');
    expect(outcomeOf('rural-below-line', 'subsistence_rural')).toMatchObject({ outcome: 'eligible', amountFen: 1 });
    expect(outcomeOf('assets-at-limit', 'subsistence_urban')).toMatchObject({ outcome: 'eligible', amountFen: 75_000 });
    expect(outcomeOf('assets-over-limit', 'subsistence_urban').outcome).toBe('ineligible');
    expect(outcomeOf('old-couple', 'elderly_allowance')).toMatchObject({ outcome: 'eligible', amountFen: 5_000 });
  });

  it('counts per policy and lists candidates on worker threads exactly as evaluateRules household by household, in input order', async () => {
    const expected = expectedSweep(active, households, params);
    const threaded = await sweepHouseholds(catalogue, households, { workers: 2, chunkSize: 37 });
    expect(threaded.workers).toBe(2);
    expect(threaded.households).toBe(households.length);
    expect(threaded.evaluations).toBe(households.length * 57);
    expect(threaded.rejected.count).toBe(0);
    expect(threaded.policies.map(({ code, eligible, ineligible, error }) => ({ code, eligible, ineligible, error }))).toEqual(expected.counts);
    expect(threaded.candidates).toEqual(expected.candidates);
    expect(threaded.candidateCount).toBe(expected.candidates.length);
    // The same sweep on this thread, from an async source, gives the same result.
    async function* stream() {
      for (const household of households) yield household;
    }
    const inline = await sweepHouseholds(catalogue, stream(), { workers: 0, chunkSize: 100 });
    expect({ ...inline, workers: 2 }).toEqual(threaded);
  });

  it('leaves out of the candidates a policy whose category the household already receives', async () => {
    const poor = { members: [{ age: 45, gender: 'female', monthlyIncome: 30_000 }, { age: 12, gender: 'male', schoolStage: 'junior' }], housing: 'private_rental' };
    const result = await sweepHouseholds(catalogue, [
      { id: 'not-covered', facts: poor },
      { id: 'covered', facts: { ...poor, benefits: ['subsistence_allowance'] } },
    ]);
    const subsistence = result.policies.find((p) => p.code === 'subsistence_urban')!;
    // (750 − 150) × 2 people: eligible both times, whether covered or not.
    expect(subsistence).toMatchObject({ eligible: 2, ineligible: 0, error: 0 });
    expect(result.candidates.filter((c) => c.policyCode === 'subsistence_urban')).toEqual([{ householdId: 'not-covered', policyCode: 'subsistence_urban', amountFen: 120_000 }]);
    // The covered household is a candidate for what 低保 opens (rent subsidy, category housing_assistance) that it does not receive yet.
    expect(result.candidates.filter((c) => c.householdId === 'covered').map((c) => c.policyCode)).toContain('rent_subsidy');
    const categoryOf = new Map(catalogue.policies.map((p) => [p.code, p.categoryCode]));
    expect(result.candidates.filter((c) => c.householdId === 'covered' && categoryOf.get(c.policyCode) === 'subsistence_allowance')).toEqual([]);
  });

  it('counts a rule that divides by a fact that is zero as an error for those households only, with the message, and goes on', async () => {
    const drafts: SweepPolicy[] = [
      {
        code: 'draft_divides',
        categoryCode: 'temporary_assistance',
        rules: { eligibility: { kind: 'all', items: [condition('costs_per_other_income', 'household.hospitalCostsLast12Months / household.otherMonthlyIncome >= 0')] }, benefitFormula: null, benefitPeriod: 'none' },
      },
      // A failed condition before the error does not hide it: evaluateRules evaluates every condition.
      {
        code: 'draft_fails_then_divides',
        categoryCode: 'temporary_assistance',
        rules: { eligibility: { kind: 'all', items: [condition('never', 'household.size > 50'), condition('divides', '100 / household.otherMonthlyIncome >= 0')] }, benefitFormula: null, benefitPeriod: 'none' },
      },
      {
        code: 'draft_holds_or_divides',
        categoryCode: 'temporary_assistance',
        rules: { eligibility: { kind: 'any', items: [condition('always', 'household.size > 0'), condition('divides', '100 / household.otherMonthlyIncome >= 0')] }, benefitFormula: null, benefitPeriod: 'none' },
      },
    ];
    const withDrafts: SweepCatalogue = { ...catalogue, policies: [...catalogue.policies, ...drafts] };
    const zeroOther = households.filter((h) => !h.facts.otherMonthlyIncome);
    expect(zeroOther.length).toBeGreaterThan(0);
    expect(zeroOther.length).toBeLessThan(households.length);

    const result = await sweepHouseholds(withDrafts, households, { workers: 2, chunkSize: 64, errorSamples: 3 });
    for (const code of ['draft_divides', 'draft_fails_then_divides', 'draft_holds_or_divides']) {
      const totals = result.policies.find((p) => p.code === code)!;
      expect(totals.error, code).toBe(zeroOther.length);
      expect(totals.eligible + totals.ineligible, code).toBe(households.length - zeroOther.length);
      expect(totals.errorSamples.map((s) => s.householdId), code).toEqual(zeroOther.slice(0, 3).map((h) => h.id));
      expect(totals.errorSamples[0]!.message, code).toMatch(/division by zero/);
    }
    expect(result.policies.find((p) => p.code === 'draft_fails_then_divides')!.eligible).toBe(0);
    // The shipped policies are untouched by the drafts' errors.
    expect(result.policies.slice(0, 57).map(({ code, eligible, ineligible, error }) => ({ code, eligible, ineligible, error }))).toEqual(expectedSweep(active, households, params).counts);

    // And the fast path agrees with evaluateRules on every one of these households.
    const plan = planSweep(withDrafts);
    for (const { id, facts } of households) {
      const prepared = prepareHousehold(facts).context!;
      const fast = sweepHouseholdOutcomes(plan, prepared).slice(57);
      const slow = plan.policies.slice(57).map((policy) => {
        const evaluation = evaluateRules(policy.compiled!, prepared, plan.params);
        return { code: policy.code, outcome: evaluation.outcome, amountFen: evaluation.amountFen };
      });
      expect(fast, id).toEqual(slow);
    }
  });

  it('counts a standard with no value as an error: for everyone in a condition, for the eligible only in a formula', async () => {
    const unset = { key: 'unsetStandard', valueType: 'int' as const, unit: 'fen' as const, nameZh: '未设定的标准', nameEn: 'A standard with no value' };
    const drafts: SweepPolicy[] = [
      {
        code: 'draft_condition_unset',
        categoryCode: 'living_grant',
        rules: { eligibility: { kind: 'any', items: [condition('aged_80', 'household.members.exists(m, m.age >= 80)'), condition('income_below', 'household.incomePerHead < params.unsetStandard')] }, benefitFormula: null, benefitPeriod: 'none' },
      },
      {
        code: 'draft_formula_unset',
        categoryCode: 'living_grant',
        rules: { eligibility: { kind: 'all', items: [condition('aged_80', 'household.members.exists(m, m.age >= 80)')] }, benefitFormula: 'household.size * params.unsetStandard', benefitPeriod: 'monthly' },
      },
    ];
    const withUnset: SweepCatalogue = { ...catalogue, parameters: [...catalogue.parameters, unset], policies: [...catalogue.policies, ...drafts] };
    const aged80 = households.filter((h) => (h.facts.members as Array<{ age: number }>).some((m) => m.age >= 80));
    expect(aged80.length).toBeGreaterThan(0);
    const result = await sweepHouseholds(withUnset, households, { workers: 0 });
    expect(result.policies.find((p) => p.code === 'draft_condition_unset')).toMatchObject({ eligible: 0, ineligible: 0, error: households.length });
    expect(result.policies.find((p) => p.code === 'draft_condition_unset')!.errorSamples[0]!.message).toBe(`income_below: no value of params.unsetStandard for area ${PLACES.district} in 2024`);
    expect(result.policies.find((p) => p.code === 'draft_formula_unset')).toMatchObject({ eligible: 0, ineligible: households.length - aged80.length, error: aged80.length });
    expect(result.policies.find((p) => p.code === 'draft_formula_unset')!.errorSamples[0]!.message).toMatch(/^benefitFormula: no value of params.unsetStandard/);
  });

  it('rejects a household whose facts are not valid, counts it, and evaluates the others', async () => {
    const result = await sweepHouseholds(catalogue, [HAND_MADE[1]!, { id: 'bad', facts: { members: [{ age: 200, gender: 'male' }] } }, { id: 'not-an-object', facts: null as unknown as HouseholdFactsInput }, HAND_MADE[2]!], { workers: 1 });
    expect(result.households).toBe(2);
    expect(result.rejected.count).toBe(2);
    expect(result.rejected.samples.map((s) => s.householdId)).toEqual(['bad', 'not-an-object']);
    expect(result.rejected.samples[0]!.problems).toMatch(/members\.0\.age/);
    expect(result.policies.find((p) => p.code === 'subsistence_urban')).toMatchObject({ eligible: 1, ineligible: 1, error: 0 });
  });

  it('refuses options that are not whole numbers in range', async () => {
    await expect(sweepHouseholds(catalogue, [], { workers: -1 })).rejects.toSatisfy((error: unknown) => isAppError(error, 'VALIDATION_FAILED'));
    await expect(sweepHouseholds(catalogue, [], { chunkSize: 0 })).rejects.toSatisfy((error: unknown) => isAppError(error, 'VALIDATION_FAILED'));
  });
});

describe('the generated city of the monitoring sweep', () => {
  const city = [...generateHouseholds({ persons: 20_000, seed: 11 })];

  it('holds exactly the persons asked for, in households of 1 to 6 averaging about 2.6', () => {
    const sizes = city.map((h) => (h.facts.members as unknown[]).length);
    expect(sizes.reduce((sum, size) => sum + size, 0)).toBe(20_000);
    expect(Math.min(...sizes)).toBe(1);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(6);
    const mean = 20_000 / city.length;
    expect(mean).toBeGreaterThan(2.4);
    expect(mean).toBeLessThan(2.8);
    expect(new Set(city.map((h) => h.id)).size).toBe(city.length);
  });

  it('is the same city for the same seed, of which a smaller city is the start, and another city for another seed', () => {
    expect([...generateHouseholds({ persons: 20_000, seed: 11 })]).toEqual(city);
    const smaller = [...generateHouseholds({ persons: 2_000, seed: 11 })];
    // Only the smaller city's last household may be cut short to make the count exact.
    expect(smaller.slice(0, -1)).toEqual(city.slice(0, smaller.length - 1));
    expect([...generateHouseholds({ persons: 2_000, seed: 12 })]).not.toEqual(smaller);
  });

  it('gives valid facts, a few percent of households on 低保, and incomes around the line', () => {
    const prepared = city.map((h) => prepareHousehold(h.facts));
    expect(prepared.filter((p) => !p.context).map((p) => p.problems)).toEqual([]);
    const share = (test: (facts: Record<string, unknown>) => boolean) => prepared.filter((p) => test(p.context!.facts)).length / city.length;
    const onSubsistence = share((f) => (f.benefits as string[]).includes('subsistence_allowance'));
    expect(onSubsistence).toBeGreaterThan(0.02);
    expect(onSubsistence).toBeLessThan(0.08);
    const belowUrbanLine = share((f) => !f.isRural && (f.incomePerHead as number) < 75_000);
    expect(belowUrbanLine).toBeGreaterThan(0.02);
    expect(belowUrbanLine).toBeLessThan(0.15);
    expect(share((f) => (f.hardships as string[]).length > 0)).toBeGreaterThan(0.01);
    expect(share((f) => (f.members as Array<{ disabilityGrade: number }>).some((m) => m.disabilityGrade > 0))).toBeGreaterThan(0.03);
    const persons = prepared.flatMap((p) => p.context!.facts.members as Array<{ age: number }>);
    const elderly = persons.filter((m) => m.age >= 60).length / persons.length;
    expect(elderly).toBeGreaterThan(0.15);
    expect(elderly).toBeLessThan(0.35);
  });
});

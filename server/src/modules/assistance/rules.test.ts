import { describe, expect, it } from 'vitest';
import { compileRules, createRuleEnvironment, RULE_LIMITS, type ParameterDefinition, type RuleGroup, type RuleNode } from './rules.ts';

const PARAMETERS: ParameterDefinition[] = [
  { key: 'subsistenceLineUrban', valueType: 'int', unit: 'fen', nameZh: '城市低保标准', nameEn: 'Urban line' },
  { key: 'destituteRatio', valueType: 'double', unit: 'ratio', nameZh: '特困倍数', nameEn: 'Destitute ratio' },
];
const environment = createRuleEnvironment(PARAMETERS, ['subsistence_allowance', 'destitute_support']);

const condition = (name: string, expression: string): RuleNode => ({ kind: 'condition', name, label: name, expression });
const all = (...items: RuleNode[]): RuleGroup => ({ kind: 'all', items });

function problemsOf(eligibility: RuleGroup, benefitFormula: string | null = null, benefitPeriod: 'monthly' | 'none' = benefitFormula === null ? 'none' : 'monthly') {
  return compileRules(environment, { eligibility, benefitFormula, benefitPeriod }).problems;
}

describe('assistance rules are validated when saved', () => {
  it('accepts named conditions over the declared facts and parameters, with a formula giving fen', () => {
    const result = compileRules(environment, {
      eligibility: all(
        condition('income_below_line', 'household.incomePerHead < params.subsistenceLineUrban'),
        { kind: 'any', items: [condition('lives_alone_elder', 'household.members.exists(m, m.age >= 60 && m.livesAlone)'), condition('on_roll', '"subsistence_allowance" in household.benefits')] },
      ),
      benefitFormula: '(params.subsistenceLineUrban - household.incomePerHead) * household.size',
      benefitPeriod: 'monthly',
    });
    expect(result.problems).toEqual([]);
    expect(result.compiled?.formula?.parameterKeys).toEqual(['subsistenceLineUrban']);
  });

  it('names the condition and the field when a rule reads a fact that is not declared', () => {
    const problems = problemsOf(all(condition('income_ok', 'household.incomePerHead < params.subsistenceLineUrban'), condition('owns_yacht', 'household.property.yachts > 0')));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ path: 'eligibility.items.1', condition: 'owns_yacht', message: 'No such key: yachts' });
    expect(problems[0]!.range).toEqual({ start: 'household.property.'.length, end: 'household.property.yachts'.length });
  });

  it('refuses a comparison of different types and a condition that does not give true or false', () => {
    const problems = problemsOf(all(condition('wrong_type', 'household.incomePerHead < "750"'), condition('not_a_test', 'household.incomePerHead + 1')));
    expect(problems.map((p) => p.condition)).toEqual(['wrong_type', 'not_a_test']);
    expect(problems[0]!.message).toContain('int < string');
    expect(problems[1]!.message).toBe('the expression gives int, not true or false');
  });

  it('refuses an unknown parameter, an unparsable expression and a list element of the wrong type', () => {
    const problems = problemsOf(
      all(
        condition('unknown_param', 'household.incomePerHead < params.dibaoLine'),
        condition('half_written', 'household.incomePerHead <'),
        condition('member_typo', 'household.members.exists(m, m.agee >= 60)'),
      ),
    );
    expect(problems.map((p) => [p.condition, p.message])).toEqual([
      ['unknown_param', 'No such key: dibaoLine'],
      ['half_written', 'Unexpected token: EOF'],
      ['member_typo', 'No such key: agee'],
    ]);
  });

  it('refuses a string that is not one of the values a fact can take, listing the values', () => {
    const problems = problemsOf(
      all(
        condition('sick_member', 'household.members.exists(m, m.health == "sick")'),
        condition('on_dibao', '"dibao" in household.benefits'),
        condition('hardship_typo', 'household.hardships.exists(h, h in ["illness", "fire"])'),
        condition('housing_ok', 'household.housing != "owned"'),
      ),
    );
    expect(problems.map((p) => p.condition)).toEqual(['sick_member', 'on_dibao', 'hardship_typo']);
    expect(problems[0]!.message).toBe('"sick" is not a value of m.health; use one of: healthy, chronic_illness, serious_illness');
    expect(problems[1]!.message).toBe('"dibao" is not a category code of household.benefits; use one of: subsistence_allowance, destitute_support');
    expect(problems[2]!.message).toContain('"illness" is not a value of h');
  });

  it('checks names, labels, empty groups and nesting depth, reporting every problem at once', () => {
    let deep: RuleGroup = all(condition('deepest', 'true'));
    for (let depth = 1; depth <= RULE_LIMITS.depth; depth++) deep = all(deep);
    const problems = problemsOf(
      all(
        condition('Income Test', 'true'),
        condition('same', 'true'),
        condition('same', 'true'),
        { kind: 'condition', name: 'no_label', label: '  ', expression: 'true' },
        { kind: 'any', items: [] },
        deep,
      ),
    );
    expect(problems.map((p) => p.message)).toEqual([
      expect.stringContaining("the condition's name must be lower-case letters"),
      'another condition is already named "same"',
      'the condition needs a label of 1 to 200 characters',
      'an "any" group needs at least one condition',
      `groups are nested deeper than ${RULE_LIMITS.depth}`,
    ]);
  });

  it('requires a formula giving whole fen exactly when the benefit is money', () => {
    const rule = all(condition('always', 'true'));
    expect(problemsOf(rule, null, 'monthly')[0]).toMatchObject({ path: 'benefitFormula', message: 'a benefit paid in money needs a formula giving fen' });
    expect(problemsOf(rule, '100', 'none')[0]).toMatchObject({ path: 'benefitFormula', message: 'a benefit that is not money has no formula' });
    expect(problemsOf(rule, 'household.incomePerHead * params.destituteRatio')[0]!.message).toContain('int * double');
    expect(problemsOf(rule, 'double(household.incomePerHead) * params.destituteRatio')[0]!.message).toBe('the expression gives double, not a whole number of fen');
    expect(problemsOf(rule, 'int(double(params.subsistenceLineUrban) * params.destituteRatio) * household.size')).toEqual([]);
    expect(problemsOf(rule, 'household.members.map(m, m.monthlyIncome).sum() + min(1, max(2, 3))')).toEqual([]);
  });

  it('refuses regular expressions, which declared facts never need', () => {
    const problems = problemsOf(all(condition('pattern', 'household.members.exists(m, m.health.matches("^(a+)+$"))'), condition('housing_pattern', 'household.housing.matches("own.*")')));
    expect(problems.map((p) => [p.condition, p.message])).toEqual([
      ['pattern', 'regular expressions (matches) are not allowed in rules; compare with the declared values'],
      ['housing_pattern', 'regular expressions (matches) are not allowed in rules; compare with the declared values'],
    ]);
  });

  it('refuses expressions beyond the size limits', () => {
    const long = `household.size > 0${' && household.size > 0'.repeat(200)}`;
    expect(problemsOf(all(condition('too_long', long)))[0]!.message).toBe(`the expression is longer than ${RULE_LIMITS.expressionLength} characters`);
    const wide = `household.size > 0${' && household.size > 0'.repeat(80)}`;
    expect(problemsOf(all(condition('too_big', wide)))[0]!.message).toMatch(/maxAstNodes|maxDepth/);
  });
});

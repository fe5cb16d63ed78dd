import type { FactValue, HouseholdContext } from './facts.ts';
import { BENEFIT_AMOUNT_MAX, celErrorMessage, type CompiledExpression, type CompiledNode, type CompiledRules, type ParameterDefinition, type ReadPath } from './rules.ts';

/**
 * Evaluating a policy's rules for one household, explained: every condition is evaluated (no
 * short cut), and each says whether it held, failed or could not be evaluated, with the values
 * it looked at. A condition that cannot be evaluated makes the whole policy's outcome `error`:
 * a rule that cannot be read for a household decides nothing for it, so staff see the error
 * instead of a refusal the household never deserved.
 */

/** What became of one condition. */
export type ConditionOutcome = 'held' | 'failed' | 'error';

/** The result of a policy for a household. */
export type EligibilityOutcome = 'eligible' | 'ineligible' | 'error';

/** A value an expression looked at; `value` is null when it does not exist (a missing local standard). */
export interface LookedAt {
  path: string;
  value: FactValue | null;
}

/** One condition, explained. */
export interface ConditionExplanation {
  kind: 'condition';
  name: string;
  label: string;
  labelEn: string | null;
  expression: string;
  outcome: ConditionOutcome;
  values: LookedAt[];
  error: string | null;
}

/**
 * A group, explained. Its outcome follows three-valued logic, so staff see which part decided:
 * `all` fails as soon as one item fails and holds when every item holds; `any` holds as soon as
 * one item holds and fails when every item fails; otherwise it is `error`.
 */
export interface GroupExplanation {
  kind: 'all' | 'any';
  outcome: ConditionOutcome;
  items: RuleExplanation[];
}

/** A node of an explained rule. */
export type RuleExplanation = ConditionExplanation | GroupExplanation;

/** The benefit formula, explained: computed only for an eligible household. */
export interface FormulaExplanation {
  expression: string;
  outcome: 'computed' | 'skipped' | 'error';
  amountFen: number | null;
  values: LookedAt[];
  error: string | null;
}

/** A policy evaluated for one household. */
export interface PolicyEvaluation {
  outcome: EligibilityOutcome;
  /** Fen per benefit period; null unless eligible with a money benefit. */
  amountFen: number | null;
  rule: GroupExplanation;
  formula: FormulaExplanation | null;
  /** Every error met, prefixed with the condition's name, for lists and logs. */
  errors: string[];
}

/** The local standards in force for one region and year, ready for the rules. */
export interface ParameterValues {
  areaCode: string;
  year: number;
  values: ReadonlyMap<string, number>;
  /** The same values with CEL integers as bigint. */
  cel: Record<string, unknown>;
}

/** Turns resolved values into what the rules read as `params`, typed by their definitions. */
export function parameterValues(definitions: Iterable<ParameterDefinition>, values: ReadonlyMap<string, number>, areaCode: string, year: number): ParameterValues {
  const cel: Record<string, unknown> = {};
  for (const definition of definitions) {
    const value = values.get(definition.key);
    if (value === undefined) continue;
    cel[definition.key] = definition.valueType === 'int' ? BigInt(Math.round(value)) : value;
  }
  return { areaCode, year, values, cel };
}

function readValue(read: ReadPath, household: HouseholdContext, params: ParameterValues): FactValue | null {
  if (read.root === 'params') return params.values.get(read.segments[0]!) ?? null;
  let values: FactValue[] = [household.facts];
  let isList = false;
  for (const segment of read.segments) {
    if (segment === '[]') {
      values = values.flatMap((value) => (Array.isArray(value) ? value : []));
      isList = true;
      continue;
    }
    values = values.map((value) => (typeof value === 'object' && value !== null && !Array.isArray(value) ? (value[segment] ?? null) : null)).filter((value): value is FactValue => value !== null);
  }
  if (isList) return values;
  const value = values[0];
  if (value === undefined) return null;
  return read.isCount && Array.isArray(value) ? value.length : value;
}

function lookedAt(expression: CompiledExpression, household: HouseholdContext, params: ParameterValues): LookedAt[] {
  return expression.reads.map((read) => ({ path: read.label, value: readValue(read, household, params) }));
}

function missingParameter(expression: CompiledExpression, params: ParameterValues): string | null {
  const missing = expression.parameterKeys.filter((key) => !params.values.has(key));
  if (missing.length === 0) return null;
  return `no value of ${missing.map((key) => `params.${key}`).join(', ')} for area ${params.areaCode} in ${params.year}`;
}

function run(expression: CompiledExpression, household: HouseholdContext, params: ParameterValues): { value: unknown; error: null } | { value: null; error: string } {
  const missing = missingParameter(expression, params);
  if (missing) return { value: null, error: missing };
  try {
    return { value: expression.run({ household: household.cel, params: params.cel }), error: null };
  } catch (error) {
    return { value: null, error: celErrorMessage(error) };
  }
}

function combine(kind: 'all' | 'any', outcomes: ConditionOutcome[]): ConditionOutcome {
  const decisive = kind === 'all' ? 'failed' : 'held';
  if (outcomes.includes(decisive)) return decisive;
  if (outcomes.includes('error')) return 'error';
  return kind === 'all' ? 'held' : 'failed';
}

function explainNode(node: CompiledNode, household: HouseholdContext, params: ParameterValues, errors: string[]): RuleExplanation {
  if (node.kind !== 'condition') {
    const items = node.items.map((item) => explainNode(item, household, params, errors));
    return { kind: node.kind, outcome: combine(node.kind, items.map((item) => item.outcome)), items };
  }
  const result = run(node.expression, household, params);
  let outcome: ConditionOutcome;
  let error = result.error;
  if (error === null && typeof result.value !== 'boolean') error = `the condition gave ${typeof result.value}, not true or false`;
  if (error !== null) {
    outcome = 'error';
    errors.push(`${node.name}: ${error}`);
  } else {
    outcome = result.value === true ? 'held' : 'failed';
  }
  return {
    kind: 'condition',
    name: node.name,
    label: node.label,
    labelEn: node.labelEn ?? null,
    expression: node.expression.source,
    outcome,
    values: lookedAt(node.expression, household, params),
    error,
  };
}

function explainFormula(formula: CompiledExpression, household: HouseholdContext, params: ParameterValues): FormulaExplanation {
  const values = lookedAt(formula, household, params);
  const result = run(formula, household, params);
  let error = result.error;
  if (error === null && (typeof result.value !== 'bigint' || result.value < 0n || result.value > BENEFIT_AMOUNT_MAX)) {
    error = `the formula gave ${String(result.value)}, not an amount from 0 to ${BENEFIT_AMOUNT_MAX} fen`;
  }
  if (error !== null) return { expression: formula.source, outcome: 'error', amountFen: null, values, error };
  return { expression: formula.source, outcome: 'computed', amountFen: Number(result.value), values, error: null };
}

/**
 * Evaluates a policy for one household with the local standards of its region and year. Never
 * throws for a household: what fails to evaluate is reported in the outcome and explanation.
 */
export function evaluateRules(rules: CompiledRules, household: HouseholdContext, params: ParameterValues): PolicyEvaluation {
  const errors: string[] = [];
  const rule = explainNode(rules.eligibility, household, params, errors) as GroupExplanation;
  let outcome: EligibilityOutcome = errors.length > 0 ? 'error' : rule.outcome === 'held' ? 'eligible' : 'ineligible';
  let formula: FormulaExplanation | null = null;
  let amountFen: number | null = null;
  if (rules.formula) {
    if (outcome === 'eligible') {
      formula = explainFormula(rules.formula, household, params);
      if (formula.error !== null) {
        outcome = 'error';
        errors.push(`benefitFormula: ${formula.error}`);
      } else {
        amountFen = formula.amountFen;
      }
    } else {
      formula = { expression: rules.formula.source, outcome: 'skipped', amountFen: null, values: [], error: null };
    }
  }
  return { outcome, amountFen, rule, formula, errors };
}

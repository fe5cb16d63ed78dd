import { Environment, type ASTNode } from '@marcbachmann/cel-js';
import { celListTypes, celSchema, HOUSEHOLD_FACTS, type FactField, type FactObject, type FactUnit } from './facts.ts';

/**
 * Eligibility rules and benefit formulas in CEL (Common Expression Language): safe to evaluate
 * (no loops, no I/O, bounded by the size of the facts), checked against the declared facts when a
 * policy is saved, and compiled once per catalogue version.
 */

/** A named condition: a CEL expression over `household` and `params` that gives true or false. */
export interface RuleCondition {
  kind: 'condition';
  /** Key of the condition, unique within its rule (`income_below_line`). */
  name: string;
  /** What the condition means, as staff read it (Chinese). */
  label: string;
  /** The same in English, when written. */
  labelEn?: string | undefined;
  expression: string;
}

/** Conditions of which all (`all`) or at least one (`any`) must hold. */
export interface RuleGroup {
  kind: 'all' | 'any';
  items: RuleNode[];
}

/** A node of an eligibility rule. */
export type RuleNode = RuleCondition | RuleGroup;

/** How often a benefit's amount is paid: per month, per year, once, or not money at all. */
export type BenefitPeriod = 'monthly' | 'yearly' | 'once' | 'none';

/** The rule part of a policy, as stored and as edited. */
export interface PolicyRules {
  eligibility: RuleGroup;
  /** CEL giving the amount in fen for one period; null when the benefit is not money. */
  benefitFormula: string | null;
  benefitPeriod: BenefitPeriod;
}

/** A local standard rules read as `params.<key>` (低保标准…), valued per region and year. */
export interface ParameterDefinition {
  key: string;
  valueType: 'int' | 'double';
  unit: FactUnit;
  nameZh: string;
  nameEn: string;
}

/** A problem found in a rule when it is saved, pointing at the condition by path and name. */
export interface RuleProblem {
  /** Where in the rule: `eligibility.items.2.items.0`, or `benefitFormula`. */
  path: string;
  /** The condition's name, when the problem is inside one. */
  condition: string | null;
  message: string;
  /** Character offsets of the offending part of the expression, when known. */
  range: { start: number; end: number } | null;
}

/** Limits that keep one rule small enough to read and cheap to evaluate. */
export const RULE_LIMITS = {
  expressionLength: 2000,
  conditions: 40,
  depth: 5,
  nameLength: 60,
  labelLength: 200,
} as const;

const NAME_PATTERN = /^[a-z][a-z0-9_]*$/;
const MACROS = new Set(['all', 'exists', 'exists_one', 'filter', 'map']);
// Amounts are fen of one period; anything larger is a formula gone wrong, not a benefit.
const AMOUNT_MAX = 100_000_000n;

/** Where a path in an expression leads in the declared facts. */
type FactTarget = { field: FactField } | { element: FactField & { type: 'strings' } } | { object: FactObject };

interface Binding {
  /** The list the macro variable ranges over, as a path (`household.members`). */
  listPath: string;
  target: FactTarget;
}

/** A value an expression reads: a path into the facts or the parameters. */
export interface ReadPath {
  /** As shown to staff: `household.incomePerHead`, `household.members[].age`, `size(household.members)`. */
  label: string;
  /** `household` or `params`. */
  root: 'household' | 'params';
  /** Field names below the root; `[]` marks "every element of the list". */
  segments: string[];
  /** Show the number of elements rather than the list itself (lists of members, vehicles…). */
  isCount: boolean;
}

/** A parsed, type-checked expression and what it reads. */
export interface CompiledExpression {
  source: string;
  run: (context: Record<string, unknown>) => unknown;
  reads: ReadPath[];
  /** Parameter keys the expression reads, to report a missing local standard by name. */
  parameterKeys: string[];
}

/** A compiled condition or group, mirroring the rule. */
export type CompiledNode = (Omit<RuleCondition, 'expression'> & { expression: CompiledExpression }) | { kind: 'all' | 'any'; items: CompiledNode[] };

/** A policy's rules ready to evaluate. */
export interface CompiledRules {
  eligibility: CompiledNode & { kind: 'all' | 'any' };
  formula: CompiledExpression | null;
  benefitPeriod: BenefitPeriod;
}

/** The environment rules are checked and run in: declared facts, parameters and helper functions. */
export interface RuleEnvironment {
  env: Environment;
  parameters: ReadonlyMap<string, ParameterDefinition>;
  /** Assistance category codes, the values `household.benefits` may hold. */
  categoryCodes: ReadonlySet<string>;
}

/**
 * Builds the CEL environment for the given local standards and categories: `household` typed by
 * the declared facts, `params` by the parameter definitions, plus `sum()`, `min()` and `max()`
 * over integers, which benefit formulas need and CEL lacks.
 */
export function createRuleEnvironment(parameters: readonly ParameterDefinition[], categoryCodes: Iterable<string>): RuleEnvironment {
  let env = new Environment({ limits: { maxAstNodes: 400, maxDepth: 40, maxListElements: 50, maxMapEntries: 20, maxCallArguments: 8 } });
  for (const type of celListTypes()) env = env.registerType(type.name, { fields: type.fields });
  env = env
    .registerVariable({ name: 'household', schema: celSchema(HOUSEHOLD_FACTS) })
    .registerVariable({ name: 'params', schema: Object.fromEntries(parameters.map((p) => [p.key, p.valueType])) })
    .registerFunction('list<int>.sum(): int', (list: bigint[]) => list.reduce((total, value) => total + value, 0n))
    .registerFunction('min(int, int): int', (a: bigint, b: bigint) => (a < b ? a : b))
    .registerFunction('max(int, int): int', (a: bigint, b: bigint) => (a > b ? a : b));
  return { env, parameters: new Map(parameters.map((p) => [p.key, p])), categoryCodes: new Set(categoryCodes) };
}

function errorParts(error: unknown): { message: string; range: { start: number; end: number } | null } {
  if (error && typeof error === 'object') {
    const { summary, message, range } = error as { summary?: unknown; message?: unknown; range?: { start?: unknown; end?: unknown } };
    const text = typeof summary === 'string' ? summary : typeof message === 'string' ? message.split('\n')[0]! : String(error);
    const hasRange = range && typeof range.start === 'number' && typeof range.end === 'number';
    return { message: text, range: hasRange ? { start: range.start as number, end: range.end as number } : null };
  }
  return { message: String(error), range: null };
}

/** The message of an error thrown by CEL, without its source excerpt. */
export function celErrorMessage(error: unknown): string {
  return errorParts(error).message;
}

function chain(node: ASTNode): { root: string; segments: string[] } | null {
  const segments: string[] = [];
  let current: ASTNode = node;
  while (current.op === '.') {
    segments.unshift(current.args[1]);
    current = current.args[0];
  }
  return current.op === 'id' ? { root: current.args, segments } : null;
}

function descend(fields: FactObject, segments: string[]): FactTarget | null {
  let target: FactTarget = { object: fields };
  for (const segment of segments) {
    if (!('object' in target)) return null;
    const field: FactField | undefined = target.object[segment];
    if (!field) return null;
    target = field.type === 'object' ? { object: field.fields } : { field };
  }
  return target;
}

/** What a chain of field selections names in the facts, under the macro variables in scope. */
function resolve(node: ASTNode, bindings: ReadonlyMap<string, Binding>): FactTarget | null {
  const found = chain(node);
  if (!found) return null;
  if (found.root === 'household') return descend(HOUSEHOLD_FACTS, found.segments);
  const binding = bindings.get(found.root);
  if (!binding) return null;
  if (found.segments.length === 0) return binding.target;
  return 'object' in binding.target ? descend(binding.target.object, found.segments) : null;
}

function allowedValues(target: FactTarget | null, categoryCodes: ReadonlySet<string>): { values: readonly string[]; what: string } | null {
  if (!target) return null;
  if ('field' in target && target.field.type === 'string') return { values: target.field.values, what: 'value' };
  const strings = 'element' in target ? target.element : 'field' in target && target.field.type === 'strings' ? target.field : null;
  if (!strings) return null;
  return strings.values === 'categories' ? { values: [...categoryCodes], what: 'category code' } : { values: strings.values, what: 'value' };
}

function stringLiteral(node: ASTNode): string | null {
  return node.op === 'value' && typeof node.args === 'string' ? node.args : null;
}

/**
 * Walks an expression for what the type checker cannot see: a string compared with a declared
 * fact that has a fixed set of values (`m.health == "sick"`, `"dibao" in household.benefits`).
 * Such a typo type-checks and would silently never match, so it is refused with the values that
 * exist. Also collects every path the expression reads, for explanations.
 */
function analyse(root: ASTNode, categoryCodes: ReadonlySet<string>): { problems: Array<{ message: string; range: { start: number; end: number } }>; reads: ReadPath[] } {
  const problems: Array<{ message: string; range: { start: number; end: number } }> = [];
  const reads = new Map<string, ReadPath>();
  const checkLiteral = (literalNode: ASTNode, factNode: ASTNode, bindings: ReadonlyMap<string, Binding>) => {
    const literal = stringLiteral(literalNode);
    if (literal === null) return;
    const allowed = allowedValues(resolve(factNode, bindings), categoryCodes);
    if (allowed && !allowed.values.includes(literal)) {
      const path = factNode.input.slice(factNode.range.start, factNode.range.end);
      problems.push({ message: `"${literal}" is not a ${allowed.what} of ${path}; use one of: ${allowed.values.join(', ')}`, range: literalNode.range });
    }
  };
  const record = (node: ASTNode, bindings: ReadonlyMap<string, Binding>) => {
    const found = chain(node);
    if (!found) return false;
    let label: string;
    let base: 'household' | 'params';
    let segments: string[];
    if (found.root === 'household' || found.root === 'params') {
      if (found.segments.length === 0) return true;
      base = found.root;
      segments = found.segments;
      label = `${found.root}.${found.segments.join('.')}`;
    } else {
      const binding = bindings.get(found.root);
      if (!binding) return true;
      const listSegments = binding.listPath.split('.').slice(1);
      base = 'household';
      segments = found.segments.length === 0 ? listSegments : [...listSegments, '[]', ...found.segments];
      label = found.segments.length === 0 ? binding.listPath : `${binding.listPath}[].${found.segments.join('.')}`;
    }
    const target = base === 'household' && !segments.includes('[]') ? descend(HOUSEHOLD_FACTS, segments) : null;
    const isCount = target !== null && 'field' in target && target.field.type === 'list';
    const shown = isCount ? `size(${label})` : label;
    if (!reads.has(shown)) reads.set(shown, { label: shown, root: base, segments, isCount });
    return true;
  };
  const walk = (node: ASTNode, bindings: ReadonlyMap<string, Binding>): void => {
    switch (node.op) {
      case 'value':
        return;
      case 'id':
      case '.':
        if (record(node, bindings)) return;
        if (node.op === '.') walk(node.args[0], bindings);
        return;
      case '==':
      case '!=':
        checkLiteral(node.args[0], node.args[1], bindings);
        checkLiteral(node.args[1], node.args[0], bindings);
        walk(node.args[0], bindings);
        walk(node.args[1], bindings);
        return;
      case 'in': {
        const [left, right] = node.args;
        checkLiteral(left, right, bindings);
        if (right.op === 'list') for (const item of right.args) checkLiteral(item, left, bindings);
        walk(left, bindings);
        walk(right, bindings);
        return;
      }
      case 'rcall': {
        const [name, target, args] = node.args;
        // Facts hold declared values, not free text: a regular expression adds nothing but the
        // risk of a pattern that runs for seconds.
        if (name === 'matches') problems.push({ message: 'regular expressions (matches) are not allowed in rules; compare with the declared values', range: node.range });
        const variable = args[0];
        if (MACROS.has(name) && variable?.op === 'id') {
          walk(target, bindings);
          const resolved = resolve(target, bindings);
          const targetChain = chain(target);
          const inner = new Map(bindings);
          if (resolved && 'field' in resolved && targetChain) {
            const listPath = [targetChain.root, ...targetChain.segments].join('.');
            const field = resolved.field;
            if (field.type === 'list') inner.set(variable.args, { listPath, target: { object: field.of } });
            else if (field.type === 'strings') inner.set(variable.args, { listPath, target: { element: field } });
            else inner.delete(variable.args);
          } else {
            inner.delete(variable.args);
          }
          for (const body of args.slice(1)) walk(body, inner);
          return;
        }
        walk(target, bindings);
        for (const arg of args) walk(arg, bindings);
        return;
      }
      case 'call':
        for (const arg of node.args[1]) walk(arg, bindings);
        return;
      case 'list':
        for (const item of node.args) walk(item, bindings);
        return;
      case 'map':
        for (const [key, value] of node.args) {
          walk(key, bindings);
          walk(value, bindings);
        }
        return;
      case '?:':
        for (const part of node.args) walk(part, bindings);
        return;
      case '!_':
      case '-_':
        walk(node.args, bindings);
        return;
      case '.?':
        walk(node.args[0], bindings);
        return;
      default: {
        // Binary operators and index access: both operands.
        const [left, right] = node.args as [ASTNode, ASTNode];
        walk(left, bindings);
        walk(right, bindings);
      }
    }
  };
  walk(root, new Map());
  return { problems, reads: [...reads.values()] };
}

/**
 * Parses and type-checks one expression that must give `expected` (`bool` for conditions, `int`
 * for formulas). Returns the compiled expression, or the problems with their positions.
 */
export function compileExpression(
  renv: RuleEnvironment,
  source: string,
  expected: 'bool' | 'int',
): { compiled: CompiledExpression; problems: [] } | { compiled: null; problems: Array<{ message: string; range: { start: number; end: number } | null }> } {
  if (source.trim() === '') return { compiled: null, problems: [{ message: 'the expression is empty', range: null }] };
  if (source.length > RULE_LIMITS.expressionLength) return { compiled: null, problems: [{ message: `the expression is longer than ${RULE_LIMITS.expressionLength} characters`, range: null }] };
  let parsed: ReturnType<Environment['parse']>;
  try {
    parsed = renv.env.parse(source);
  } catch (error) {
    return { compiled: null, problems: [errorParts(error)] };
  }
  const checked = parsed.check();
  if (!checked.valid) return { compiled: null, problems: [errorParts(checked.error)] };
  if (checked.type !== expected) {
    const wanted = expected === 'bool' ? 'true or false' : 'a whole number of fen';
    return { compiled: null, problems: [{ message: `the expression gives ${checked.type}, not ${wanted}`, range: null }] };
  }
  const { problems, reads } = analyse(parsed.ast, renv.categoryCodes);
  if (problems.length > 0) return { compiled: null, problems };
  const parameterKeys = [...new Set(reads.filter((read) => read.root === 'params').map((read) => read.segments[0]!))];
  return { compiled: { source, run: (context) => parsed(context), reads, parameterKeys }, problems: [] };
}

function isGroup(node: unknown): node is RuleGroup {
  return typeof node === 'object' && node !== null && ((node as RuleGroup).kind === 'all' || (node as RuleGroup).kind === 'any');
}

/**
 * Checks and compiles a policy's rules: every condition named (unique, `snake_case`), labelled,
 * parsed and type-checked as true/false against the declared facts and parameters; groups not
 * empty and not deeper than {@link RULE_LIMITS}; the formula an integer of fen, present exactly
 * when the benefit is money. Every problem is reported, not just the first.
 */
export function compileRules(renv: RuleEnvironment, rules: PolicyRules): { compiled: CompiledRules; problems: [] } | { compiled: null; problems: RuleProblem[] } {
  const problems: RuleProblem[] = [];
  const names = new Set<string>();
  let conditions = 0;
  const compileNode = (node: RuleNode, path: string, depth: number): CompiledNode | null => {
    if (isGroup(node)) {
      if (depth > RULE_LIMITS.depth) {
        problems.push({ path, condition: null, message: `groups are nested deeper than ${RULE_LIMITS.depth}`, range: null });
        return null;
      }
      if (!Array.isArray(node.items) || node.items.length === 0) {
        problems.push({ path, condition: null, message: `an "${node.kind}" group needs at least one condition`, range: null });
        return null;
      }
      const items = node.items.map((item, index) => compileNode(item, `${path}.items.${index}`, depth + 1));
      return items.every((item): item is CompiledNode => item !== null) ? { kind: node.kind, items } : null;
    }
    if (node?.kind !== 'condition') {
      problems.push({ path, condition: null, message: 'a rule node is a condition or an "all" or "any" group', range: null });
      return null;
    }
    conditions += 1;
    const name = typeof node.name === 'string' ? node.name : '';
    const before = problems.length;
    const fail = (message: string, range: { start: number; end: number } | null = null) => problems.push({ path, condition: name || null, message, range });
    if (!NAME_PATTERN.test(name) || name.length > RULE_LIMITS.nameLength) fail(`the condition's name must be lower-case letters, digits and "_", starting with a letter, at most ${RULE_LIMITS.nameLength} characters`);
    else if (names.has(name)) fail(`another condition is already named "${name}"`);
    names.add(name);
    if (typeof node.label !== 'string' || node.label.trim() === '' || node.label.length > RULE_LIMITS.labelLength) fail(`the condition needs a label of 1 to ${RULE_LIMITS.labelLength} characters`);
    if (node.labelEn !== undefined && (typeof node.labelEn !== 'string' || node.labelEn.length > RULE_LIMITS.labelLength)) fail(`the English label is at most ${RULE_LIMITS.labelLength} characters`);
    const result = compileExpression(renv, typeof node.expression === 'string' ? node.expression : '', 'bool');
    for (const problem of result.problems) fail(problem.message, problem.range);
    if (problems.length > before || !result.compiled) return null;
    return { kind: 'condition', name, label: node.label.trim(), labelEn: node.labelEn?.trim() || undefined, expression: result.compiled };
  };
  const eligibility = isGroup(rules.eligibility) ? compileNode(rules.eligibility, 'eligibility', 1) : null;
  if (!isGroup(rules.eligibility)) problems.push({ path: 'eligibility', condition: null, message: 'the eligibility rule is an "all" or "any" group', range: null });
  if (conditions > RULE_LIMITS.conditions) problems.push({ path: 'eligibility', condition: null, message: `a rule has at most ${RULE_LIMITS.conditions} conditions`, range: null });

  let formula: CompiledExpression | null = null;
  if (rules.benefitPeriod === 'none') {
    if (rules.benefitFormula !== null) problems.push({ path: 'benefitFormula', condition: null, message: 'a benefit that is not money has no formula', range: null });
  } else if (rules.benefitFormula === null) {
    problems.push({ path: 'benefitFormula', condition: null, message: 'a benefit paid in money needs a formula giving fen', range: null });
  } else {
    const result = compileExpression(renv, rules.benefitFormula, 'int');
    for (const problem of result.problems) problems.push({ path: 'benefitFormula', condition: null, ...problem });
    formula = result.compiled;
  }
  if (problems.length > 0 || !eligibility || eligibility.kind === 'condition') return { compiled: null, problems };
  return { compiled: { eligibility, formula, benefitPeriod: rules.benefitPeriod }, problems: [] };
}

/** The largest amount, in fen, a formula may give for one period. */
export const BENEFIT_AMOUNT_MAX = AMOUNT_MAX;

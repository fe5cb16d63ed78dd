import type { Db, Executor } from '../../platform/db/database.ts';
import { cachedReference } from '../../platform/db/reference-cache.ts';
import { AppError } from '../../platform/errors.ts';
import { findPlaceByCode, findPlacesOnPath, listChildren } from '../places/index.ts';
import type { Principal } from '../../platform/auth/index.ts';
import { parameterValues, type ParameterValues } from './evaluation.ts';
import type { FactUnit } from './facts.ts';
import * as repo from './policies.repository.ts';
import { compileRules, createRuleEnvironment, type CompiledRules, type ParameterDefinition, type PolicyRules, type RuleEnvironment, type RuleGroup, type RuleProblem } from './rules.ts';

/** A stored policy with its rules compiled, or the problems that keep them from compiling. */
export interface CompiledPolicy {
  row: repo.PolicyRow;
  compiled: CompiledRules | null;
  /** Why a stored rule no longer compiles (e.g. a parameter it read was removed). */
  problems: RuleProblem[];
}

/** The catalogue ready for evaluation: the rule environment and every policy compiled once. */
export interface CompiledCatalogue {
  environment: RuleEnvironment;
  parameters: ParameterDefinition[];
  policies: CompiledPolicy[];
}

/** The rule part of a stored policy row. */
export function rulesOf(row: Pick<repo.PolicyRow, 'eligibility' | 'benefit_formula' | 'benefit_period'>): PolicyRules {
  return { eligibility: row.eligibility as RuleGroup, benefitFormula: row.benefit_formula, benefitPeriod: row.benefit_period };
}

async function loadCatalogue(executor: Executor): Promise<CompiledCatalogue> {
  const [definitions, categories, rows] = await Promise.all([repo.listParameterDefinitions(executor), repo.listCategories(executor), repo.listPoliciesForEvaluation(executor)]);
  const parameters: ParameterDefinition[] = definitions.map((d) => ({ key: d.key, valueType: d.value_type, unit: d.unit as FactUnit, nameZh: d.name_zh, nameEn: d.name_en }));
  const environment = createRuleEnvironment(parameters, categories.map((c) => c.code));
  const policies = rows.map((row) => {
    const result = compileRules(environment, rulesOf(row));
    return { row, compiled: result.compiled, problems: result.problems };
  });
  return { environment, parameters, policies };
}

/**
 * The compiled catalogue, from this process's cache while the `assistance` reference version is
 * unchanged: evaluating a household does not re-read or re-parse 57 rules, and any edit (through
 * the API or in SQL) is seen by the very next request.
 */
export function compiledCatalogue(db: Db, executor: Executor = db): Promise<CompiledCatalogue> {
  return cachedReference(db, executor, 'assistance', 'compiled-catalogue', loadCatalogue);
}

/** Where a parameter's value in force came from. */
export interface ParameterSource {
  key: string;
  value: number;
  areaCode: string;
  year: number;
}

/** The local standards in force for an area and year, with where each value came from. */
export interface ResolvedParameters {
  values: ParameterValues;
  sources: ParameterSource[];
  areaName: string;
}

/**
 * Picks, for every standard, the value in force in `areaCode` in `year`: among the values set for
 * the area and the areas above it in years up to `year`, the latest year wins, and within that
 * year the closest area. A city raising its 低保 line thus reaches every district at once, while
 * a district that sets its own line in the same year keeps it. All values (a few hundred rows:
 * standards × areas that set them × years) are cached with the catalogue's version.
 */
export async function resolveParameters(db: Db, definitions: readonly ParameterDefinition[], areaCode: string, year: number): Promise<ResolvedParameters> {
  const place = await findPlaceByCode(db, areaCode);
  if (!place) throw new AppError('PLACE_NOT_FOUND', `no place with code ${areaCode}`);
  const [chain, rows] = await Promise.all([findPlacesOnPath(db, place.path), cachedReference(db, db, 'assistance', 'parameter-values', repo.listParameterValues)]);
  const depth = new Map(chain.map((entry, index) => [entry.code, index]));
  const best = new Map<string, ParameterSource>();
  for (const row of rows) {
    const rowDepth = depth.get(row.area_code);
    if (rowDepth === undefined || row.year > year) continue;
    const current = best.get(row.key);
    const isBetter = !current || row.year > current.year || (row.year === current.year && rowDepth > (depth.get(current.areaCode) ?? -1));
    if (isBetter) best.set(row.key, { key: row.key, value: Number(row.value), areaCode: row.area_code, year: row.year });
  }
  const sources = [...best.values()].sort((a, b) => a.key.localeCompare(b.key));
  const values = new Map(sources.map((source) => [source.key, source.value]));
  return { values: parameterValues(definitions, values, areaCode, year), sources, areaName: place.name };
}

/**
 * The area whose standards apply when the caller names none: the root of the principal's region,
 * or the one city of an installation when the principal sees everything.
 */
export async function defaultAreaCode(db: Executor, principal: Principal): Promise<string> {
  const roots = await listChildren(db, principal);
  if (roots.length !== 1) throw new AppError('VALIDATION_FAILED', 'name the area whose standards apply', { fields: [{ field: 'areaCode', message: 'is required for an account that sees several cities' }] });
  return roots[0]!.code;
}

import os from 'node:os';
import { Worker } from 'node:worker_threads';
import type { ASTNode } from '@marcbachmann/cel-js';
import { AppError } from '../../platform/errors.ts';
import type { CompiledCatalogue } from './catalogue.ts';
import { evaluateRules, parameterValues, type EligibilityOutcome, type ParameterValues } from './evaluation.ts';
import { prepareHousehold, type HouseholdContext, type HouseholdFactsInput } from './facts.ts';
import {
  BENEFIT_AMOUNT_MAX,
  compileRules,
  createRuleEnvironment,
  type CompiledExpression,
  type CompiledNode,
  type CompiledRules,
  type ParameterDefinition,
  type PolicyRules,
  type RuleEnvironment,
  type RuleGroup,
  type RuleProblem,
} from './rules.ts';

/**
 * The monitoring sweep (主动发现的批量筛查): every active policy evaluated for every household of a
 * city, counted per policy, with the households eligible for a benefit of a category they do not
 * receive yet — the candidates active discovery looks at. Outcomes and amounts are exactly those of
 * {@link evaluateRules}; the sweep skips the explanation and evaluates each distinct condition once
 * per household, and it stops at a deciding condition only where no condition it skips could fail
 * to evaluate (an error anywhere makes the policy's outcome `error`, as it does in evaluateRules).
 * Households stream through in chunks to worker threads, each of which compiles the catalogue
 * itself (compiled CEL cannot be sent between threads).
 */

/** One household of the sweep: the id results name it by, and its declared facts. */
export interface SweepHousehold {
  id: string;
  facts: HouseholdFactsInput;
}

/** A policy as the sweep sends it to worker threads: plain data, compiled again on each thread. */
export interface SweepPolicy {
  code: string;
  categoryCode: string;
  rules: PolicyRules;
}

/** What a sweep evaluates, as plain data that survives structured cloning. */
export interface SweepCatalogue {
  parameters: ParameterDefinition[];
  categoryCodes: string[];
  policies: SweepPolicy[];
  /** Where and when the local standards apply, and their values there and then. */
  areaCode: string;
  year: number;
  values: Array<[string, number]>;
}

/** A household eligible for a policy of a category it does not receive (主动发现的线索). */
export interface DiscoveryCandidate {
  householdId: string;
  policyCode: string;
  /** Fen per benefit period; null when the benefit is not money. */
  amountFen: number | null;
}

/** One policy's totals over the sweep. */
export interface PolicySweepTotals {
  code: string;
  categoryCode: string;
  eligible: number;
  ineligible: number;
  error: number;
  /** The first households the policy failed to evaluate for (in input order), with the errors. */
  errorSamples: Array<{ householdId: string; message: string }>;
}

/** The result of a sweep. */
export interface SweepResult {
  areaCode: string;
  year: number;
  /** Households evaluated (those whose facts were valid). */
  households: number;
  /** Policy evaluations made: households × policies. */
  evaluations: number;
  /** Households whose facts are not valid: counted and sampled, never evaluated. */
  rejected: { count: number; samples: Array<{ householdId: string; problems: string }> };
  policies: PolicySweepTotals[];
  /** Candidates in input order; empty when they were handed to `onCandidates` instead. */
  candidates: DiscoveryCandidate[];
  candidateCount: number;
  /** Worker threads used; 0 when the sweep ran on the calling thread. */
  workers: number;
}

/** How a sweep runs. */
export interface SweepOptions {
  /** Worker threads; 0 evaluates on the calling thread. Default: one per available core. */
  workers?: number | undefined;
  /** Households per chunk sent to a worker. Default 500. */
  chunkSize?: number | undefined;
  /** Error and rejection samples kept per policy. Default 5. */
  errorSamples?: number | undefined;
  /** Receives candidates chunk by chunk, in input order, instead of the result collecting them. */
  onCandidates?: ((candidates: DiscoveryCandidate[]) => void) | undefined;
  /** Told the number of households done after each chunk. */
  onProgress?: ((households: number) => void) | undefined;
}

/**
 * The sweep's view of a loaded catalogue: its active policies and the standards resolved for one
 * area and year (`compiledCatalogue` and `resolveParameters` load both).
 */
export function sweepCatalogueOf(catalogue: CompiledCatalogue, parameters: ParameterValues): SweepCatalogue {
  return {
    parameters: catalogue.parameters,
    categoryCodes: [...catalogue.environment.categoryCodes],
    policies: catalogue.policies
      .filter((policy) => policy.row.status === 'active')
      .map(({ row }) => ({
        code: row.code,
        categoryCode: row.category_code,
        rules: { eligibility: row.eligibility as RuleGroup, benefitFormula: row.benefit_formula, benefitPeriod: row.benefit_period },
      })),
    areaCode: parameters.areaCode,
    year: parameters.year,
    values: [...parameters.values],
  };
}

// Condition states of one household, memoised per distinct expression.
const UNKNOWN = 0;
const HELD = 1;
const FAILED = 2;
const ERROR = 3;
type State = typeof HELD | typeof FAILED | typeof ERROR;

// Outcome codes: the index of the outcome in OUTCOMES, and of its count in a chunk's counts.
const OUTCOMES: EligibilityOutcome[] = ['eligible', 'ineligible', 'error'];
const ELIGIBLE_CODE = 0;
const INELIGIBLE_CODE = 1;
const ERROR_CODE = 2;

/** A distinct condition expression of the catalogue. */
interface Slot {
  expression: CompiledExpression;
  /** Why it cannot be evaluated anywhere in this area and year: a standard it reads has no value. */
  missing: string | null;
  /** Proven unable to throw for declared facts (no arithmetic, no indexing, no other calls). */
  cannotFail: boolean;
}

type PlannedNode = { kind: 'condition'; slot: number } | { kind: 'all' | 'any'; items: PlannedNode[] };

interface PlannedPolicy {
  code: string;
  categoryCode: string;
  compiled: CompiledRules | null;
  problems: RuleProblem[];
  /** The policy is an error for every household: its rule does not compile, or a condition reads a standard with no value. */
  isAlwaysError: boolean;
  root: PlannedNode | null;
  /** Conditions that might fail to evaluate: each is evaluated whatever the short cut, since its error decides the outcome. */
  riskySlots: number[];
  formula: CompiledExpression | null;
  formulaMissing: boolean;
}

/** The catalogue compiled for one thread's sweep: policies, their distinct conditions, the standards. */
export interface SweepPlan {
  policies: PlannedPolicy[];
  slots: Slot[];
  params: ParameterValues;
  /** The CEL program `household`: gives the facts wrapped as cel-js's typed message. */
  wrapHousehold: (context: Record<string, unknown>) => unknown;
}

const SAFE_OPERATORS = new Set(['value', 'id', '.', '==', '!=', '<', '<=', '>', '>=', '&&', '||', '!_', 'in', 'list', '?:']);
const SAFE_FUNCTIONS = new Set(['size', 'exists', 'all', 'exists_one', 'filter', 'map']);

/**
 * True when a type-checked expression cannot throw for facts shaped as declared: it only selects
 * fields (every declared fact is present once prepared), compares, combines truth values, tests
 * membership, counts and runs macros over lists. Arithmetic (overflow, division by zero),
 * indexing and every other function are treated as able to fail: conservative, so a short cut
 * never hides an error evaluateRules would report.
 */
function cannotFail(node: ASTNode): boolean {
  if (node.op === 'rcall') {
    const [name, target, args] = node.args;
    return SAFE_FUNCTIONS.has(name) && cannotFail(target) && args.every(cannotFail);
  }
  if (node.op === 'call') {
    const [name, args] = node.args;
    return name === 'size' && args.every(cannotFail);
  }
  if (!SAFE_OPERATORS.has(node.op)) return false;
  switch (node.op) {
    case 'value':
    case 'id':
      return true;
    case '.':
      return cannotFail(node.args[0]);
    case '!_':
      return cannotFail(node.args);
    case 'list':
      return node.args.every(cannotFail);
    case '?:':
      return node.args.every(cannotFail);
    default: {
      const [left, right] = node.args as [ASTNode, ASTNode];
      return cannotFail(left) && cannotFail(right);
    }
  }
}

function missingParameter(expression: CompiledExpression, params: ParameterValues): string | null {
  const missing = expression.parameterKeys.filter((key) => !params.values.has(key));
  return missing.length === 0 ? null : missing.join(', ');
}

/** Compiles a sweep's catalogue on this thread: each policy's rules, and each distinct condition once. */
export function planSweep(catalogue: SweepCatalogue): SweepPlan {
  const environment: RuleEnvironment = createRuleEnvironment(catalogue.parameters, catalogue.categoryCodes);
  const params = parameterValues(catalogue.parameters, new Map(catalogue.values), catalogue.areaCode, catalogue.year);
  const slots: Slot[] = [];
  const slotBySource = new Map<string, number>();
  const slotOf = (expression: CompiledExpression): number => {
    const known = slotBySource.get(expression.source);
    if (known !== undefined) return known;
    // The compiled expression keeps no syntax tree; parsing the checked source again gives the same one.
    const parsed = environment.env.parse(expression.source);
    const checked = parsed.check();
    slots.push({ expression, missing: missingParameter(expression, params), cannotFail: checked.valid && cannotFail(parsed.ast) });
    slotBySource.set(expression.source, slots.length - 1);
    return slots.length - 1;
  };
  const plan = (node: CompiledNode, used: number[]): PlannedNode => {
    if (node.kind === 'condition') {
      const slot = slotOf(node.expression);
      if (!used.includes(slot)) used.push(slot);
      return { kind: 'condition', slot };
    }
    return { kind: node.kind, items: node.items.map((item) => plan(item, used)) };
  };
  const policies = catalogue.policies.map((policy): PlannedPolicy => {
    const result = compileRules(environment, policy.rules);
    const base = { code: policy.code, categoryCode: policy.categoryCode };
    if (!result.compiled) return { ...base, compiled: null, problems: result.problems, isAlwaysError: true, root: null, riskySlots: [], formula: null, formulaMissing: false };
    const used: number[] = [];
    const root = plan(result.compiled.eligibility, used);
    const formula = result.compiled.formula;
    return {
      ...base,
      compiled: result.compiled,
      problems: [],
      // evaluateRules evaluates every condition, so one that can never be evaluated errs for all.
      isAlwaysError: used.some((slot) => slots[slot]!.missing !== null),
      root,
      riskySlots: used.filter((slot) => !slots[slot]!.cannotFail),
      formula,
      formulaMissing: formula !== null && missingParameter(formula, params) !== null,
    };
  });
  const wrap = environment.env.parse('household');
  if (!wrap.check().valid) throw new Error('the household variable does not check');
  return { policies, slots, params, wrapHousehold: (context) => wrap(context) };
}

/** One policy's outcome for one household, as {@link evaluateRules} gives it. */
export interface SweepOutcome {
  code: string;
  outcome: EligibilityOutcome;
  amountFen: number | null;
}

/**
 * Evaluates every policy of a plan for one prepared household, without explanations. Reused
 * across households so that a sweep allocates nothing per condition.
 */
class HouseholdEvaluator {
  readonly #plan: SweepPlan;
  readonly #states: Uint8Array;
  #context: { household: Record<string, unknown>; params: Record<string, unknown> } = { household: {}, params: {} };
  /** Outcome codes (0 eligible, 1 ineligible, 2 error) and amounts (NaN for none), per policy. */
  readonly outcomes: Uint8Array;
  readonly amounts: Float64Array;

  constructor(plan: SweepPlan) {
    this.#plan = plan;
    this.#states = new Uint8Array(plan.slots.length);
    this.outcomes = new Uint8Array(plan.policies.length);
    this.amounts = new Float64Array(plan.policies.length);
  }

  #condition(index: number): State {
    const known = this.#states[index]!;
    if (known !== UNKNOWN) return known as State;
    const slot = this.#plan.slots[index]!;
    let state: State = ERROR;
    if (slot.missing === null) {
      try {
        const value = slot.expression.run(this.#context);
        if (value === true) state = HELD;
        else if (value === false) state = FAILED;
      } catch {
        state = ERROR;
      }
    }
    this.#states[index] = state;
    return state;
  }

  /** Two-valued with short cuts; an error met on the way is passed up at once. */
  #decide(node: PlannedNode): State {
    if (node.kind === 'condition') return this.#condition(node.slot);
    const decisive = node.kind === 'all' ? FAILED : HELD;
    for (const item of node.items) {
      const state = this.#decide(item);
      if (state === ERROR || state === decisive) return state;
    }
    return node.kind === 'all' ? HELD : FAILED;
  }

  /** Sets the outcome code and amount of policy `i`. */
  #policy(i: number): void {
    const policy = this.#plan.policies[i]!;
    this.outcomes[i] = ERROR_CODE;
    this.amounts[i] = NaN;
    if (policy.isAlwaysError || !policy.root) return;
    // Every condition that might fail is evaluated first: if none fails, the conditions left
    // cannot fail either, and plain short-circuit logic gives the three-valued outcome exactly.
    for (const slot of policy.riskySlots) if (this.#condition(slot) === ERROR) return;
    const state = this.#decide(policy.root);
    if (state === ERROR) return;
    if (state === FAILED) {
      this.outcomes[i] = INELIGIBLE_CODE;
      return;
    }
    if (policy.formula) {
      if (policy.formulaMissing) return;
      let value: unknown;
      try {
        value = policy.formula.run(this.#context);
      } catch {
        return;
      }
      if (typeof value !== 'bigint' || value < 0n || value > BENEFIT_AMOUNT_MAX) return;
      this.amounts[i] = Number(value);
    }
    this.outcomes[i] = ELIGIBLE_CODE;
  }

  /** Fills `outcomes` and `amounts` for the household. */
  evaluate(household: HouseholdContext): void {
    this.#states.fill(UNKNOWN);
    // cel-js wraps the plain facts in its typed message on every evaluation; wrapped once here,
    // the same wrapper (which also remembers the fields read) serves every condition. Should the
    // wrapping fail, the plain facts go in and each condition meets the failure itself.
    let wrapped: unknown;
    try {
      wrapped = this.#plan.wrapHousehold({ household: household.cel });
    } catch {
      wrapped = undefined;
    }
    this.#context = { household: typeof wrapped === 'object' && wrapped !== null ? (wrapped as Record<string, unknown>) : household.cel, params: this.#plan.params.cel };
    for (let i = 0; i < this.outcomes.length; i++) this.#policy(i);
  }
}

/** Every policy's outcome and amount for one prepared household: the sweep's fast path, exposed for checks. */
export function sweepHouseholdOutcomes(plan: SweepPlan, household: HouseholdContext): SweepOutcome[] {
  const evaluator = new HouseholdEvaluator(plan);
  evaluator.evaluate(household);
  return plan.policies.map((policy, i) => ({ code: policy.code, outcome: OUTCOMES[evaluator.outcomes[i]!]!, amountFen: Number.isNaN(evaluator.amounts[i]!) ? null : evaluator.amounts[i]! }));
}

/** What one chunk of households gave; plain data, sent back from a worker. */
export interface ChunkResult {
  households: number;
  rejected: Array<{ householdId: string; problems: string }>;
  rejectedCount: number;
  /** Per policy `i`: eligible, ineligible and error counts at 3i, 3i+1, 3i+2. */
  counts: number[];
  errorSamples: Array<{ policy: number; householdId: string; message: string }>;
  candidateHouseholds: string[];
  candidatePolicies: number[];
  /** NaN where the benefit is not money. */
  candidateAmounts: number[];
}

/** The full error messages of a policy for a household, as evaluateRules words them (the rare path). */
function errorMessage(policy: PlannedPolicy, household: HouseholdContext, params: ParameterValues): string {
  if (!policy.compiled) return policy.problems.map((p) => `${p.condition ?? p.path}: ${p.message}`).join('; ');
  return evaluateRules(policy.compiled, household, params).errors.join('; ');
}

/**
 * Evaluates one chunk. `samplesTaken` counts, per policy, the error samples this thread has kept
 * so far, so that a policy failing for every household costs an explanation only a few times.
 */
export function createChunkEvaluator(plan: SweepPlan, sampleLimit: number): (households: SweepHousehold[]) => ChunkResult {
  const evaluator = new HouseholdEvaluator(plan);
  const policyCount = plan.policies.length;
  const samplesTaken = new Array<number>(policyCount).fill(0);
  let rejectedTaken = 0;
  return (households) => {
    const result: ChunkResult = {
      households: 0,
      rejected: [],
      rejectedCount: 0,
      counts: new Array<number>(policyCount * 3).fill(0),
      errorSamples: [],
      candidateHouseholds: [],
      candidatePolicies: [],
      candidateAmounts: [],
    };
    for (const { id, facts } of households) {
      const prepared = typeof facts === 'object' && facts !== null && !Array.isArray(facts) ? prepareHousehold(facts) : { context: null, problems: [{ field: '', message: 'the facts must be an object' }] };
      if (!prepared.context) {
        result.rejectedCount += 1;
        if (rejectedTaken < sampleLimit) {
          rejectedTaken += 1;
          result.rejected.push({ householdId: id, problems: prepared.problems.map((p) => `${p.field}: ${p.message}`).join('; ') });
        }
        continue;
      }
      const household = prepared.context;
      result.households += 1;
      let failure: string | null = null;
      try {
        evaluator.evaluate(household);
      } catch (error) {
        // The fast path reports every failure of a rule itself; this guards the sweep against a defect.
        failure = `evaluation failed: ${error instanceof Error ? error.message : String(error)}`;
        evaluator.outcomes.fill(ERROR_CODE);
      }
      const benefits = household.facts.benefits as string[];
      for (let i = 0; i < policyCount; i++) {
        const outcome = evaluator.outcomes[i]!;
        result.counts[i * 3 + outcome]! += 1;
        if (outcome === ERROR_CODE) {
          if (samplesTaken[i]! < sampleLimit) {
            samplesTaken[i]! += 1;
            result.errorSamples.push({ policy: i, householdId: id, message: failure ?? errorMessage(plan.policies[i]!, household, plan.params) });
          }
        } else if (outcome === ELIGIBLE_CODE && !benefits.includes(plan.policies[i]!.categoryCode)) {
          result.candidateHouseholds.push(id);
          result.candidatePolicies.push(i);
          result.candidateAmounts.push(evaluator.amounts[i]!);
        }
      }
    }
    return result;
  };
}

/** Folds chunk results in input order into the sweep's totals. */
class SweepTotals {
  readonly #catalogue: SweepCatalogue;
  readonly #sampleLimit: number;
  readonly #onCandidates: ((candidates: DiscoveryCandidate[]) => void) | undefined;
  readonly #pending = new Map<number, ChunkResult>();
  #next = 0;
  readonly result: SweepResult;

  constructor(catalogue: SweepCatalogue, sampleLimit: number, workers: number, onCandidates: ((candidates: DiscoveryCandidate[]) => void) | undefined) {
    this.#catalogue = catalogue;
    this.#sampleLimit = sampleLimit;
    this.#onCandidates = onCandidates;
    this.result = {
      areaCode: catalogue.areaCode,
      year: catalogue.year,
      households: 0,
      evaluations: 0,
      rejected: { count: 0, samples: [] },
      policies: catalogue.policies.map((p) => ({ code: p.code, categoryCode: p.categoryCode, eligible: 0, ineligible: 0, error: 0, errorSamples: [] })),
      candidates: [],
      candidateCount: 0,
      workers,
    };
  }

  /** Takes the result of chunk `sequence`; chunks are folded as soon as all before them are in. */
  add(sequence: number, chunk: ChunkResult): void {
    this.#pending.set(sequence, chunk);
    for (let ready = this.#pending.get(this.#next); ready; ready = this.#pending.get(this.#next)) {
      this.#pending.delete(this.#next);
      this.#next += 1;
      this.#fold(ready);
    }
  }

  #fold(chunk: ChunkResult): void {
    const { result } = this;
    result.households += chunk.households;
    result.evaluations += chunk.households * result.policies.length;
    result.rejected.count += chunk.rejectedCount;
    for (const sample of chunk.rejected) if (result.rejected.samples.length < this.#sampleLimit) result.rejected.samples.push(sample);
    result.policies.forEach((totals, i) => {
      totals.eligible += chunk.counts[i * 3]!;
      totals.ineligible += chunk.counts[i * 3 + 1]!;
      totals.error += chunk.counts[i * 3 + 2]!;
    });
    for (const sample of chunk.errorSamples) {
      const samples = result.policies[sample.policy]!.errorSamples;
      if (samples.length < this.#sampleLimit) samples.push({ householdId: sample.householdId, message: sample.message });
    }
    const candidates: DiscoveryCandidate[] = chunk.candidateHouseholds.map((householdId, i) => {
      const amount = chunk.candidateAmounts[i]!;
      return { householdId, policyCode: this.#catalogue.policies[chunk.candidatePolicies[i]!]!.code, amountFen: Number.isNaN(amount) ? null : amount };
    });
    result.candidateCount += candidates.length;
    if (this.#onCandidates) this.#onCandidates(candidates);
    else for (const candidate of candidates) result.candidates.push(candidate);
  }
}

const WORKER_URL = new URL('./sweep.worker.ts', import.meta.url);

/** The data a sweep worker starts from. */
export interface SweepWorkerData {
  catalogue: SweepCatalogue;
  sampleLimit: number;
}

type WorkerReply = { sequence: number; result: ChunkResult } | { sequence: number; error: string };

/** One worker thread with the chunks it has been given and not yet answered. */
function startWorker(data: SweepWorkerData, onResult: (sequence: number, result: ChunkResult) => void, onFailure: (error: Error) => void) {
  const worker = new Worker(WORKER_URL, { workerData: data });
  let inFlight = 0;
  let isStopping = false;
  worker.on('message', (reply: WorkerReply) => {
    inFlight -= 1;
    if ('error' in reply) onFailure(new AppError('INTERNAL', `the sweep worker failed on chunk ${reply.sequence}: ${reply.error}`));
    else onResult(reply.sequence, reply.result);
  });
  worker.on('error', (error) => onFailure(error));
  worker.on('exit', (code) => {
    if (!isStopping) onFailure(new AppError('INTERNAL', `a sweep worker exited with code ${code}`));
  });
  return {
    get inFlight() {
      return inFlight;
    },
    submit(sequence: number, households: SweepHousehold[]) {
      inFlight += 1;
      worker.postMessage({ sequence, households });
    },
    async stop() {
      isStopping = true;
      await worker.terminate();
    },
  };
}

function* syncChunks(source: Iterable<SweepHousehold>, size: number): Generator<SweepHousehold[]> {
  let chunk: SweepHousehold[] = [];
  for (const household of source) {
    chunk.push(household);
    if (chunk.length === size) {
      yield chunk;
      chunk = [];
    }
  }
  if (chunk.length > 0) yield chunk;
}

async function* asyncChunks(source: AsyncIterable<SweepHousehold>, size: number): AsyncGenerator<SweepHousehold[]> {
  let chunk: SweepHousehold[] = [];
  for await (const household of source) {
    chunk.push(household);
    if (chunk.length === size) {
      yield chunk;
      chunk = [];
    }
  }
  if (chunk.length > 0) yield chunk;
}

function wholeNumber(value: number | undefined, fallback: number, field: string, minimum: number, maximum: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < minimum || value > maximum) {
    const message = `must be a whole number from ${minimum} to ${maximum}`;
    throw new AppError('VALIDATION_FAILED', `the sweep's ${field} ${message}`, { fields: [{ field, message }] });
  }
  return value;
}

// Chunks queued per worker beyond the one it works on: enough to keep it busy, few enough to bound memory.
const CHUNKS_IN_FLIGHT_PER_WORKER = 2;

/**
 * Sweeps households (any iterable, streamed in chunks; memory stays bounded by the chunks in
 * flight and the candidates kept) against every policy of the catalogue. A household whose facts
 * are not valid is rejected and counted; a policy that cannot be evaluated for a household is
 * counted as an error for that household with a sample of the message; neither stops the sweep.
 */
export async function sweepHouseholds(catalogue: SweepCatalogue, households: Iterable<SweepHousehold> | AsyncIterable<SweepHousehold>, options: SweepOptions = {}): Promise<SweepResult> {
  const workerCount = wholeNumber(options.workers, os.availableParallelism(), 'workers', 0, 64);
  const chunkSize = wholeNumber(options.chunkSize, 500, 'chunkSize', 1, 100_000);
  const sampleLimit = wholeNumber(options.errorSamples, 5, 'errorSamples', 0, 1_000);
  const totals = new SweepTotals(catalogue, sampleLimit, workerCount, options.onCandidates);
  const chunks = Symbol.asyncIterator in households ? asyncChunks(households, chunkSize) : syncChunks(households, chunkSize);
  let done = 0;
  const progress = (chunk: ChunkResult) => {
    done += chunk.households + chunk.rejectedCount;
    options.onProgress?.(done);
  };

  if (workerCount === 0) {
    const evaluateChunk = createChunkEvaluator(planSweep(catalogue), sampleLimit);
    let sequence = 0;
    for await (const chunk of chunks) {
      const result = evaluateChunk(chunk);
      totals.add(sequence++, result);
      progress(result);
    }
    return totals.result;
  }

  let failure: Error | null = null;
  let wake: (() => void) | null = null;
  const signal = () => {
    const resolve = wake;
    wake = null;
    resolve?.();
  };
  const data: SweepWorkerData = { catalogue, sampleLimit };
  const workers = Array.from({ length: workerCount }, () =>
    startWorker(
      data,
      (sequence, result) => {
        totals.add(sequence, result);
        progress(result);
        signal();
      },
      (error) => {
        failure ??= error;
        signal();
      },
    ),
  );
  const waitForReply = () => new Promise<void>((resolve) => (wake = resolve));
  try {
    let sequence = 0;
    for await (const chunk of chunks) {
      for (;;) {
        if (failure) throw failure;
        const idle = workers.reduce((best, worker) => (worker.inFlight < best.inFlight ? worker : best));
        if (idle.inFlight < CHUNKS_IN_FLIGHT_PER_WORKER) {
          idle.submit(sequence++, chunk);
          break;
        }
        await waitForReply();
      }
    }
    while (workers.some((worker) => worker.inFlight > 0)) {
      if (failure) throw failure;
      await waitForReply();
    }
    if (failure) throw failure;
    return totals.result;
  } finally {
    await Promise.all(workers.map((worker) => worker.stop()));
  }
}

/**
 * One field of a comparison vector: its agreement levels, strongest first, and the probabilities EM
 * starts from. The starting values also act as a weak prior (a few pseudo-pairs, see
 * {@link EstimationOptions.priorStrength}) so that a level never seen in a small candidate set does
 * not get an infinite weight.
 */
export interface ComparisonField {
  name: string;
  levels: readonly string[];
  /** P(level | match) to start from; defaults to most mass on the first level. */
  startM?: readonly number[];
  /** P(level | non-match) to start from; defaults to most mass on the last level. */
  startU?: readonly number[];
  /**
   * Known structure of P(level | match) that EM must keep, applied after each M-step (the result is
   * renormalised): e.g. the share of mistyped IDs that still pass their check character is fixed by
   * the check algorithm, not something to learn from a few hundred pairs.
   */
  constrainM?: (m: readonly number[]) => number[];
}

/** Level index per field (0 = strongest agreement), or null where a value is missing on either side. */
export type ComparisonVector = readonly (number | null)[];

/** Options of {@link estimateFellegiSunter}. */
export interface EstimationOptions {
  maxIterations?: number;
  /** Stop when no probability moves by more than this between iterations. */
  tolerance?: number;
  /** Pseudo-pairs per class and field spread over the levels as the starting values (Dirichlet prior); default 2. */
  priorStrength?: number;
  /** Share of candidate pairs assumed to be matches at the start; default 0.1. */
  startMatchProportion?: number;
}

/** A Fellegi–Sunter model estimated from data. */
export interface FellegiSunterModel {
  fields: readonly ComparisonField[];
  /** λ: estimated share of the compared pairs that are matches. */
  matchProportion: number;
  /** m[f][l] = P(field f at level l | match). */
  m: number[][];
  /** u[f][l] = P(field f at level l | non-match). */
  u: number[][];
  /** weights[f][l] = log2(m/u): the evidence a field at that level adds, in bits. */
  weights: number[][];
  /**
   * Total weight at which a pair's posterior match probability is 0.5: log2((1 − λ)/λ). A pair above
   * it is more likely a match than not under the estimated model; no truth is involved.
   */
  threshold: number;
  iterations: number;
  converged: boolean;
  pairs: number;
}

/** The weight of one field of one pair, for the evidence. */
export interface FieldWeight {
  field: string;
  /** The level name, or null when the value was missing (weight 0). */
  level: string | null;
  weight: number;
}

/** A pair's total weight and its parts. */
export interface ScoredComparison {
  total: number;
  parts: FieldWeight[];
}

/**
 * Estimates m, u and λ by expectation–maximisation under conditional independence (Jaro 1989,
 * Winkler 1988): identical vectors are grouped first, so the cost per iteration is the number of
 * distinct patterns, not of pairs. Missing values contribute to neither class. The class whose first
 * levels are more likely is taken as the match class, whatever EM converged to.
 */
export function estimateFellegiSunter(fields: readonly ComparisonField[], vectors: Iterable<ComparisonVector> | PatternCounter, options: EstimationOptions = {}): FellegiSunterModel {
  const maxIterations = options.maxIterations ?? 500;
  const tolerance = options.tolerance ?? 1e-7;
  const strength = options.priorStrength ?? 2;
  const patterns = vectors instanceof PatternCounter ? vectors.patterns() : PatternCounter.of(vectors, fields.length).patterns();
  const pairs = patterns.reduce((sum, pattern) => sum + pattern.count, 0);
  const priorM = fields.map((field) => normalised(field.startM ?? defaultStartM(field.levels.length)));
  const priorU = fields.map((field) => normalised(field.startU ?? defaultStartU(field.levels.length)));
  let m = priorM.map((row) => [...row]);
  let u = priorU.map((row) => [...row]);
  let lambda = options.startMatchProportion ?? 0.1;
  let iterations = 0;
  let converged = false;
  const posterior = new Float64Array(patterns.length);

  while (iterations < maxIterations && pairs > 0) {
    iterations++;
    patterns.forEach((pattern, index) => {
      let logRatio = Math.log(lambda) - Math.log(1 - lambda);
      pattern.levels.forEach((level, field) => {
        if (level !== null) logRatio += Math.log(m[field]![level]!) - Math.log(u[field]![level]!);
      });
      posterior[index] = 1 / (1 + Math.exp(-logRatio));
    });
    const matchCounts = fields.map((field) => new Array<number>(field.levels.length).fill(0));
    const nonMatchCounts = fields.map((field) => new Array<number>(field.levels.length).fill(0));
    let expectedMatches = 0;
    patterns.forEach((pattern, index) => {
      const g = posterior[index]! * pattern.count;
      const h = (1 - posterior[index]!) * pattern.count;
      expectedMatches += g;
      pattern.levels.forEach((level, field) => {
        if (level === null) return;
        matchCounts[field]![level]! += g;
        nonMatchCounts[field]![level]! += h;
      });
    });
    const nextM = matchCounts.map((counts, field) => {
      const estimate = smoothed(counts, priorM[field]!, strength);
      const constrain = fields[field]!.constrainM;
      return constrain ? normalised(constrain(estimate)) : estimate;
    });
    const nextU = nonMatchCounts.map((counts, field) => smoothed(counts, priorU[field]!, strength));
    // λ stays strictly inside (0, 1) so that log-odds stay finite even when one class empties.
    const nextLambda = Math.min(1 - 1e-9, Math.max(1e-9, expectedMatches / pairs));
    const change = Math.max(Math.abs(nextLambda - lambda), maxDifference(nextM, m), maxDifference(nextU, u));
    m = nextM;
    u = nextU;
    lambda = nextLambda;
    if (change < tolerance) {
      converged = true;
      break;
    }
  }

  // EM is symmetric in its two classes; the match class is the one that agrees more on the first levels.
  const agreementEdge = m.reduce((sum, row, field) => sum + row[0]! - u[field]![0]!, 0);
  if (agreementEdge < 0) {
    [m, u] = [u, m];
    lambda = 1 - lambda;
  }
  const weights = m.map((row, field) => row.map((probability, level) => Math.log2(probability / u[field]![level]!)));
  return { fields, matchProportion: lambda, m, u, weights, threshold: Math.log2((1 - lambda) / lambda), iterations, converged, pairs };
}

/** Sums a pair's field weights; a missing field weighs 0. */
export function scoreComparison(model: FellegiSunterModel, vector: ComparisonVector): ScoredComparison {
  const parts = model.fields.map((field, index): FieldWeight => {
    const level = vector[index] ?? null;
    return level === null ? { field: field.name, level: null, weight: 0 } : { field: field.name, level: field.levels[level]!, weight: model.weights[index]![level]! };
  });
  return { total: parts.reduce((sum, part) => sum + part.weight, 0), parts };
}

/** Posterior match probability of a pair with this total weight under the model's λ. */
export function matchProbability(model: FellegiSunterModel, totalWeight: number): number {
  return 1 / (1 + 2 ** (model.threshold - totalWeight));
}

/** A scored candidate pair for {@link assignOneToOne}. */
export interface WeightedPair<L, R> {
  left: L;
  right: R;
  weight: number;
}

/**
 * Greedy one-to-one assignment for two de-duplicated lists: pairs at or above `minimumWeight` are
 * taken by decreasing weight, skipping any whose left or right record is already taken.
 */
export function assignOneToOne<L, R, P extends WeightedPair<L, R>>(pairs: readonly P[], minimumWeight: number): P[] {
  const takenLeft = new Set<L>();
  const takenRight = new Set<R>();
  const chosen: P[] = [];
  for (const pair of [...pairs].filter((candidate) => candidate.weight >= minimumWeight).sort((a, b) => b.weight - a.weight)) {
    if (takenLeft.has(pair.left) || takenRight.has(pair.right)) continue;
    takenLeft.add(pair.left);
    takenRight.add(pair.right);
    chosen.push(pair);
  }
  return chosen;
}

interface Pattern {
  levels: (number | null)[];
  count: number;
}

/**
 * Comparison vectors counted by pattern: EM needs only how many pairs share each pattern (a few
 * hundred at most), so pairs can be compared chunk by chunk and let go, however many there are.
 * A pattern's key is a number (its levels as digits in base 16), so counting allocates nothing
 * but a pattern's first sight; patterns come back in the order they were first seen.
 */
export class PatternCounter {
  readonly #width: number;
  readonly #byKey = new Map<number, Pattern>();

  constructor(width: number) {
    // 16^13 is the largest power of 16 a double holds exactly.
    if (width > 13) throw new Error('a pattern counter takes at most 13 fields');
    this.#width = width;
  }

  /** Counts the vectors of an iterable. */
  static of(vectors: Iterable<ComparisonVector>, width: number): PatternCounter {
    const counter = new PatternCounter(width);
    for (const vector of vectors) counter.add(vector);
    return counter;
  }

  add(vector: ComparisonVector): void {
    let key = 0;
    for (let field = this.#width - 1; field >= 0; field--) key = key * 16 + levelDigit(vector[field] ?? null);
    this.#count(key, () => Array.from({ length: this.#width }, (_, index) => vector[index] ?? null));
  }

  /** Counts the vector stored at `levels[offset…]`, one level per field, -1 where missing. */
  addEncoded(levels: Int8Array, offset: number): void {
    let key = 0;
    for (let field = this.#width - 1; field >= 0; field--) key = key * 16 + levelDigit(levels[offset + field]!);
    this.#count(key, () => Array.from(levels.subarray(offset, offset + this.#width), (level) => (level < 0 ? null : level)));
  }

  #count(key: number, levels: () => (number | null)[]): void {
    const pattern = this.#byKey.get(key);
    if (pattern) pattern.count++;
    else this.#byKey.set(key, { levels: levels(), count: 1 });
  }

  patterns(): Pattern[] {
    return [...this.#byKey.values()];
  }
}

function levelDigit(level: number | null): number {
  if (level === null || level < 0) return 0;
  if (level > 14 || !Number.isInteger(level)) throw new Error(`a level must be an integer from 0 to 14, not ${level}`);
  return level + 1;
}

function smoothed(counts: number[], prior: number[], strength: number): number[] {
  const total = counts.reduce((sum, count) => sum + count, 0) + strength;
  return counts.map((count, level) => (count + strength * prior[level]!) / total);
}

function normalised(values: readonly number[]): number[] {
  const total = values.reduce((sum, value) => sum + value, 0);
  return values.map((value) => value / total);
}

// Halving per level: the strongest agreement is the most likely among matches, the weakest among non-matches.
function defaultStartM(levels: number): number[] {
  return Array.from({ length: levels }, (_, level) => 2 ** (levels - 1 - level));
}

function defaultStartU(levels: number): number[] {
  return Array.from({ length: levels }, (_, level) => 2 ** level);
}

function maxDifference(a: number[][], b: number[][]): number {
  let largest = 0;
  a.forEach((row, field) => row.forEach((value, level) => (largest = Math.max(largest, Math.abs(value - b[field]![level]!)))));
  return largest;
}

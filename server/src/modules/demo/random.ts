/**
 * A seeded pseudo-random source (mulberry32): the same seed yields the same demo city on every
 * machine and Node version, which Math.random cannot promise. Not for anything secret.
 */
export class Random {
  #state: number;

  /** @param seed any integer; only its low 32 bits matter. */
  constructor(seed: number) {
    this.#state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [min, max], both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** A float in [min, max). */
  between(min: number, max: number): number {
    return min + this.next() * (max - min);
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** One element, uniformly. */
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('cannot pick from an empty list');
    return items[Math.floor(this.next() * items.length)]!;
  }

  /** One value with probability proportional to its weight. */
  weighted<T>(table: WeightedTable<T>): T {
    const target = this.next() * table.total;
    // Binary search over the cumulative weights: the surname table is consulted a million times.
    let low = 0;
    let high = table.cumulative.length - 1;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (table.cumulative[middle]! > target) high = middle;
      else low = middle + 1;
    }
    return table.values[low]!;
  }

  /** Roughly normal (sum of three uniforms, Irwin–Hall), bounded to mean ± 3 standard deviations. */
  normal(mean: number, deviation: number): number {
    const sum = this.next() + this.next() + this.next();
    return mean + (sum - 1.5) * 2 * deviation;
  }

  /** A digit string of the given length. */
  digits(length: number): string {
    let out = '';
    for (let i = 0; i < length; i++) out += String(Math.floor(this.next() * 10));
    return out;
  }

  /** A new independent source derived from this one, so that adding draws in one part of a generator does not shift another. */
  fork(salt: number): Random {
    return new Random(Math.imul(this.int(0, 0x7fffffff) ^ salt, 0x9e3779b1));
  }

  /** Shuffles a copy of `items` (Fisher–Yates). */
  shuffle<T>(items: readonly T[]): T[] {
    const copy = [...items];
    for (let i = copy.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [copy[i], copy[j]] = [copy[j]!, copy[i]!];
    }
    return copy;
  }
}

/** Values with cumulative weights, prepared once for {@link Random.weighted}. */
export interface WeightedTable<T> {
  values: readonly T[];
  cumulative: readonly number[];
  total: number;
}

/** Prepares `[value, weight]` pairs for weighted picks; weights need not sum to one. */
export function weightedTable<T>(entries: readonly (readonly [T, number])[]): WeightedTable<T> {
  const values: T[] = [];
  const cumulative: number[] = [];
  let total = 0;
  for (const [value, weight] of entries) {
    if (!(weight > 0)) continue;
    total += weight;
    values.push(value);
    cumulative.push(total);
  }
  if (values.length === 0) throw new RangeError('a weighted table needs at least one positive weight');
  return { values, cumulative, total };
}

/** Splits `total` into `weights.length` whole parts of at least `minimum`, proportional to the weights (largest remainder). */
export function apportion(total: number, weights: readonly number[], minimum = 1): number[] {
  const count = weights.length;
  if (count === 0) {
    if (total !== 0) throw new RangeError(`cannot share ${total} among no parents`);
    return [];
  }
  const spare = total - minimum * count;
  if (spare < 0) throw new RangeError(`cannot give ${count} parents at least ${minimum} of ${total}`);
  const weightSum = weights.reduce((sum, w) => sum + w, 0);
  const exact = weights.map((w) => (spare * w) / weightSum);
  const shares = exact.map((value) => Math.floor(value));
  let left = spare - shares.reduce((sum, s) => sum + s, 0);
  const byRemainder = exact.map((value, index) => ({ index, remainder: value - Math.floor(value) }));
  byRemainder.sort((a, b) => b.remainder - a.remainder || a.index - b.index);
  for (const { index } of byRemainder) {
    if (left === 0) break;
    shares[index]! += 1;
    left -= 1;
  }
  return shares.map((share) => share + minimum);
}

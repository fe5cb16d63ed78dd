import { describe, expect, it } from 'vitest';
import { Random, apportion, weightedTable } from './random.ts';

describe('Random', () => {
  it('gives the same sequence for the same seed and a different one for another seed', () => {
    const draw = (seed: number) => Array.from({ length: 5 }, ((random) => () => random.next())(new Random(seed)));
    expect(draw(42)).toEqual(draw(42));
    expect(draw(42)).not.toEqual(draw(43));
  });

  it('keeps integers within both bounds and reaches each of them', () => {
    const random = new Random(1);
    const seen = new Set<number>();
    for (let i = 0; i < 1000; i++) seen.add(random.int(3, 6));
    expect([...seen].sort()).toEqual([3, 4, 5, 6]);
  });

  it('picks by weight in proportion to the weights', () => {
    const random = new Random(7);
    const table = weightedTable([
      ['a', 3],
      ['b', 1],
      ['never', 0],
    ]);
    let a = 0;
    for (let i = 0; i < 10_000; i++) if (random.weighted(table) === 'a') a += 1;
    expect(a / 10_000).toBeGreaterThan(0.72);
    expect(a / 10_000).toBeLessThan(0.78);
  });
});

describe('apportion', () => {
  it('shares a total exactly, gives every parent the minimum, and follows the weights', () => {
    const shares = apportion(1433, Array.from({ length: 161 }, (_, i) => 1 + (i % 3)));
    expect(shares.reduce((sum, s) => sum + s, 0)).toBe(1433);
    expect(Math.min(...shares)).toBeGreaterThanOrEqual(1);
    expect(shares[2]!).toBeGreaterThan(shares[0]!);
  });

  it('refuses a total smaller than the minimum for every parent', () => {
    expect(() => apportion(3, [1, 1, 1, 1])).toThrow(RangeError);
  });
});

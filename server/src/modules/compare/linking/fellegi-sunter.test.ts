import { describe, expect, it } from 'vitest';
import { Random } from '../../demo/random.ts';
import { assignOneToOne, estimateFellegiSunter, matchProbability, scoreComparison, type ComparisonField, type ComparisonVector } from './index.ts';

const FIELDS: ComparisonField[] = [
  { name: 'name', levels: ['exact', 'close', 'different'] },
  { name: 'birth_date', levels: ['exact', 'different'] },
  { name: 'postcode', levels: ['exact', 'different'] },
];
const TRUE_LAMBDA = 0.05;
const TRUE_M = [[0.85, 0.1, 0.05], [0.95, 0.05], [0.8, 0.2]];
const TRUE_U = [[0.02, 0.08, 0.9], [0.01, 0.99], [0.1, 0.9]];

/** Pairs drawn from a known model (conditionally independent fields), some values missing. */
function simulate(random: Random, pairs: number): { vectors: ComparisonVector[]; isMatch: boolean[] } {
  const draw = (probabilities: number[]) => {
    let roll = random.next();
    for (let level = 0; level < probabilities.length; level++) {
      roll -= probabilities[level]!;
      if (roll < 0) return level;
    }
    return probabilities.length - 1;
  };
  const vectors: ComparisonVector[] = [];
  const isMatch: boolean[] = [];
  for (let i = 0; i < pairs; i++) {
    const match = random.chance(TRUE_LAMBDA);
    isMatch.push(match);
    vectors.push((match ? TRUE_M : TRUE_U).map((probabilities) => (random.chance(0.03) ? null : draw(probabilities))));
  }
  return { vectors, isMatch };
}

describe('Fellegi–Sunter estimation by EM', () => {
  it('recovers λ, m and u of the model that generated the pairs, without labels', () => {
    const { vectors } = simulate(new Random(3), 40_000);
    const model = estimateFellegiSunter(FIELDS, vectors);
    expect(model.converged).toBe(true);
    expect(model.matchProportion).toBeCloseTo(TRUE_LAMBDA, 2);
    model.m.forEach((row, field) => row.forEach((value, level) => expect(Math.abs(value - TRUE_M[field]![level]!)).toBeLessThan(0.03)));
    model.u.forEach((row, field) => row.forEach((value, level) => expect(Math.abs(value - TRUE_U[field]![level]!)).toBeLessThan(0.01)));
    expect(model.weights[0]![0]).toBeCloseTo(Math.log2(model.m[0]![0]! / model.u[0]![0]!), 10);
  });

  it('puts the threshold where the posterior match probability is one half, and classifies as the generating model would', () => {
    const random = new Random(8);
    const { vectors, isMatch } = simulate(random, 20_000);
    const model = estimateFellegiSunter(FIELDS, vectors);
    expect(model.threshold).toBeCloseTo(Math.log2((1 - model.matchProportion) / model.matchProportion), 10);
    expect(matchProbability(model, model.threshold)).toBeCloseTo(0.5, 10);
    let correct = 0;
    vectors.forEach((vector, index) => {
      if (scoreComparison(model, vector).total >= model.threshold === isMatch[index]) correct++;
    });
    expect(correct / vectors.length).toBeGreaterThan(0.97);
  });

  it('takes the class that agrees more as the match class, whatever EM converged to', () => {
    const { vectors } = simulate(new Random(5), 5_000);
    const fields = FIELDS.map((field) => ({ ...field, startM: [...(field.levels.length === 3 ? [0.1, 0.1, 0.8] : [0.1, 0.9])], startU: [...(field.levels.length === 3 ? [0.8, 0.1, 0.1] : [0.9, 0.1])] }));
    const model = estimateFellegiSunter(fields, vectors, { startMatchProportion: 0.9 });
    expect(model.m[0]![0]!).toBeGreaterThan(model.u[0]![0]!);
    expect(model.matchProportion).toBeLessThan(0.5);
  });

  it('keeps a known structure of the m-probabilities', () => {
    const { vectors } = simulate(new Random(6), 5_000);
    const fields = FIELDS.map((field, index) => (index === 0 ? { ...field, constrainM: (m: readonly number[]) => [m[0]!, (m[1]! + m[2]!) / 2, (m[1]! + m[2]!) / 2] } : field));
    const model = estimateFellegiSunter(fields, vectors);
    expect(model.m[0]![1]).toBeCloseTo(model.m[0]![2]!, 10);
  });

  it('gives a missing value no weight and sums the others', () => {
    const model = estimateFellegiSunter(FIELDS, simulate(new Random(4), 5_000).vectors);
    const scored = scoreComparison(model, [0, null, 1]);
    expect(scored.parts.map((part) => part.level)).toEqual(['exact', null, 'different']);
    expect(scored.parts[1]!.weight).toBe(0);
    expect(scored.total).toBeCloseTo(model.weights[0]![0]! + model.weights[2]![1]!, 10);
  });
});

describe('one-to-one assignment', () => {
  it('takes pairs by decreasing weight, each record at most once, none below the minimum', () => {
    const chosen = assignOneToOne(
      [
        { left: 'a', right: 1, weight: 10 },
        { left: 'a', right: 2, weight: 9 },
        { left: 'b', right: 1, weight: 8 },
        { left: 'b', right: 2, weight: 7 },
        { left: 'c', right: 3, weight: -1 },
      ],
      0,
    );
    expect(chosen.map((pair) => [pair.left, pair.right])).toEqual([
      ['a', 1],
      ['b', 2],
    ]);
  });
});

import { blockRecords, type BlockingPass, type SkippedBlock } from './blocking.ts';
import {
  assignOneToOne,
  estimateFellegiSunter,
  matchProbability,
  scoreComparison,
  type ComparisonField,
  type ComparisonVector,
  type EstimationOptions,
  type FellegiSunterModel,
  type FieldWeight,
} from './fellegi-sunter.ts';

/** How to link two lists of records held in memory: blocking keys, fields, and the comparison of a pair. */
export interface RecordLinkageSpec<T> {
  passes: readonly BlockingPass<T>[];
  fields: readonly ComparisonField[];
  /** The comparison vector of a pair: one level index per field, null where a value is missing. */
  compare: (left: T, right: T) => ComparisonVector;
  maxPairsPerBlock?: number;
  /** Both lists are de-duplicated, so each record links at most once (greedy by weight); default true. */
  isOneToOne?: boolean;
  /** Posterior match probability a pair needs to be linked; default 0.5, i.e. the model's threshold weight. */
  minimumMatchProbability?: number;
  estimation?: EstimationOptions;
}

/** A link between `left[left]` and `right[right]` with its weight and the weight of each field. */
export interface RecordLink {
  left: number;
  right: number;
  weight: number;
  probability: number;
  parts: FieldWeight[];
  passes: string[];
}

/** What {@link linkRecords} found and the model it estimated. */
export interface RecordLinkageResult {
  links: RecordLink[];
  model: FellegiSunterModel;
  candidatePairs: number;
  skippedBlocks: SkippedBlock[];
  /** The weight a pair needed, derived from the model and `minimumMatchProbability`. */
  minimumWeight: number;
}

/**
 * Links two record lists: multi-pass blocking, a comparison vector per candidate pair, m/u/λ by EM
 * over the candidate pairs, and the pairs whose posterior match probability reaches the minimum
 * (0.5 by default) under that model, one-to-one unless told otherwise. No labelled data is used.
 */
export function linkRecords<T>(left: readonly T[], right: readonly T[], spec: RecordLinkageSpec<T>): RecordLinkageResult {
  const blocked = blockRecords(left, right, spec.passes, spec.maxPairsPerBlock === undefined ? {} : { maxPairsPerBlock: spec.maxPairsPerBlock });
  const vectors = blocked.pairs.map((pair) => spec.compare(left[pair.left]!, right[pair.right]!));
  const model = estimateFellegiSunter(spec.fields, vectors, spec.estimation);
  const probability = spec.minimumMatchProbability ?? 0.5;
  // Posterior p = 1 / (1 + 2^(threshold − W)), so p ≥ probability ⇔ W ≥ threshold + log2(p / (1 − p)).
  const minimumWeight = model.threshold + Math.log2(probability / (1 - probability));
  const scored = blocked.pairs.map((pair, index) => {
    const { total, parts } = scoreComparison(model, vectors[index]!);
    return { left: pair.left, right: pair.right, weight: total, probability: matchProbability(model, total), parts, passes: pair.passes };
  });
  const links = (spec.isOneToOne ?? true) ? assignOneToOne(scored, minimumWeight) : scored.filter((pair) => pair.weight >= minimumWeight);
  return { links, model, candidatePairs: blocked.pairs.length, skippedBlocks: blocked.skippedBlocks, minimumWeight };
}

/**
 * One blocking pass: records whose keys are equal become candidate pairs. A null or empty key keeps
 * a record out of this pass (it can still meet its match through another pass).
 */
export interface BlockingPass<T> {
  name: string;
  key: (record: T) => string | null;
}

/** A candidate pair by record positions, with the passes that proposed it. */
export interface CandidatePair {
  left: number;
  right: number;
  passes: string[];
}

/** A block that was skipped because it would have produced too many pairs. */
export interface SkippedBlock {
  pass: string;
  key: string;
  pairs: number;
}

/** Options of {@link blockRecords}. */
export interface BlockingOptions {
  /** A block producing more pairs than this is skipped (and reported), so one huge block cannot explode; default 10,000. */
  maxPairsPerBlock?: number;
}

/** The union of the passes' candidate pairs, and the blocks skipped by the cap. */
export interface BlockingResult {
  pairs: CandidatePair[];
  skippedBlocks: SkippedBlock[];
}

/**
 * Multi-pass blocking of two record lists held in memory: each pass groups both sides by its key,
 * pairs records within each block, and the candidate set is the union over the passes. A pair
 * missed by one key (a typo in the surname) is found by another (the birth date), which is why
 * several narrow keys beat one broad one.
 */
export function blockRecords<T>(left: readonly T[], right: readonly T[], passes: readonly BlockingPass<T>[], options: BlockingOptions = {}): BlockingResult {
  const maxPairs = options.maxPairsPerBlock ?? 10_000;
  const byPair = new Map<number, CandidatePair>();
  const skippedBlocks: SkippedBlock[] = [];
  for (const pass of passes) {
    const rightBlocks = groupByKey(right, pass.key);
    for (const [key, leftIndexes] of groupByKey(left, pass.key)) {
      const rightIndexes = rightBlocks.get(key);
      if (!rightIndexes) continue;
      const size = leftIndexes.length * rightIndexes.length;
      if (size > maxPairs) {
        skippedBlocks.push({ pass: pass.name, key, pairs: size });
        continue;
      }
      for (const l of leftIndexes) {
        for (const r of rightIndexes) {
          // One number per pair keeps the union cheap for the hundreds of thousands of pairs a pass can make.
          const id = l * right.length + r;
          const pair = byPair.get(id);
          if (pair) {
            if (!pair.passes.includes(pass.name)) pair.passes.push(pass.name);
          } else byPair.set(id, { left: l, right: r, passes: [pass.name] });
        }
      }
    }
  }
  return { pairs: [...byPair.values()], skippedBlocks };
}

function groupByKey<T>(records: readonly T[], key: (record: T) => string | null): Map<string, number[]> {
  const groups = new Map<string, number[]>();
  records.forEach((record, index) => {
    const value = key(record);
    if (value === null || value === '') return;
    const group = groups.get(value);
    if (group) group.push(index);
    else groups.set(value, [index]);
  });
  return groups;
}

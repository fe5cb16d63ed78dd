import { createWorkerPool } from '../../../platform/workers/index.ts';
import { pairLevelsComparer, type PairColumns, type PairLevelsSetup, type PreparedNames } from './pair-levels.ts';

const WORKER_URL = new URL('./pair-levels.worker.ts', import.meta.url);

/** Compares batches of candidate pairs on worker threads, or in this thread. */
export interface PairLevelsPool {
  /** The batch's levels; batches may be compared at once on several threads, each promise has its own. */
  compare(batch: PairColumns): Promise<Int8Array>;
  close(): Promise<void>;
}

/**
 * Starts `workers` threads that each prepare `setup` and compare the batches handed to them in
 * turn (a batch's columns move to its thread, not copied); with 0 workers, compares in this thread
 * with `preparedNames` (shared by a run's datasets).
 */
export function createPairLevelsPool(setup: PairLevelsSetup, workers: number, preparedNames: PreparedNames): PairLevelsPool {
  if (workers === 0) {
    const compare = pairLevelsComparer(setup, preparedNames);
    return { compare: async (batch) => compare(batch), close: async () => undefined };
  }
  const pool = createWorkerPool<PairColumns, Int8Array>(WORKER_URL, setup, workers, 'fuzzy stage comparison worker', (batch) =>
    [batch.identity, batch.nameId, batch.idHigh, batch.idLow, batch.idCheck, batch.gender].map((column) => column.buffer as ArrayBuffer),
  );
  return { compare: (batch) => pool.submit(batch), close: () => pool.close() };
}

import { Worker } from 'node:worker_threads';
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
 * turn; with 0 workers, compares in this thread with `preparedNames` (shared by a run's datasets).
 */
export function createPairLevelsPool(setup: PairLevelsSetup, workers: number, preparedNames: PreparedNames): PairLevelsPool {
  if (workers === 0) {
    const compare = pairLevelsComparer(setup, preparedNames);
    return { compare: async (batch) => compare(batch), close: async () => undefined };
  }
  const threads = Array.from({ length: workers }, () => startWorker(setup));
  let next = 0;
  return {
    compare: (batch) => threads[next++ % threads.length]!.submit(batch),
    close: async () => {
      await Promise.all(threads.map((thread) => thread.stop()));
    },
  };
}

function startWorker(setup: PairLevelsSetup) {
  const worker = new Worker(WORKER_URL, { workerData: setup });
  const pending = new Map<number, { resolve: (vectors: Int8Array) => void; reject: (error: Error) => void }>();
  let sequence = 0;
  let failure: Error | undefined;
  const failAll = (error: Error) => {
    failure = error;
    for (const { reject } of pending.values()) reject(error);
    pending.clear();
  };
  worker.on('message', (message: { id: number; vectors: Int8Array }) => {
    pending.get(message.id)?.resolve(message.vectors);
    pending.delete(message.id);
  });
  worker.on('error', failAll);
  worker.on('exit', (code) => {
    if (code !== 0) failAll(new Error(`fuzzy stage comparison worker exited with code ${code}`));
  });
  return {
    submit(batch: PairColumns): Promise<Int8Array> {
      if (failure) return Promise.reject(failure);
      const id = sequence++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        const columns = [batch.identity, batch.nameId, batch.idHigh, batch.idLow, batch.idCheck, batch.gender];
        worker.postMessage({ id, batch }, columns.map((column) => column.buffer as ArrayBuffer));
      });
    },
    async stop() {
      worker.removeAllListeners('exit');
      await worker.terminate();
    },
  };
}

// A worker thread of the fuzzy stage's first pass: prepares the dataset's identities and names it
// is started with, then answers each batch of candidate pairs with their levels.
import { parentPort, workerData } from 'node:worker_threads';
import { pairLevelsComparer, type PairColumns, type PairLevelsSetup } from './pair-levels.ts';

const compare = pairLevelsComparer(workerData as PairLevelsSetup);

parentPort?.on('message', (message: { id: number; batch: PairColumns }) => {
  const vectors = compare(message.batch);
  parentPort?.postMessage({ id: message.id, vectors }, [vectors.buffer as ArrayBuffer]);
});

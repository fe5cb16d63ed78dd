// A worker thread of the fuzzy stage's first pass: prepares the dataset's identities and names it
// is started with, then answers each batch of candidate pairs with their levels.
import { workerData } from 'node:worker_threads';
import { answerRequests } from '../../../platform/workers/index.ts';
import { pairLevelsComparer, type PairLevelsSetup } from './pair-levels.ts';

answerRequests(pairLevelsComparer(workerData as PairLevelsSetup), (vectors) => [vectors.buffer as ArrayBuffer]);

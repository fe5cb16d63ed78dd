// A worker thread of the import preparation pool: builds the preparer named in workerData and
// answers each batch of raw rows with their verdicts, in order.
import { workerData } from 'node:worker_threads';
import { answerRequests } from '../workers/index.ts';
import { loadPreparer, type PreparerSpec } from './prepare-pool.ts';

answerRequests(await loadPreparer(workerData as PreparerSpec<unknown>));

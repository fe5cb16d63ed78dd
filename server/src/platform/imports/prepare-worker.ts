// A worker thread of the import preparation pool: builds the preparer named in workerData and
// answers each batch of raw rows with their verdicts, in order.
import { parentPort, workerData } from 'node:worker_threads';
import { loadPreparer, type PreparerSpec } from './prepare-pool.ts';

const prepareBatch = await loadPreparer(workerData as PreparerSpec<unknown>);

parentPort?.on('message', (message: { id: number; rows: Array<Record<string, string>> }) => {
  parentPort?.postMessage({ id: message.id, results: prepareBatch(message.rows) });
});

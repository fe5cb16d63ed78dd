/** Worker threads answering requests in turn: the pool the import preparation and the comparison's fuzzy stage share. */
export { answerRequests, createWorkerPool, type WorkerPool } from './worker-pool.ts';

import { parentPort, Worker, type TransferListItem } from 'node:worker_threads';

/** Worker threads that answer requests; each promise resolves with its own request's response. */
export interface WorkerPool<Q, R> {
  submit(request: Q): Promise<R>;
  close(): Promise<void>;
}

/**
 * Starts `size` threads running the module at `url` (which calls {@link answerRequests}) with
 * `workerData`, and hands requests out in turn. A thread that fails or exits rejects every request
 * it holds and every later one. `transfer` lists what of a request moves to the thread instead of
 * being copied (typed arrays' buffers, say).
 */
export function createWorkerPool<Q, R>(url: URL, workerData: unknown, size: number, name: string, transfer: (request: Q) => TransferListItem[] = () => []): WorkerPool<Q, R> {
  const threads = Array.from({ length: size }, () => startThread<Q, R>(url, workerData, name, transfer));
  let next = 0;
  return {
    submit: (request) => threads[next++ % threads.length]!.submit(request),
    close: async () => {
      await Promise.all(threads.map((thread) => thread.stop()));
    },
  };
}

/** In a worker thread: answers each request with `handle`'s response, `transfer` listing what of it moves rather than is copied. */
export function answerRequests<Q, R>(handle: (request: Q) => R, transfer: (response: R) => TransferListItem[] = () => []): void {
  parentPort?.on('message', (message: { id: number; request: Q }) => {
    const response = handle(message.request);
    parentPort?.postMessage({ id: message.id, response }, transfer(response));
  });
}

function startThread<Q, R>(url: URL, workerData: unknown, name: string, transfer: (request: Q) => TransferListItem[]) {
  const worker = new Worker(url, { workerData });
  const pending = new Map<number, { resolve: (response: R) => void; reject: (error: Error) => void }>();
  let sequence = 0;
  let failure: Error | undefined;
  const failAll = (error: Error) => {
    failure = error;
    for (const { reject } of pending.values()) reject(error);
    pending.clear();
  };
  worker.on('message', (message: { id: number; response: R }) => {
    pending.get(message.id)?.resolve(message.response);
    pending.delete(message.id);
  });
  worker.on('error', failAll);
  worker.on('exit', (code) => {
    if (code !== 0) failAll(new Error(`${name} exited with code ${code}`));
  });
  return {
    submit(request: Q): Promise<R> {
      if (failure) return Promise.reject(failure);
      const id = sequence++;
      return new Promise<R>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        worker.postMessage({ id, request }, transfer(request));
      });
    },
    async stop() {
      worker.removeAllListeners('exit');
      await worker.terminate();
    },
  };
}

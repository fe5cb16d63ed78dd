import os from 'node:os';
import { createWorkerPool } from '../workers/index.ts';
import type { PreparedRow } from './import-runner.ts';

/**
 * Where row preparation lives: a module exporting `createPreparer(context)`, which returns the
 * {@link RowPreparer} validating and transforming rows. The context must survive structured
 * cloning (it is sent to worker threads), e.g. key bytes and the place directory as entries.
 */
export interface PreparerSpec<C> {
  /** `import.meta.resolve`d URL of the module. */
  module: string;
  context: C;
}

/** Validates and transforms the rows of an import, a batch at a time. */
export interface RowPreparer<T> {
  prepareRow(values: Record<string, string>): PreparedRow<T>;
  /**
   * Called after each batch's rows and before their verdicts are read: work a preparer defers to
   * do for the whole batch at once (encryption, see FieldCipher.batch) is finished here.
   */
  endBatch?(): void;
}

/** The shape of a preparer module. */
export interface PreparerModule<C, T> {
  createPreparer(context: C): RowPreparer<T>;
}

type Prepare<T> = (rows: Array<Record<string, string>>) => Promise<Array<PreparedRow<T>>>;

/** Worker threads that run a preparer over batches of rows. */
export interface PreparePool<T> {
  prepare: Prepare<T>;
  close(): Promise<void>;
}

const WORKER_URL = new URL('./prepare-worker.ts', import.meta.url);

/**
 * Number of preparation workers: one core is left to the main thread (parsing, database), and a
 * machine with a single core prepares in the main thread. `MINSHENG_IMPORT_WORKERS` overrides.
 */
export function preparationWorkers(): number {
  const configured = process.env.MINSHENG_IMPORT_WORKERS;
  if (configured !== undefined && configured !== '') return Math.max(0, Number(configured) || 0);
  return Math.min(4, Math.max(0, os.availableParallelism() - 1));
}

/**
 * Prepares rows on `size` worker threads, or in this thread when size is 0. Batches are handed
 * out round-robin and each promise resolves with its own batch's results, so the caller keeps
 * file order by awaiting them in order.
 */
export async function createPreparePool<C, T>(spec: PreparerSpec<C>, size: number): Promise<PreparePool<T>> {
  if (size === 0) {
    const prepareBatch = await loadPreparer<C, T>(spec);
    return { prepare: async (rows) => prepareBatch(rows), close: async () => undefined };
  }
  const pool = createWorkerPool<Array<Record<string, string>>, Array<PreparedRow<T>>>(WORKER_URL, spec, size, 'import preparation worker');
  return { prepare: (rows) => pool.submit(rows), close: () => pool.close() };
}

/**
 * Builds the batch preparer named by `spec`. A row whose preparation throws is refused with the
 * reason instead of ending the import: one bad row must not stop the others.
 */
export async function loadPreparer<C, T>(spec: PreparerSpec<C>): Promise<(rows: Array<Record<string, string>>) => Array<PreparedRow<T>>> {
  const module = (await import(spec.module)) as PreparerModule<C, T>;
  const preparer = module.createPreparer(spec.context);
  return (rows) => {
    const results = rows.map((values) => {
      try {
        return preparer.prepareRow(values);
      } catch (error) {
        return refusal<T>(error);
      }
    });
    try {
      preparer.endBatch?.();
    } catch (error) {
      return rows.map(() => refusal<T>(error));
    }
    return results;
  };
}

function refusal<T>(error: unknown): PreparedRow<T> {
  return { ok: false, problems: [{ field: null, reason: `row could not be processed: ${error instanceof Error ? error.message : String(error)}` }] };
}

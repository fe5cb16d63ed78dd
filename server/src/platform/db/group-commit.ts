import { isStatementRefusal } from './errors.ts';

/** The outcome of one item of a batch: its result, or the error that refused it alone. */
export type Settled<O> = { ok: true; value: O } | { ok: false; error: unknown };

interface Waiting<I, O> {
  item: I;
  resolve: (value: O) => void;
  reject: (error: unknown) => void;
}

/** Options of a {@link GroupCommitter}. */
export interface GroupCommitOptions {
  /** Most items one flush takes. */
  maxBatch?: number;
  /** Flushes that may run at once (each holds one database connection). */
  concurrency?: number;
  /**
   * Whether a failed batch is retried in smaller parts to find the culprit. Only for errors that
   * certainly rolled the batch back: after a lost connection the batch may have committed.
   * By default, the database's refusals of a statement (constraints, bad values).
   */
  canRetryInParts?: (error: unknown) => boolean;
}

/**
 * Application-level group commit. Callers submit one item each; items that arrive while earlier
 * flushes are running wait and then go together into the next flush — one transaction with
 * multi-row statements instead of one transaction each. A lone request is flushed at once, so
 * nothing waits on a timer: batches only form under load, and grow with it.
 *
 * `flush` answers one outcome per item, in order. If it throws an error that `canRetryInParts`
 * accepts, the batch is retried in halves until the culprit is alone, so one bad item fails only
 * its own caller; any other error fails the whole batch.
 */
export class GroupCommitter<I, O> {
  readonly #flush: (items: I[]) => Promise<Settled<O>[]>;
  readonly #maxBatch: number;
  readonly #concurrency: number;
  readonly #canRetryInParts: (error: unknown) => boolean;
  #queue: Waiting<I, O>[] = [];
  #running = 0;

  constructor(flush: (items: I[]) => Promise<Settled<O>[]>, options: GroupCommitOptions = {}) {
    this.#flush = flush;
    this.#maxBatch = options.maxBatch ?? 64;
    this.#concurrency = options.concurrency ?? 2;
    this.#canRetryInParts = options.canRetryInParts ?? isStatementRefusal;
  }

  /** Submits one item; resolves when the transaction holding it has committed. */
  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.#queue.push({ item, resolve, reject });
      this.#pump();
    });
  }

  #pump(): void {
    while (this.#running < this.#concurrency && this.#queue.length > 0) {
      const batch = this.#queue.splice(0, this.#maxBatch);
      this.#running += 1;
      void this.#run(batch).finally(() => {
        this.#running -= 1;
        this.#pump();
      });
    }
  }

  async #run(batch: Waiting<I, O>[]): Promise<void> {
    let outcomes: Settled<O>[];
    try {
      outcomes = await this.#flush(batch.map((entry) => entry.item));
    } catch (error) {
      if (batch.length === 1 || !this.#canRetryInParts(error)) {
        for (const entry of batch) entry.reject(error);
        return;
      }
      // Something in the batch broke the shared transaction: find whose it is by halving, so the
      // innocent still commit in batches.
      const half = Math.ceil(batch.length / 2);
      await this.#run(batch.slice(0, half));
      await this.#run(batch.slice(half));
      return;
    }
    batch.forEach((entry, index) => {
      const outcome = outcomes[index];
      if (!outcome) entry.reject(new Error('group commit: no outcome for an item'));
      else if (outcome.ok) entry.resolve(outcome.value);
      else entry.reject(outcome.error);
    });
  }
}

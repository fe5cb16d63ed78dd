import { PgBoss, fromKysely, fromPglite, type Job } from 'pg-boss';
import type { Static, TSchema } from 'typebox';
import { Value } from 'typebox/value';
import type { DatabaseHandle, Executor } from '../db/database.ts';
import { withReferenceSnapshot } from '../db/reference-cache.ts';
import { AppError } from '../errors.ts';

/**
 * A typed background job: a stable id (the queue name), a TypeBox schema for its data, and the
 * handler. Data is checked against the schema when the job is enqueued, so a malformed job is
 * refused with the write that caused it instead of failing later in a worker.
 */
export interface JobDefinition<S extends TSchema = TSchema> {
  id: string;
  schema: S;
  handler(data: Static<S>, job: { id: string; attempt: number }): Promise<void>;
  /** Retries after a failure; jobs whose work is idempotent can afford more. */
  retryLimit?: number;
}

/** A job's queue name and data schema: what is needed to enqueue it (the handler lives with the runner). */
export type JobSpec<S extends TSchema = TSchema> = Pick<JobDefinition<S>, 'id' | 'schema'>;

/** Declares a job (identity function that keeps the data type tied to the schema). */
export function defineJob<S extends TSchema>(definition: JobDefinition<S>): JobDefinition<S> {
  return definition;
}

/** When and how to run an enqueued job. */
export interface EnqueueOptions {
  /** Not before this moment (timers: deadline warnings, escalations). */
  startAfter?: Date;
  /** At most one queued job with this key per queue (e.g. one deadline timer per matter step). */
  singletonKey?: string;
}

/** Options of the job runner. */
export interface JobRunnerOptions {
  /** How often idle workers look for jobs; tests use short intervals. */
  pollingIntervalSeconds?: number;
  /** Register the queues and enqueue, but run no handlers (CLI commands). */
  isWorking?: boolean;
  /** Housekeeping that runs every few moments in a working process, and once more on stop. */
  tickers?: Ticker[];
}

/**
 * Periodic work that is not worth a queued job each time (sealing the audit trail): run again
 * `everyMs` after the previous run ended, never two at once, and a last time when the runner stops
 * so that a process exits with its work done (a CLI import seals what it wrote).
 */
export interface Ticker {
  id: string;
  everyMs: number;
  run(): Promise<unknown>;
}

/**
 * pg-boss over the platform's database: on PGlite through its PGlite adapter, on PostgreSQL with
 * its own pool. Jobs are enqueued inside the caller's Kysely transaction, so a job exists exactly
 * when the write that caused it committed (restart-safe timers).
 */
export class JobRunner {
  readonly #boss: PgBoss;
  readonly #definitions: Map<string, JobDefinition>;
  readonly #tickers: Ticker[];
  readonly #timers = new Set<NodeJS.Timeout>();
  readonly #running = new Map<string, Promise<unknown>>();
  #stopped = false;

  private constructor(boss: PgBoss, definitions: Map<string, JobDefinition>, tickers: Ticker[]) {
    this.#boss = boss;
    this.#definitions = definitions;
    this.#tickers = tickers;
  }

  #schedule(ticker: Ticker) {
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      if (this.#stopped) return;
      void this.#tick(ticker).finally(() => this.#schedule(ticker));
    }, ticker.everyMs);
    timer.unref();
    this.#timers.add(timer);
  }

  /** One run of a ticker; a failure is logged and the next run tries again. */
  #tick(ticker: Ticker): Promise<unknown> {
    const previous = this.#running.get(ticker.id) ?? Promise.resolve();
    const run = previous.then(() => ticker.run()).catch((error: unknown) => console.error(`ticker ${ticker.id} failed`, error));
    this.#running.set(ticker.id, run);
    return run;
  }

  /** Starts pg-boss (creating its schema on first use) and the workers of every definition. */
  static async start(handle: DatabaseHandle, definitions: JobDefinition[], options: JobRunnerOptions = {}): Promise<JobRunner> {
    const boss =
      handle.kind === 'pglite'
        ? new PgBoss({ db: fromPglite(handle.pglite!), supervise: true, schedule: false })
        : new PgBoss({ connectionString: handle.connectionString!, max: 4, schedule: false });
    boss.on('error', (error) => console.error('job runner error', error));
    await boss.start();
    const byId = new Map(definitions.map((d) => [d.id, d]));
    for (const definition of definitions) {
      await boss.createQueue(definition.id, { retryLimit: definition.retryLimit ?? 3 });
      if (options.isWorking === false) continue;
      await boss.work(definition.id, { pollingIntervalSeconds: options.pollingIntervalSeconds ?? 2 }, async (jobs: Job<object>[]) => {
        // One reading of the reference-data versions per job, as per HTTP request.
        for (const job of jobs) await withReferenceSnapshot(() => definition.handler(job.data as Static<TSchema>, { id: job.id, attempt: job.retryCount + 1 }));
      });
    }
    const runner = new JobRunner(boss, byId, options.tickers ?? []);
    if (options.isWorking !== false) for (const ticker of runner.#tickers) runner.#schedule(ticker);
    return runner;
  }

  /**
   * Enqueues a job in the caller's transaction: it becomes visible to workers when, and only
   * when, that transaction commits. Returns the job id, or null when a singleton key is taken.
   */
  async enqueue<S extends TSchema>(trx: Executor, definition: JobSpec<S>, data: Static<S>, options: EnqueueOptions = {}): Promise<string | null> {
    this.#check(definition, data);
    return this.#boss.send(definition.id, data as object, { db: fromKysely(trx), ...bossOptions(options) });
  }

  /** Enqueues several jobs of one queue in one statement, inside `trx` like {@link enqueue}. */
  async enqueueMany<S extends TSchema>(trx: Executor, definition: JobSpec<S>, jobs: { data: Static<S>; options?: EnqueueOptions }[]): Promise<void> {
    if (jobs.length === 0) return;
    for (const job of jobs) this.#check(definition, job.data);
    await this.#boss.insert(
      definition.id,
      jobs.map((job) => ({ data: job.data as object, ...bossOptions(job.options ?? {}) })),
      { db: fromKysely(trx) },
    );
  }

  #check<S extends TSchema>(definition: JobSpec<S>, data: Static<S>): void {
    if (!this.#definitions.has(definition.id)) throw new Error(`job ${definition.id} is not registered with the runner`);
    if (!Value.Check(definition.schema, data)) {
      const first = [...Value.Errors(definition.schema, data)][0];
      throw new AppError('VALIDATION_FAILED', `job ${definition.id}: ${first?.message ?? 'invalid data'}`);
    }
  }

  /** Jobs of a queue in a given state, for operators and tests. */
  async countJobs(definition: JobSpec, state: 'created' | 'active' | 'completed' | 'failed'): Promise<number> {
    const jobs = await this.#boss.findJobs(definition.id, {});
    return jobs.filter((job) => job.state === state).length;
  }

  /** Stops the workers, letting running handlers finish, and runs every ticker a last time. */
  async stop(): Promise<void> {
    this.#stopped = true;
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    await Promise.all(this.#tickers.map((ticker) => this.#tick(ticker)));
    await this.#boss.stop({ graceful: true, timeout: 10_000 });
  }
}

function bossOptions(options: EnqueueOptions) {
  return {
    ...(options.startAfter ? { startAfter: options.startAfter } : {}),
    ...(options.singletonKey ? { singletonKey: options.singletonKey } : {}),
  };
}

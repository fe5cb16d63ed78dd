import type { Executor } from '../../platform/db/database.ts';
import type { ComparisonRunsTable } from '../../platform/db/schema.ts';

/** The partial unique index that allows one queued or running comparison at a time. */
export const ONE_ACTIVE_RUN_CONSTRAINT = 'comparison_runs_one_active';

/** One stage of a run as the runs page shows it. */
export type RunStage = ComparisonRunsTable['stages']['__select__'][number];

/** Records a queued run. */
export async function insertRun(db: Executor, run: { asOf: string; datasets: Record<string, number>; parameters: Record<string, unknown>; createdBy: number | null }): Promise<number> {
  const row = await db
    .insertInto('comparison_runs')
    .values({ as_of: run.asOf, datasets: JSON.stringify(run.datasets), parameters: JSON.stringify(run.parameters), created_by: run.createdBy })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** One run with the name of who started it. */
export function findRun(db: Executor, id: number) {
  return db
    .selectFrom('comparison_runs as r')
    .leftJoin('users as u', 'u.id', 'r.created_by')
    .selectAll('r')
    .select('u.display_name as created_by_name')
    .where('r.id', '=', id)
    .executeTakeFirst();
}

/** A page of runs, newest first, with the total. */
export async function listRuns(db: Executor, filter: { status?: string | undefined }, page: { limit: number; offset: number }) {
  let query = db.selectFrom('comparison_runs as r').leftJoin('users as u', 'u.id', 'r.created_by');
  if (filter.status) query = query.where('r.status', '=', filter.status as 'queued');
  const [rows, count] = await Promise.all([
    query.selectAll('r').select('u.display_name as created_by_name').orderBy('r.id', 'desc').limit(page.limit).offset(page.offset).execute(),
    query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

/** Moves a run to `running` (again, when a retried job picks it up) with no stages yet. */
export async function markRunStarted(db: Executor, id: number): Promise<void> {
  await db
    .updateTable('comparison_runs')
    .set({ status: 'running', stage: null, stages: '[]', error: null, started_at: new Date(), finished_at: null })
    .where('id', '=', id)
    .execute();
}

/** Records the stage a run is in and the stages so far, for the progress display. */
export async function updateRunStages(db: Executor, id: number, stage: string | null, stages: RunStage[]): Promise<void> {
  await db.updateTable('comparison_runs').set({ stage, stages: JSON.stringify(stages) }).where('id', '=', id).execute();
}

/** Ends a run: completed with the engine's summary and what reconciliation did, or failed with the reason. */
export async function finishRun(
  db: Executor,
  id: number,
  end: { status: 'completed' | 'failed'; stages: RunStage[]; summary?: Record<string, unknown> | null; outcome?: Record<string, unknown> | null; error?: string | null },
): Promise<void> {
  await db
    .updateTable('comparison_runs')
    .set({
      status: end.status,
      stage: null,
      stages: JSON.stringify(end.stages),
      ...(end.summary !== undefined ? { summary: end.summary === null ? null : JSON.stringify(end.summary) } : {}),
      ...(end.outcome !== undefined ? { outcome: end.outcome === null ? null : JSON.stringify(end.outcome) } : {}),
      error: end.error ?? null,
      finished_at: new Date(),
    })
    .where('id', '=', id)
    .execute();
}

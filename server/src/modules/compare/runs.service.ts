import { Type } from 'typebox';
import { appendAudit } from '../../platform/audit/index.ts';
import { auditActorOf, requirePermission, type Principal } from '../../platform/auth/index.ts';
import { isUniqueViolation } from '../../platform/db/errors.ts';
import { AppError, isAppError } from '../../platform/errors.ts';
import type { AppServices } from '../../platform/http/context.ts';
import type { JobSpec } from '../../platform/jobs/index.ts';
import { runComparison, type ComparisonSummary } from './comparison.ts';
import { isExtractKind, withoutServerPaths } from './datasets.service.ts';
import * as datasetsRepo from './datasets.repository.ts';
import { findRuleHandlings } from './findings.repository.ts';
import { readRegionCodes } from './profile.ts';
import { mergeSuspectsByKey, reconcileRun, type PlacedSuspect, type ReconcileOutcome } from './reconcile.ts';
import { RegionResolver } from './region.ts';
import * as repo from './runs.repository.ts';

/** Runs one comparison (大数据比对) and records its findings. */
export const COMPARE_RUN_JOB = {
  id: 'compare.run',
  schema: Type.Object({ runId: Type.Integer({ minimum: 1 }) }),
} satisfies JobSpec;

/**
 * A domain event: a run has completed and its findings and lists are written. Enqueued in the
 * transaction that marks the run completed; other modules subscribe through {@link compareJobs}
 * (social assistance turns new 因病致贫风险 entries into warnings).
 */
export const COMPARE_RUN_COMPLETED_JOB = {
  id: 'compare.run.completed',
  schema: Type.Object({ runId: Type.Integer({ minimum: 1 }) }),
} satisfies JobSpec;

/** Names of a run's stages, in order, as the runs page shows them. */
export const RUN_STAGES = ['compare', 'place', 'record'] as const;

const SYSTEM_ACTOR = { userId: null, name: 'compare', ip: null };

/**
 * Queues a comparison as of a date over chosen datasets: by default the newest ready dataset of
 * every kind, any of which `datasets` may replace (or leave out, with null). The insured roll is required (every rule starts
 * from it). Only one run may be queued or running at a time, because runs reconcile findings.
 */
export async function startRun(services: AppServices, principal: Principal, input: { asOf: string; datasets?: Record<string, number | null> | undefined }): Promise<number> {
  requirePermission(principal, 'compare:run:write');
  if (!/^\d{4}-\d{2}-\d{2}$/u.test(input.asOf) || Number.isNaN(Date.parse(`${input.asOf}T00:00:00Z`))) {
    throw new AppError('VALIDATION_FAILED', `as-of date must be YYYY-MM-DD, found "${input.asOf}"`, { fields: [{ field: 'asOf', message: 'invalid date' }] });
  }
  const chosen = Object.fromEntries(await datasetsRepo.findLatestReadyByKind(services.db));
  for (const [kind, id] of Object.entries(input.datasets ?? {})) {
    if (!isExtractKind(kind)) throw new AppError('VALIDATION_FAILED', `unknown extract kind ${kind}`, { fields: [{ field: `datasets.${kind}`, message: 'unknown kind' }] });
    // null leaves the kind out of the run, and with it the rules that need it.
    if (id === null) delete chosen[kind];
    else chosen[kind] = id;
  }
  const rows = await datasetsRepo.findDatasets(services.db, Object.values(chosen));
  for (const [kind, id] of Object.entries(chosen)) {
    const row = rows.find((r) => r.id === id);
    if (!row) throw new AppError('VALIDATION_FAILED', `no dataset ${id}`, { fields: [{ field: `datasets.${kind}`, message: 'unknown dataset' }] });
    if (row.kind !== kind) throw new AppError('VALIDATION_FAILED', `dataset ${id} is a ${row.kind} extract, not ${kind}`, { fields: [{ field: `datasets.${kind}`, message: 'wrong kind' }] });
    if (row.status !== 'ready') throw new AppError('VALIDATION_FAILED', `dataset ${id} is ${row.status}, not ready`, { fields: [{ field: `datasets.${kind}`, message: row.status }] });
  }
  if (chosen.insured === undefined) {
    throw new AppError('VALIDATION_FAILED', 'an insured extract (参保人员) is needed: upload one first', { fields: [{ field: 'datasets.insured', message: 'required' }] });
  }
  try {
    return await services.db.transaction().execute(async (trx) => {
      const id = await repo.insertRun(trx, { asOf: input.asOf, datasets: chosen, parameters: {}, createdBy: principal.via === 'system' ? null : principal.userId });
      await appendAudit(trx, auditActorOf(principal), { action: 'compare.run.started', entityType: 'comparison_run', entityId: id, details: { asOf: input.asOf, datasets: chosen } });
      await services.jobs.enqueue(trx, COMPARE_RUN_JOB, { runId: id });
      return id;
    });
  } catch (error) {
    if (isUniqueViolation(error, repo.ONE_ACTIVE_RUN_CONSTRAINT)) {
      throw new AppError('CONFLICT', 'a comparison is already queued or running; start the next one when it has finished', { reason: 'run_in_progress' });
    }
    throw error;
  }
}

/**
 * The run job: compares the run's extracts in DuckDB (the engine), places every suspect in its
 * person's region, and reconciles findings and lists, recording each stage and its time for the
 * runs page. A failure ends the run as failed with its reason; a run already finished is left alone
 * (a job delivered twice does nothing).
 */
export async function handleComparisonRun(services: AppServices, data: { runId: number }): Promise<void> {
  const run = await repo.findRun(services.db, data.runId);
  if (!run || run.status === 'completed' || run.status === 'failed') return;
  await repo.markRunStarted(services.db, run.id);
  const stages: repo.RunStage[] = [];
  const begin = async (name: (typeof RUN_STAGES)[number]) => {
    stages.push({ name, status: 'running', ms: null });
    await repo.updateRunStages(services.db, run.id, name, stages);
    return performance.now();
  };
  const end = async (started: number, detail?: string) => {
    const stage = stages[stages.length - 1]!;
    Object.assign(stage, { status: 'done', ms: Math.round(performance.now() - started) }, detail === undefined ? {} : { detail });
    await repo.updateRunStages(services.db, run.id, null, stages);
  };
  let summary: ComparisonSummary | undefined;
  const datasets = await datasetsRepo.findDatasets(services.db, Object.values(run.datasets));
  try {
    const files: Record<string, string> = {};
    for (const [kind, id] of Object.entries(run.datasets)) {
      const dataset = datasets.find((d) => d.id === id);
      if (!dataset || dataset.status !== 'ready') throw new AppError('CONFLICT', `dataset ${id} (${kind}) is no longer ready`);
      files[kind] = dataset.stored_path;
    }
    if (!files.insured) throw new AppError('VALIDATION_FAILED', 'the run has no insured extract');

    let started = await begin('compare');
    const result = await runComparison({ asOf: run.as_of, files: { ...files, insured: files.insured } });
    summary = result.summary;
    const rulesRun = Object.keys(summary.rules);
    await end(started, `${result.suspects.length} suspects; ${Object.entries(summary.timingsMs).map(([stage, ms]) => `${stage} ${ms} ms`).join(', ')}`);

    started = await begin('place');
    const suspects = mergeSuspectsByKey(result.suspects);
    const insuredDataset = datasets.find((d) => d.id === run.datasets.insured);
    const regionCodes = insuredDataset?.region_index_path
      ? await readRegionCodes(insuredDataset.region_index_path, suspects.map((s) => s.idNumber))
      : new Map<string, string>();
    const resolver = new RegionResolver(services, regionCodes);
    const placed: PlacedSuspect[] = [];
    for (const suspect of suspects) {
      const region = await resolver.resolve(suspect.idNumber);
      placed.push({ suspect, place: region.place, regionSource: region.source, street: await resolver.streetOf(region.place) });
      if (placed.length % 200 === 0) await progress(services, run.id, stages, 'place', placed.length, suspects.length);
    }
    await end(started, `${placed.length}`);

    started = await begin('record');
    const handlings = await findRuleHandlings(services.db);
    const outcome: ReconcileOutcome = await reconcileRun(services, run.id, placed, rulesRun, handlings, (done, total) => progress(services, run.id, stages, 'record', done, total));
    await end(started);

    await services.db.transaction().execute(async (trx) => {
      await repo.finishRun(trx, run.id, { status: 'completed', stages, summary: presentSummary(summary!), outcome: { ...outcome } });
      await appendAudit(trx, SYSTEM_ACTOR, { action: 'compare.run.completed', entityType: 'comparison_run', entityId: run.id, details: { suspects: result.suspects.length, ...outcome } });
      await services.jobs.enqueue(trx, COMPARE_RUN_COMPLETED_JOB, { runId: run.id }, { singletonKey: String(run.id) });
    });
  } catch (error) {
    const last = stages[stages.length - 1];
    if (last?.status === 'running') last.status = 'failed';
    const raw = isAppError(error) ? error.message : `internal error: ${error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error)}`;
    const message = withoutServerPaths(raw, datasets.map((d) => ({ path: d.stored_path, label: `#${d.id} ${d.file_name}` })));
    if (!isAppError(error)) console.error(`comparison run ${run.id} failed`, error);
    await services.db.transaction().execute(async (trx) => {
      await repo.finishRun(trx, run.id, { status: 'failed', stages, summary: summary ? presentSummary(summary) : null, error: message });
      await appendAudit(trx, SYSTEM_ACTOR, { action: 'compare.run.failed', entityType: 'comparison_run', entityId: run.id, details: { error: message } });
    });
  }
}

async function progress(services: AppServices, runId: number, stages: repo.RunStage[], name: string, done: number, total: number): Promise<void> {
  const stage = stages[stages.length - 1];
  if (stage) stage.detail = `${done}/${total}`;
  await repo.updateRunStages(services.db, runId, name, stages);
}

/** The engine's summary without the server's file paths and the lists of rejected rows. */
function presentSummary(summary: ComparisonSummary): Record<string, unknown> {
  // Rejected rows are listed on each dataset's profile; the run keeps their count.
  const files = Object.fromEntries(
    Object.entries(summary.files).map(([kind, loaded]) => [kind, loaded ? { ...loaded, file: undefined, rejected: undefined, rowsRejected: loaded.rejected.length } : loaded]),
  );
  return JSON.parse(JSON.stringify({ ...summary, files })) as Record<string, unknown>;
}

type RunRow = NonNullable<Awaited<ReturnType<typeof repo.findRun>>>;

/** The runs page's view of a run. */
export function presentRun(row: RunRow) {
  const summary = row.summary as { rules?: Record<string, { suspects: number; amountAtStake: string }>; skippedRules?: string[]; timingsMs?: Record<string, number>; files?: Record<string, unknown> } | null;
  return {
    id: row.id,
    asOf: row.as_of,
    datasets: row.datasets,
    status: row.status,
    stage: row.stage,
    stages: row.stages,
    rules: Object.entries(summary?.rules ?? {}).map(([rule, totals]) => ({ rule, suspects: totals.suspects, amountAtStake: totals.amountAtStake })),
    skippedRules: summary?.skippedRules ?? [],
    timingsMs: summary?.timingsMs ?? {},
    files: summary?.files ?? {},
    outcome: row.outcome,
    error: row.error,
    createdBy: row.created_by_name,
    createdAt: row.created_at.toISOString(),
    startedAt: row.started_at?.toISOString() ?? null,
    finishedAt: row.finished_at?.toISOString() ?? null,
  };
}

/** One run. */
export async function getRun(services: Pick<AppServices, 'db'>, principal: Principal, id: number) {
  requirePermission(principal, 'compare:run:read');
  const row = await repo.findRun(services.db, id);
  if (!row) throw new AppError('NOT_FOUND', `no comparison run ${id}`);
  return row;
}

/** A page of runs, newest first. */
export function listRuns(services: Pick<AppServices, 'db'>, principal: Principal, filter: { status?: string | undefined }, page: { limit: number; offset: number }) {
  requirePermission(principal, 'compare:run:read');
  return repo.listRuns(services.db, filter, page);
}

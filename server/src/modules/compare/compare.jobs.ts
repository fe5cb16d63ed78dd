import type { AppServices } from '../../platform/http/context.ts';
import { defineJob, type JobDefinition } from '../../platform/jobs/index.ts';
import { DATASET_PROFILE_JOB, handleDatasetProfile } from './datasets.service.ts';
import { COMPARE_RUN_COMPLETED_JOB, COMPARE_RUN_JOB, handleComparisonRun } from './runs.service.ts';

/** What another module does when a comparison run has completed; it must be safe to repeat. */
export type RunCompletedSubscriber = (runId: number) => Promise<unknown>;

/**
 * The compare module's background jobs: profiling an uploaded extract, a comparison run, and the
 * run-completed event delivered to `onRunCompleted` (the application wires other modules in here,
 * so that compare never imports them).
 */
export function compareJobs(services: () => AppServices, onRunCompleted: readonly RunCompletedSubscriber[] = []): JobDefinition[] {
  return [
    defineJob({ ...DATASET_PROFILE_JOB, retryLimit: 2, handler: (data) => handleDatasetProfile(services(), data) }),
    // A run records its own failure and ends; a retry only follows a crash, and starts the run again.
    defineJob({ ...COMPARE_RUN_JOB, retryLimit: 1, handler: (data) => handleComparisonRun(services(), data) }),
    defineJob({
      ...COMPARE_RUN_COMPLETED_JOB,
      handler: async (data) => {
        for (const subscriber of onRunCompleted) await subscriber(data.runId);
      },
    }),
  ];
}

import type { AppServices } from '../../platform/http/context.ts';
import { defineJob, type JobDefinition } from '../../platform/jobs/index.ts';
import { DATASET_PROFILE_JOB, handleDatasetProfile } from './datasets.service.ts';
import { COMPARE_RUN_JOB, handleComparisonRun } from './runs.service.ts';

/** The compare module's background jobs: profiling an uploaded extract, and a comparison run. */
export function compareJobs(services: () => AppServices): JobDefinition[] {
  return [
    defineJob({ ...DATASET_PROFILE_JOB, retryLimit: 2, handler: (data) => handleDatasetProfile(services(), data) }),
    // A run records its own failure and ends; a retry only follows a crash, and starts the run again.
    defineJob({ ...COMPARE_RUN_JOB, retryLimit: 1, handler: (data) => handleComparisonRun(services(), data) }),
  ];
}

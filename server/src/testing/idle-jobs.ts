import type { DatabaseHandle } from '../platform/db/database.ts';
import { JobRunner } from '../platform/jobs/index.ts';
import { MATTER_ESCALATE_JOB, MATTER_WARN_JOB } from '../modules/matters/index.ts';

/**
 * A job runner whose workers are off: timers are enqueued for real (and can be counted), while
 * tests run their handlers themselves at chosen times.
 */
export function startIdleJobRunner(handle: DatabaseHandle): Promise<JobRunner> {
  return JobRunner.start(
    handle,
    [MATTER_WARN_JOB, MATTER_ESCALATE_JOB].map((spec) => ({ ...spec, handler: async () => undefined })),
    { isWorking: false },
  );
}

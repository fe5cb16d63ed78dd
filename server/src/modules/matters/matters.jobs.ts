import { defineJob, type JobDefinition } from '../../platform/jobs/index.ts';
import { handleEscalate, handleWarn, MATTER_ESCALATE_JOB, MATTER_WARN_JOB, type MattersDeps } from './matters.service.ts';

/** The matters engine's timers with their handlers, for the job runner. */
export function matterJobs(deps: () => MattersDeps): JobDefinition[] {
  return [
    defineJob({ ...MATTER_WARN_JOB, handler: async (data) => void (await handleWarn(deps(), data)) }),
    defineJob({ ...MATTER_ESCALATE_JOB, handler: async (data) => void (await handleEscalate(deps(), data)) }),
  ];
}

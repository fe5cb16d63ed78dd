export { defineJob, JobRunner, type JobDefinition, type JobSpec, type EnqueueOptions, type JobRunnerOptions } from './jobs.ts';

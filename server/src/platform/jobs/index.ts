export { defineJob, JobRunner, type JobDefinition, type EnqueueOptions, type JobRunnerOptions } from './jobs.ts';

export { defineJob, JobRunner, type JobDefinition, type JobSpec, type EnqueueOptions, type JobRunnerOptions, type Ticker } from './jobs.ts';

export {
  warmMatterReference,
  attachToMatter,
  getAttachment,
  MAX_ATTACHMENT_BYTES,
  createMatter,
  openMatterIn,
  openMattersIn,
  type MatterToOpen,
  IDEMPOTENCY_CONSTRAINT,
  applyAction,
  applyActionIn,
  type AlsoWrite,
  assignPerson,
  addCoHandler,
  reportCoHandler,
  withdrawCoHandler,
  listAssignableUsers,
  listAssignableOrganisations,
  listQueue,
  DUE_SOON_HOURS,
  getMatter,
  handleWarn,
  settlePendingDeadlines,
  deadlineSettler,
  handleEscalate,
  MATTER_WARN_JOB,
  MATTER_ESCALATE_JOB,
  type ActionInput,
  type QueueAssignment,
  type MattersDeps,
  type NewMatterInput,
} from './matters.service.ts';
export { validateMatterType, findAction, MatterTypeDefinition, type TimeLimit } from './matter-type.ts';
export { computeDue, chinaDate, endOfChinaDay, pointInStep } from './deadlines.ts';
export { APPEAL_TYPE, loadShippedMatterTypes } from './matter-types.reference.ts';
export { matterJobs } from './matters.jobs.ts';
export { mattersRoutes, MatterTimelineEntry } from './matters.routes.ts';
export { assignOrganisation, findByIdempotencyKeys } from './matters.repository.ts';

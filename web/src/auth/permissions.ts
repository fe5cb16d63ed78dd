/** Permission strings the console checks before offering a function (the server checks again). */
export const PERMISSION = {
  placeRead: 'registry:place:read',
  residentRead: 'registry:resident:read',
  residentUnmask: 'registry:resident:unmask',
  residentExport: 'registry:resident:export',
  householdRead: 'registry:household:read',
  organisationRead: 'registry:organisation:read',
  importRun: 'registry:import:run',
  auditRead: 'platform:audit:read',
  auditVerify: 'platform:audit:verify',
  calendarWrite: 'platform:calendar:write',
  matterRead: 'matters:matter:read',
  matterCreate: 'matters:matter:create',
  matterDispatch: 'matters:matter:dispatch',
  matterHandle: 'matters:matter:handle',
  matterCallback: 'matters:matter:callback',
  supervisionRead: 'matters:supervision:read',
  knowledgeWrite: 'appeals:knowledge:write',
  compareDatasetRead: 'compare:dataset:read',
  compareDatasetWrite: 'compare:dataset:write',
  compareRunRead: 'compare:run:read',
  compareRunWrite: 'compare:run:write',
  compareFindingRead: 'compare:finding:read',
  compareFindingHandle: 'compare:finding:handle',
  compareFindingUnmask: 'compare:finding:unmask',
  compareCoverageRead: 'compare:coverage:read',
  assistancePolicyRead: 'assistance:policy:read',
  assistancePolicyWrite: 'assistance:policy:write',
  assistanceApplicationRead: 'assistance:application:read',
  assistanceApplicationWrite: 'assistance:application:write',
  assistanceItemReview: 'assistance:item:review',
  assistanceEntitlementRead: 'assistance:entitlement:read',
  assistanceEntitlementManage: 'assistance:entitlement:manage',
  assistanceWarningRead: 'assistance:warning:read',
  assistanceWarningHandle: 'assistance:warning:handle',
  assistanceWarningRaise: 'assistance:warning:raise',
  assistanceMonitoringRead: 'assistance:monitoring:read',
  assistanceMonitoringWrite: 'assistance:monitoring:write',
  assistanceResourceRead: 'assistance:resource:read',
  assistanceResourceWrite: 'assistance:resource:write',
  assistanceDiscoverySync: 'assistance:discovery:sync',
} as const;

/** One permission the console checks. */
export type PermissionName = (typeof PERMISSION)[keyof typeof PERMISSION];

/** True when the granted set holds `permission`, directly or through `*`. */
export function isGranted(granted: readonly string[], permission: PermissionName): boolean {
  return granted.includes('*') || granted.includes(permission);
}

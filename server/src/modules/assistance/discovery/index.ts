/**
 * Active discovery (主动发现) of social assistance: the low-income monitoring list, warnings handled
 * as 预警核查 matters by the community's adviser, and the social-resource catalogue.
 */
export { discoveryRoutes } from './discovery.routes.ts';
export { discoverySweeper, syncMonitoringFromRegistry, syncDiscoveryNow } from './monitoring.service.ts';
export { syncIllnessPovertyWarnings, type IllnessSyncOutcome } from './warnings.service.ts';
export { WARNING_TYPE } from './warning-type.ts';

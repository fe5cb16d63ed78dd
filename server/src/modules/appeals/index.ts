export { submitAppeal, getAppeal, type AppealInput, type AppealsDeps } from './appeals.service.ts';
export { triage, type TriageRule, type TriageDecision } from './triage.ts';
export { loadShippedCategories, SHIPPED_CATEGORIES } from './categories.reference.ts';
export { computeKpis, type KpiRow } from './kpi.service.ts';
export type { KpiDimension } from './kpi.repository.ts';
export { appealsRoutes } from './appeals.routes.ts';
export { findDuplicateCandidates, mergeAppeal, findReporters, loadDuplicatePolicy, DEFAULT_DUPLICATE_POLICY, type DuplicatePolicy } from './duplicates.ts';

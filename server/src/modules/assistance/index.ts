export { assistanceRoutes } from './assistance.routes.ts';
export { applicationsRoutes } from './applications.routes.ts';
export { createDraft, updateDraft, submitApplication, decideItem, getApplication, listApplications, type ApplicationInput } from './applications.service.ts';
export { runMonthlyPayments, reconcileMonth, applyDeathsDataset, listEntitlements } from './entitlements.service.ts';
export { discoveryRoutes, discoverySweeper, syncIllnessPovertyWarnings, syncMonitoringFromRegistry, WARNING_TYPE } from './discovery/index.ts';
export { evaluateHousehold, getParameters, listFacts, type EvaluationRequest, type EvaluationResult, type PolicyResult } from './eligibility.service.ts';
export {
  createPolicy,
  getCatalogueReference,
  getPolicy,
  getServiceList,
  searchPolicies,
  searchServiceLists,
  updatePolicy,
  validatePolicyRules,
  type PolicyDetail,
  type PolicyInput,
  type PolicyStatus,
  type PolicySummary,
} from './policies.service.ts';
export { compiledCatalogue, resolveParameters, type CompiledCatalogue, type CompiledPolicy } from './catalogue.ts';
export { evaluateRules, parameterValues, type PolicyEvaluation, type EligibilityOutcome, type RuleExplanation } from './evaluation.ts';
export { prepareHousehold, describeFacts, HOUSEHOLD_FACTS, type HouseholdContext, type HouseholdFactsInput } from './facts.ts';
export { compileRules, createRuleEnvironment, type PolicyRules, type RuleGroup, type RuleNode, type RuleCondition, type RuleProblem, type BenefitPeriod } from './rules.ts';
export { sweepHouseholds, sweepCatalogueOf, type SweepCatalogue, type SweepHousehold, type SweepOptions, type SweepResult, type DiscoveryCandidate, type PolicySweepTotals } from './sweep.ts';

import type { WarningKind, WarningOutcome } from '../../../platform/db/schema.ts';

/**
 * The codes of the 预警核查 matter type that the discovery code acts on. The type itself (states,
 * actions, time limits, permissions, escalation) is data: a `matter_types` row written by migration
 * 0018, which administrators may edit; these are only the names this code refers to.
 */
export const WARNING_TYPE = 'assistance_warning';

/** Every kind of warning, in the order the console lists them. */
export const WARNING_KINDS = ['illness_poverty_risk', 'breadwinner_death', 'job_loss', 'new_disability', 'left_coverage', 'grid_visit'] as const satisfies readonly WarningKind[];

/** The kinds this system raises today (job loss and new disability have no source yet). */
export const RAISED_KINDS = ['illness_poverty_risk', 'breadwinner_death', 'left_coverage', 'grid_visit'] as const satisfies readonly WarningKind[];

/** How each kind reads in a matter's title, seen by anyone in the region. */
export const WARNING_KIND_TITLES: Record<WarningKind, string> = {
  illness_poverty_risk: '因病致贫风险',
  breadwinner_death: '主要劳动力死亡',
  job_loss: '失业',
  new_disability: '新增残疾',
  left_coverage: '一年内退出保障',
  grid_visit: '网格员走访发现',
};

/** Open states of a warning's matter. */
export const WARNING_STATES = { verifying: 'verifying', verified: 'verified' } as const;

/** The action that records the verification (核查). */
export const VERIFY_ACTION = 'verify_warning';

/** The decisions (处置) a verified warning ends with: outcome (the final state) → the action that reaches it. */
export const OUTCOME_ACTIONS: Record<WarningOutcome, string> = {
  included: 'include_in_coverage',
  benefit_raised: 'raise_benefit',
  temporary_assistance: 'grant_temporary_assistance',
  resources_linked: 'link_social_resources',
  not_needed: 'close_not_needed',
};

/** Every outcome, in the order the console offers them. */
export const WARNING_OUTCOMES = Object.keys(OUTCOME_ACTIONS) as WarningOutcome[];

/**
 * The codes of the 疑点核查 matter type that the compare module acts on. The type itself (states,
 * actions, time limits, permissions) is data: a `matter_types` row written by migration 0013, which
 * administrators may edit; these are only the names this code refers to.
 */
export const FINDING_TYPE = 'audit_finding';

/** States of a finding's matter. */
export const FINDING_STATES = {
  pending: 'pending',
  confirmed: 'confirmed',
  settled: 'settled',
  dismissed: 'dismissed',
  retracted: 'retracted',
} as const;

/** Actions of a finding's matter. */
export const FINDING_ACTIONS = {
  confirm: 'confirm_finding',
  dismiss: 'dismiss_finding',
  settle: 'settle',
  retract: 'retract',
} as const;

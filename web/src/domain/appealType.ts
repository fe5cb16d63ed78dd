import { PERMISSION, type PermissionName } from '../auth/permissions';

/**
 * The appeal (诉求) workflow as the console knows it, mirroring the server's shipped `appeal`
 * matter type: which actions each state allows and which permission each needs. The server
 * checks again; this only decides which buttons to offer.
 */
export const APPEAL_STATES = ['received', 'dispatched', 'handling', 'replied', 'closed', 'evaluated', 'merged'] as const;

/** One state of an appeal. */
export type AppealState = (typeof APPEAL_STATES)[number];

/** One action of the workflow. */
export interface AppealActionDefinition {
  code: string;
  from: readonly AppealState[];
  to: AppealState;
  permission: PermissionName;
  isNoteRequired: boolean;
  /** Callbacks ask the resident whether the problem was solved (问题是否解决). */
  isCallback: boolean;
  /** Merging goes through the duplicates card and its own endpoint, not an action button. */
  isMerge: boolean;
}

function action(
  code: string,
  from: readonly AppealState[],
  to: AppealState,
  permission: PermissionName,
  flags: { isNoteRequired?: boolean; isCallback?: boolean; isMerge?: boolean } = {},
): AppealActionDefinition {
  return {
    code,
    from,
    to,
    permission,
    isNoteRequired: flags.isNoteRequired ?? false,
    isCallback: flags.isCallback ?? false,
    isMerge: flags.isMerge ?? false,
  };
}

/** Every action of the appeal workflow, in the order buttons show. */
export const APPEAL_ACTIONS: readonly AppealActionDefinition[] = [
  action('dispatch', ['received'], 'dispatched', PERMISSION.matterDispatch),
  action('answer_directly', ['received'], 'closed', PERMISSION.matterDispatch, { isNoteRequired: true }),
  action('accept', ['dispatched'], 'handling', PERMISSION.matterHandle),
  action('return', ['dispatched'], 'received', PERMISSION.matterHandle, { isNoteRequired: true }),
  action('transfer', ['dispatched', 'handling'], 'dispatched', PERMISSION.matterDispatch, { isNoteRequired: true }),
  action('reply', ['handling'], 'replied', PERMISSION.matterHandle, { isNoteRequired: true }),
  action('close', ['replied'], 'closed', PERMISSION.matterDispatch),
  action('callback_satisfied', ['closed'], 'evaluated', PERMISSION.matterCallback, { isCallback: true }),
  action('callback_unsatisfied', ['closed'], 'handling', PERMISSION.matterCallback, { isNoteRequired: true, isCallback: true }),
  action('merge', ['received', 'dispatched', 'handling'], 'merged', PERMISSION.matterDispatch, { isNoteRequired: true, isMerge: true }),
];

/** The definition of one action, when the console knows it. */
export function findAppealAction(code: string): AppealActionDefinition | undefined {
  return APPEAL_ACTIONS.find((candidate) => candidate.code === code);
}

/** True when `state` allows `code`. */
export function isActionAllowedIn(code: string, state: string): boolean {
  return findAppealAction(code)?.from.includes(state as AppealState) ?? false;
}

/** The action buttons to offer: allowed from `state`, granted to the account, merges left out. */
export function availableActions(state: string, can: (permission: PermissionName) => boolean): AppealActionDefinition[] {
  return APPEAL_ACTIONS.filter((candidate) => !candidate.isMerge && isActionAllowedIn(candidate.code, state) && can(candidate.permission));
}

/** States in which an appeal may still be merged into another. */
export function isMergeable(state: string): boolean {
  return isActionAllowedIn('merge', state);
}

/** Tag colour of each state in tables and headers. */
export const STATE_COLORS: Record<AppealState, string> = {
  received: 'blue',
  dispatched: 'geekblue',
  handling: 'processing',
  replied: 'cyan',
  closed: 'green',
  evaluated: 'success',
  merged: 'default',
};

/** Tag colour of a state, neutral for one the console does not know. */
export function stateColor(state: string): string {
  return (STATE_COLORS as Record<string, string>)[state] ?? 'default';
}

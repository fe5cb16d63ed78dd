import { Type, type Static } from 'typebox';
import { Value } from 'typebox/value';
import { AppError } from '../../platform/errors.ts';

const Code = Type.String({ pattern: '^[a-z][a-z0-9_]{1,39}$' });

/** A time limit: working days on the official calendar, or clock hours. */
export const TimeLimit = Type.Union([
  Type.Object({ workingDays: Type.Integer({ minimum: 1, maximum: 365 }) }, { additionalProperties: false }),
  Type.Object({ hours: Type.Number({ exclusiveMinimum: 0, maximum: 24 * 365 }) }, { additionalProperties: false }),
]);
export type TimeLimit = Static<typeof TimeLimit>;

/**
 * A matter type as data: its states, the actions that move between them (with the permission
 * each needs), the time limit of each state, and the escalation rule. Administrators edit these
 * rows; the engine only interprets them.
 */
export const MatterTypeDefinition = Type.Object(
  {
    states: Type.Array(
      Type.Object(
        {
          code: Code,
          nameZh: Type.String({ minLength: 1 }),
          nameEn: Type.String({ minLength: 1 }),
          isFinal: Type.Optional(Type.Boolean()),
          limit: Type.Optional(TimeLimit),
        },
        { additionalProperties: false },
      ),
      { minItems: 2 },
    ),
    initialState: Code,
    actions: Type.Array(
      Type.Object(
        {
          code: Code,
          nameZh: Type.String({ minLength: 1 }),
          nameEn: Type.String({ minLength: 1 }),
          from: Type.Array(Code, { minItems: 1 }),
          to: Code,
          permission: Type.String({ pattern: '^[a-z]+:[a-z_]+:[a-z_]+$' }),
          /** Counts as a new round of handling (二次办理): the matter was reopened. */
          isReopen: Type.Optional(Type.Boolean()),
          requiresNote: Type.Optional(Type.Boolean()),
          /**
           * Hands the matter to another organisation (转办): the action needs the target organisation,
           * may name a person of it, and clears the previous person assignment.
           */
          assignsOrganisation: Type.Optional(Type.Boolean()),
          /**
           * Taken only through its module's own endpoint, because it writes more than the matter
           * (a finding's outcome, a grant's entitlement): the generic action endpoint refuses it.
           */
          viaModule: Type.Optional(Type.Boolean()),
        },
        { additionalProperties: false },
      ),
      { minItems: 1 },
    ),
    escalation: Type.Object(
      {
        /** Share of a step's time limit after which the handler is warned (0.8 = 80%). */
        warnAtRatio: Type.Number({ exclusiveMinimum: 0, exclusiveMaximum: 1 }),
        /** How many levels above the handler an overdue step is escalated (督办), one level per period. */
        maxLevels: Type.Integer({ minimum: 0, maximum: 5 }),
      },
      { additionalProperties: false },
    ),
    /** Co-handling (主办/协办): when assisting units may be enlisted and what their reports gate. */
    coHandling: Type.Optional(
      Type.Object(
        {
          /** States in which the lead may enlist assisting units. */
          states: Type.Array(Code, { minItems: 1 }),
          /** The lead's answering actions (回复) that wait for, or at least name, the assisting units. */
          replyActions: Type.Array(Code, { minItems: 1 }),
          /**
           * true: an answering action is refused while an assisting unit has not reported;
           * false: it goes through and the timeline names the units that had not.
           */
          replyRequiresAssistants: Type.Boolean(),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);
export type MatterTypeDefinition = Static<typeof MatterTypeDefinition>;

/**
 * Checks a definition's shape and its internal references (every state an action names exists,
 * the initial state exists and is not final, codes are unique); throws VALIDATION_FAILED listing
 * every problem.
 */
export function validateMatterType(definition: unknown): MatterTypeDefinition {
  if (!Value.Check(MatterTypeDefinition, definition)) {
    const fields = [...Value.Errors(MatterTypeDefinition, definition)].slice(0, 20).map((e) => ({ field: e.instancePath || '/', message: e.message }));
    throw new AppError('VALIDATION_FAILED', `matter type is malformed: ${fields[0]?.field} ${fields[0]?.message}`, { fields });
  }
  const problems: string[] = [];
  const states = new Map(definition.states.map((s) => [s.code, s]));
  if (states.size !== definition.states.length) problems.push('state codes must be unique');
  if (new Set(definition.actions.map((a) => a.code)).size !== definition.actions.length) problems.push('action codes must be unique');
  const initial = states.get(definition.initialState);
  if (!initial) problems.push(`initial state ${definition.initialState} is not a state`);
  else if (initial.isFinal) problems.push('the initial state cannot be final');
  for (const action of definition.actions) {
    for (const state of [...action.from, action.to]) {
      if (!states.has(state)) problems.push(`action ${action.code} names unknown state ${state}`);
    }
  }
  if (definition.coHandling) {
    for (const code of definition.coHandling.states) {
      const state = states.get(code);
      if (!state) problems.push(`co-handling names unknown state ${code}`);
      else if (state.isFinal) problems.push(`co-handling cannot start in final state ${code}`);
    }
    for (const code of definition.coHandling.replyActions) {
      if (!definition.actions.some((a) => a.code === code)) problems.push(`co-handling names unknown action ${code}`);
    }
  }
  if (problems.length > 0) {
    throw new AppError('VALIDATION_FAILED', `matter type is inconsistent: ${problems.join('; ')}`, { fields: problems.map((message) => ({ field: 'definition', message })) });
  }
  return definition;
}

/** The action with `code` allowed from `state`, or an error saying why not. */
export function findAction(definition: MatterTypeDefinition, state: string, code: string) {
  const action = definition.actions.find((a) => a.code === code);
  if (!action) throw new AppError('VALIDATION_FAILED', `unknown action ${code}`, { fields: [{ field: 'action', message: 'unknown' }] });
  if (!action.from.includes(state)) {
    throw new AppError('CONFLICT', `action ${code} is not allowed in state ${state}`, { state, allowed: definition.actions.filter((a) => a.from.includes(state)).map((a) => a.code) });
  }
  return action;
}

/** The definition of a state. */
export function findState(definition: MatterTypeDefinition, code: string) {
  const state = definition.states.find((s) => s.code === code);
  if (!state) throw new Error(`state ${code} is not defined`);
  return state;
}

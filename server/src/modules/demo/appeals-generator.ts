import type { WorkingCalendar } from '../../platform/calendar/index.ts';
import type { AppealsTable } from '../../platform/db/schema.ts';
import { APPEAL_TYPE, computeDue, type TimeLimit } from '../matters/index.ts';
import { SHIPPED_CATEGORIES } from '../appeals/index.ts';
import type { DemoPlace } from './city-generator.ts';
import { Random, weightedTable } from './random.ts';

/** One generated appeal: the matter, its timeline and its appeal facts, consistent with each other. */
export interface DemoAppeal {
  matter: {
    reference: string;
    state: string;
    title: string;
    placeCode: string;
    lon: number;
    lat: number;
    stepSeq: number;
    stepStartedAt: Date;
    stepDueAt: Date | null;
    escalationLevel: number;
    round: number;
    createdAt: Date;
    closedAt: Date | null;
  };
  events: Array<{ at: Date; kind: 'created' | 'transition' | 'escalated'; action: string | null; fromState: string | null; toState: string | null; stepSeq: number; details: Record<string, unknown> }>;
  appeal: Pick<AppealsTable, 'kind' | 'category_code' | 'door' | 'scale' | 'handler_level'>;
}

const HOUR = 3_600_000;
const LIMITS = new Map(APPEAL_TYPE.definition.states.map((s) => [s.code, s.limit]));
const LEAF_CATEGORIES = SHIPPED_CATEGORIES.filter((c) => c.code.includes('.'));
// Shares seen in 12345 reports: most calls are complaints and requests for help.
const KINDS = weightedTable<AppealsTable['kind']>([['complaint', 45], ['help', 30], ['consultation', 15], ['report', 6], ['suggestion', 4]]);
const DOORS = weightedTable<AppealsTable['door']>([['hotline', 45], ['snap', 25], ['grid_patrol', 20], ['open311', 5], ['kiosk', 3], ['work_safety', 2]]);
const CATEGORY_WEIGHTS: Record<string, number> = {
  'event.litter': 12, 'livelihood.property': 12, 'event.noise': 9, 'event.illegal_parking': 8, 'component.road': 7, 'component.streetlight': 6,
  'livelihood.water_power_gas': 6, 'event.corridor_clutter': 6, 'livelihood.employment': 5, 'livelihood.neighbourhood': 5, 'event.street_vending': 4,
};
const CATEGORIES = weightedTable(LEAF_CATEGORIES.map((c) => [c, CATEGORY_WEIGHTS[c.code] ?? 2] as const));
const HANDLER = { major: 'department', minor: 'community', private: 'resident' } as const;

function dueOf(calendar: WorkingCalendar, state: string, start: Date): Date | null {
  const limit: TimeLimit | undefined = LIMITS.get(state);
  return limit ? computeDue(calendar, start, limit) : null;
}

/**
 * A year of appeals ending at `asOf`, deterministic for a seed: doors, kinds and categories in
 * plausible shares; most handled on time, some late (and escalated), a few answered directly,
 * callbacks mostly satisfied, unsatisfied ones reopened; the last days' appeals still open.
 */
export function* generateAppeals(options: { seed: number; count: number; asOf: Date; microgrids: readonly DemoPlace[]; calendar: WorkingCalendar }): Generator<DemoAppeal> {
  const random = new Random(options.seed);
  const yearMs = 365 * 24 * HOUR;
  const start = options.asOf.getTime() - yearMs;
  for (let i = 0; i < options.count; i++) {
    // Uniform over the year, inside office-heavy hours (08:00–21:00 China time).
    const day = Math.floor(random.next() * 365);
    const createdAt = new Date(start + day * 24 * HOUR + random.between(0, 13) * HOUR);
    const place = random.pick(options.microgrids);
    const category = random.weighted(CATEGORIES);
    const events: DemoAppeal['events'] = [];
    let state = 'received';
    let stepSeq = 1;
    let stepStart = createdAt;
    let round = 1;
    let escalationLevel = 0;
    let due = dueOf(options.calendar, state, createdAt);
    events.push({ at: createdAt, kind: 'created', action: null, fromState: null, toState: state, stepSeq, details: { dueAt: due?.toISOString() ?? null } });

    const move = (action: string, to: string, afterHours: number, details: Record<string, unknown> = {}) => {
      const at = new Date(stepStart.getTime() + afterHours * HOUR);
      if (at.getTime() > options.asOf.getTime()) return false;
      if (due && at > due) {
        escalationLevel = 1;
        events.push({ at: due, kind: 'escalated', action: null, fromState: null, toState: null, stepSeq, details: { level: 1, targetPath: place.path.split('.').slice(0, -1).join('.') } });
      }
      stepSeq += 1;
      const nextDue = dueOf(options.calendar, to, at);
      events.push({ at, kind: 'transition', action, fromState: state, toState: to, stepSeq, details: { ...details, dueAt: nextDue?.toISOString() ?? null, round } });
      state = to;
      stepStart = at;
      due = nextDue;
      escalationLevel = 0;
      return true;
    };

    const isDirect = random.chance(0.08);
    const ok = isDirect
      ? move('answer_directly', 'closed', random.between(0.1, 1), { note: '坐席依据知识库直接答复' })
      : move('dispatch', 'dispatched', random.chance(0.9) ? random.between(0.1, 1.9) : random.between(2.1, 6)) &&
        move('accept', 'handling', random.between(0.5, 20)) &&
        move('reply', 'replied', random.chance(0.9) ? random.between(4, 90) : random.between(130, 240), { note: '已现场处置并回复' }) &&
        move('close', 'closed', random.between(1, 20));
    if (ok && state === 'closed') {
      const satisfied = random.chance(0.93);
      move(satisfied ? 'callback_satisfied' : 'callback_unsatisfied', satisfied ? 'evaluated' : 'handling', random.between(4, 60), {
        isSolved: satisfied ? random.chance(0.98) : random.chance(0.3),
        note: satisfied ? undefined : '群众反映问题仍未解决',
      });
      if (!satisfied) round += 1;
    }
    const [minLon, minLat] = [place.centerLon - 0.0005, place.centerLat - 0.0005];
    yield {
      matter: {
        reference: '',
        state,
        title: `${category.zh}问题`,
        placeCode: place.code,
        lon: minLon + random.next() * 0.001,
        lat: minLat + random.next() * 0.001,
        stepSeq,
        stepStartedAt: stepStart,
        stepDueAt: state === 'evaluated' ? null : due,
        escalationLevel,
        round,
        createdAt,
        // As in the engine: closed_at marks a final state (评价), not 办结, which still awaits the callback.
        closedAt: state === 'evaluated' ? stepStart : null,
      },
      events,
      appeal: {
        kind: random.weighted(KINDS),
        category_code: category.code,
        door: random.weighted(DOORS),
        scale: category.scale,
        handler_level: HANDLER[category.scale],
      },
    };
  }
}


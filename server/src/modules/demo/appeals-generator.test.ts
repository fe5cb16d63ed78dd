import { describe, expect, it } from 'vitest';
import { SHIPPED_CALENDAR_YEARS, WorkingCalendar } from '../../platform/calendar/index.ts';
import { generateAppeals } from './appeals-generator.ts';
import { generateCity } from './city-generator.ts';

const calendar = new WorkingCalendar({
  years: SHIPPED_CALENDAR_YEARS.map((y) => y.year),
  days: SHIPPED_CALENDAR_YEARS.flatMap((y) => y.days),
});
const microgrids = generateCity({ seed: 7 }).places.filter((p) => p.level === 'microgrid');
const asOf = new Date('2026-11-01T00:00:00+08:00');
const take = (seed: number, count: number) => [...generateAppeals({ seed, count, asOf, microgrids, calendar })];

describe('demo appeals', () => {
  it('are the same for the same seed', () => {
    expect(take(3, 50)).toEqual(take(3, 50));
  });

  it('have timelines that start with their creation, move in order, end in the matter state, and stay before the as-of date', () => {
    for (const appeal of take(11, 2000)) {
      const [created, ...rest] = appeal.events;
      expect(created!.kind).toBe('created');
      const transitions = rest.filter((e) => e.kind === 'transition');
      expect(transitions.at(-1)?.toState ?? 'received').toBe(appeal.matter.state);
      expect(transitions.map((e) => e.stepSeq)).toEqual(transitions.map((_, i) => i + 2));
      for (const event of appeal.events) expect(event.at.getTime()).toBeLessThanOrEqual(asOf.getTime());
      expect(appeal.matter.closedAt !== null).toBe(appeal.matter.state === 'evaluated');
    }
  });

  it('mix most appeals handled and evaluated with a minority late, reopened or still open', () => {
    const appeals = take(5, 5000);
    const share = (predicate: (a: (typeof appeals)[number]) => boolean) => appeals.filter(predicate).length / appeals.length;
    expect(share((a) => a.matter.state === 'evaluated')).toBeGreaterThan(0.8);
    expect(share((a) => a.events.some((e) => e.kind === 'escalated'))).toBeGreaterThan(0.05);
    expect(share((a) => a.events.some((e) => e.action === 'callback_unsatisfied'))).toBeGreaterThan(0.02);
    expect(share((a) => a.matter.closedAt === null)).toBeGreaterThan(0.02);
  });
});

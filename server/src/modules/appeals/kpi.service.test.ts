import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemPrincipal } from '../../platform/auth/index.ts';
import { FieldCipher } from '../../platform/crypto/field-cipher.ts';
import type { DatabaseHandle } from '../../platform/db/database.ts';
import type { JobRunner } from '../../platform/jobs/index.ts';
import { startIdleJobRunner } from '../../testing/idle-jobs.ts';
import { createTestDatabase, testDatabaseKinds } from '../../platform/testing/test-database.ts';
import { insertPlaceFixture, PATHS } from '../../testing/fixtures.ts';
import { applyAction, handleEscalate } from '../matters/index.ts';
import { submitAppeal, type AppealsDeps } from './appeals.service.ts';
import { kpiCountsFromFacts, kpiCountsFromRollups, refreshKpiFacts } from './kpi.repository.ts';
import { chinaMonthStart, computeKpis } from './kpi.service.ts';

const cst = (local: string) => new Date(`${local}+08:00`);

describe.each(testDatabaseKinds())('appeal KPIs on %s', (kind) => {
  let handle: DatabaseHandle;
  let jobs: JobRunner;
  let clock = cst('2025-11-03T09:00:00');
  const desk = systemPrincipal('desk');
  const deps = (): AppealsDeps => ({ db: handle.db, jobs, cipher: new FieldCipher(new Uint8Array(32).fill(4)), now: () => clock });
  const period = { from: cst('2025-11-01T00:00:00'), to: cst('2025-12-01T00:00:00') };

  /** Walks a matter through the loop at the given times (China time). */
  async function walk(matterId: number, steps: Array<[string, string, { note?: string; isSolved?: boolean }?]>) {
    for (const [at, action, input] of steps) {
      clock = cst(at);
      await applyAction(deps(), desk, matterId, action, input ?? {});
    }
  }

  beforeAll(async () => {
    handle = await createTestDatabase(kind);
    const places = await insertPlaceFixture(handle.db);
    jobs = await startIdleJobRunner(handle);
    const submit = async (at: string, categoryCode: string, placeId: number) => {
      clock = cst(at);
      return (await submitAppeal(deps(), desk, { kind: 'complaint', door: 'hotline', categoryCode, title: '测试诉求', placeId })).matterId;
    };
    // A: dispatched within its 2 hours, closed after 25 hours without escalation, satisfied and solved.
    const a = await submit('2025-11-03T09:00:00', 'event.litter', places.gridA);
    await walk(a, [
      ['2025-11-03T10:00:00', 'dispatch'],
      ['2025-11-03T10:30:00', 'accept'],
      ['2025-11-04T09:00:00', 'reply', { note: '已清运' }],
      ['2025-11-04T10:00:00', 'close'],
      ['2025-11-05T09:00:00', 'callback_satisfied', { isSolved: true }],
    ]);
    // B: dispatched late after an escalation, closed after 48 hours, unsatisfied and unsolved.
    const b = await submit('2025-11-03T09:00:00', 'event.litter', places.gridA);
    clock = cst('2025-11-03T11:00:01');
    await handleEscalate(deps(), { matterId: b, stepSeq: 1, level: 1 });
    await walk(b, [
      ['2025-11-03T12:00:00', 'dispatch'],
      ['2025-11-03T13:00:00', 'accept'],
      ['2025-11-05T08:00:00', 'reply', { note: '已处理' }],
      ['2025-11-05T09:00:00', 'close'],
      ['2025-11-06T09:00:00', 'callback_unsatisfied', { note: '仍有垃圾', isSolved: false }],
    ]);
    // C: never answered. D: created in December, outside the period.
    await submit('2025-11-03T09:00:00', 'component.streetlight', places.gridB);
    await submit('2025-12-02T09:00:00', 'event.litter', places.gridA);
  });
  afterAll(async () => {
    await jobs.stop();
    await handle.close();
  });

  it('computes the KPIs per category equal to the numbers worked out by hand', async () => {
    const rows = await computeKpis(handle.db, desk, { ...period, dimension: 'category' });
    expect(rows).toEqual([
      expect.objectContaining({ key: 'component.streetlight', total: 1, responded: 0, responseRate: 0, onTimeClosureRate: null, satisfactionRate: null, averageHandlingHours: null }),
      expect.objectContaining({
        key: 'event.litter',
        total: 2,
        respondedInTime: 1,
        responded: 2,
        closed: 2,
        closedInTime: 1,
        callbacks: 2,
        satisfied: 1,
        solved: 1,
        responseRate: 0.5,
        onTimeClosureRate: 0.5,
        solvedRate: 0.5,
        satisfactionRate: 0.5,
        averageHandlingHours: 36.5,
      }),
    ]);
  });

  it('groups by grid and by month within the period', async () => {
    const byGrid = await computeKpis(handle.db, desk, { ...period, dimension: 'place', placeDepth: 5 });
    expect(byGrid.map((r) => [r.key, r.total])).toEqual([
      [PATHS.gridA, 2],
      [PATHS.gridB, 1],
    ]);
    const byMonth = await computeKpis(handle.db, desk, { from: cst('2025-11-01T00:00:00'), to: cst('2026-01-01T00:00:00'), dimension: 'month' });
    expect(byMonth.map((r) => [r.key, r.total])).toEqual([
      ['2025-11', 3],
      ['2025-12', 1],
    ]);
  });

  it("counts only the principal's region", async () => {
    const community = { ...desk, scopePath: PATHS.communityB };
    const rows = await computeKpis(handle.db, community, { ...period, dimension: 'category' });
    expect(rows.map((r) => [r.key, r.total])).toEqual([['component.streetlight', 1]]);
  });

  it('answers a period that is not whole months, and a grid-sized region, from the per-matter facts with the same numbers', async () => {
    // 3 November only: the three matters created that day, not December's.
    const day = await computeKpis(handle.db, desk, { from: cst('2025-11-03T00:00:00'), to: cst('2025-11-04T00:00:00'), dimension: 'category' });
    const month = await computeKpis(handle.db, desk, { ...period, dimension: 'category' });
    expect(day).toEqual(month);
    const grid = { ...desk, scopePath: PATHS.gridA };
    const rows = await computeKpis(handle.db, grid, { ...period, dimension: 'category' });
    expect(rows.map((r) => [r.key, r.total, r.satisfied])).toEqual([['event.litter', 2, 1]]);
  });

  it('keeps the monthly rollups equal to the sums of the facts for every dimension', async () => {
    for (const dimension of ['category', 'organisation', 'place', 'month'] as const) {
      const filter = { scopePath: '', from: cst('2025-11-01T00:00:00'), to: cst('2026-01-01T00:00:00'), dimension, placeDepth: 4 };
      const fromRollups = await kpiCountsFromRollups(handle.db, { ...filter, fromMonth: '2025-11-01', toMonth: '2026-01-01' });
      expect(fromRollups.length).toBeGreaterThan(0);
      expect(fromRollups).toEqual(await kpiCountsFromFacts(handle.db, filter));
    }
  });

  it('moves a matter between groups of the rollups when a later transition changes its facts', async () => {
    const before = await computeKpis(handle.db, desk, { ...period, dimension: 'category' });
    const streetlight = await handle.db.selectFrom('appeals').select('matter_id').where('category_code', '=', 'component.streetlight').executeTakeFirstOrThrow();
    clock = cst('2025-11-20T09:00:00');
    await applyAction(deps(), desk, streetlight.matter_id, 'answer_directly', { note: '已答复' });
    await applyAction(deps(), desk, streetlight.matter_id, 'callback_satisfied', { isSolved: true });
    const after = await computeKpis(handle.db, desk, { ...period, dimension: 'category' });
    const light = (rows: typeof after) => rows.find((r) => r.key === 'component.streetlight')!;
    expect(light(before)).toMatchObject({ total: 1, responded: 0, closed: 0, callbacks: 0 });
    expect(light(after)).toMatchObject({ total: 1, responded: 1, closed: 1, callbacks: 1, satisfied: 1, solved: 1, satisfactionRate: 1 });
    expect(after.find((r) => r.key === 'event.litter')).toEqual(before.find((r) => r.key === 'event.litter'));
    expect(await refreshKpiFacts(handle.db)).toBe(0);
  });
});

describe('chinaMonthStart', () => {
  it('recognises the first moment of a month in China time only', () => {
    expect(chinaMonthStart(cst('2025-11-01T00:00:00'))).toBe('2025-11-01');
    expect(chinaMonthStart(new Date('2025-11-01T00:00:00Z'))).toBeNull();
    expect(chinaMonthStart(cst('2025-11-02T00:00:00'))).toBeNull();
    expect(chinaMonthStart(cst('2026-01-01T00:00:00'))).toBe('2026-01-01');
  });
});

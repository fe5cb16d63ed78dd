import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemPrincipal, type Principal } from '../../platform/auth/index.ts';
import type { DatabaseHandle } from '../../platform/db/database.ts';
import type { JobRunner } from '../../platform/jobs/index.ts';
import { startIdleJobRunner } from '../../testing/idle-jobs.ts';
import { createTestDatabase, testDatabaseKinds } from '../../platform/testing/test-database.ts';
import { insertPlaceFixture, PATHS } from '../../testing/fixtures.ts';
import { replaceYear } from '../../platform/calendar/index.ts';
import { applyAction, createMatter, getMatter, handleEscalate, handleWarn, listQueue, MATTER_ESCALATE_JOB, MATTER_WARN_JOB, settlePendingDeadlines, type MattersDeps } from './matters.service.ts';

/** An instant given in China Standard Time. */
const cst = (local: string) => new Date(`${local}+08:00`);

describe.each(testDatabaseKinds())('matters engine on %s', (kind) => {
  let handle: DatabaseHandle;
  let jobs: JobRunner;
  let places: Awaited<ReturnType<typeof insertPlaceFixture>>;
  const operator = systemPrincipal('operator');
  let clock = cst('2025-09-30T10:00:00');
  const deps = (): MattersDeps => ({ db: handle.db, jobs, now: () => clock });

  beforeAll(async () => {
    handle = await createTestDatabase(kind);
    places = await insertPlaceFixture(handle.db);
    jobs = await startIdleJobRunner(handle);
  });
  afterAll(async () => {
    await jobs.stop();
    await handle.close();
  });

  async function newAppeal(key?: string) {
    return createMatter(deps(), operator, { typeCode: 'appeal', title: '小区路灯不亮', placeId: places.gridA, idempotencyKey: key });
  }

  it('counts working days across the 2025 National Day holiday', async () => {
    clock = cst('2025-09-30T10:00:00');
    const { id } = await newAppeal();
    const created = await getMatter(deps(), operator, id);
    expect(new Date(created.matter.step_due_at!).toISOString()).toBe(cst('2025-09-30T12:00:00').toISOString());

    clock = cst('2025-09-30T11:00:00');
    const dispatched = await applyAction(deps(), operator, id, 'dispatch');
    // One working day after 30 September is 9 October: 1–8 October are the holiday.
    expect(dispatched.dueAt!.toISOString()).toBe(cst('2025-10-10T00:00:00').toISOString());

    clock = cst('2025-09-30T15:00:00');
    const handling = await applyAction(deps(), operator, id, 'accept');
    // Five working days: 9, 10, 11 (the make-up Saturday), 13 and 14 October.
    expect(handling.dueAt!.toISOString()).toBe(cst('2025-10-15T00:00:00').toISOString());
  });

  it('arms the warning and the escalation of each step in the transaction that starts it', async () => {
    const warnBefore = await jobs.countJobs(MATTER_WARN_JOB, 'created');
    const escalateBefore = await jobs.countJobs(MATTER_ESCALATE_JOB, 'created');
    clock = cst('2025-11-03T09:00:00');
    await newAppeal();
    expect(await jobs.countJobs(MATTER_WARN_JOB, 'created')).toBe(warnBefore + 1);
    expect(await jobs.countJobs(MATTER_ESCALATE_JOB, 'created')).toBe(escalateBefore + 1);
  });

  it('warns at 80% of the limit, and a timer of a step already left does nothing', async () => {
    clock = cst('2025-11-03T09:00:00');
    const { id } = await newAppeal();
    clock = cst('2025-11-03T10:36:00');
    expect(await handleWarn(deps(), { matterId: id, stepSeq: 1 })).toBe(true);
    await applyAction(deps(), operator, id, 'dispatch');
    expect(await handleWarn(deps(), { matterId: id, stepSeq: 1 })).toBe(false);
    const { events } = await getMatter(deps(), operator, id);
    expect(events.map((e) => e.kind)).toEqual(['created', 'warned', 'transition']);
  });

  it('escalates an overdue step to the level above, then again a level higher, and no further', async () => {
    clock = cst('2025-11-03T09:00:00');
    const { id } = await newAppeal();
    clock = cst('2025-11-03T11:00:01');
    expect(await handleEscalate(deps(), { matterId: id, stepSeq: 1, level: 1 })).toBe(true);
    clock = cst('2025-11-03T13:00:02');
    expect(await handleEscalate(deps(), { matterId: id, stepSeq: 1, level: 2 })).toBe(true);
    expect(await handleEscalate(deps(), { matterId: id, stepSeq: 1, level: 2 })).toBe(false);
    const { matter, events } = await getMatter(deps(), operator, id);
    expect(matter.escalation_level).toBe(2);
    const escalations = events.filter((e) => e.kind === 'escalated').map((e) => e.details);
    expect(escalations).toEqual([
      { level: 1, targetPath: PATHS.communityA },
      { level: 2, targetPath: PATHS.street },
    ]);
  });

  it('reopens a matter for a second round when the callback finds the resident unsatisfied', async () => {
    clock = cst('2025-11-04T09:00:00');
    const { id } = await newAppeal();
    for (const [action, note] of [['dispatch'], ['accept'], ['reply', '已更换灯泡'], ['close']] as const) {
      await applyAction(deps(), operator, id, action, { note });
    }
    const reopened = await applyAction(deps(), operator, id, 'callback_unsatisfied', { note: '路灯仍然不亮' });
    expect(reopened).toMatchObject({ state: 'handling', round: 2 });
  });

  it('refuses an action the state does not allow, one without its permission, and one without its note', async () => {
    clock = cst('2025-11-05T09:00:00');
    const { id } = await newAppeal();
    await expect(applyAction(deps(), operator, id, 'close')).rejects.toMatchObject({ code: 'CONFLICT' });
    const gridWorker: Principal = { ...operator, via: 'session', userId: 9, permissions: new Set(['matters:matter:read', 'matters:matter:handle']), scopePath: PATHS.gridA };
    await expect(applyAction(deps(), gridWorker, id, 'dispatch')).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(applyAction(deps(), operator, id, 'answer_directly')).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  it('hides a matter from an account of another region', async () => {
    const { id } = await newAppeal();
    const otherCommunity: Principal = { ...operator, via: 'session', userId: 10, scopePath: PATHS.communityB };
    await expect(getMatter(deps(), otherCommunity, id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('puts matters in the due-soon and overdue queues by their step deadline', async () => {
    clock = cst('2026-03-02T09:00:00');
    const { id } = await newAppeal();
    const page = { limit: 100, offset: 0 };
    clock = cst('2026-03-02T10:00:00');
    const dueSoon = await listQueue(deps(), operator, { queue: 'due_soon' }, page);
    expect(dueSoon.rows.map((m) => m.id)).toContain(id);
    clock = cst('2026-03-02T11:30:00');
    const overdue = await listQueue(deps(), operator, { queue: 'overdue' }, page);
    expect(overdue.rows.map((m) => m.id)).toContain(id);
    expect((await listQueue(deps(), operator, { queue: 'due_soon' }, page)).rows.map((m) => m.id)).not.toContain(id);
    const elsewhere: Principal = { ...operator, via: 'session', userId: 11, scopePath: PATHS.communityB };
    expect((await listQueue(deps(), elsewhere, { queue: 'overdue' }, page)).rows.map((m) => m.id)).not.toContain(id);
  });

  it('creates one matter when two retries of a request race each other', async () => {
    const [a, b] = await Promise.all([newAppeal('race-key-1'), newAppeal('race-key-1')]);
    expect(a.id).toBe(b.id);
    expect([a.isNew, b.isNew].sort()).toEqual([false, true]);
  });

  it('creates one matter for a retried request with the same idempotency key', async () => {
    const first = await newAppeal('retry-1');
    const second = await newAppeal('retry-1');
    expect(second).toEqual({ id: first.id, isNew: false });
  });

  it('takes a step whose deadline runs into a year without holidays, and sets the deadline once the year is entered', async () => {
    clock = cst('2026-12-30T09:00:00');
    const { id } = await newAppeal();
    await applyAction(deps(), operator, id, 'dispatch');
    const warnBefore = await jobs.countJobs(MATTER_WARN_JOB, 'created');
    clock = cst('2026-12-30T10:00:00');
    // Five working days from 30 December 2026 end in 2027, whose holidays are not entered yet.
    const handling = await applyAction(deps(), operator, id, 'accept');
    expect(handling.dueAt).toBeNull();
    const waiting = await getMatter(deps(), operator, id);
    expect(waiting.matter).toMatchObject({ state: 'handling', step_due_at: null, due_pending_year: 2027 });
    expect(waiting.events.at(-1)!.details).toMatchObject({ dueAt: null, duePendingYear: 2027 });
    expect(await settlePendingDeadlines(deps())).toBe(0);

    await replaceYear(handle.db, 2027, '测试数据：元旦放假一天（非官方安排）', [{ date: '2027-01-01', kind: 'holiday', name: '元旦' }]);
    clock = cst('2027-01-02T08:00:00');
    expect(await settlePendingDeadlines(deps())).toBe(1);
    const settled = await getMatter(deps(), operator, id);
    // 31 December, then 4–7 January (1 January is the holiday, 2–3 the weekend): due at the end of the 7th.
    expect(new Date(settled.matter.step_due_at!).toISOString()).toBe(cst('2027-01-08T00:00:00').toISOString());
    expect(settled.matter.due_pending_year).toBeNull();
    expect(settled.events.at(-1)).toMatchObject({ kind: 'deadline_set', details: { dueAt: cst('2027-01-08T00:00:00').toISOString(), year: 2027 } });
    expect(await jobs.countJobs(MATTER_WARN_JOB, 'created')).toBe(warnBefore + 1);
    expect(await settlePendingDeadlines(deps())).toBe(0);
  });
});

import { Type } from 'typebox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../db/database.ts';
import { createTestDatabase, testDatabaseKinds } from '../testing/test-database.ts';
import { defineJob, JobRunner } from './jobs.ts';

async function waitFor(check: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe.each(testDatabaseKinds())('typed jobs on pg-boss on %s', (kind) => {
  let handle: DatabaseHandle;
  let runner: JobRunner;
  const handled: Array<{ matterId: number; step: string }> = [];
  const ping = defineJob({
    id: 'test.ping',
    schema: Type.Object({ matterId: Type.Integer({ minimum: 1 }), step: Type.String() }),
    handler: async (data) => {
      handled.push(data);
    },
  });

  beforeAll(async () => {
    handle = await createTestDatabase(kind);
    runner = await JobRunner.start(handle, [ping], { pollingIntervalSeconds: 0.5 });
  });
  afterAll(async () => {
    await runner.stop();
    await handle.close();
  });

  it('runs a job enqueued in a committed transaction, once, with its typed data', async () => {
    await handle.db.transaction().execute(async (trx) => {
      await runner.enqueue(trx, ping, { matterId: 1, step: 'committed' });
    });
    await waitFor(() => handled.some((h) => h.step === 'committed'));
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(handled.filter((h) => h.step === 'committed')).toEqual([{ matterId: 1, step: 'committed' }]);
  });

  it('never runs a job whose transaction rolled back', async () => {
    await expect(
      handle.db.transaction().execute(async (trx) => {
        await runner.enqueue(trx, ping, { matterId: 2, step: 'rolled-back' });
        throw new Error('the write failed');
      }),
    ).rejects.toThrow('the write failed');
    await handle.db.transaction().execute((trx) => runner.enqueue(trx, ping, { matterId: 3, step: 'marker' }));
    await waitFor(() => handled.some((h) => h.step === 'marker'));
    expect(handled.some((h) => h.step === 'rolled-back')).toBe(false);
  });

  it('holds a timer until its start time', async () => {
    const startAfter = new Date(Date.now() + 2500);
    await handle.db.transaction().execute((trx) => runner.enqueue(trx, ping, { matterId: 4, step: 'timer' }, { startAfter }));
    await new Promise((resolve) => setTimeout(resolve, 1200));
    expect(handled.some((h) => h.step === 'timer')).toBe(false);
    await waitFor(() => handled.some((h) => h.step === 'timer'));
    expect(Date.now()).toBeGreaterThanOrEqual(startAfter.getTime());
  });

  it('refuses data that does not match the job schema', async () => {
    await expect(
      handle.db.transaction().execute((trx) => runner.enqueue(trx, ping, { matterId: -1, step: 'bad' })),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });
});

describe.each(testDatabaseKinds())('tickers on %s', (kind) => {
  it('runs a ticker again and again in a working process, one run at a time, and once more on stop', async () => {
    const handle = await createTestDatabase(kind);
    let runs = 0;
    let overlapping = false;
    let active = false;
    let stopping = false;
    let startedWhileStopping = 0;
    const ticker = {
      id: 'count',
      everyMs: 20,
      run: async () => {
        if (active) overlapping = true;
        if (stopping) startedWhileStopping += 1;
        active = true;
        await new Promise((resolve) => setTimeout(resolve, 5));
        runs += 1;
        active = false;
      },
    };
    const runner = await JobRunner.start(handle, [], { tickers: [ticker] });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(runs).toBeGreaterThanOrEqual(3);
    stopping = true;
    await runner.stop();
    // The last run starts after stop() was called (a run already under way finishes first).
    expect(startedWhileStopping).toBe(1);
    expect(overlapping).toBe(false);
    await handle.close();
  });

  it('runs a ticker only on stop in a process that does not work (a CLI command)', async () => {
    const handle = await createTestDatabase(kind);
    let runs = 0;
    const runner = await JobRunner.start(handle, [], { isWorking: false, tickers: [{ id: 'count', everyMs: 10, run: async () => void (runs += 1) }] });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(runs).toBe(0);
    await runner.stop();
    expect(runs).toBe(1);
    await handle.close();
  });
});

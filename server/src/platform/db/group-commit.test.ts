import { describe, expect, it } from 'vitest';
import { GroupCommitter, type Settled } from './group-commit.ts';

/** A flush that records its batches and answers each item doubled, after the test releases it. */
function recordingFlush() {
  const batches: number[][] = [];
  const releases: (() => void)[] = [];
  const flush = async (items: number[]): Promise<Settled<number>[]> => {
    batches.push(items);
    await new Promise<void>((resolve) => releases.push(resolve));
    return items.map((item) => ({ ok: true, value: item * 2 }));
  };
  const releaseAll = async () => {
    while (releases.length > 0) {
      releases.shift()!();
      await new Promise((resolve) => setImmediate(resolve));
    }
  };
  return { batches, flush, releaseAll };
}

describe('group commit', () => {
  it('flushes a lone item at once and batches what arrives while a flush runs', async () => {
    const { batches, flush, releaseAll } = recordingFlush();
    const committer = new GroupCommitter(flush, { concurrency: 1, maxBatch: 3 });
    const first = committer.submit(1);
    expect(batches).toEqual([[1]]);
    const rest = [2, 3, 4, 5, 6].map((item) => committer.submit(item));
    expect(batches).toEqual([[1]]);
    await releaseAll();
    expect(await first).toBe(2);
    expect(await Promise.all(rest)).toEqual([4, 6, 8, 10, 12]);
    expect(batches).toEqual([[1], [2, 3, 4], [5, 6]]);
  });

  it('runs up to `concurrency` flushes at once', async () => {
    const { batches, flush, releaseAll } = recordingFlush();
    const committer = new GroupCommitter(flush, { concurrency: 2 });
    const results = [1, 2, 3, 4].map((item) => committer.submit(item));
    expect(batches).toEqual([[1], [2]]);
    await releaseAll();
    expect(await Promise.all(results)).toEqual([2, 4, 6, 8]);
    expect(batches).toEqual([[1], [2], [3, 4]]);
  });

  it('answers each item its own outcome, a refusal only to its own caller', async () => {
    const committer = new GroupCommitter<number, number>(async (items) =>
      items.map((item) => (item < 0 ? { ok: false, error: new Error(`negative ${item}`) } : { ok: true, value: item })),
    );
    const results = await Promise.allSettled([committer.submit(1), committer.submit(-2), committer.submit(3)]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).toEqual(new Error('negative -2'));
  });

  it('retries a failed batch in halves so that only the culprit fails', async () => {
    const attempts: number[][] = [];
    const committer = new GroupCommitter<number, number>(
      async (items) => {
        attempts.push(items);
        if (items.includes(13)) throw Object.assign(new Error('check violation'), { code: '23514' });
        return items.map((item) => ({ ok: true, value: item }));
      },
      { concurrency: 1 },
    );
    const blocker = committer.submit(0);
    const results = await Promise.allSettled([12, 13, 14].map((item) => committer.submit(item)));
    await blocker;
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(attempts).toEqual([[0], [12, 13, 14], [12, 13], [12], [13], [14]]);
  });

  it('fails the whole batch without retrying when the error may have left it committed', async () => {
    const attempts: number[][] = [];
    const committer = new GroupCommitter<number, number>(
      async (items) => {
        attempts.push(items);
        if (items.length > 1) throw new Error('connection lost');
        return items.map((item) => ({ ok: true, value: item }));
      },
      { concurrency: 1, canRetryInParts: (error) => (error as { code?: string }).code === '23514' },
    );
    const blocker = committer.submit(0);
    const results = await Promise.allSettled([1, 2].map((item) => committer.submit(item)));
    await blocker;
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(attempts).toEqual([[0], [1, 2]]);
  });
});

import { describe, expect, it } from 'vitest';
import { createWorkerPool } from './worker-pool.ts';

const FIXTURE = new URL('./worker-pool.fixture.ts', import.meta.url);

describe('createWorkerPool', () => {
  it('answers each request with its own response, whichever thread took it', async () => {
    const pool = createWorkerPool<number, number>(FIXTURE, null, 2, 'test worker');
    try {
      expect(await Promise.all(Array.from({ length: 20 }, (_, value) => pool.submit(value)))).toEqual(Array.from({ length: 20 }, (_, value) => value * 2));
    } finally {
      await pool.close();
    }
  });

  it('rejects the requests of a thread that fails, and every later one, with the reason', async () => {
    const pool = createWorkerPool<number, number>(FIXTURE, null, 1, 'test worker');
    try {
      await expect(pool.submit(-1)).rejects.toThrow('negative');
      await expect(pool.submit(3)).rejects.toThrow('negative');
    } finally {
      await pool.close();
    }
  });
});

import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import { startServer, type RunningServer } from './server-process.ts';

const ADMIN_PASSWORD = 'Kill-9-password-1';

async function signIn(url: string): Promise<string> {
  const response = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }) });
  if (!response.ok) throw new Error(`login failed: ${response.status}`);
  return (response.headers.get('set-cookie') ?? '').split(';')[0]!;
}

/**
 * Loads a running server with matter creations, kills it with SIGKILL mid-stream, restarts it on the
 * same database and checks that every matter it acknowledged with a 2xx is there, with its
 * deadline timers in pg-boss.
 */
async function killDuringLoad(server: RunningServer, restart: () => Promise<RunningServer>, countTimers: (ids: number[]) => Promise<number>) {
  const cookie = await signIn(server.url);
  const grid = await (await fetch(`${server.url}/api/places/locate?lon=106.45&lat=29.55`, { headers: { cookie } })).json() as { place: { id: number } };
  const acknowledged: number[] = [];
  let sent = 0;
  const worker = async (n: number) => {
    for (let i = 0; ; i++) {
      sent += 1;
      try {
        const response = await fetch(`${server.url}/api/matters`, {
          method: 'POST',
          headers: { cookie, 'content-type': 'application/json', 'idempotency-key': `kill-test-${n}-${i}` },
          body: JSON.stringify({ typeCode: 'appeal', title: `压测诉求 ${n}-${i}`, placeId: grid.place.id }),
        });
        if (response.status === 201) acknowledged.push(((await response.json()) as { id: number }).id);
      } catch {
        return; // the server is gone
      }
    }
  };
  const workers = [0, 1, 2, 3].map(worker);
  await new Promise((resolve) => setTimeout(resolve, 3000));
  server.kill('SIGKILL');
  await Promise.all(workers);
  expect(acknowledged.length).toBeGreaterThan(10);

  const again = await restart();
  try {
    const cookieAgain = await signIn(again.url);
    const missing: number[] = [];
    for (const id of acknowledged) {
      const response = await fetch(`${again.url}/api/matters/${id}`, { headers: { cookie: cookieAgain } });
      if (response.status !== 200) missing.push(id);
    }
    expect(missing).toEqual([]);
  } finally {
    await again.stop({ keepData: true });
  }
  // Two timers per matter in its first step: the 80% warning and the escalation.
  expect(await countTimers(acknowledged)).toBe(acknowledged.length * 2);
  return { sent, acknowledged: acknowledged.length };
}

describe('a server killed with SIGKILL loses no acknowledged matter and no timer', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const cleanup of cleanups) await cleanup();
  });

  it('on the embedded PGlite', async () => {
    const env = { MINSHENG_ADMIN_PASSWORD: ADMIN_PASSWORD };
    const first = await startServer({ args: ['--demo', '--persons', '200', '--appeals', '0'], env });
    cleanups.push(() => first.stop());
    const result = await killDuringLoad(
      first,
      () => startServer({ args: [], env, dataDir: first.dataDir }),
      async (ids) => {
        const db = await PGlite.create({ dataDir: path.join(first.dataDir, 'pgdata') });
        try {
          const rows = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM pgboss.job WHERE name IN ('matter.deadline.warn', 'matter.deadline.escalate') AND (data->>'matterId')::bigint = ANY($1)`, [ids]);
          return rows.rows[0]!.n;
        } finally {
          await db.close();
        }
      },
    );
    console.log('PGlite SIGKILL run', result);
  });

  it.runIf(process.env.TEST_DATABASE_URL)('on PostgreSQL', async () => {
    const admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
    await admin.connect();
    await admin.query('DROP DATABASE IF EXISTS minsheng_kill_test WITH (FORCE)');
    await admin.query('CREATE DATABASE minsheng_kill_test');
    await admin.end();
    const url = new URL(process.env.TEST_DATABASE_URL!);
    url.pathname = '/minsheng_kill_test';
    const env = { MINSHENG_ADMIN_PASSWORD: ADMIN_PASSWORD, DATABASE_URL: url.toString() };
    const first = await startServer({ args: ['--demo', '--persons', '200', '--appeals', '0'], env });
    cleanups.push(async () => {
      await first.stop();
      const client = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
      await client.connect();
      await client.query('DROP DATABASE IF EXISTS minsheng_kill_test WITH (FORCE)');
      await client.end();
    });
    const result = await killDuringLoad(
      first,
      () => startServer({ args: [], env, dataDir: first.dataDir }),
      async (ids) => {
        const client = new pg.Client({ connectionString: url.toString() });
        await client.connect();
        try {
          const rows = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM pgboss.job WHERE name IN ('matter.deadline.warn', 'matter.deadline.escalate') AND (data->>'matterId')::bigint = ANY($1)`, [ids]);
          return rows.rows[0]!.n;
        } finally {
          await client.end();
        }
      },
    );
    console.log('PostgreSQL SIGKILL run', result);
  });
});

import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { withAdminConnection } from '../testing/postgres-admin.ts';
import { openDatabase } from './database.ts';

const url = process.env.TEST_DATABASE_URL;

describe.skipIf(!url)('PostgreSQL connection pool', () => {
  it('survives the server dropping an idle connection and opens a new one', async () => {
    const handle = await openDatabase({ kind: 'postgresql', url: url!, maxConnections: 2 });
    try {
      const first = await sql<{ pid: number }>`SELECT pg_backend_pid() AS pid`.execute(handle.db);
      const pid = first.rows[0]!.pid;
      await withAdminConnection(url!, (client) => client.query('SELECT pg_terminate_backend($1)', [pid]));
      // Give the pool time to hear the FATAL message on its idle connection: unheard, it would be
      // an uncaught exception that fails this run.
      await new Promise((resolve) => setTimeout(resolve, 200));
      const second = await sql<{ pid: number }>`SELECT pg_backend_pid() AS pid`.execute(handle.db);
      expect(second.rows[0]!.pid).not.toBe(pid);
    } finally {
      await handle.close();
    }
  });

  it('has ended every connection on the server by the time close returns', async () => {
    const applicationName = `minsheng_close_${process.pid}`;
    const target = new URL(url!);
    target.searchParams.set('application_name', applicationName);
    const handle = await openDatabase({ kind: 'postgresql', url: target.toString(), maxConnections: 3 });
    await Promise.all([1, 2, 3].map(() => sql`SELECT pg_sleep(0.05)`.execute(handle.db)));
    const countOpen = () =>
      withAdminConnection(url!, async (client) => {
        const result = await client.query<{ n: number }>(
          'SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1',
          [applicationName],
        );
        return result.rows[0]!.n;
      });
    expect(await countOpen()).toBe(3);
    await handle.close();
    expect(await countOpen()).toBe(0);
  });
});

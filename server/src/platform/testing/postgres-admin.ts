import pg from 'pg';

/**
 * Name of the migrated template database that test databases are cloned from: one per test run
 * (the run's process id), so that two runs against the same server never rebuild each other's.
 */
export function postgresTemplateName(runId: number | string): string {
  return `minsheng_test_template_${runId}`;
}

/** Runs `work` on a single connection to the server named by `url` (its own database). */
export async function withAdminConnection<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** The same server URL pointing at another database. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

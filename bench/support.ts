/** What the benchmarks share: a scratch PostgreSQL database and percentiles. */
import pg from 'pg';

/** The PostgreSQL server benchmarks run on: BENCH_DATABASE_URL, else the machine's local one. */
export const BENCH_SERVER_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

async function onServer(sqlText: string): Promise<void> {
  const client = new pg.Client({ connectionString: BENCH_SERVER_URL });
  await client.connect();
  try {
    await client.query(sqlText);
  } finally {
    await client.end();
  }
}

/** A database of that name on the benchmark server, created empty and dropped after (with FORCE). */
export function scratchDatabase(name: string): { url: string; create(): Promise<void>; drop(): Promise<void> } {
  const url = new URL(BENCH_SERVER_URL);
  url.pathname = `/${name}`;
  const drop = () => onServer(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  return {
    url: url.toString(),
    create: async () => {
      await drop();
      await onServer(`CREATE DATABASE ${name}`);
    },
    drop,
  };
}

/** The p-th percentile of ascending `sorted` values (nearest rank). */
export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

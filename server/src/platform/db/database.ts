import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { ltree } from '@electric-sql/pglite/contrib/ltree';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { Kysely, PGliteDialect, PostgresDialect, type Transaction } from 'kysely';
import pg from 'pg';
import type { DatabaseKind } from '../config.ts';
import type { Database } from './schema.ts';

/** A Kysely instance over the minsheng schema. */
export type Db = Kysely<Database>;
/** Anything a repository can run SQL on: the database or an open transaction. */
export type Executor = Kysely<Database> | Transaction<Database>;

/** An open database with the engine it runs on and a way to close it. */
export interface DatabaseHandle {
  db: Db;
  kind: DatabaseKind;
  /** The embedded instance, when kind is `pglite` (jobs and dumps need it). */
  pglite: PGlite | undefined;
  /** The pool and its URL, when kind is `postgresql` (pg-boss opens its own pool). */
  pool: pg.Pool | undefined;
  connectionString: string | undefined;
  close(): Promise<void>;
}

/** Where the database lives: a PostgreSQL URL, a PGlite data directory, or an in-memory PGlite. */
export type DatabaseTarget =
  | { kind: 'postgresql'; url: string; maxConnections?: number }
  | { kind: 'pglite'; dataDir?: string; loadDataDir?: Blob };

const DATE_OID = 1082;
const INT8_OID = 20;
const NUMERIC_OID = 1700;

// Calendar dates stay 'YYYY-MM-DD' strings: a JS Date would shift them across time zones.
pg.types.setTypeParser(DATE_OID, (value) => value);
pg.types.setTypeParser(INT8_OID, (value) => Number(value));
pg.types.setTypeParser(NUMERIC_OID, (value) => Number(value));

/** Opens the database described by `target` (no migrations are run here). */
export async function openDatabase(target: DatabaseTarget): Promise<DatabaseHandle> {
  if (target.kind === 'postgresql') {
    const pool = new pg.Pool({ connectionString: target.url, max: target.maxConnections ?? 10 });
    // An idle connection the server drops (restart, failover, pg_terminate_backend) is an 'error'
    // event on the pool; unheard, it would be an uncaught exception that stops the whole process.
    // The pool has already discarded the connection, so the next query simply opens a new one.
    pool.on('error', (error) => console.warn(`database connection lost: ${error.message}`));
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    const closed = connectionsClosed(pool);
    const close = async () => {
      await db.destroy();
      await closed();
    };
    return { db, kind: 'postgresql', pglite: undefined, pool, connectionString: target.url, close };
  }
  if (target.dataDir) fs.mkdirSync(path.dirname(target.dataDir), { recursive: true });
  const pglite = await PGlite.create({
    dataDir: target.dataDir,
    loadDataDir: target.loadDataDir,
    extensions: { ltree, pg_trgm },
    parsers: {
      [DATE_OID]: (value: string) => value,
      [INT8_OID]: (value: string) => Number(value),
      [NUMERIC_OID]: (value: string) => Number(value),
    },
  });
  const db = new Kysely<Database>({ dialect: new PGliteDialect({ pglite }) });
  return { db, kind: 'pglite', pglite, pool: undefined, connectionString: undefined, close: () => db.destroy() };
}

/**
 * Tracks the pool's connections so closing can wait until every one has really ended: `pool.end()`
 * resolves as soon as it has asked them to end, and a database dropped or stopped right after
 * would otherwise cut connections that are still saying goodbye.
 */
function connectionsClosed(pool: pg.Pool): () => Promise<void> {
  let open = 0;
  let onDrained: (() => void) | undefined;
  pool.on('connect', () => {
    open += 1;
  });
  pool.on('remove', () => {
    open -= 1;
    if (open === 0) onDrained?.();
  });
  return () => (open === 0 ? Promise.resolve() : new Promise<void>((resolve) => (onDrained = resolve)));
}

/** The target chosen by configuration: `DATABASE_URL` if set, else PGlite under the data dir. */
export function targetFromConfig(config: { databaseUrl: string | undefined; dataDir: string }): DatabaseTarget {
  return config.databaseUrl
    ? { kind: 'postgresql', url: config.databaseUrl }
    : { kind: 'pglite', dataDir: path.join(config.dataDir, 'pgdata') };
}

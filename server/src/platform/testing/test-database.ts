import crypto from 'node:crypto';
import fs from 'node:fs';
import { inject } from 'vitest';
import type { DatabaseKind } from '../config.ts';
import { type DatabaseHandle, openDatabase } from '../db/database.ts';
import { withAdminConnection, withDatabase } from './postgres-admin.ts';

/** Engines the integration tests run on: PGlite always, PostgreSQL when `TEST_DATABASE_URL` is set. */
export function testDatabaseKinds(): DatabaseKind[] {
  return process.env.TEST_DATABASE_URL ? ['pglite', 'postgresql'] : ['pglite'];
}

/**
 * A fresh, migrated database for one test file, cloned from the template made in global setup.
 * Closing it drops the PostgreSQL clone.
 */
export async function createTestDatabase(kind: DatabaseKind): Promise<DatabaseHandle> {
  if (kind === 'pglite') {
    const template = fs.readFileSync(inject('pgliteTemplateFile'));
    return openDatabase({ kind: 'pglite', loadDataDir: new Blob([template]) });
  }
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('TEST_DATABASE_URL is not set');
  const name = `minsheng_test_${crypto.randomBytes(6).toString('hex')}`;
  await withAdminConnection(url, (client) => client.query(`CREATE DATABASE ${name} TEMPLATE ${inject('postgresTemplate')}`));
  const handle = await openDatabase({ kind: 'postgresql', url: withDatabase(url, name), maxConnections: 4 });
  return {
    ...handle,
    close: async () => {
      await handle.close();
      await withAdminConnection(url, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}

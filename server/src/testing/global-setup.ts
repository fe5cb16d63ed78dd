import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../platform/db/database.ts';
import { POSTGRES_TEMPLATE, withAdminConnection, withDatabase } from '../platform/testing/postgres-admin.ts';
import { prepareAll } from '../prepare-all.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplateFile: string;
  }
}

/** Migrates once into templates (a PGlite dump file; a PostgreSQL template database when configured). */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const handle = await openDatabase({ kind: 'pglite' });
  await prepareAll(handle.db);
  const dump = await handle.pglite!.dumpDataDir('none');
  await handle.close();
  const file = path.join(os.tmpdir(), `minsheng-template-${process.pid}.tar`);
  fs.writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  project.provide('pgliteTemplateFile', file);

  const url = process.env.TEST_DATABASE_URL;
  if (url) {
    await withAdminConnection(url, async (client) => {
      await client.query(`DROP DATABASE IF EXISTS ${POSTGRES_TEMPLATE} WITH (FORCE)`);
      await client.query(`CREATE DATABASE ${POSTGRES_TEMPLATE}`);
    });
    const pg = await openDatabase({ kind: 'postgresql', url: withDatabase(url, POSTGRES_TEMPLATE), maxConnections: 1 });
    await prepareAll(pg.db);
    await pg.close();
  }
  return async () => {
    fs.rmSync(file, { force: true });
  };
}

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../platform/db/database.ts';
import { postgresTemplateName, withAdminConnection, withDatabase } from '../platform/testing/postgres-admin.ts';
import { prepareAll } from '../prepare-all.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplateFile: string;
    postgresTemplate: string;
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
  const template = postgresTemplateName(process.pid);
  project.provide('postgresTemplate', template);
  if (url) {
    await withAdminConnection(url, async (client) => {
      await client.query(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`);
      await client.query(`CREATE DATABASE ${template}`);
    });
    const pg = await openDatabase({ kind: 'postgresql', url: withDatabase(url, template), maxConnections: 1 });
    await prepareAll(pg.db);
    await pg.close();
  }
  return async () => {
    fs.rmSync(file, { force: true });
    if (url) await withAdminConnection(url, (client) => client.query(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`));
  };
}

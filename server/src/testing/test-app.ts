import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DatabaseKind } from '../platform/config.ts';
import { loadConfig } from '../platform/config.ts';
import type { DatabaseHandle } from '../platform/db/database.ts';
import { FieldCipher } from '../platform/crypto/field-cipher.ts';
import type { AppInstance, AppServices } from '../platform/http/context.ts';
import { createUser } from '../platform/auth/index.ts';
import { SESSION_COOKIE } from '../platform/http/server.ts';
import { createTestDatabase } from '../platform/testing/test-database.ts';
import { buildApp, jobDefinitions } from '../app.ts';
import { JobRunner } from '../platform/jobs/index.ts';

/** A running app on a fresh test database, with helpers to create accounts and sign in. */
export interface TestApp {
  app: AppInstance;
  services: AppServices;
  handle: DatabaseHandle;
  /** Creates a staff account and returns a `cookie` header value for it. */
  signInAs(options: { username: string; roleCodes: string[]; scopePath: string; organisationId?: number | null }): Promise<string>;
  close(): Promise<void>;
}

/** The password every test account gets; strong enough for the password rule. */
export const TEST_PASSWORD = 'Test-password-1';

/** Builds the whole application (all modules' routes) on a fresh database of the given kind. */
export async function createTestApp(kind: DatabaseKind): Promise<TestApp> {
  const handle = await createTestDatabase(kind);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'minsheng-test-'));
  const config = { ...loadConfig({}), dataDir };
  // The job handlers need the services, which need the started runner: a late-bound reference.
  const ref: { services?: AppServices } = {};
  // Timers are enqueued for real; their handlers are tested on their own, so workers stay off.
  const jobs = await JobRunner.start(handle, jobDefinitions(() => ref.services!), { isWorking: false });
  const services: AppServices = { db: handle.db, databaseKind: handle.kind, cipher: new FieldCipher(new Uint8Array(32).fill(7)), config, jobs };
  ref.services = services;
  const app = await buildApp(services);
  let signIns = 0;
  return {
    app,
    services,
    handle,
    async signInAs({ username, roleCodes, scopePath, organisationId = null }) {
      await createUser(handle.db, { userId: null, name: 'test', ip: null }, { username, displayName: username, password: TEST_PASSWORD, roleCodes, scopePath, organisationId });
      // Each sign-in comes from its own address so that the log-in rate limit never trips in tests.
      signIns += 1;
      const response = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: TEST_PASSWORD }, remoteAddress: `127.0.${Math.floor(signIns / 250)}.${signIns % 250}` });
      if (response.statusCode !== 200) throw new Error(`login failed: ${response.body}`);
      const cookie = response.cookies.find((c) => c.name === SESSION_COOKIE);
      if (!cookie) throw new Error('no session cookie');
      return `${SESSION_COOKIE}=${cookie.value}`;
    },
    async close() {
      await app.close();
      await jobs.stop();
      await handle.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Config } from './platform/config.ts';
import { type DatabaseHandle, openDatabase, targetFromConfig } from './platform/db/database.ts';
import { prepareAll } from './prepare-all.ts';
import { FieldCipher, loadMasterKey } from './platform/crypto/field-cipher.ts';
import { createHttpServer } from './platform/http/server.ts';
import type { AppInstance, AppServices, RoutesPlugin } from './platform/http/context.ts';
import { authRoutes } from './platform/auth/index.ts';
import { auditRoutes } from './platform/audit/audit.routes.ts';
import { calendarRoutes } from './platform/calendar/index.ts';
import { placesRoutes } from './modules/places/index.ts';
import { peopleRoutes } from './modules/people/index.ts';
import { organisationsRoutes } from './modules/organisations/index.ts';
import { importsRoutes } from './modules/imports/index.ts';

/** Every module's routes, in registration order. */
export const ROUTES: RoutesPlugin[] = [authRoutes, auditRoutes, calendarRoutes, placesRoutes, peopleRoutes, organisationsRoutes, importsRoutes];

/** The built console, served at `/` when present. */
export const WEB_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../web/dist');

/** Opens (and migrates) the configured database and builds the shared services. */
export async function openServices(config: Config): Promise<{ services: AppServices; handle: DatabaseHandle }> {
  const handle = await openDatabase(targetFromConfig(config));
  await prepareAll(handle.db);
  const cipher = new FieldCipher(loadMasterKey(config));
  return { handle, services: { db: handle.db, databaseKind: handle.kind, cipher, config } };
}

/** Builds the whole application over already-open services. */
export function buildApp(services: AppServices, options: { webRoot?: string; logger?: boolean } = {}): Promise<AppInstance> {
  return createHttpServer({ services, routes: ROUTES, webRoot: options.webRoot, logger: options.logger ?? false });
}

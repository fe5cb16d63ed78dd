import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Config } from './platform/config.ts';
import { type DatabaseHandle, openDatabase, targetFromConfig } from './platform/db/database.ts';
import { prepareAll } from './prepare-all.ts';
import { FieldCipher, loadMasterKey } from './platform/crypto/field-cipher.ts';
import { createHttpServer } from './platform/http/server.ts';
import { JobRunner, type JobDefinition } from './platform/jobs/index.ts';
import { deadlineSettler, matterJobs, mattersRoutes } from './modules/matters/index.ts';
import { appealsRoutes, kpiRefresher, residentRoutes } from './modules/appeals/index.ts';
import type { AppInstance, AppServices, RoutesPlugin } from './platform/http/context.ts';
import { authRoutes } from './platform/auth/index.ts';
import { auditRoutes } from './platform/audit/audit.routes.ts';
import { auditSealer } from './platform/audit/index.ts';
import { calendarRoutes } from './platform/calendar/index.ts';
import { placesRoutes } from './modules/places/index.ts';
import { peopleRoutes } from './modules/people/index.ts';
import { organisationsRoutes } from './modules/organisations/index.ts';
import { importsRoutes } from './modules/imports/index.ts';
import { open311Routes } from './modules/open311/index.ts';
import { supervisionRoutes } from './modules/supervision/index.ts';
import { compareJobs, compareRoutes } from './modules/compare/index.ts';
import { applicationsRoutes, assistanceRoutes, discoveryRoutes, discoverySweeper, syncIllnessPovertyWarnings } from './modules/assistance/index.ts';

/** Every module's routes, in registration order. */
export const ROUTES: RoutesPlugin[] = [authRoutes, auditRoutes, calendarRoutes, placesRoutes, peopleRoutes, organisationsRoutes, importsRoutes, mattersRoutes, appealsRoutes, residentRoutes, open311Routes, supervisionRoutes, compareRoutes, assistanceRoutes, applicationsRoutes, discoveryRoutes];

/** The built console, served at `/` when present. */
export const WEB_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../web/dist');

/** Every module's background jobs, bound to the services they run with. */
export function jobDefinitions(services: () => AppServices): JobDefinition[] {
  return [...matterJobs(() => ({ db: services().db, jobs: services().jobs })), ...compareJobs(services, [(runId) => syncIllnessPovertyWarnings(services(), { runId })])];
}

/**
 * Opens (and migrates) the configured database and builds the shared services, with the job
 * runner started (`isWorking: false` for commands that only enqueue).
 */
export async function openServices(config: Config, options: { isWorking?: boolean } = {}): Promise<{ services: AppServices; handle: DatabaseHandle }> {
  const handle = await openDatabase(targetFromConfig(config));
  await prepareAll(handle.db);
  const cipher = new FieldCipher(loadMasterKey(config));
  // The job handlers need the services, which need the started runner: a late-bound reference.
  const ref: { services?: AppServices } = {};
  const jobs = await JobRunner.start(handle, jobDefinitions(() => ref.services!), {
    isWorking: options.isWorking ?? true,
    tickers: [auditSealer(handle.db), kpiRefresher(handle.db), deadlineSettler(() => ref.services!), discoverySweeper(() => ref.services!)],
  });
  const services: AppServices = { db: handle.db, databaseKind: handle.kind, cipher, config, jobs };
  ref.services = services;
  return { handle, services };
}

/** Builds the whole application over already-open services. */
export function buildApp(services: AppServices, options: { webRoot?: string; logger?: boolean } = {}): Promise<AppInstance> {
  return createHttpServer({ services, routes: ROUTES, webRoot: options.webRoot, logger: options.logger ?? false });
}

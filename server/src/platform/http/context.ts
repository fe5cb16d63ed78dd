import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger } from 'fastify';
import type { Config, DatabaseKind } from '../config.ts';
import type { Db } from '../db/database.ts';
import type { FieldCipher } from '../crypto/field-cipher.ts';
import type { JobRunner } from '../jobs/index.ts';
import type { Permission } from '../auth/permissions.ts';
import type { Principal } from '../auth/principal.ts';
import { AppError } from '../errors.ts';

/** Shared services every module's routes and services receive. */
export interface AppServices {
  db: Db;
  databaseKind: DatabaseKind;
  cipher: FieldCipher;
  config: Config;
  /** Background jobs and timers (pg-boss), enqueued inside the caller's transaction. */
  jobs: JobRunner;
}

/** The Fastify instance type with TypeBox schemas providing request types. */
export type AppInstance = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

/** A module's routes: a Fastify plugin that receives the shared services. */
export type RoutesPlugin = (app: AppInstance, services: AppServices) => Promise<void>;

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
  interface FastifyContextConfig {
    /** Route needs no signed-in account (log-in, health, Open311 discovery). */
    isPublic?: boolean;
    /** Permission the account must hold; checked before the handler runs. */
    permission?: Permission;
  }
}

/** The signed-in principal of a request; routes behind authentication always have one. */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new AppError('UNAUTHENTICATED', 'sign in first');
  return request.principal;
}

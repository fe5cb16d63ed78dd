import fs from 'node:fs';
import { withReferenceSnapshot } from '../db/reference-cache.ts';
import path from 'node:path';
import Fastify, { type FastifyRequest } from 'fastify';
import cookie from '@fastify/cookie';
import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { authenticateApiKey, authenticateSession } from '../auth/auth.service.ts';
import { hasPermission } from '../auth/principal.ts';
import { AppError } from '../errors.ts';
import type { AppInstance, AppServices, RoutesPlugin } from './context.ts';
import { handleError } from './error-handler.ts';

/** Name of the session cookie. */
export const SESSION_COOKIE = 'minsheng_session';
/** Largest accepted upload (imports of a few million rows fit). */
const MAX_UPLOAD_BYTES = 512 * 1024 * 1024;

/** Options for building the HTTP server. */
export interface HttpServerOptions {
  services: AppServices;
  routes: RoutesPlugin[];
  /** Built console to serve at `/`; omitted in API tests. */
  webRoot?: string | undefined;
  logger?: boolean;
}

/** Builds the Fastify server: plugins, authentication, the modules' routes, OpenAPI and the console. */
export async function createHttpServer(options: HttpServerOptions): Promise<AppInstance> {
  const { services } = options;
  const app = Fastify({
    logger: options.logger ? { level: 'info' } : false,
    trustProxy: services.config.trustProxy,
    bodyLimit: 10 * 1024 * 1024,
    ajv: { customOptions: { allErrors: true, coerceTypes: 'array', removeAdditional: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.setErrorHandler(handleError);
  app.setNotFoundHandler((request, reply) => {
    if (request.method === 'GET' && options.webRoot && !isApiPath(request.url)) {
      return reply.type('text/html').sendFile('index.html');
    }
    return reply.status(404).send({ error: { code: 'NOT_FOUND', message: `no route ${request.method} ${request.url.split('?')[0]}` } });
  });

  await app.register(cookie);
  await app.register(multipart, { limits: { fileSize: MAX_UPLOAD_BYTES, files: 1 } });
  await app.register(rateLimit, { global: false });
  await app.register(swagger, {
    openapi: {
      info: { title: 'minsheng API', version: '0.1.0', description: 'Grassroots governance and livelihood services platform' },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE },
          apiKey: { type: 'http', scheme: 'bearer', description: 'API key msk_…' },
        },
      },
      security: [{ session: [] }, { apiKey: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  app.decorateRequest('principal', null);
  // One reading of the reference-data versions per request (see platform/db/reference-cache.ts).
  app.addHook('onRequest', (_request, _reply, done) => withReferenceSnapshot(done));
  app.addHook('onRequest', async (request) => {
    if (isApiPath(request.url)) request.principal = (await authenticate(request, services)) ?? null;
  });
  app.addHook('preHandler', async (request) => {
    const config = request.routeOptions.config;
    if (config.isPublic || !isApiPath(request.url)) return;
    if (!request.principal) throw new AppError('UNAUTHENTICATED', 'sign in first');
    if (config.permission && !hasPermission(request.principal, config.permission)) {
      throw new AppError('FORBIDDEN', `missing permission ${config.permission}`, { permission: config.permission });
    }
  });

  app.get(
    '/healthz',
    {
      config: { isPublic: true },
      schema: {
        tags: ['platform'],
        response: { 200: Type.Object({ status: Type.Literal('ok'), database: Type.Union([Type.Literal('pglite'), Type.Literal('postgresql')]) }) },
      },
    },
    async () => ({ status: 'ok' as const, database: services.databaseKind }),
  );
  app.get('/openapi.json', { config: { isPublic: true }, schema: { hide: true } }, async () => app.swagger());

  for (const routes of options.routes) await routes(app, services);

  if (options.webRoot && fs.existsSync(path.join(options.webRoot, 'index.html'))) {
    await app.register(fastifyStatic, { root: options.webRoot, wildcard: false, index: 'index.html' });
  }
  return app;
}

function isApiPath(url: string): boolean {
  return url.startsWith('/api/') || url === '/api';
}

async function authenticate(request: FastifyRequest, services: AppServices) {
  const ip = request.ip ?? null;
  const header = request.headers.authorization;
  const apiKey = header?.startsWith('Bearer ') ? header.slice(7).trim() : (request.headers['x-api-key'] as string | undefined);
  if (apiKey) return authenticateApiKey(services.db, apiKey, ip);
  const token = request.cookies[SESSION_COOKIE];
  if (token) return authenticateSession(services.db, token, ip);
  return undefined;
}

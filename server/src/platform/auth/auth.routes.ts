import { Type } from 'typebox';
import type { RoutesPlugin } from '../http/context.ts';
import { principalOf } from '../http/context.ts';
import { SESSION_COOKIE } from '../http/server.ts';
import { auditActorOf, requireInScope } from './principal.ts';
import * as repo from './auth.repository.ts';
import { createApiKey, createUser, login, logout } from './auth.service.ts';
import { resolveLoginName } from './resident-accounts.ts';
import type { Principal } from './principal.ts';
import type { Executor } from '../db/database.ts';

const Me = Type.Object({
  id: Type.Integer(),
  username: Type.String(),
  displayName: Type.String(),
  roles: Type.Array(Type.Object({ code: Type.String(), nameZh: Type.String(), nameEn: Type.String() })),
  permissions: Type.Array(Type.String()),
  scope: Type.Object({
    placeId: Type.Union([Type.Integer(), Type.Null()]),
    path: Type.String(),
    name: Type.String(),
    level: Type.Union([Type.String(), Type.Null()]),
  }),
});

async function presentMe(db: Executor, principal: Principal) {
  const roles = await repo.findRolesByCodes(db, principal.roleCodes);
  const place = principal.scopePath ? await repo.findScopePlace(db, principal.scopePath) : undefined;
  return {
    id: principal.userId,
    username: principal.username,
    displayName: principal.displayName,
    roles: roles.map((r) => ({ code: r.code, nameZh: r.name_zh, nameEn: r.name_en })),
    permissions: [...principal.permissions].sort(),
    scope: { placeId: place?.id ?? null, path: principal.scopePath, name: place?.name ?? '', level: place?.level ?? null },
  };
}

/** Log-in, log-out, the current account, staff accounts and API keys. */
export const authRoutes: RoutesPlugin = async (app, { db, config, cipher }) => {
  app.post(
    '/api/auth/login',
    {
      config: { isPublic: true, rateLimit: { max: 10, timeWindow: '1 minute' } },
      schema: {
        tags: ['auth'],
        body: Type.Object({ username: Type.String({ minLength: 1, maxLength: 64 }), password: Type.String({ minLength: 1, maxLength: 256 }) }),
        response: { 200: Type.Object({ user: Me }) },
      },
    },
    async (request, reply) => {
      // Residents sign in with their mobile number, which is stored only encrypted: find their login name.
      const username = await resolveLoginName(db, cipher, request.body.username);
      const result = await login(db, { username, password: request.body.password, ip: request.ip });
      void reply.setCookie(SESSION_COOKIE, result.token, {
        path: '/',
        httpOnly: true,
        sameSite: 'strict',
        secure: config.secureCookies,
        expires: result.expiresAt,
      });
      return { user: await presentMe(db, result.principal) };
    },
  );

  app.post('/api/auth/logout', { schema: { tags: ['auth'] } }, async (request, reply) => {
    const token = request.cookies[SESSION_COOKIE];
    if (token) await logout(db, token, principalOf(request));
    void reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.status(204).send();
  });

  app.get('/api/auth/me', { schema: { tags: ['auth'], response: { 200: Me } } }, async (request) => presentMe(db, principalOf(request)));

  app.get(
    '/api/users',
    {
      config: { permission: 'platform:user:read' },
      schema: {
        tags: ['auth'],
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({
                id: Type.Integer(),
                username: Type.String(),
                displayName: Type.String(),
                roleCodes: Type.Array(Type.String()),
                scopePath: Type.String(),
                status: Type.String(),
                lastLoginAt: Type.Union([Type.String(), Type.Null()]),
              }),
            ),
          }),
        },
      },
    },
    async (request) => {
      const users = await repo.listUsers(db, principalOf(request).scopePath);
      return {
        items: users.map((u) => ({
          id: u.id,
          username: u.username,
          displayName: u.display_name,
          roleCodes: u.role_codes,
          scopePath: u.scope_path,
          status: u.status,
          lastLoginAt: u.last_login_at?.toISOString() ?? null,
        })),
      };
    },
  );

  app.post(
    '/api/users',
    {
      config: { permission: 'platform:user:write' },
      schema: {
        tags: ['auth'],
        body: Type.Object({
          username: Type.String({ pattern: '^[a-zA-Z0-9_.-]{3,64}$' }),
          displayName: Type.String({ minLength: 1, maxLength: 64 }),
          password: Type.String({ minLength: 10, maxLength: 256 }),
          roleCodes: Type.Array(Type.String(), { minItems: 1 }),
          scopePath: Type.String({ pattern: '^([0-9A-Za-z_]+(\\.[0-9A-Za-z_]+)*)?$' }),
          organisationId: Type.Optional(Type.Union([Type.Integer(), Type.Null()])),
        }),
        response: { 201: Type.Object({ id: Type.Integer() }) },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      requireInScope(principal, request.body.scopePath);
      const id = await db.transaction().execute((trx) =>
        createUser(trx, auditActorOf(principal), { ...request.body, organisationId: request.body.organisationId ?? null }),
      );
      return reply.status(201).send({ id });
    },
  );

  app.post(
    '/api/api-keys',
    {
      config: { permission: 'platform:apikey:write' },
      schema: {
        tags: ['auth'],
        body: Type.Object({ userId: Type.Integer({ minimum: 1 }), name: Type.String({ minLength: 1, maxLength: 100 }) }),
        response: { 201: Type.Object({ id: Type.Integer(), apiKey: Type.String() }) },
      },
    },
    async (request, reply) => reply.status(201).send(await createApiKey(db, principalOf(request), request.body)),
  );
};

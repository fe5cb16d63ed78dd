import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseKinds } from '../testing/test-database.ts';
import { createTestApp, TEST_PASSWORD, type TestApp } from '../../testing/test-app.ts';
import { SESSION_COOKIE } from '../http/server.ts';
import { LOGIN_POLICY } from './auth.service.ts';

describe.each(testDatabaseKinds())('accounts and access on %s', (kind) => {
  let t: TestApp;
  let admin: string;

  beforeAll(async () => {
    t = await createTestApp(kind);
    admin = await t.signInAs({ username: 'root', roleCodes: ['administrator'], scopePath: '' });
  });
  afterAll(() => t.close());

  const login = (username: string, password: string, ip = '10.0.0.1') =>
    t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password }, remoteAddress: ip });

  it('answers the health check without a session and names the database', async () => {
    const response = await t.app.inject({ url: '/healthz' });
    expect(response.json()).toEqual({ status: 'ok', database: kind });
  });

  it('serves an OpenAPI 3 document generated from the route schemas', async () => {
    const response = await t.app.inject({ url: '/openapi.json' });
    const doc = response.json<{ openapi: string; paths: Record<string, unknown> }>();
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/residents', '/api/auth/login', '/api/imports']));
  });

  it('sets an HttpOnly, SameSite session cookie on log-in and returns the account', async () => {
    await t.signInAs({ username: 'clerk', roleCodes: ['street_staff'], scopePath: '500000.500106' });
    const response = await login('clerk', TEST_PASSWORD, '10.0.0.2');
    expect(response.statusCode).toBe(200);
    const cookie = response.cookies.find((c) => c.name === SESSION_COOKIE)!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
    const me = await t.app.inject({ url: '/api/auth/me', headers: { cookie: `${SESSION_COOKIE}=${cookie.value}` } });
    expect(me.json()).toMatchObject({ username: 'clerk', scope: { path: '500000.500106' }, roles: [{ code: 'street_staff', nameZh: '街道工作人员' }] });
  });

  it('stores passwords as Argon2id hashes', async () => {
    const row = await t.handle.db.selectFrom('users').select('password_hash').where('username', '=', 'clerk').executeTakeFirstOrThrow();
    expect(row.password_hash).toMatch(/^\$argon2id\$/);
  });

  it(`locks an account after ${LOGIN_POLICY.maxAttempts} wrong passwords, even for the right one`, async () => {
    await t.signInAs({ username: 'victim', roleCodes: ['grid_worker'], scopePath: '500000' });
    for (let i = 1; i < LOGIN_POLICY.maxAttempts; i++) {
      const response = await login('victim', 'wrong-password', `10.1.0.${i}`);
      expect(response.statusCode).toBe(401);
      expect(response.json<{ error: { code: string } }>().error.code).toBe('INVALID_CREDENTIALS');
    }
    const locking = await login('victim', 'wrong-password', '10.1.1.1');
    expect(locking.statusCode).toBe(423);
    const rightPassword = await login('victim', TEST_PASSWORD, '10.1.1.2');
    expect(rightPassword.statusCode).toBe(423);
    expect(rightPassword.json<{ error: { code: string; details: { lockedUntil: string } } }>().error.details.lockedUntil).toBeTruthy();
    const audit = await t.handle.db.selectFrom('audit_log').select('action').where('action', '=', 'auth.account_locked').execute();
    expect(audit).toHaveLength(1);
  });

  it('gives the same answer for an unknown user as for a wrong password', async () => {
    const response = await login('nobody', 'whatever', '10.2.0.1');
    expect(response.statusCode).toBe(401);
    expect(response.json<{ error: { code: string } }>().error.code).toBe('INVALID_CREDENTIALS');
  });

  it('rate-limits log-in attempts from one address', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 12; i++) codes.push((await login('nobody', 'x', '10.3.0.1')).statusCode);
    expect(codes.slice(0, 10).every((c) => c === 401)).toBe(true);
    expect(codes.slice(10)).toEqual([429, 429]);
  });

  it('does not let a client pick its own address through X-Forwarded-For to dodge the rate limit', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 11; i++) {
      const response = await t.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: 'nobody', password: 'x' },
        remoteAddress: '10.5.0.1',
        headers: { 'x-forwarded-for': `192.0.2.${i}` },
      });
      codes.push(response.statusCode);
    }
    expect(codes.at(-1)).toBe(429);
  });

  it('accepts an API key for machine clients and refuses a tampered one', async () => {
    const users = await t.app.inject({ url: '/api/users', headers: { cookie: admin } });
    const clerk = users.json<{ items: Array<{ id: number; username: string }> }>().items.find((u) => u.username === 'clerk')!;
    const created = await t.app.inject({ method: 'POST', url: '/api/api-keys', headers: { cookie: admin }, payload: { userId: clerk.id, name: 'etl' } });
    expect(created.statusCode).toBe(201);
    const { apiKey } = created.json<{ apiKey: string }>();
    const me = await t.app.inject({ url: '/api/auth/me', headers: { authorization: `Bearer ${apiKey}` } });
    expect(me.json()).toMatchObject({ username: 'clerk' });
    const tampered = apiKey.slice(0, -1) + (apiKey.endsWith('A') ? 'B' : 'A');
    const refused = await t.app.inject({ url: '/api/auth/me', headers: { authorization: `Bearer ${tampered}` } });
    expect(refused.statusCode).toBe(401);
  });

  it('knows at once when a key is revoked, its user disabled or its role narrowed, though accounts are cached', async () => {
    const holder = await t.signInAs({ username: 'keyholder', roleCodes: ['volunteer'], scopePath: '500000' });
    const me = await t.app.inject({ url: '/api/auth/me', headers: { cookie: holder } });
    const userId = me.json<{ id: number }>().id;
    const created = await t.app.inject({ method: 'POST', url: '/api/api-keys', headers: { cookie: admin }, payload: { userId, name: 'cache-check' } });
    const { apiKey, id: keyId } = created.json<{ apiKey: string; id: number }>();
    const asKey = () => t.app.inject({ url: '/api/auth/me', headers: { authorization: `Bearer ${apiKey}` } });
    expect((await asKey()).statusCode).toBe(200);
    expect((await asKey()).json<{ permissions: string[] }>().permissions).not.toContain('platform:audit:read');

    // Changes made straight in SQL, as an operator might: the triggers bump the accounts version.
    await sql`UPDATE roles SET permissions = array_append(permissions, 'platform:audit:read') WHERE code = 'volunteer'`.execute(t.handle.db);
    expect((await asKey()).json<{ permissions: string[] }>().permissions).toContain('platform:audit:read');
    await sql`UPDATE users SET status = 'disabled' WHERE id = ${userId}`.execute(t.handle.db);
    expect((await asKey()).statusCode).toBe(401);
    await sql`UPDATE users SET status = 'active' WHERE id = ${userId}`.execute(t.handle.db);
    expect((await asKey()).statusCode).toBe(200);
    await sql`UPDATE api_keys SET revoked_at = now() WHERE id = ${keyId}`.execute(t.handle.db);
    expect((await asKey()).statusCode).toBe(401);
    await sql`UPDATE roles SET permissions = array_remove(permissions, 'platform:audit:read') WHERE code = 'volunteer'`.execute(t.handle.db);
  });

  it('refuses a route to an account without its permission', async () => {
    const volunteer = await t.signInAs({ username: 'helper', roleCodes: ['volunteer'], scopePath: '500000' });
    const response = await t.app.inject({ url: '/api/residents', headers: { cookie: volunteer } });
    expect(response.statusCode).toBe(403);
    expect(response.json()).toMatchObject({ error: { code: 'FORBIDDEN', details: { permission: 'registry:resident:read' } } });
  });

  it('ends the session on log-out', async () => {
    const cookie = await t.signInAs({ username: 'leaver', roleCodes: ['grid_worker'], scopePath: '500000' });
    expect((await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie } })).statusCode).toBe(204);
    expect((await t.app.inject({ url: '/api/auth/me', headers: { cookie } })).statusCode).toBe(401);
  });

  it('rejects a malformed body with the field and the reason', async () => {
    const response = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'x' }, remoteAddress: '10.4.0.1' });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ error: { code: 'VALIDATION_FAILED', details: { fields: [{ field: 'password' }] } } });
  });
});

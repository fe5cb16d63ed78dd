import crypto from 'node:crypto';
import type { Db, Executor } from '../db/database.ts';
import { cachedReference } from '../db/reference-cache.ts';
import { appendAudit, type AuditActor } from '../audit/index.ts';
import { sm3Hex } from '../crypto/field-cipher.ts';
import { AppError } from '../errors.ts';
import * as repo from './auth.repository.ts';
import { generatePassword, hashPassword, passwordWeakness, verifyPassword } from './passwords.ts';
import type { Principal } from './principal.ts';

/** Failed attempts before an account is locked, and for how long. Policy, not code: see docs. */
export const LOGIN_POLICY = { maxAttempts: 5, lockMinutes: 15, sessionHours: 12 } as const;

// Verifying against a real hash for unknown users keeps the response time from telling
// an attacker which user names exist.
let dummyHash: Promise<string> | undefined;

/** A new session's cookie token (secret, shown once) and the signed-in principal. */
export interface LoginResult {
  token: string;
  expiresAt: Date;
  principal: Principal;
}

/**
 * Checks a user name and password. Failures count towards the lockout; every outcome is audited.
 * Throws INVALID_CREDENTIALS or ACCOUNT_LOCKED.
 */
export async function login(db: Db, input: { username: string; password: string; ip: string | null; now?: Date }): Promise<LoginResult> {
  const now = input.now ?? new Date();
  const actor: AuditActor = { userId: null, name: input.username, ip: input.ip };
  const user = await repo.findUserByUsername(db, input.username);
  if (!user || !user.password_hash || user.status !== 'active') {
    dummyHash ??= hashPassword(generatePassword());
    await verifyPassword(await dummyHash, input.password);
    await db.transaction().execute((trx) => appendAudit(trx, actor, { action: 'auth.login_failed', entityType: 'user', details: { reason: 'unknown_user' } }));
    throw new AppError('INVALID_CREDENTIALS', 'wrong user name or password');
  }
  if (user.locked_until && user.locked_until > now) {
    throw new AppError('ACCOUNT_LOCKED', 'account is locked after repeated failed log-ins', { lockedUntil: user.locked_until.toISOString() });
  }
  if (!(await verifyPassword(user.password_hash, input.password))) {
    const lockUntil = new Date(now.getTime() + LOGIN_POLICY.lockMinutes * 60_000);
    const { lockedUntil } = await db.transaction().execute(async (trx) => {
      const result = await repo.recordFailedLogin(trx, user.id, LOGIN_POLICY.maxAttempts, lockUntil);
      await appendAudit(trx, { ...actor, userId: user.id }, {
        action: result.lockedUntil ? 'auth.account_locked' : 'auth.login_failed',
        entityType: 'user',
        entityId: user.id,
      });
      return result;
    });
    if (lockedUntil) throw new AppError('ACCOUNT_LOCKED', 'account is locked after repeated failed log-ins', { lockedUntil: lockedUntil.toISOString() });
    throw new AppError('INVALID_CREDENTIALS', 'wrong user name or password');
  }
  const token = crypto.randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + LOGIN_POLICY.sessionHours * 3_600_000);
  await db.transaction().execute(async (trx) => {
    await repo.recordSuccessfulLogin(trx, user.id, now);
    await repo.insertSession(trx, { tokenHash: sm3Hex(token), userId: user.id, ip: input.ip, expiresAt });
    await appendAudit(trx, { ...actor, userId: user.id }, { action: 'auth.login', entityType: 'user', entityId: user.id });
  });
  const principal = await loadPrincipal(db, user.id, 'session', input.ip);
  if (!principal) throw new AppError('INVALID_CREDENTIALS', 'wrong user name or password');
  return { token, expiresAt, principal };
}

/** Ends the session behind `token` (audited). */
export async function logout(db: Db, token: string, principal: Principal): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await repo.deleteSession(trx, sm3Hex(token));
    await appendAudit(trx, { userId: principal.userId, name: principal.username, ip: principal.ip }, {
      action: 'auth.logout',
      entityType: 'user',
      entityId: principal.userId,
    });
  });
}

/** Builds the principal of an active user. */
export async function loadPrincipal(db: Executor, userId: number, via: Principal['via'], ip: string | null): Promise<Principal | undefined> {
  // Kept per process while no user, role or key has changed (migration 0014): every request
  // authenticates, and this spares each one a round trip.
  const user = await cachedReference(db, db, 'accounts', `user:${userId}`, (executor) => repo.findUserWithPermissions(executor, userId));
  if (!user || user.status !== 'active') return undefined;
  return {
    userId: user.id,
    username: user.username,
    displayName: user.display_name,
    roleCodes: user.role_codes,
    permissions: new Set(user.permissions),
    scopePath: user.scope_path,
    organisationId: user.organisation_id,
    via,
    ip,
  };
}

/** The principal of a session cookie token, or undefined when it is unknown or expired. */
export async function authenticateSession(db: Db, token: string, ip: string | null, now = new Date()): Promise<Principal | undefined> {
  const userId = await repo.findLiveSession(db, sm3Hex(token), now);
  return userId === undefined ? undefined : loadPrincipal(db, userId, 'session', ip);
}

const API_KEY_PATTERN = /^msk_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;
/** How stale an API key's last-use stamp may get. */
export const API_KEY_TOUCH_INTERVAL_MS = 60_000;

/** The principal of an API key (`msk_<prefix>_<secret>`), or undefined when invalid or revoked. */
export async function authenticateApiKey(db: Db, apiKey: string, ip: string | null, now = new Date()): Promise<Principal | undefined> {
  const match = API_KEY_PATTERN.exec(apiKey);
  if (!match) return undefined;
  const stored = await cachedReference(db, db, 'accounts', `api_key:${match[1]!}`, (executor) => repo.findApiKeyByPrefix(executor, match[1]!));
  if (!stored) return undefined;
  const expected = Buffer.from(stored.key_hash, 'hex');
  const actual = Buffer.from(sm3Hex(apiKey), 'hex');
  if (expected.length !== actual.length || !crypto.timingSafeEqual(expected, actual)) return undefined;
  // Stamped at most once a minute: every request updating the key's one row would queue all of a
  // client's concurrent requests behind each other's commits.
  if (!stored.last_used_at || now.getTime() - stored.last_used_at.getTime() >= API_KEY_TOUCH_INTERVAL_MS) await repo.touchApiKey(db, stored.id, now);
  return loadPrincipal(db, stored.user_id, 'api_key', ip);
}

/** Issues an API key for a machine client acting as `userId`. The secret is returned only here. */
export async function createApiKey(db: Db, actor: Principal, input: { userId: number; name: string }): Promise<{ id: number; apiKey: string }> {
  const prefix = crypto.randomBytes(6).toString('hex');
  const apiKey = `msk_${prefix}_${crypto.randomBytes(32).toString('base64url')}`;
  const id = await db.transaction().execute(async (trx) => {
    const keyId = await repo.insertApiKey(trx, { userId: input.userId, name: input.name, prefix, keyHash: sm3Hex(apiKey) });
    await appendAudit(trx, { userId: actor.userId, name: actor.username, ip: actor.ip }, {
      action: 'auth.api_key_created',
      entityType: 'api_key',
      entityId: keyId,
      details: { forUser: input.userId, name: input.name, prefix },
    });
    return keyId;
  });
  return { id, apiKey };
}

/** Input for a new staff account. */
export interface NewUserInput {
  username: string;
  displayName: string;
  password: string;
  roleCodes: string[];
  scopePath: string;
  organisationId: number | null;
}

/** Creates a staff account (audited); the password must pass the strength rule. */
export async function createUser(db: Executor, actor: AuditActor, input: NewUserInput): Promise<number> {
  const weakness = passwordWeakness(input.password);
  if (weakness) throw new AppError('VALIDATION_FAILED', weakness, { fields: [{ field: 'password', message: weakness }] });
  if (await repo.findUserByUsername(db, input.username)) {
    throw new AppError('CONFLICT', `user name ${input.username} is taken`, { fields: [{ field: 'username', message: 'taken' }] });
  }
  const passwordHash = await hashPassword(input.password);
  const id = await repo.insertUser(db, { ...input, passwordHash });
  await appendAudit(db, actor, {
    action: 'user.created',
    entityType: 'user',
    entityId: id,
    details: { username: input.username, roles: input.roleCodes, scope: input.scopePath },
  });
  return id;
}

/**
 * Makes sure the installation has an administrator. On first start it creates `admin` with
 * `MINSHENG_ADMIN_PASSWORD` or a generated password, returned so the caller can print it once.
 */
export async function ensureAdministrator(db: Db, options: { password: string | undefined; scopePath: string }): Promise<{ username: string; password: string; generated: boolean } | null> {
  if (await repo.hasAdministrator(db)) return null;
  const password = options.password ?? generatePassword();
  const passwordHash = await hashPassword(password);
  await db.transaction().execute(async (trx) => {
    const id = await repo.insertUser(trx, {
      username: 'admin',
      displayName: '系统管理员',
      passwordHash,
      organisationId: null,
      scopePath: options.scopePath,
      roleCodes: ['administrator'],
    });
    await appendAudit(trx, { userId: null, name: 'system', ip: null }, { action: 'user.created', entityType: 'user', entityId: id, details: { username: 'admin', roles: ['administrator'] } });
  });
  return { username: 'admin', password, generated: options.password === undefined };
}

/** Sets a new password (given, or generated and returned), unlocks the account and ends its sessions. */
export async function resetPassword(db: Db, username: string, password: string | undefined): Promise<string> {
  const user = await repo.findUserByUsername(db, username);
  if (!user) throw new AppError('NOT_FOUND', `no user ${username}`);
  const next = password ?? generatePassword();
  const passwordHash = await hashPassword(next);
  await db.transaction().execute(async (trx) => {
    await repo.setPassword(trx, user.id, passwordHash);
    await appendAudit(trx, { userId: null, name: 'cli', ip: null }, { action: 'user.password_reset', entityType: 'user', entityId: user.id });
  });
  return next;
}

import { sql } from 'kysely';
import type { Executor } from '../db/database.ts';
import type { UserRow } from '../db/schema.ts';
import { BUILTIN_ROLES } from './permissions.ts';

/** A user with the union of its roles' permissions. */
export interface UserWithPermissions extends UserRow {
  permissions: string[];
}

/** Writes the built-in roles, keeping administrator-defined roles untouched. */
export async function upsertBuiltinRoles(db: Executor): Promise<void> {
  for (const role of BUILTIN_ROLES) {
    await db
      .insertInto('roles')
      .values({ code: role.code, name_zh: role.nameZh, name_en: role.nameEn, permissions: role.permissions, is_builtin: true })
      .onConflict((oc) =>
        oc.column('code').doUpdateSet({ name_zh: role.nameZh, name_en: role.nameEn, permissions: role.permissions, is_builtin: true }),
      )
      .execute();
  }
}

/** All roles, built-in first. */
export function listRoles(db: Executor) {
  return db.selectFrom('roles').selectAll().orderBy('is_builtin', 'desc').orderBy('code').execute();
}

/** The roles with the given codes (names for display). */
export function findRolesByCodes(db: Executor, codes: string[]) {
  if (codes.length === 0) return Promise.resolve([]);
  return db.selectFrom('roles').select(['code', 'name_zh', 'name_en']).where('code', 'in', codes).execute();
}

/** The place at the root of an account's scope. */
export function findScopePlace(db: Executor, scopePath: string) {
  return db.selectFrom('places').select(['id', 'name', 'level']).where('path', '=', scopePath).executeTakeFirst();
}

/** Finds a user by login name. */
export function findUserByUsername(db: Executor, username: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
}

/** Loads a user and its effective permissions. */
export async function findUserWithPermissions(db: Executor, userId: number): Promise<UserWithPermissions | undefined> {
  // One round trip: every request authenticates through here.
  const user = await db
    .selectFrom('users as u')
    .selectAll('u')
    .select(sql<string[]>`ARRAY(SELECT DISTINCT p FROM roles r, unnest(r.permissions) AS p WHERE r.code = ANY(u.role_codes) ORDER BY p)`.as('permissions'))
    .where('u.id', '=', userId)
    .executeTakeFirst();
  return user;
}

/** Records a failed password attempt; locks the account once `maxAttempts` is reached. */
export async function recordFailedLogin(
  db: Executor,
  userId: number,
  maxAttempts: number,
  lockUntil: Date,
): Promise<{ lockedUntil: Date | null }> {
  const row = await db
    .updateTable('users')
    .set({
      failed_logins: sql`CASE WHEN failed_logins + 1 >= ${maxAttempts} THEN 0 ELSE failed_logins + 1 END`,
      locked_until: sql`CASE WHEN failed_logins + 1 >= ${maxAttempts} THEN ${lockUntil}::timestamptz ELSE locked_until END`,
    })
    .where('id', '=', userId)
    .returning('locked_until')
    .executeTakeFirstOrThrow();
  return { lockedUntil: row.locked_until && row.locked_until > new Date() ? row.locked_until : null };
}

/** Clears the failure counter and stamps the login time. */
export async function recordSuccessfulLogin(db: Executor, userId: number, at: Date): Promise<void> {
  await db.updateTable('users').set({ failed_logins: 0, locked_until: null, last_login_at: at }).where('id', '=', userId).execute();
}

/** Stores a new session by the hash of its token. */
export async function insertSession(db: Executor, session: { tokenHash: string; userId: number; ip: string | null; expiresAt: Date }) {
  await db
    .insertInto('sessions')
    .values({ token_hash: session.tokenHash, user_id: session.userId, ip: session.ip, expires_at: session.expiresAt })
    .execute();
}

/** The user id of a live session, or undefined when unknown or expired. */
export async function findLiveSession(db: Executor, tokenHash: string, now: Date): Promise<number | undefined> {
  const row = await db
    .selectFrom('sessions')
    .select('user_id')
    .where('token_hash', '=', tokenHash)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return row?.user_id;
}

/** Ends a session. */
export async function deleteSession(db: Executor, tokenHash: string): Promise<void> {
  await db.deleteFrom('sessions').where('token_hash', '=', tokenHash).execute();
}

/** Creates a user account. */
export async function insertUser(
  db: Executor,
  user: { username: string; displayName: string; passwordHash: string | null; organisationId: number | null; scopePath: string; roleCodes: string[] },
): Promise<number> {
  const row = await db
    .insertInto('users')
    .values({
      username: user.username,
      display_name: user.displayName,
      password_hash: user.passwordHash,
      organisation_id: user.organisationId,
      scope_path: user.scopePath,
      role_codes: user.roleCodes,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Lists accounts visible within a scope. */
export function listUsers(db: Executor, scopePath: string) {
  let query = db
    .selectFrom('users')
    .select(['id', 'username', 'display_name', 'organisation_id', 'scope_path', 'role_codes', 'status', 'last_login_at', 'created_at']);
  if (scopePath) query = query.where(sql<boolean>`scope_path <@ ${scopePath}::ltree`);
  return query.orderBy('username').execute();
}

/** True when at least one account holds the administrator role. */
export async function hasAdministrator(db: Executor): Promise<boolean> {
  const row = await db
    .selectFrom('users')
    .select('id')
    .where(sql<boolean>`'administrator' = ANY(role_codes)`)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** Stores an API key by prefix and hash. */
export async function insertApiKey(db: Executor, key: { userId: number; name: string; prefix: string; keyHash: string }): Promise<number> {
  const row = await db
    .insertInto('api_keys')
    .values({ user_id: key.userId, name: key.name, prefix: key.prefix, key_hash: key.keyHash })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** A live (not revoked) API key by its public prefix. */
export function findApiKeyByPrefix(db: Executor, prefix: string) {
  return db.selectFrom('api_keys').selectAll().where('prefix', '=', prefix).where('revoked_at', 'is', null).executeTakeFirst();
}

/** Stamps the last use of an API key. */
export async function touchApiKey(db: Executor, id: number, at: Date): Promise<void> {
  await db.updateTable('api_keys').set({ last_used_at: at }).where('id', '=', id).execute();
}

/** Replaces a password hash, clears any lock and ends the account's sessions. */
export async function setPassword(db: Executor, userId: number, passwordHash: string): Promise<void> {
  await db.updateTable('users').set({ password_hash: passwordHash, failed_logins: 0, locked_until: null, updated_at: new Date() }).where('id', '=', userId).execute();
  await db.deleteFrom('sessions').where('user_id', '=', userId).execute();
}

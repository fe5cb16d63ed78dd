import type { Kysely } from 'kysely';
import { versionTable } from './0012-reference-versions.ts';

/**
 * Accounts become versioned reference data: any change to a user, a role or an API key bumps
 * `accounts`, so a process may keep who an API key or a user is (with their roles' permissions)
 * and know with the request's one version read whether that is still true. A revoked key, a
 * disabled user or a narrowed role takes effect on the very next request.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  for (const table of ['users', 'roles', 'api_keys']) await versionTable(db, table, 'accounts');
}

import type { Executor } from '../db/database.ts';

/** Creates a resident account signing in with a mobile number; returns its id. */
export async function insertResidentUser(
  db: Executor,
  user: { username: string; displayName: string; passwordHash: string; scopePath: string; roleCodes: string[]; phoneIndex: Uint8Array; phoneEnc: Uint8Array; phoneMasked: string },
): Promise<number> {
  const row = await db
    .insertInto('users')
    .values({
      username: user.username,
      display_name: user.displayName,
      password_hash: user.passwordHash,
      organisation_id: null,
      scope_path: user.scopePath,
      role_codes: user.roleCodes,
      phone_index: user.phoneIndex,
      phone_enc: user.phoneEnc,
      phone_masked: user.phoneMasked,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** The account signing in with the mobile number behind a blind index, if any. */
export function findUserByPhoneIndex(db: Executor, phoneIndex: Uint8Array) {
  return db.selectFrom('users').select(['id', 'username']).where('phone_index', '=', phoneIndex).executeTakeFirst();
}

/** The encrypted sign-in number of an account (null for staff accounts). */
export function findPhoneOfUser(db: Executor, userId: number) {
  return db.selectFrom('users').select(['phone_enc', 'phone_masked']).where('id', '=', userId).where('status', '=', 'active').executeTakeFirst();
}

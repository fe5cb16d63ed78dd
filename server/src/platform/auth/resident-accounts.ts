import crypto from 'node:crypto';
import type { Db, Executor } from '../db/database.ts';
import { appendAudit } from '../audit/index.ts';
import type { FieldCipher } from '../crypto/field-cipher.ts';
import { maskPhone } from '../crypto/masking.ts';
import { isUniqueViolation } from '../db/errors.ts';
import { AppError } from '../errors.ts';
import { normaliseMainlandMobile } from '../identity/mobile.ts';
import { findUserByUsername } from './auth.repository.ts';
import { hashPassword, passwordWeakness } from './passwords.ts';
import * as repo from './resident-accounts.repository.ts';

/** The built-in role every self-registered resident gets. */
export const RESIDENT_ROLE = 'resident';

/**
 * The scope of a resident account: an ltree label no place path has (place paths are numeric
 * codes), so that a resident never sees a region even if a permission were granted by mistake.
 */
export const RESIDENT_SCOPE = 'resident';

const PHONE_INDEX = 'users_phone_index';

/**
 * Creates a resident's own account: the mobile number is the sign-in name, kept like every phone
 * only as SM4 ciphertext, blind index and mask; the login name stored in `users.username` is a
 * random handle, so the number never appears in clear in account lists, the audit trail or
 * matter timelines. There is no SMS code here (no gateway is configured): the number is what the
 * resident typed, unverified, and staff treat it as such. Throws VALIDATION_FAILED for a bad
 * number or a weak password and PHONE_ALREADY_REGISTERED when the number has an account.
 */
export async function registerResident(
  db: Db,
  cipher: FieldCipher,
  input: { phone: string; password: string; ip: string | null },
): Promise<{ id: number; username: string; phoneMasked: string }> {
  const phone = normaliseMainlandMobile(input.phone);
  if (!phone) throw new AppError('VALIDATION_FAILED', 'phone is not a mainland mobile number', { fields: [{ field: 'phone', message: 'invalid' }] });
  const weakness = passwordWeakness(input.password);
  if (weakness) throw new AppError('VALIDATION_FAILED', weakness, { fields: [{ field: 'password', message: weakness }] });
  const phoneIndex = cipher.blindIndex(phone);
  if (await repo.findUserByPhoneIndex(db, phoneIndex)) throw phoneTaken();
  const passwordHash = await hashPassword(input.password);
  const username = `resident_${crypto.randomBytes(6).toString('hex')}`;
  const phoneMasked = maskPhone(phone);
  try {
    const id = await db.transaction().execute(async (trx) => {
      const userId = await repo.insertResidentUser(trx, {
        username,
        displayName: phoneMasked,
        passwordHash,
        scopePath: RESIDENT_SCOPE,
        roleCodes: [RESIDENT_ROLE],
        phoneIndex,
        phoneEnc: cipher.encrypt(phone),
        phoneMasked,
      });
      await appendAudit(trx, { userId, name: username, ip: input.ip }, { action: 'user.registered', entityType: 'user', entityId: userId, details: { roles: [RESIDENT_ROLE], phone: phoneMasked } });
      return userId;
    });
    return { id, username, phoneMasked };
  } catch (error) {
    // Two registrations of one number racing: the second hits the unique blind index.
    if (isUniqueViolation(error, PHONE_INDEX)) throw phoneTaken();
    throw error;
  }
}

function phoneTaken(): AppError {
  return new AppError('PHONE_ALREADY_REGISTERED', 'an account already signs in with this number', { fields: [{ field: 'phone', message: 'taken' }] });
}

/**
 * The login name to check a password against. Residents type their mobile number; it is found
 * through its blind index. A staff account whose name happens to look like a number keeps working,
 * and an unknown number goes on as its mask, so the failed attempt is audited without the number.
 */
export async function resolveLoginName(db: Executor, cipher: FieldCipher, name: string): Promise<string> {
  const phone = normaliseMainlandMobile(name);
  if (!phone || (await findUserByUsername(db, name))) return name;
  const account = await repo.findUserByPhoneIndex(db, cipher.blindIndex(phone));
  return account?.username ?? maskPhone(phone);
}

/** The mobile number of an active resident account, decrypted, or null for other accounts. */
export async function findResidentPhone(db: Executor, cipher: FieldCipher, userId: number): Promise<string | null> {
  const row = await repo.findPhoneOfUser(db, userId);
  return row?.phone_enc ? cipher.decrypt(row.phone_enc) : null;
}

import { sql } from 'kysely';
import type { Executor } from '../../platform/db/database.ts';
import { appendAudit } from '../../platform/audit/index.ts';
import { auditActorOf, inScope, requirePermission, type Principal } from '../../platform/auth/index.ts';
import { AppError } from '../../platform/errors.ts';
import { applyAction, type MattersDeps } from '../matters/index.ts';

/** How near and how recent another appeal must be to count as the same thing; stored in `settings`. */
export interface DuplicatePolicy {
  radiusMetres: number;
  windowDays: number;
}

/** The shipped policy, used until an administrator stores `appeals.duplicates` in settings. */
export const DEFAULT_DUPLICATE_POLICY: DuplicatePolicy = { radiusMetres: 100, windowDays: 3 };

const METRES_PER_DEGREE = 111_320;

/** The duplicate policy in force. */
export async function loadDuplicatePolicy(db: Executor): Promise<DuplicatePolicy> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', 'appeals.duplicates').executeTakeFirst();
  return { ...DEFAULT_DUPLICATE_POLICY, ...((row?.value as Partial<DuplicatePolicy> | undefined) ?? {}) };
}

/**
 * Open appeals of the same category within the policy's radius and time window of this one, in
 * the principal's region, nearest first. Distance is equirectangular, plenty for 100 m.
 */
export async function findDuplicateCandidates(db: Executor, principal: Principal, matterId: number) {
  requirePermission(principal, 'matters:matter:read');
  const policy = await loadDuplicatePolicy(db);
  const self = await db
    .selectFrom('matters as m')
    .innerJoin('appeals as a', 'a.matter_id', 'm.id')
    .select(['m.id', 'm.lon', 'm.lat', 'm.created_at', 'a.category_code'])
    .where('m.id', '=', matterId)
    .where(inScope('m.place_path', principal))
    .executeTakeFirst();
  if (!self) throw new AppError('NOT_FOUND', `no appeal ${matterId} in your region`);
  if (self.lon === null || self.lat === null) return [];
  const windowMs = policy.windowDays * 86_400_000;
  const distance = sql<number>`${METRES_PER_DEGREE} * sqrt(power((m.lon - ${self.lon}) * cos(radians(${self.lat})), 2) + power(m.lat - ${self.lat}, 2))`;
  return db
    .selectFrom('matters as m')
    .innerJoin('appeals as a', 'a.matter_id', 'm.id')
    .select(['m.id', 'm.reference', 'm.title', 'm.state', 'm.created_at', distance.as('distance_metres')])
    .where('a.category_code', '=', self.category_code)
    .where('m.id', '<>', self.id)
    .where('m.closed_at', 'is', null)
    .where('m.lon', 'is not', null)
    .where('m.created_at', '>=', new Date(self.created_at.getTime() - windowMs))
    .where('m.created_at', '<=', new Date(self.created_at.getTime() + windowMs))
    .where(distance, '<=', policy.radiusMetres)
    .where(inScope('m.place_path', principal))
    .orderBy(distance)
    .execute();
}

/**
 * Merges a duplicate appeal into a primary one: the duplicate takes the type's `merge` action
 * (closing it, on its timeline and in the audit trail) and points at the primary; its reporter is
 * kept, so the primary answers everyone who reported the same thing.
 */
export async function mergeAppeal(deps: MattersDeps, principal: Principal, duplicateId: number, primaryId: number, reason: string) {
  if (duplicateId === primaryId) throw new AppError('VALIDATION_FAILED', 'an appeal cannot be merged into itself', { fields: [{ field: 'primaryId', message: 'same as duplicate' }] });
  const [duplicate, primary] = await Promise.all([appealFacts(deps.db, duplicateId), appealFacts(deps.db, primaryId)]);
  if (!duplicate || !primary) throw new AppError('NOT_FOUND', 'both appeals must exist');
  if (duplicate.category_code !== primary.category_code) throw new AppError('CONFLICT', 'only appeals of the same category can be merged');
  if (primary.closed_at !== null) throw new AppError('CONFLICT', 'the primary appeal is already closed');
  return applyAction(deps, principal, duplicateId, 'merge', { note: reason }, async (trx, matter) => {
    const primaryInScope = await trx.selectFrom('matters').select('id').where('id', '=', primaryId).where(inScope('place_path', principal)).executeTakeFirst();
    if (!primaryInScope) throw new AppError('NOT_FOUND', `no appeal ${primaryId} in your region`);
    await trx.updateTable('matters').set({ merged_into_id: primaryId }).where('id', '=', matter.id).execute();
    await appendAudit(trx, auditActorOf(principal), { action: 'appeal.merged', entityType: 'matter', entityId: matter.id, details: { into: primaryId } });
  });
}

function appealFacts(db: Executor, id: number) {
  return db.selectFrom('matters as m').innerJoin('appeals as a', 'a.matter_id', 'm.id').select(['m.id', 'm.closed_at', 'a.category_code']).where('m.id', '=', id).executeTakeFirst();
}

/** Everyone who reported a matter: its own reporter and those of the duplicates merged into it. */
export async function findReporters(db: Executor, matterId: number) {
  return db
    .selectFrom('matters as m')
    .innerJoin('appeals as a', 'a.matter_id', 'm.id')
    .select(['m.id as matter_id', 'a.reporter_name', 'a.reporter_phone_masked', 'a.door', 'a.is_reporter_hidden'])
    .where((eb) => eb.or([eb('m.id', '=', matterId), eb('m.merged_into_id', '=', matterId)]))
    .orderBy('m.id')
    .execute();
}

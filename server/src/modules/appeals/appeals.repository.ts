import type { Executor } from '../../platform/db/database.ts';
import type { AppealsTable } from '../../platform/db/schema.ts';
import type { Insertable } from 'kysely';
import type { TriageRule } from './triage.ts';

/** The active categories by code. */
export async function findActiveCategories(db: Executor) {
  const rows = await db.selectFrom('appeal_categories').selectAll().where('is_active', '=', true).execute();
  return new Map(rows.map((row) => [row.code, row]));
}

/** The active triage rules. */
export async function findActiveRules(db: Executor): Promise<TriageRule[]> {
  const rows = await db.selectFrom('triage_rules').selectAll().where('is_active', '=', true).execute();
  return rows.map((r) => ({
    id: r.id,
    priority: r.priority,
    categoryPrefix: r.category_prefix,
    placePath: r.place_path,
    scale: r.scale,
    handlerLevel: r.handler_level,
    organisationId: r.organisation_id,
  }));
}

/** Stores the appeal facts of matters, in one statement. */
export async function insertAppeals(db: Executor, appeals: Insertable<AppealsTable>[]): Promise<void> {
  if (appeals.length === 0) return;
  await db.insertInto('appeals').values(appeals).execute();
}

/** The appeal facts of a matter. */
export function findAppeal(db: Executor, matterId: number) {
  return db.selectFrom('appeals').selectAll().where('matter_id', '=', matterId).executeTakeFirst();
}

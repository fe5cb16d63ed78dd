import { sql } from 'kysely';
import type { Executor } from '../../../platform/db/database.ts';

/**
 * Timeline entries a resident may see: the matter's creation and its state changes. Warnings,
 * escalations (督办), assignments and notes are the handlers' working record and stay inside.
 */
const PUBLIC_EVENT_KINDS = ['created', 'transition'] as const;

/** A resident's report: the matter and its appeal facts, found only through the reporter. */
export interface OwnReportRow {
  id: number;
  reference: string;
  type_code: string;
  state: string;
  title: string;
  description: string;
  place_path: string;
  lon: number | null;
  lat: number | null;
  round: number;
  created_at: Date;
  closed_at: Date | string | null;
  category_code: string;
  category_name_zh: string;
  category_name_en: string;
  /** When the resident last saw something happen: the latest public timeline entry. */
  last_update_at: Date | string;
}

function ownReports(db: Executor, userId: number) {
  return db
    .selectFrom('appeals as a')
    .innerJoin('matters as m', 'm.id', 'a.matter_id')
    .innerJoin('appeal_categories as c', 'c.code', 'a.category_code')
    .where('a.reporter_user_id', '=', userId);
}

const REPORT_COLUMNS = [
  'm.id',
  'm.reference',
  'm.type_code',
  'm.state',
  'm.title',
  'm.description',
  'm.place_path',
  'm.lon',
  'm.lat',
  'm.round',
  'm.created_at',
  'm.closed_at',
  'a.category_code',
  'c.name_zh as category_name_zh',
  'c.name_en as category_name_en',
] as const;

const LAST_UPDATE = sql<Date | string>`(SELECT max(e.at) FROM matter_events e WHERE e.matter_id = m.id AND e.kind IN ('created', 'transition'))`.as('last_update_at');

/** One report filed by the account, or undefined (also when it is someone else's). */
export function findOwnReport(db: Executor, userId: number, matterId: number): Promise<OwnReportRow | undefined> {
  return ownReports(db, userId)
    .select([...REPORT_COLUMNS, LAST_UPDATE])
    .where('m.id', '=', matterId)
    .executeTakeFirst();
}

/** A page of the account's reports, newest first, with the total. */
export async function listOwnReports(db: Executor, userId: number, page: { limit: number; offset: number }): Promise<{ rows: OwnReportRow[]; total: number }> {
  const [rows, count] = await Promise.all([
    ownReports(db, userId).select([...REPORT_COLUMNS, LAST_UPDATE]).orderBy('m.id', 'desc').limit(page.limit).offset(page.offset).execute(),
    ownReports(db, userId)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

/** The public part of a report's timeline, in order. */
export function findPublicEvents(db: Executor, matterId: number) {
  return db
    .selectFrom('matter_events')
    .select(['id', 'at', 'actor_id', 'kind', 'action', 'from_state', 'to_state', sql<string | null>`details->>'note'`.as('note')])
    .where('matter_id', '=', matterId)
    .where('kind', 'in', PUBLIC_EVENT_KINDS)
    .orderBy('id')
    .execute();
}

/** Photos the account attached to a report, oldest first. */
export function findOwnPhotos(db: Executor, matterId: number, userId: number) {
  return db
    .selectFrom('matter_attachments')
    .select(['id', 'sha256', 'content_type', 'size', 'created_at'])
    .where('matter_id', '=', matterId)
    .where('created_by', '=', userId)
    .orderBy('id')
    .execute();
}

/** The definition of a matter type, for the names of its states. */
export function findMatterTypeDefinition(db: Executor, code: string) {
  return db.selectFrom('matter_types').select('definition').where('code', '=', code).executeTakeFirst();
}

/** Active categories without active sub-categories: what a resident picks from. */
export function findLeafCategories(db: Executor) {
  return db
    .selectFrom('appeal_categories as c')
    .leftJoin('appeal_categories as p', 'p.code', 'c.parent_code')
    .select(['c.code', 'c.name_zh', 'c.name_en', 'c.parent_code', 'p.name_zh as parent_name_zh', 'p.name_en as parent_name_en'])
    .where('c.is_active', '=', true)
    .where((eb) => eb.not(eb.exists(eb.selectFrom('appeal_categories as k').select('k.code').whereRef('k.parent_code', '=', 'c.code').where('k.is_active', '=', true))))
    .orderBy('p.sort')
    .orderBy('c.sort')
    .execute();
}

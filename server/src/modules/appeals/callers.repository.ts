import type { Executor } from '../../platform/db/database.ts';
import { inScope } from '../../platform/auth/index.ts';

/**
 * Appeals whose reporter phone has this blind index, in the region, newest first. Reports of
 * doors that hide their reporter (12350) are left out unless `withHidden`.
 */
export function findAppealsByPhoneIndex(db: Executor, scope: { scopePath: string }, phoneIndex: Uint8Array, options: { withHidden: boolean; limit: number }) {
  let query = db
    .selectFrom('appeals as a')
    .innerJoin('matters as m', 'm.id', 'a.matter_id')
    .select(['m.id', 'm.reference', 'm.title', 'm.state', 'm.created_at', 'm.closed_at', 'a.category_code', 'a.kind', 'a.door', 'a.reporter_name', 'a.reporter_phone_masked'])
    .where('a.reporter_phone_index', '=', phoneIndex)
    .where(inScope('m.place_path', scope));
  if (!options.withHidden) query = query.where('a.is_reporter_hidden', '=', false);
  return query.orderBy('m.created_at', 'desc').orderBy('m.id', 'desc').limit(options.limit).execute();
}

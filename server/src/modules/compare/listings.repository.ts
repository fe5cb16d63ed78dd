import { sql } from 'kysely';
import type { Executor } from '../../platform/db/database.ts';
import type { ComparisonListingsTable, RegionSource } from '../../platform/db/schema.ts';
import { inScope } from '../../platform/auth/index.ts';

/** Lists fed by rules instead of matters: 应参保未参保 per street, 因病致贫风险 for social assistance. */
export type ListingHandling = ComparisonListingsTable['handling'];

/** One entry of a list, as a run writes it. */
export interface ListingEntry {
  handling: ListingHandling;
  rule: string;
  idNumberIndex: Uint8Array;
  idNumberEnc: Uint8Array;
  idNumberMasked: string;
  name: string;
  matchMethod: string;
  matchScore: number;
  amountCents: number;
  evidence: Record<string, unknown>;
  evidenceEnc: Uint8Array;
  placeId: number;
  placePath: string;
  streetId: number | null;
  regionSource: RegionSource;
  runId: number;
}

/**
 * Writes a run's entry for a (rule, ID) key: a new one, or the existing one refreshed and current
 * again. Its place stays where it was first put, so a street's list does not shuffle between runs.
 */
export async function upsertListing(db: Executor, entry: ListingEntry): Promise<'inserted' | 'updated'> {
  const row = await db
    .insertInto('comparison_listings')
    .values({
      handling: entry.handling,
      rule: entry.rule,
      id_number_index: entry.idNumberIndex,
      id_number_enc: entry.idNumberEnc,
      id_number_masked: entry.idNumberMasked,
      name: entry.name,
      match_method: entry.matchMethod,
      match_score: entry.matchScore,
      amount_cents: entry.amountCents,
      evidence: JSON.stringify(entry.evidence),
      evidence_enc: entry.evidenceEnc,
      place_id: entry.placeId,
      place_path: entry.placePath,
      street_id: entry.streetId,
      region_source: entry.regionSource,
      first_run_id: entry.runId,
      last_run_id: entry.runId,
    })
    .onConflict((oc) =>
      oc.columns(['rule', 'id_number_index']).doUpdateSet({
        handling: entry.handling,
        name: entry.name,
        match_method: entry.matchMethod,
        match_score: entry.matchScore,
        amount_cents: entry.amountCents,
        evidence: JSON.stringify(entry.evidence),
        evidence_enc: entry.evidenceEnc,
        last_run_id: entry.runId,
        is_current: true,
        updated_at: sql`now()`,
      }),
    )
    .returning(sql<boolean>`xmax = 0`.as('inserted'))
    .executeTakeFirstOrThrow();
  return row.inserted ? 'inserted' : 'updated';
}

/** Marks the entries of `rules` that run `runId` did not raise as no longer current; returns how many. */
export async function retireListingsNotIn(db: Executor, rules: string[], runId: number): Promise<number> {
  if (rules.length === 0) return 0;
  const result = await db
    .updateTable('comparison_listings')
    .set({ is_current: false, updated_at: sql`now()` })
    .where('rule', 'in', rules)
    .where('last_run_id', '<>', runId)
    .where('is_current', '=', true)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Every entry of a list, current or retired, after `afterId` in id order: other modules walk it in pages. */
export function findEntriesAfter(db: Executor, handling: ListingHandling, afterId: number, limit: number) {
  return db
    .selectFrom('comparison_listings')
    .select(['id', 'rule', 'id_number_index', 'id_number_enc', 'id_number_masked', 'name', 'amount_cents', 'evidence', 'place_id', 'place_path', 'is_current', 'first_run_id', 'last_run_id'])
    .where('handling', '=', handling)
    .where('id', '>', afterId)
    .orderBy('id')
    .limit(limit)
    .execute();
}

/** Filters of a list page and its export. */
export interface ListingFilter {
  handling: ListingHandling;
  rule?: string | undefined;
  /** Entries of this street only; `null` asks for those whose street is unknown. */
  streetId?: number | null | undefined;
  /** Current entries only (the default), or the retired ones too. */
  isCurrentOnly: boolean;
  namePrefix?: string | undefined;
  idNumberIndex?: Uint8Array | undefined;
}

function listingsQuery(db: Executor, scope: { scopePath: string }, filter: ListingFilter) {
  let query = db
    .selectFrom('comparison_listings as l')
    .innerJoin('places as p', 'p.id', 'l.place_id')
    .leftJoin('places as s', 's.id', 'l.street_id')
    .where('l.handling', '=', filter.handling)
    .where(inScope('l.place_path', scope));
  if (filter.rule) query = query.where('l.rule', '=', filter.rule);
  if (filter.streetId === null) query = query.where('l.street_id', 'is', null);
  else if (filter.streetId !== undefined) query = query.where('l.street_id', '=', filter.streetId);
  if (filter.isCurrentOnly) query = query.where('l.is_current', '=', true);
  if (filter.namePrefix) query = query.where('l.name', 'like', `${filter.namePrefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  if (filter.idNumberIndex) query = query.where('l.id_number_index', '=', filter.idNumberIndex);
  return query;
}

const LISTING_COLUMNS = [
  'l.id',
  'l.rule',
  'l.name',
  'l.id_number_masked',
  'l.match_method',
  'l.match_score',
  'l.amount_cents',
  'l.evidence',
  'l.place_id',
  'p.name as place_name',
  'l.street_id',
  's.name as street_name',
  'l.region_source',
  'l.is_current',
  'l.first_run_id',
  'l.last_run_id',
  'l.updated_at',
] as const;

/** A page of a list within the scope, by street then name, with the total. */
export async function listListings(db: Executor, scope: { scopePath: string }, filter: ListingFilter, page: { limit: number; offset: number }) {
  const query = listingsQuery(db, scope, filter);
  const [rows, count] = await Promise.all([
    query.select(LISTING_COLUMNS).orderBy('s.name').orderBy('l.name').orderBy('l.id').limit(page.limit).offset(page.offset).execute(),
    query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

/** Entries after `afterId` in id order, for the export. */
export function findListingsAfter(db: Executor, scope: { scopePath: string }, filter: ListingFilter, afterId: number, limit: number) {
  return listingsQuery(db, scope, filter).select(LISTING_COLUMNS).where('l.id', '>', afterId).orderBy('l.id').limit(limit).execute();
}

/** Current entries per street within the scope (the street is null when only the district or city is known). */
export async function countListingsByStreet(db: Executor, scope: { scopePath: string }, handling: ListingHandling) {
  const rows = await db
    .selectFrom('comparison_listings as l')
    .leftJoin('places as s', 's.id', 'l.street_id')
    .select(['l.street_id', 's.name as street_name', sql<number>`count(*)`.as('n')])
    .where('l.handling', '=', handling)
    .where('l.is_current', '=', true)
    .where(inScope('l.place_path', scope))
    .groupBy(['l.street_id', 's.name'])
    .orderBy('s.name')
    .execute();
  return rows.map((row) => ({ streetId: row.street_id, streetName: row.street_name, count: Number(row.n) }));
}

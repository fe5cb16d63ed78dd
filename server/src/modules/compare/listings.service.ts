import { appendAudit } from '../../platform/audit/index.ts';
import { auditActorOf, requirePermission, type Permission, type Principal } from '../../platform/auth/index.ts';
import type { AppServices } from '../../platform/http/context.ts';
import { personSearchTerms } from '../../platform/identity/index.ts';
import * as repo from './listings.repository.ts';
import { formatYuan } from './rules.ts';

/** Lists and who reads them: the coverage list (应参保未参保) goes to streets, the watch list to social assistance. */
export const LISTING_HANDLINGS = ['coverage_list', 'assistance_watch'] as const satisfies readonly repo.ListingHandling[];

const READ_PERMISSION: Record<repo.ListingHandling, Permission> = {
  coverage_list: 'compare:coverage:read',
  assistance_watch: 'compare:finding:read',
};

/** Throws FORBIDDEN unless the principal may read this list; the export checks before it starts streaming. */
export function requireListingPermission(principal: Principal, handling: repo.ListingHandling): void {
  requirePermission(principal, READ_PERMISSION[handling]);
}

/** Search input of a list page and its export. */
export interface ListingSearch {
  handling: repo.ListingHandling;
  rule?: string | undefined;
  /** A street's place id, or `none` for entries whose street is unknown. */
  street?: string | undefined;
  /** Include entries the latest run no longer raised. */
  includeRetired?: boolean | undefined;
  q?: string | undefined;
}

function toFilter(services: Pick<AppServices, 'cipher'>, search: ListingSearch): repo.ListingFilter {
  const filter: repo.ListingFilter = { handling: search.handling, rule: search.rule || undefined, isCurrentOnly: !search.includeRetired };
  if (search.street === 'none') filter.streetId = null;
  else if (search.street && /^\d+$/u.test(search.street)) filter.streetId = Number(search.street);
  Object.assign(filter, personSearchTerms(search.q, services.cipher));
  return filter;
}

type ListingRow = Awaited<ReturnType<typeof repo.listListings>>['rows'][number];

/** A list entry as the console shows it: the person masked, the evidence with IDs masked. */
export function presentListing(row: ListingRow) {
  return {
    id: row.id,
    rule: row.rule,
    name: row.name,
    idNumberMasked: row.id_number_masked,
    matchMethod: row.match_method,
    matchScore: row.match_score,
    amount: formatYuan(Number(row.amount_cents)),
    evidence: row.evidence,
    placeId: row.place_id,
    placeName: row.place_name,
    streetId: row.street_id,
    streetName: row.street_name,
    regionSource: row.region_source,
    isCurrent: row.is_current,
    firstRunId: row.first_run_id,
    lastRunId: row.last_run_id,
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}

/** A page of a list within the principal's region (a street sees its own people). */
export async function listListings(services: Pick<AppServices, 'db' | 'cipher'>, principal: Principal, search: ListingSearch, page: { limit: number; offset: number }) {
  requirePermission(principal, READ_PERMISSION[search.handling]);
  const { rows, total } = await repo.listListings(services.db, principal, toFilter(services, search), page);
  return { items: rows.map(presentListing), total };
}

/** Current entries per street of the principal's region: what each street has been handed. */
export async function countListingsByStreet(services: Pick<AppServices, 'db'>, principal: Principal, handling: repo.ListingHandling) {
  requirePermission(principal, READ_PERMISSION[handling]);
  return repo.countListingsByStreet(services.db, principal, handling);
}

/** An entry of the watch list (因病致贫风险…) as social assistance reads it: the ID as stored, never decrypted here. */
export interface WatchListing {
  id: number;
  rule: string;
  idNumberIndex: Uint8Array;
  idNumberEnc: Uint8Array;
  idNumberMasked: string;
  name: string;
  amountCents: number;
  /** The engine's evidence with ID numbers masked. */
  evidence: Record<string, unknown>;
  placeId: number;
  placePath: string;
  isCurrent: boolean;
  firstRunId: number;
  lastRunId: number;
}

/**
 * A page of the social-assistance watch list (`assistance_watch`), current and retired entries, in
 * id order after `afterId`: what the warning sync of social assistance walks after each run.
 */
export async function listAssistanceWatch(db: AppServices['db'], afterId: number, limit: number): Promise<WatchListing[]> {
  const rows = await repo.findEntriesAfter(db, 'assistance_watch', afterId, limit);
  return rows.map((row) => ({
    id: row.id,
    rule: row.rule,
    idNumberIndex: row.id_number_index,
    idNumberEnc: row.id_number_enc,
    idNumberMasked: row.id_number_masked,
    name: row.name,
    amountCents: Number(row.amount_cents),
    evidence: row.evidence,
    placeId: row.place_id,
    placePath: row.place_path,
    isCurrent: row.is_current,
    firstRunId: row.first_run_id,
    lastRunId: row.last_run_id,
  }));
}

/** Columns of a list export (ID numbers masked). */
export const LISTING_EXPORT_COLUMNS = ['id', 'rule', 'name', 'id_number', 'street', 'place', 'amount', 'match_method', 'is_current', 'last_run', 'updated_at'];

/** Streams a list in scope as CSV cells, masked; the export is audited once read to the end. */
export async function* exportListings(services: Pick<AppServices, 'db' | 'cipher'>, principal: Principal, search: ListingSearch): AsyncGenerator<string[]> {
  requirePermission(principal, READ_PERMISSION[search.handling]);
  const filter = toFilter(services, search);
  let afterId = 0;
  let count = 0;
  for (;;) {
    const rows = await repo.findListingsAfter(services.db, principal, filter, afterId, 2000);
    if (rows.length === 0) break;
    for (const row of rows) {
      yield [
        String(row.id),
        row.rule,
        row.name,
        row.id_number_masked,
        row.street_name ?? '',
        row.place_name,
        formatYuan(Number(row.amount_cents)),
        row.match_method,
        row.is_current ? 'yes' : 'no',
        String(row.last_run_id),
        new Date(row.updated_at).toISOString(),
      ];
    }
    count += rows.length;
    afterId = rows[rows.length - 1]!.id;
  }
  await services.db.transaction().execute((trx) =>
    appendAudit(trx, auditActorOf(principal), { action: 'compare.listing.exported', entityType: 'comparison_listing', details: { filters: { ...search }, rows: count, masked: true } }),
  );
}

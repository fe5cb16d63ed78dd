import { appendAudit } from '../../../platform/audit/index.ts';
import { auditActorOf, requirePermission, systemPrincipal, type Principal } from '../../../platform/auth/index.ts';
import type { MonitoringEndReason } from '../../../platform/db/schema.ts';
import { AppError } from '../../../platform/errors.ts';
import type { AppServices } from '../../../platform/http/context.ts';
import { personSearchTerms } from '../../../platform/identity/index.ts';
import type { Ticker } from '../../../platform/jobs/index.ts';
import { chinaDate } from '../../matters/index.ts';
import { ageOn, findResidentIdentities } from '../../people/index.ts';
import { findPlaceEntry, findPlaceEntryInScope } from '../../places/index.ts';
import * as repo from './monitoring.repository.ts';
import * as warningsRepo from './warnings.repository.ts';
import { raiseWarning, syncIllnessPovertyWarnings } from './warnings.service.ts';

const SYSTEM_NAME = 'discovery';
const BATCH = 1000;

type Category = Awaited<ReturnType<typeof repo.listCategories>>[number];

/** True when a resident's tags put them in a category (any of its tags, or all of them). */
export function isInCategory(category: Pick<Category, 'source_tags' | 'tag_match'>, tags: readonly string[]): boolean {
  if (category.source_tags.length === 0) return false;
  return category.tag_match === 'all' ? category.source_tags.every((tag) => tags.includes(tag)) : category.source_tags.some((tag) => tags.includes(tag));
}

/** The date a year before `date` (YYYY-MM-DD): the window of 一年内退出保障. */
export function yearBefore(date: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  // 29 February has no twin a year before: the window starts on 1 March.
  const shifted = new Date(Date.UTC(y - 1, m - 1, d));
  return shifted.toISOString().slice(0, 10);
}

/** What a registry sync changed. */
export interface RegistrySyncOutcome {
  added: number;
  ended: number;
  leftCoverageWarnings: number;
  breadwinnerWarnings: number;
}

/** Deaths recorded in the registry within this many days raise a breadwinner warning. */
const RECENT_DEATH_DAYS = 90;
/** Working age for the breadwinner rule: a member of this age range, or the head of the household. */
const WORKING_AGE = { min: 18, max: 59 } as const;

/**
 * Brings the monitoring list in line with the registry and raises the warnings that follow from it:
 * 1. active residents whose tags put them in a category are added (source `registry`);
 * 2. a recent death (within {@link RECENT_DEATH_DAYS} days) of a working-age member or the head of a
 *    monitored household raises a `breadwinner_death` warning, once per death;
 * 3. registry entries whose resident lost the tag, died or moved away are ended (the row stays);
 * 4. a coverage entry (低保, 特困) ended within the year for another reason than death or moving
 *    away raises a `left_coverage` warning, once per entry, unless the person is still covered.
 * Entries added or ended by hand are the advisers' and left alone. Safe to repeat.
 */
export async function syncMonitoringFromRegistry(services: Pick<AppServices, 'db' | 'jobs'>, options: { now?: Date; principal?: Principal } = {}): Promise<RegistrySyncOutcome> {
  const principal = options.principal ?? systemPrincipal(SYSTEM_NAME);
  const now = options.now ?? new Date();
  const today = chinaDate(now);
  const outcome: RegistrySyncOutcome = { added: 0, ended: 0, leftCoverageWarnings: 0, breadwinnerWarnings: 0 };
  const categories = (await repo.listCategories(services.db)).filter((c) => c.is_active);
  const allTags = [...new Set(categories.flatMap((c) => c.source_tags))];

  // 1. Residents the registry tags.
  for (let afterId = 0; allTags.length > 0; ) {
    const residents = await findResidentIdentities(services.db, { scopePath: '' }, { tagsAny: allTags, status: 'active', afterId }, BATCH);
    if (residents.length === 0) break;
    afterId = residents[residents.length - 1]!.id;
    const entries = residents.flatMap((r) =>
      categories
        .filter((c) => isInCategory(c, r.tags))
        .map((c) => ({
          categoryCode: c.code,
          residentId: r.id,
          idNumberIndex: r.id_number_index,
          idNumberEnc: r.id_number_enc,
          idNumberMasked: r.id_number_masked,
          name: r.name,
          householdId: r.household_id,
          placeId: r.place_id,
          placePath: r.place_path,
          since: today,
          source: 'registry' as const,
          note: '',
          createdBy: null,
        })),
    );
    const added = await services.db.transaction().execute(async (trx) => {
      const ids = await repo.insertEntries(trx, entries);
      if (ids.length > 0) await appendAudit(trx, auditActorOf(principal), { action: 'assistance.monitoring.added', entityType: 'assistance_monitoring_entry', details: { source: 'registry', entries: ids.length, firstId: ids[0], lastId: ids[ids.length - 1] } });
      return ids.length;
    });
    outcome.added += added;
  }

  // 2. Breadwinner deaths, before the dead person's own entries end in step 3.
  outcome.breadwinnerWarnings = await raiseBreadwinnerWarnings(services, principal, now);

  // 3. Registry entries that no longer hold.
  for (let afterId = 0; ; ) {
    const open = await repo.findOpenRegistryEntriesAfter(services.db, afterId, BATCH);
    if (open.length === 0) break;
    afterId = open[open.length - 1]!.id;
    const residents = new Map((await findResidentIdentities(services.db, { scopePath: '' }, { ids: [...new Set(open.map((e) => e.resident_id!))] }, BATCH)).map((r) => [r.id, r]));
    for (const entry of open) {
      const resident = residents.get(entry.resident_id!);
      let reason: MonitoringEndReason | undefined;
      if (!resident || resident.status === 'moved_out') reason = 'moved_out';
      else if (resident.status === 'deceased') reason = 'deceased';
      else if (!isInCategory(entry, resident.tags)) reason = 'no_longer_tagged';
      if (!reason) continue;
      const endReason = reason;
      const ended = await services.db.transaction().execute(async (trx) => {
        if (!(await repo.endEntry(trx, entry.id, { until: today, reason: endReason }))) return false;
        await appendAudit(trx, auditActorOf(principal), { action: 'assistance.monitoring.ended', entityType: 'assistance_monitoring_entry', entityId: entry.id, details: { reason: endReason, source: 'registry' } });
        return true;
      });
      if (ended) outcome.ended += 1;
    }
  }

  // 4. Coverage left within the year.
  outcome.leftCoverageWarnings = await raiseLeftCoverageWarnings(services, principal, today);
  return outcome;
}

/** Raises `left_coverage` warnings for coverage entries ended within the year that have none yet. */
async function raiseLeftCoverageWarnings(services: Pick<AppServices, 'db' | 'jobs'>, principal: Principal, today: string): Promise<number> {
  let raisedCount = 0;
  for (let afterId = 0; ; ) {
    const ended = await repo.findLeftCoverageSince(services.db, yearBefore(today), afterId, BATCH);
    if (ended.length === 0) break;
    afterId = ended[ended.length - 1]!.id;
    const warned = await warningsRepo.findEntriesWithWarning(services.db, ended.map((e) => e.id));
    for (const entry of ended) {
      if (warned.has(entry.id)) continue;
      // Moved from 低保 to 特困, say: still covered, nothing to follow up.
      if ((await repo.findOpenCoverage(services.db, entry.id_number_index)).length > 0) continue;
      const place = await findPlaceEntry(services.db, entry.place_id);
      if (!place) continue;
      const raised = await raiseWarning(services, principal, {
        kind: 'left_coverage',
        person: { idNumberIndex: entry.id_number_index, idNumberEnc: entry.id_number_enc, idNumberMasked: entry.id_number_masked, name: entry.name, residentId: entry.resident_id, householdId: entry.household_id },
        place,
        evidence: { monitoringEntryId: entry.id, category: entry.category_code, categoryName: entry.category_name_zh, since: entry.since, until: entry.until, endReason: entry.end_reason },
        needs: [],
        note: '',
        description: `${entry.category_name_zh}于 ${entry.until} 退出保障（一年内退出保障对象）；请社区社会救助顾问回访核查是否仍有困难。`,
        source: { monitoringEntryId: entry.id },
      });
      if (raised) raisedCount += 1;
    }
  }
  return raisedCount;
}

/**
 * Raises `breadwinner_death` warnings: in households with someone on the monitoring list, a member
 * recorded dead in the registry within the last {@link RECENT_DEATH_DAYS} days who was of working
 * age or the head of the household, while others of the household live on. Once per death.
 */
async function raiseBreadwinnerWarnings(services: Pick<AppServices, 'db' | 'jobs'>, principal: Principal, now: Date): Promise<number> {
  let raisedCount = 0;
  const recent = now.getTime() - RECENT_DEATH_DAYS * 24 * 3600 * 1000;
  for (let afterId = 0; ; ) {
    const households = await repo.findMonitoredHouseholdsAfter(services.db, afterId, 200);
    if (households.length === 0) break;
    afterId = households[households.length - 1]!;
    const members = await findResidentIdentities(services.db, { scopePath: '' }, { householdIds: households }, 200 * 20);
    const deaths = members.filter((m) => {
      if (m.status !== 'deceased' || new Date(m.updated_at).getTime() < recent) return false;
      const age = ageOn(m.birth_date, now);
      return m.relation_to_head === '户主' || (age >= WORKING_AGE.min && age <= WORKING_AGE.max);
    });
    const warned = await warningsRepo.findResidentsWithWarning(services.db, 'breadwinner_death', deaths.map((d) => d.id));
    for (const dead of deaths) {
      if (warned.has(dead.id)) continue;
      const survivors = members.filter((m) => m.household_id === dead.household_id && m.status === 'active');
      if (survivors.length === 0) continue;
      const place = await findPlaceEntry(services.db, dead.place_id);
      if (!place) continue;
      const raised = await raiseWarning(services, principal, {
        kind: 'breadwinner_death',
        person: { idNumberIndex: dead.id_number_index, idNumberEnc: dead.id_number_enc, idNumberMasked: dead.id_number_masked, name: dead.name, residentId: dead.id, householdId: dead.household_id },
        place,
        evidence: {
          deceased: { name: dead.name, idNumberMasked: dead.id_number_masked, relationToHead: dead.relation_to_head, age: ageOn(dead.birth_date, now), recordedAt: new Date(dead.updated_at).toISOString() },
          survivors: survivors.map((s) => ({ name: s.name, idNumberMasked: s.id_number_masked, relationToHead: s.relation_to_head, age: ageOn(s.birth_date, now), tags: s.tags })),
        },
        needs: ['employment', 'counselling'],
        note: '',
        description: `低收入监测家庭的主要劳动力死亡（户籍登记），家中尚有 ${survivors.length} 人；请社区社会救助顾问核查家庭生活状况。`,
      });
      if (raised) raisedCount += 1;
    }
  }
  return raisedCount;
}

/** The active categories of the list, in their order, with the registry tags that feed each. */
export async function listMonitoringCategories(services: Pick<AppServices, 'db'>) {
  return (await repo.listCategories(services.db)).filter((c) => c.is_active).map((c) => ({ code: c.code, nameZh: c.name_zh, nameEn: c.name_en, isCoverage: c.is_coverage, sourceTags: c.source_tags }));
}

/** Search input of the monitoring list and its export. */
export interface MonitoringSearch {
  categoryCode?: string | undefined;
  status?: repo.EntryFilter['status'] | undefined;
  placeId?: number | undefined;
  /** Name prefix or a full ID number. */
  q?: string | undefined;
  householdId?: number | undefined;
}

async function toFilter(services: Pick<AppServices, 'db' | 'cipher'>, principal: Principal, search: MonitoringSearch, now: Date): Promise<repo.EntryFilter> {
  const filter: repo.EntryFilter = { categoryCode: search.categoryCode || undefined, status: search.status ?? 'open', yearAgo: yearBefore(chinaDate(now)), householdId: search.householdId };
  Object.assign(filter, personSearchTerms(search.q, services.cipher));
  if (search.placeId !== undefined) filter.placePath = (await findPlaceEntryInScope(services.db, principal, search.placeId)).path;
  return filter;
}

type EntryRow = Awaited<ReturnType<typeof repo.listEntries>>['rows'][number];

/** An entry as the list shows it: the person masked. */
export function presentEntry(row: EntryRow) {
  return {
    id: row.id,
    categoryCode: row.category_code,
    categoryNameZh: row.category_name_zh,
    categoryNameEn: row.category_name_en,
    residentId: row.resident_id,
    name: row.name,
    idNumberMasked: row.id_number_masked,
    householdId: row.household_id,
    placeId: row.place_id,
    placeName: row.place_name,
    since: row.since,
    until: row.until,
    source: row.source,
    endReason: row.end_reason,
    note: row.note,
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}

/** A page of the monitoring list within the principal's region. */
export async function listMonitoring(services: Pick<AppServices, 'db' | 'cipher'>, principal: Principal, search: MonitoringSearch, page: { limit: number; offset: number }, now = new Date()) {
  requirePermission(principal, 'assistance:monitoring:read');
  const { rows, total } = await repo.listEntries(services.db, principal, await toFilter(services, principal, search, now), page);
  return { items: rows.map(presentEntry), total };
}

/** The 8 categories with how many people each has open in the principal's region, and how many left coverage within the year. */
export async function getMonitoringCounts(services: Pick<AppServices, 'db'>, principal: Principal, now = new Date()) {
  requirePermission(principal, 'assistance:monitoring:read');
  const { categories, people } = await repo.countByCategory(services.db, principal, yearBefore(chinaDate(now)));
  return {
    categories: categories.map((c) => ({ code: c.code, nameZh: c.name_zh, nameEn: c.name_en, isCoverage: c.is_coverage, sourceTags: c.source_tags, open: c.open, leftWithinYear: c.left_within_year })),
    people,
  };
}

/** Columns of the monitoring export (ID numbers masked). */
export const MONITORING_EXPORT_COLUMNS = ['id', 'category', 'name', 'id_number', 'household_id', 'place', 'since', 'until', 'source', 'end_reason', 'note'];

/** Streams the list in scope as CSV cells, masked; the export is audited once read to the end. */
export async function* exportMonitoring(services: Pick<AppServices, 'db' | 'cipher'>, principal: Principal, search: MonitoringSearch, now = new Date()): AsyncGenerator<string[]> {
  requirePermission(principal, 'assistance:monitoring:read');
  const filter = await toFilter(services, principal, search, now);
  let afterId = 0;
  let count = 0;
  for (;;) {
    const rows = await repo.findEntriesAfter(services.db, principal, filter, afterId, 2000);
    if (rows.length === 0) break;
    for (const row of rows) {
      yield [String(row.id), row.category_name_zh, row.name, row.id_number_masked, row.household_id === null ? '' : String(row.household_id), row.place_name, row.since, row.until ?? '', row.source, row.end_reason ?? '', row.note];
    }
    count += rows.length;
    afterId = rows[rows.length - 1]!.id;
  }
  await services.db.transaction().execute((trx) =>
    appendAudit(trx, auditActorOf(principal), { action: 'assistance.monitoring.exported', entityType: 'assistance_monitoring_entry', details: { filters: { ...search }, rows: count, masked: true } }),
  );
}

function checkDate(value: string, field: string, today: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/u.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`)) || new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) !== value) {
    throw new AppError('VALIDATION_FAILED', `${field} must be a date YYYY-MM-DD, found "${value}"`, { fields: [{ field, message: 'invalid date' }] });
  }
  if (value > today) throw new AppError('VALIDATION_FAILED', `${field} is in the future`, { fields: [{ field, message: 'in the future' }] });
  return value;
}

/** Puts a registry resident of the principal's region on the list in a category, by hand. */
export async function addMonitoringEntry(
  services: Pick<AppServices, 'db'>,
  principal: Principal,
  input: { residentId: number; categoryCode: string; since?: string | undefined; note?: string | undefined },
  now = new Date(),
): Promise<number> {
  requirePermission(principal, 'assistance:monitoring:write');
  const today = chinaDate(now);
  const since = input.since === undefined ? today : checkDate(input.since, 'since', today);
  const category = (await repo.listCategories(services.db)).find((c) => c.code === input.categoryCode && c.is_active);
  if (!category) throw new AppError('VALIDATION_FAILED', `unknown category ${input.categoryCode}`, { fields: [{ field: 'categoryCode', message: 'unknown' }] });
  const [resident] = await findResidentIdentities(services.db, principal, { ids: [input.residentId] }, 1);
  if (!resident) throw new AppError('RESIDENT_NOT_FOUND', `no resident ${input.residentId} in your region`);
  if (resident.status !== 'active') throw new AppError('VALIDATION_FAILED', `resident ${input.residentId} is ${resident.status}`, { fields: [{ field: 'residentId', message: resident.status }] });
  return services.db.transaction().execute(async (trx) => {
    const [id] = await repo.insertEntries(trx, [
      {
        categoryCode: category.code,
        residentId: resident.id,
        idNumberIndex: resident.id_number_index,
        idNumberEnc: resident.id_number_enc,
        idNumberMasked: resident.id_number_masked,
        name: resident.name,
        householdId: resident.household_id,
        placeId: resident.place_id,
        placePath: resident.place_path,
        since,
        source: 'manual',
        note: input.note?.trim() ?? '',
        createdBy: principal.via === 'system' ? null : principal.userId,
      },
    ]);
    if (id === undefined) throw new AppError('CONFLICT', `the resident is on the list as ${category.name_zh} already`, { reason: 'already_listed' });
    await appendAudit(trx, auditActorOf(principal), { action: 'assistance.monitoring.added', entityType: 'assistance_monitoring_entry', entityId: id, details: { source: 'manual', categoryCode: category.code, residentId: resident.id } });
    return id;
  });
}

/**
 * Ends an entry by hand with the reason (the row stays, with `until`); ending a coverage entry of a
 * person not covered otherwise raises the `left_coverage` warning at once.
 */
export async function endMonitoringEntry(services: Pick<AppServices, 'db' | 'jobs'>, principal: Principal, id: number, input: { until?: string | undefined; reason: string }, now = new Date()) {
  requirePermission(principal, 'assistance:monitoring:write');
  const today = chinaDate(now);
  const reason = input.reason.trim();
  if (Array.from(reason).length < 2) throw new AppError('VALIDATION_FAILED', 'the reason is required', { fields: [{ field: 'reason', message: 'required' }] });
  const until = input.until === undefined ? today : checkDate(input.until, 'until', today);
  const entry = await repo.findEntry(services.db, principal, id);
  if (!entry) throw new AppError('NOT_FOUND', `no monitoring entry ${id} in your region`);
  if (entry.until !== null) throw new AppError('CONFLICT', `entry ${id} ended on ${entry.until}`, { reason: 'already_ended' });
  if (until < entry.since) throw new AppError('VALIDATION_FAILED', `until is before the entry began (${entry.since})`, { fields: [{ field: 'until', message: 'before since' }] });
  await services.db.transaction().execute(async (trx) => {
    if (!(await repo.endEntry(trx, id, { until, reason: 'manual', note: reason }))) throw new AppError('CONFLICT', `entry ${id} has just ended`, { reason: 'already_ended' });
    await appendAudit(trx, auditActorOf(principal), { action: 'assistance.monitoring.ended', entityType: 'assistance_monitoring_entry', entityId: id, details: { reason: 'manual', until, note: reason } });
  });
  if (entry.is_coverage) await raiseLeftCoverageWarnings(services, systemPrincipal(SYSTEM_NAME), today);
}

/** Runs both syncs (registry, then the comparison's watch list) for an administrator, audited as theirs. */
export async function syncDiscoveryNow(services: Pick<AppServices, 'db' | 'jobs'>, principal: Principal) {
  requirePermission(principal, 'assistance:discovery:sync');
  const registry = await syncMonitoringFromRegistry(services, { principal });
  const illness = await syncIllnessPovertyWarnings(services, { principal });
  return { registry, illness };
}

/**
 * The ticker that keeps the list and the warnings in step with the registry and the comparisons.
 * A runner also runs its tickers once when it stops; a short-lived command (an import, the demo
 * seed) has not been up for a period and skips the sweep, which the server will do.
 */
export function discoverySweeper(services: () => Pick<AppServices, 'db' | 'jobs'>, everyMs = 15 * 60_000): Ticker {
  let lastRun = Date.now();
  return {
    id: 'assistance-discovery-sync',
    everyMs,
    run: async () => {
      if (Date.now() - lastRun < everyMs) return;
      lastRun = Date.now();
      await syncMonitoringFromRegistry(services());
      await syncIllnessPovertyWarnings(services());
    },
  };
}

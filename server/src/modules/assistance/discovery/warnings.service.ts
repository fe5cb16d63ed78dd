import { appendAudit } from '../../../platform/audit/index.ts';
import { auditActorOf, hasPermission, requirePermission, systemPrincipal, type Principal } from '../../../platform/auth/index.ts';
import { maskIdNumber } from '../../../platform/crypto/masking.ts';
import type { Executor } from '../../../platform/db/database.ts';
import { isUniqueViolation } from '../../../platform/db/errors.ts';
import type { WarningKind, WarningOutcome } from '../../../platform/db/schema.ts';
import { AppError, isAppError } from '../../../platform/errors.ts';
import type { AppServices } from '../../../platform/http/context.ts';
import { personSearchTerms, validateResidentId } from '../../../platform/identity/index.ts';
import { formatYuan, listAssistanceWatch } from '../../compare/index.ts';
import { applyAction, assignPerson, chinaDate, getMatter, openMattersIn, warmMatterReference } from '../../matters/index.ts';
import { findResidentIdentities } from '../../people/index.ts';
import { findPlaceEntry, findPlaceEntryInScope, type PlaceEntry } from '../../places/index.ts';
import * as monitoringRepo from './monitoring.repository.ts';
import * as resourcesRepo from './resources.repository.ts';
import { OUTCOME_ACTIONS, VERIFY_ACTION, WARNING_KIND_TITLES, WARNING_OUTCOMES, WARNING_STATES, WARNING_TYPE } from './warning-type.ts';
import * as repo from './warnings.repository.ts';

/** The comparison rule whose watch-list entries become illness-poverty warnings. */
export const ILLNESS_POVERTY_RULE = 'ILLNESS_POVERTY_RISK';

const SYSTEM_NAME = 'discovery';

/** Who a warning is about: the ID as stored (never decrypted to raise it), the registry links, the place. */
export interface WarnedPerson {
  idNumberIndex: Uint8Array;
  idNumberEnc: Uint8Array;
  idNumberMasked: string;
  name: string;
  residentId: number | null;
  householdId: number | null;
}

/** A warning about to be raised. */
export interface WarningCandidate {
  kind: WarningKind;
  person: WarnedPerson;
  place: PlaceEntry;
  evidence: Record<string, unknown>;
  needs: string[];
  note: string;
  description: string;
  source?: { listingId?: number; runId?: number; monitoringEntryId?: number };
}

/** A warning just raised, with its matter. */
export interface RaisedWarning {
  id: number;
  matterId: number;
  reference: string;
  organisationId: number | null;
  adviserId: number | null;
}

function mattersDeps(services: Pick<AppServices, 'db' | 'jobs'>) {
  return { db: services.db, jobs: services.jobs };
}

/** A name as a matter title shows it to anyone in the region: the surname only. */
function maskName(name: string): string {
  const chars = Array.from(name.trim());
  return chars.length <= 1 ? '*' : chars[0] + '*'.repeat(chars.length - 1);
}

/**
 * Raises a warning as a 预警核查 matter placed at the person's place and handed to the community
 * organisation (社区) covering it, then assigned to that community's adviser when it has one. Answers
 * null when the person already has an open warning of this kind (re-syncing never duplicates: the
 * partial unique index decides under concurrency too).
 */
export async function raiseWarning(services: Pick<AppServices, 'db' | 'jobs'>, principal: Principal, candidate: WarningCandidate): Promise<RaisedWarning | null> {
  const deps = mattersDeps(services);
  await warmMatterReference(deps);
  const organisation = await repo.findCommunityOrganisation(services.db, candidate.place.path);
  let raised: RaisedWarning | null;
  try {
    raised = await services.db.transaction().execute(async (trx) => {
      const undecided = await repo.findUndecidedWarning(trx, candidate.kind, candidate.person.idNumberIndex);
      if (undecided && undecided.closed_at === null) return null;
      if (undecided) {
        // Closed through the generic matters API: record what its final state says, so it no longer blocks.
        const outcome = (WARNING_OUTCOMES as readonly string[]).includes(undecided.state) ? (undecided.state as WarningOutcome) : 'not_needed';
        await repo.setOutcome(trx, undecided.id, { outcome, reason: `matter closed as ${undecided.state} outside the warning page`, by: null });
        await appendAudit(trx, auditActorOf(principal), { action: 'assistance.warning.outcome_reconciled', entityType: 'assistance_warning', entityId: undecided.id, details: { state: undecided.state } });
      }
      const [opened] = await openMattersIn(deps, trx, [
        {
          principal,
          place: candidate.place,
          input: { typeCode: WARNING_TYPE, title: `预警核查 · ${WARNING_KIND_TITLES[candidate.kind]} · ${maskName(candidate.person.name)}`, description: candidate.description },
          organisationId: organisation?.id ?? null,
        },
      ]);
      const id = await repo.insertWarning(trx, {
        kind: candidate.kind,
        matterId: opened!.id,
        ...candidate.person,
        placeId: candidate.place.id,
        placePath: candidate.place.path,
        organisationId: organisation?.id ?? null,
        sourceListingId: candidate.source?.listingId ?? null,
        sourceRunId: candidate.source?.runId ?? null,
        sourceMonitoringEntryId: candidate.source?.monitoringEntryId ?? null,
        raisedBy: principal.via === 'system' ? null : principal.userId,
        evidence: candidate.evidence,
        needs: candidate.needs,
        note: candidate.note,
      });
      await appendAudit(trx, auditActorOf(principal), {
        action: 'assistance.warning.raised',
        entityType: 'assistance_warning',
        entityId: id,
        details: { kind: candidate.kind, matterId: opened!.id, place: candidate.place.code, organisationId: organisation?.id ?? null, source: candidate.source ?? null },
      });
      return { id, matterId: opened!.id, reference: opened!.reference, organisationId: organisation?.id ?? null, adviserId: null };
    });
  } catch (error) {
    if (isUniqueViolation(error, repo.ONE_OPEN_WARNING_CONSTRAINT)) return null;
    throw error;
  }
  if (raised && organisation) {
    const adviserId = await repo.findAdviser(services.db, organisation.id);
    if (adviserId !== undefined) {
      try {
        await assignPerson(deps, systemPrincipal(SYSTEM_NAME), raised.matterId, { userId: adviserId, note: '社区社会救助顾问 (community social-assistance adviser)' });
        raised.adviserId = adviserId;
      } catch (error) {
        // An adviser whose region no longer covers the place: the matter stays with the community.
        if (!isAppError(error, 'ASSIGNEE_INVALID') && !isAppError(error, 'ASSIGNEE_OUT_OF_SCOPE')) throw error;
      }
    }
  }
  return raised;
}

/** What a warning sync did. */
export interface IllnessSyncOutcome {
  raised: number;
  /** Entries whose warning is still open. */
  alreadyOpen: number;
  /** Entries whose warning was decided while the comparison kept listing the person: the decision stands. */
  decided: number;
  /** Warnings whose entry the comparison no longer lists. */
  lapsed: number;
}

/**
 * Turns the comparison's 因病致贫风险 (ILLNESS_POVERTY_RISK) watch-list entries into warnings: each
 * current entry without a warning raises one at its place, for the community there. An entry that
 * stays current raises nothing more (its warning is open, or decided); once a run stops listing the
 * person and a later run lists them again, that is a new episode and a new warning. Walks the whole
 * list, so it is safe to repeat and catches up after a missed run.
 */
export async function syncIllnessPovertyWarnings(services: Pick<AppServices, 'db' | 'jobs'>, trigger: { runId?: number | undefined; principal?: Principal } = {}): Promise<IllnessSyncOutcome> {
  const principal = trigger.principal ?? systemPrincipal(SYSTEM_NAME);
  const outcome: IllnessSyncOutcome = { raised: 0, alreadyOpen: 0, decided: 0, lapsed: 0 };
  let afterId = 0;
  for (;;) {
    const page = await listAssistanceWatch(services.db, afterId, 500);
    if (page.length === 0) break;
    afterId = page[page.length - 1]!.id;
    const entries = page.filter((entry) => entry.rule === ILLNESS_POVERTY_RULE);
    const retired = entries.filter((entry) => !entry.isCurrent).map((entry) => entry.id);
    if (retired.length > 0) outcome.lapsed += await repo.markListingsLapsed(services.db, retired);
    const current = entries.filter((entry) => entry.isCurrent);
    const latest = await repo.findLatestWarningPerListing(services.db, current.map((entry) => entry.id));
    for (const entry of current) {
      const previous = latest.get(entry.id);
      if (previous?.isOpen) {
        outcome.alreadyOpen += 1;
        continue;
      }
      if (previous && previous.sourceLapsedAt === null) {
        outcome.decided += 1;
        continue;
      }
      const place = await findPlaceEntry(services.db, entry.placeId);
      if (!place) throw new Error(`place ${entry.placeId} of watch-list entry ${entry.id} is gone`);
      const [resident] = await findResidentIdentities(services.db, { scopePath: '' }, { idNumberIndex: entry.idNumberIndex }, 1);
      const raised = await raiseWarning(services, principal, {
        kind: 'illness_poverty_risk',
        person: {
          idNumberIndex: entry.idNumberIndex,
          idNumberEnc: entry.idNumberEnc,
          idNumberMasked: entry.idNumberMasked,
          name: entry.name,
          residentId: resident?.id ?? null,
          householdId: resident?.household_id ?? null,
        },
        place,
        evidence: { listingId: entry.id, rule: entry.rule, runId: entry.lastRunId, outOfPocket: formatYuan(entry.amountCents), comparison: entry.evidence },
        needs: ['medical'],
        note: '',
        description: `大数据比对第 ${entry.lastRunId} 批次：住院自付 ¥${formatYuan(entry.amountCents)}，超过家庭年救助金额，存在因病致贫风险；请社区社会救助顾问核查。`,
        source: { listingId: entry.id, runId: entry.lastRunId },
      });
      if (raised) outcome.raised += 1;
      else outcome.alreadyOpen += 1;
    }
  }
  await services.db.transaction().execute((trx) =>
    appendAudit(trx, auditActorOf(principal), { action: 'assistance.warning.synced', entityType: 'assistance_warning', details: { source: ILLNESS_POVERTY_RULE, runId: trigger.runId ?? null, ...outcome } }),
  );
  return outcome;
}

/** Throws VALIDATION_FAILED unless every need is a known need kind; answers them without duplicates. */
export async function checkNeeds(db: Executor, needs: readonly string[], field = 'needs'): Promise<string[]> {
  const known = new Set((await resourcesRepo.listNeedKinds(db)).map((kind) => kind.code));
  const unknown = needs.filter((need) => !known.has(need));
  if (unknown.length > 0) throw new AppError('VALIDATION_FAILED', `unknown need(s): ${unknown.join(', ')}`, { fields: [{ field, message: `unknown: ${unknown.join(', ')}` }] });
  return [...new Set(needs)];
}

function requireText(value: string | undefined, field: string, what: string): string {
  const text = value?.trim() ?? '';
  if (Array.from(text).length < 2) throw new AppError('VALIDATION_FAILED', `${what} is required`, { fields: [{ field, message: 'required' }] });
  return text;
}

/** A grid worker's visit (网格员走访): the person (registry resident or ID number), what was seen and needed. */
export interface GridVisitInput {
  residentId?: number | undefined;
  idNumber?: string | undefined;
  name?: string | undefined;
  /** Where the person was found, when they are not in the registry (or not in the visitor's region). */
  placeId?: number | undefined;
  needs: string[];
  note: string;
}

/**
 * Raises a `grid_visit` warning from a grid worker's visit: a registry resident of the visitor's
 * region, or a person named by ID number (looked up in the registry, else placed where the visitor
 * says). A person with an open visit warning gets CONFLICT naming it: the visit belongs on that one.
 */
export async function raiseGridVisitWarning(services: Pick<AppServices, 'db' | 'jobs' | 'cipher'>, principal: Principal, input: GridVisitInput): Promise<RaisedWarning> {
  requirePermission(principal, 'assistance:warning:raise');
  const note = requireText(input.note, 'note', 'what the visit found');
  if (input.needs.length === 0) throw new AppError('VALIDATION_FAILED', 'name at least one observed need', { fields: [{ field: 'needs', message: 'required' }] });
  const needs = await checkNeeds(services.db, input.needs);
  let person: WarnedPerson;
  let place: PlaceEntry;
  if (input.residentId !== undefined) {
    const [resident] = await findResidentIdentities(services.db, principal, { ids: [input.residentId] }, 1);
    if (!resident) throw new AppError('RESIDENT_NOT_FOUND', `no resident ${input.residentId} in your region`);
    if (resident.status !== 'active') throw new AppError('VALIDATION_FAILED', `resident ${input.residentId} is ${resident.status}`, { fields: [{ field: 'residentId', message: resident.status }] });
    person = { idNumberIndex: resident.id_number_index, idNumberEnc: resident.id_number_enc, idNumberMasked: resident.id_number_masked, name: resident.name, residentId: resident.id, householdId: resident.household_id };
    place = (await findPlaceEntry(services.db, resident.place_id))!;
  } else if (input.idNumber !== undefined) {
    const id = validateResidentId(input.idNumber);
    if (!id.isValid) throw new AppError('INVALID_ID_NUMBER', id.message, { fields: [{ field: 'idNumber', message: id.reason }] });
    const index = services.cipher.blindIndex(id.idNumber);
    const [resident] = await findResidentIdentities(services.db, principal, { idNumberIndex: index }, 1);
    if (resident) {
      person = { idNumberIndex: index, idNumberEnc: resident.id_number_enc, idNumberMasked: resident.id_number_masked, name: resident.name, residentId: resident.id, householdId: resident.household_id };
      place = (await findPlaceEntry(services.db, resident.place_id))!;
    } else {
      const name = input.name?.trim() ?? '';
      if (!name) throw new AppError('VALIDATION_FAILED', 'the person is not in the registry of your region: give the name', { fields: [{ field: 'name', message: 'required' }] });
      if (input.placeId === undefined) throw new AppError('VALIDATION_FAILED', 'the person is not in the registry of your region: say where they were found', { fields: [{ field: 'placeId', message: 'required' }] });
      place = await findPlaceEntryInScope(services.db, principal, input.placeId);
      person = { idNumberIndex: index, idNumberEnc: services.cipher.encrypt(id.idNumber), idNumberMasked: maskIdNumber(id.idNumber), name, residentId: null, householdId: null };
    }
  } else {
    throw new AppError('VALIDATION_FAILED', 'name the person: a registry resident or an ID number', { fields: [{ field: 'residentId', message: 'residentId or idNumber is required' }] });
  }
  const at = new Date().toISOString();
  const raised = await raiseWarning(services, principal, {
    kind: 'grid_visit',
    person,
    place,
    evidence: { visit: { by: principal.displayName, at, note, needs } },
    needs,
    note,
    description: `网格员 ${principal.displayName} 走访发现：${note}`,
  });
  if (!raised) {
    const open = await repo.findOpenWarning(services.db, 'grid_visit', person.idNumberIndex);
    throw new AppError('CONFLICT', 'this person already has an open grid-visit warning', { reason: 'warning_open', warningId: open?.id ?? null });
  }
  return raised;
}

/** Search input of the warnings queue. */
export interface WarningSearch {
  kind?: WarningKind | undefined;
  state?: string | undefined;
  placeId?: number | undefined;
  /** Name prefix or a full ID number. */
  q?: string | undefined;
  /** Only the warnings assigned to the account. */
  isMine?: boolean | undefined;
}

type SummaryRow = Awaited<ReturnType<typeof repo.listWarnings>>['rows'][number];

const iso = (value: Date | string | null) => (value === null ? null : new Date(value).toISOString());

/** The queue's view of a warning: the person masked. */
export function presentWarningSummary(row: SummaryRow) {
  return {
    id: row.id,
    kind: row.kind,
    matterId: row.matter_id,
    reference: row.reference,
    state: row.state,
    isOpen: row.closed_at === null,
    dueAt: iso(row.step_due_at),
    closedAt: iso(row.closed_at),
    escalationLevel: row.escalation_level,
    name: row.name,
    idNumberMasked: row.id_number_masked,
    residentId: row.resident_id,
    householdId: row.household_id,
    placeId: row.place_id,
    placeName: row.place_name,
    organisationId: row.organisation_id,
    organisationName: row.organisation_name,
    assigneeName: row.assignee_name,
    needs: row.needs,
    outcome: row.outcome,
    createdAt: row.created_at.toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}

/** A page of warnings placed within the principal's region, with open counts per kind. */
export async function listWarnings(services: Pick<AppServices, 'db' | 'cipher'>, principal: Principal, search: WarningSearch, page: { limit: number; offset: number }) {
  requirePermission(principal, 'assistance:warning:read');
  const filter: repo.WarningFilter = { kind: search.kind, state: search.state || undefined, assigneeUserId: search.isMine ? principal.userId : undefined };
  Object.assign(filter, personSearchTerms(search.q, services.cipher));
  if (search.placeId !== undefined) filter.placePath = (await findPlaceEntryInScope(services.db, principal, search.placeId)).path;
  const [{ rows, total }, openByKind] = await Promise.all([repo.listWarnings(services.db, principal, filter, page), repo.countOpenByKind(services.db, principal)]);
  return { items: rows.map(presentWarningSummary), total, openByKind };
}

async function requireWarning(db: Executor, principal: Principal, id: number, forUpdate = false) {
  const row = await repo.findWarning(db, principal, id, forUpdate);
  if (!row) throw new AppError('NOT_FOUND', `no warning ${id} in your region`);
  return row;
}

/** What the principal may do with a warning in its present state. */
function availableActions(principal: Principal, state: string, isOpen: boolean): string[] {
  if (!isOpen || !hasPermission(principal, 'assistance:warning:handle')) return [];
  const common = ['set_needs', 'link_resource'];
  if (state === WARNING_STATES.verifying) return ['verify', 'not_needed', ...common];
  if (state === WARNING_STATES.verified) return [...WARNING_OUTCOMES, ...common];
  return common;
}

/** Most matching resources a warning's page offers. */
const MATCH_LIMIT = 20;

type ResourceRow = Awaited<ReturnType<typeof resourcesRepo.findMatches>>[number];

/** A resource as a warning's page shows it. */
export function presentMatch(row: ResourceRow) {
  return {
    id: row.id,
    name: row.name,
    providerName: row.provider_name,
    kind: row.kind,
    placeId: row.place_id,
    placeName: row.place_name,
    placesLeft: row.capacity - row.places_taken,
    validUntil: row.valid_until,
    contactName: row.contact_name,
    contactPhoneMasked: row.contact_phone_masked,
  };
}

/**
 * One warning of the principal's region: the person masked, its evidence, the timeline of its
 * 预警核查 matter, the resources linked to it and, while it is open, those that match its needs.
 */
export async function getWarning(services: Pick<AppServices, 'db'>, principal: Principal, id: number, now = new Date()) {
  requirePermission(principal, 'assistance:warning:read');
  const row = await requireWarning(services.db, principal, id);
  // The matter is part of the warning: whoever reads the warning reads its timeline. Scope still applies.
  const reader: Principal = { ...principal, permissions: new Set([...principal.permissions, 'matters:matter:read']) };
  const { events } = await getMatter({ db: services.db }, reader, row.matter_id);
  const isOpen = row.closed_at === null;
  const links = await resourcesRepo.findLinks(services.db, id);
  const matches = isOpen ? await resourcesRepo.findMatches(services.db, { warningId: id, placePath: row.place_path, needs: row.needs, today: chinaDate(now) }, MATCH_LIMIT) : [];
  return {
    ...presentWarningSummary(row),
    evidence: row.evidence,
    note: row.note,
    outcomeReason: row.outcome_reason,
    decidedAt: iso(row.decided_at),
    sourceListingId: row.source_listing_id,
    sourceRunId: row.source_run_id,
    sourceMonitoringEntryId: row.source_monitoring_entry_id,
    timeline: events.map((e) => ({ at: e.at.toISOString(), actorName: e.actor_name, kind: e.kind, action: e.action, fromState: e.from_state, toState: e.to_state, details: e.details })),
    linkedResources: links.map((link) => ({
      id: link.id,
      name: link.name,
      providerName: link.provider_name,
      kind: link.kind,
      contactName: link.contact_name,
      contactPhoneMasked: link.contact_phone_masked,
      note: link.note,
      linkedAt: link.linked_at.toISOString(),
      linkedBy: link.linked_by_name,
    })),
    matchedResources: matches.map(presentMatch),
    actions: availableActions(principal, row.state, isOpen),
  };
}

/** The resources that can meet an open warning today, most suitable first. */
export async function listMatches(services: Pick<AppServices, 'db'>, principal: Principal, id: number, now = new Date()) {
  requirePermission(principal, 'assistance:warning:read');
  const row = await requireWarning(services.db, principal, id);
  if (row.closed_at !== null) return [];
  return (await resourcesRepo.findMatches(services.db, { warningId: id, placePath: row.place_path, needs: row.needs, today: chinaDate(now) }, MATCH_LIMIT)).map(presentMatch);
}

/** Records the verification (核查属实) with what was found; the matter moves on to the decision. */
export async function verifyWarning(services: Pick<AppServices, 'db' | 'jobs'>, principal: Principal, id: number, input: { note: string }) {
  requirePermission(principal, 'assistance:warning:handle');
  const note = requireText(input.note, 'note', 'what the verification found');
  const warning = await requireWarning(services.db, principal, id);
  await applyAction(mattersDeps(services), principal, warning.matter_id, VERIFY_ACTION, { note }, (trx) =>
    appendAudit(trx, auditActorOf(principal), { action: 'assistance.warning.verified', entityType: 'assistance_warning', entityId: id, details: {} }),
  );
}

/** A decision on a warning (处置). */
export interface DecisionInput {
  outcome: WarningOutcome;
  reason: string;
  /** With `included`: the monitored category the person is put in (e.g. 低保对象). */
  categoryCode?: string | undefined;
}

/**
 * Ends a warning with a decision and its reason: include in coverage (optionally putting the person
 * on the monitoring list in a category), raise the benefit, grant temporary assistance, link social
 * resources (at least one must be linked) or close as not needed. The matter's final state is the
 * outcome; the decision is audited in the same transaction.
 */
export async function decideWarning(services: Pick<AppServices, 'db' | 'jobs'>, principal: Principal, id: number, input: DecisionInput, now = new Date()) {
  requirePermission(principal, 'assistance:warning:handle');
  if (!WARNING_OUTCOMES.includes(input.outcome)) {
    throw new AppError('VALIDATION_FAILED', `outcome must be one of ${WARNING_OUTCOMES.join(', ')}`, { fields: [{ field: 'outcome', message: 'invalid' }] });
  }
  const reason = requireText(input.reason, 'reason', 'the reason of the decision');
  if (input.categoryCode !== undefined && input.outcome !== 'included') {
    throw new AppError('VALIDATION_FAILED', 'a category is given only when including the person in coverage', { fields: [{ field: 'categoryCode', message: 'not allowed' }] });
  }
  const category = input.categoryCode === undefined ? undefined : (await monitoringRepo.listCategories(services.db)).find((c) => c.code === input.categoryCode && c.is_active);
  if (input.categoryCode !== undefined && !category) {
    throw new AppError('VALIDATION_FAILED', `unknown category ${input.categoryCode}`, { fields: [{ field: 'categoryCode', message: 'unknown' }] });
  }
  const warning = await requireWarning(services.db, principal, id);
  await applyAction(mattersDeps(services), principal, warning.matter_id, OUTCOME_ACTIONS[input.outcome], { note: reason }, async (trx) => {
    if (input.outcome === 'resources_linked' && (await resourcesRepo.findLinks(trx, id)).length === 0) {
      throw new AppError('VALIDATION_FAILED', 'link at least one social resource before closing the warning as linked', { fields: [{ field: 'outcome', message: 'no resource linked' }] });
    }
    await repo.setOutcome(trx, id, { outcome: input.outcome, reason, by: principal.via === 'system' ? null : principal.userId });
    let entryId: number | undefined;
    if (category) {
      [entryId] = await monitoringRepo.insertEntries(trx, [
        {
          categoryCode: category.code,
          residentId: warning.resident_id,
          idNumberIndex: warning.id_number_index,
          idNumberEnc: warning.id_number_enc,
          idNumberMasked: warning.id_number_masked,
          name: warning.name,
          householdId: warning.household_id,
          placeId: warning.place_id,
          placePath: warning.place_path,
          since: chinaDate(now),
          source: 'warning',
          note: `预警 #${id}：${reason}`,
          createdBy: principal.via === 'system' ? null : principal.userId,
        },
      ]);
    }
    await appendAudit(trx, auditActorOf(principal), {
      action: 'assistance.warning.decided',
      entityType: 'assistance_warning',
      entityId: id,
      details: { outcome: input.outcome, ...(category ? { categoryCode: category.code, monitoringEntryId: entryId ?? null } : {}) },
    });
  });
}

/** Replaces the needs recorded on an open warning (what matching looks for). */
export async function setWarningNeeds(services: Pick<AppServices, 'db'>, principal: Principal, id: number, input: { needs: string[] }) {
  requirePermission(principal, 'assistance:warning:handle');
  const needs = await checkNeeds(services.db, input.needs);
  await services.db.transaction().execute(async (trx) => {
    const warning = await requireWarning(trx, principal, id, true);
    if (warning.closed_at !== null) throw new AppError('CONFLICT', `warning ${id} is closed`, { state: warning.state });
    await repo.setNeeds(trx, id, needs);
    await appendAudit(trx, auditActorOf(principal), { action: 'assistance.warning.needs_set', entityType: 'assistance_warning', entityId: id, details: { before: warning.needs, after: needs } });
  });
}

/**
 * Links a social resource to an open warning (链接社会资源): the resource must meet one of the
 * warning's needs, serve a region covering its place, be available today and have a place left,
 * which the link takes. Refusals say which of these failed.
 */
export async function linkResource(services: Pick<AppServices, 'db'>, principal: Principal, id: number, input: { resourceId: number; note?: string | undefined }, now = new Date()) {
  requirePermission(principal, 'assistance:warning:handle');
  const today = chinaDate(now);
  await services.db.transaction().execute(async (trx) => {
    const warning = await requireWarning(trx, principal, id, true);
    if (warning.closed_at !== null) throw new AppError('CONFLICT', `warning ${id} is closed`, { state: warning.state, reason: 'closed' });
    const resource = await resourcesRepo.findResource(trx, principal, input.resourceId, true);
    if (!resource) throw new AppError('NOT_FOUND', `no resource ${input.resourceId} visible in your region`);
    if (await resourcesRepo.isLinked(trx, id, resource.id)) throw new AppError('CONFLICT', 'the resource is linked to this warning already', { reason: 'already_linked' });
    const refuse = (reason: string, message: string) => new AppError('CONFLICT', message, { reason });
    if (!warning.needs.includes(resource.kind)) throw refuse('not_needed', `the warning does not record a need for ${resource.kind}`);
    const serves = warning.place_path === resource.place_path || warning.place_path.startsWith(`${resource.place_path}.`);
    if (!serves) throw refuse('outside_region', `the resource does not serve ${warning.place_name}`);
    const isInPeriod = resource.valid_from <= today && (resource.valid_until === null || resource.valid_until >= today);
    if (!resource.is_active || !isInPeriod) throw refuse('unavailable', 'the resource is not available today');
    if (!(await resourcesRepo.takePlace(trx, resource.id, { placePath: warning.place_path, needs: warning.needs, today }))) throw refuse('no_places_left', 'the resource has no places left');
    await resourcesRepo.insertLink(trx, { warningId: id, resourceId: resource.id, note: input.note?.trim() ?? '', by: principal.via === 'system' ? null : principal.userId });
    await appendAudit(trx, auditActorOf(principal), { action: 'assistance.warning.resource_linked', entityType: 'assistance_warning', entityId: id, details: { resourceId: resource.id, kind: resource.kind } });
  });
}

import { appendAudit } from '../../platform/audit/index.ts';
import { auditActorOf, hasPermission, requirePermission, type Principal } from '../../platform/auth/index.ts';
import type { Executor } from '../../platform/db/database.ts';
import { AppError } from '../../platform/errors.ts';
import type { AppServices } from '../../platform/http/context.ts';
import { personSearchTerms } from '../../platform/identity/index.ts';
import { applyAction, getMatter } from '../matters/index.ts';
import { findPlaceEntryInScope } from '../places/index.ts';
import { DISMISSAL_REASONS, type DismissalReason } from './evidence.ts';
import { FINDING_ACTIONS, FINDING_STATES } from './finding-type.ts';
import * as repo from './findings.repository.ts';
import { formatYuan } from './rules.ts';

/** Search input of the auditor's queue and the finding export. */
export interface FindingSearch {
  rule?: string | undefined;
  /** `open`, `closed`, or a state of the 疑点核查 type. */
  state?: string | undefined;
  runId?: number | undefined;
  placeId?: number | undefined;
  /** Name prefix or a full ID number. */
  q?: string | undefined;
}

/** Parses a yuan amount typed by a person ("1234.5", "1,234.50", "¥300") into fen; refuses anything else. */
export function parseYuan(text: string, field = 'amount'): number {
  const cleaned = text.replace(/[\s,¥￥]/gu, '');
  const match = /^(\d{1,13})(?:\.(\d{1,2}))?$/u.exec(cleaned);
  if (!match) throw new AppError('VALIDATION_FAILED', `${field} must be an amount in yuan with at most two decimals, found "${text}"`, { fields: [{ field, message: 'not an amount' }] });
  return Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
}

async function toFilter(services: Pick<AppServices, 'db' | 'cipher'>, principal: Principal, search: FindingSearch): Promise<repo.FindingFilter> {
  const filter: repo.FindingFilter = { rule: search.rule || undefined, state: search.state || undefined, runId: search.runId };
  Object.assign(filter, personSearchTerms(search.q, services.cipher));
  if (search.placeId !== undefined) {
    filter.placePath = (await findPlaceEntryInScope(services.db, principal, search.placeId)).path;
  }
  return filter;
}

type SummaryRow = Awaited<ReturnType<typeof repo.listFindings>>['rows'][number];

const iso = (value: Date | string | null) => (value === null ? null : new Date(value).toISOString());

/** The queue's view of a finding: the person masked, the money as yuan. */
export function presentFindingSummary(row: SummaryRow) {
  return {
    id: row.id,
    matterId: row.matter_id,
    reference: row.reference,
    state: row.state,
    isOpen: row.closed_at === null,
    dueAt: iso(row.step_due_at),
    closedAt: iso(row.closed_at),
    rule: row.rule,
    name: row.name,
    idNumberMasked: row.id_number_masked,
    matchMethod: row.match_method,
    matchScore: row.match_score,
    amountAtStake: formatYuan(Number(row.amount_at_stake_cents)),
    amountToRecover: row.amount_to_recover_cents === null ? null : formatYuan(Number(row.amount_to_recover_cents)),
    amountRecovered: formatYuan(Number(row.amount_recovered_cents)),
    dismissalReason: row.dismissal_reason,
    placeId: row.place_id,
    placeName: row.place_name,
    regionSource: row.region_source,
    firstRunId: row.first_run_id,
    lastRunId: row.last_run_id,
    createdAt: row.created_at.toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}

/** A page of the auditor's queue: findings placed within the principal's region. */
export async function listFindings(services: Pick<AppServices, 'db' | 'cipher'>, principal: Principal, search: FindingSearch, page: { limit: number; offset: number }) {
  requirePermission(principal, 'compare:finding:read');
  const { rows, total } = await repo.listFindings(services.db, principal, await toFilter(services, principal, search), page);
  return { items: rows.map(presentFindingSummary), total };
}

/** Columns of the finding export (ID numbers masked). */
export const FINDING_EXPORT_COLUMNS = [
  'id',
  'reference',
  'state',
  'rule',
  'name',
  'id_number',
  'match_method',
  'match_score',
  'amount_at_stake',
  'amount_to_recover',
  'amount_recovered',
  'dismissal_reason',
  'place',
  'region_source',
  'first_run',
  'last_run',
  'created_at',
];

/** Streams the findings in scope as CSV cells, masked; the export is audited once read to the end. */
export async function* exportFindings(services: Pick<AppServices, 'db' | 'cipher'>, principal: Principal, search: FindingSearch): AsyncGenerator<string[]> {
  requirePermission(principal, 'compare:finding:read');
  const filter = await toFilter(services, principal, search);
  let afterId = 0;
  let count = 0;
  for (;;) {
    const rows = await repo.findFindingsAfter(services.db, principal, filter, afterId, 2000);
    if (rows.length === 0) break;
    for (const row of rows) {
      const view = presentFindingSummary(row);
      yield [
        String(view.id),
        view.reference,
        view.state,
        view.rule,
        view.name,
        view.idNumberMasked,
        view.matchMethod,
        String(view.matchScore),
        view.amountAtStake,
        view.amountToRecover ?? '',
        view.amountRecovered,
        view.dismissalReason ?? '',
        view.placeName,
        view.regionSource,
        String(view.firstRunId),
        String(view.lastRunId),
        view.createdAt,
      ];
    }
    count += rows.length;
    afterId = rows[rows.length - 1]!.id;
  }
  await services.db.transaction().execute((trx) =>
    appendAudit(trx, auditActorOf(principal), { action: 'compare.finding.exported', entityType: 'comparison_finding', details: { filters: { ...search }, rows: count, masked: true } }),
  );
}

/** What the principal may do with a finding in its present state. */
function availableActions(principal: Principal, state: string): string[] {
  if (!hasPermission(principal, 'compare:finding:handle')) return [];
  if (state === FINDING_STATES.pending) return ['confirm', 'dismiss'];
  if (state === FINDING_STATES.confirmed) return ['set_amount_to_recover', 'record_recovery', 'settle'];
  return [];
}

async function requireFinding(db: Executor, principal: Principal, id: number, forUpdate = false) {
  const row = await repo.findFinding(db, principal, id, forUpdate);
  if (!row) throw new AppError('NOT_FOUND', `no finding ${id} in your region`);
  return row;
}

/**
 * One finding of the principal's region: the person masked, the evidence with ID numbers masked,
 * its recoveries, the timeline of its 疑点核查 matter, and what the principal may do next.
 */
export async function getFinding(services: Pick<AppServices, 'db'>, principal: Principal, id: number) {
  requirePermission(principal, 'compare:finding:read');
  const row = await requireFinding(services.db, principal, id);
  const recoveries = await repo.findRecoveries(services.db, id);
  // The matter is part of the finding: whoever may read the finding reads its timeline, without the
  // appeals permission that reading matters in general needs. Scope still applies.
  const reader: Principal = { ...principal, permissions: new Set([...principal.permissions, 'matters:matter:read']) };
  const { events } = await getMatter({ db: services.db }, reader, row.matter_id);
  return {
    ...presentFindingSummary(row),
    dataset: row.dataset,
    recordKey: row.record_key,
    evidence: row.evidence,
    previousFindingId: row.previous_finding_id,
    recoveries: recoveries.map((r) => ({
      id: r.id,
      amount: formatYuan(Number(r.amount_cents)),
      recoveredOn: r.recovered_on,
      note: r.note,
      createdBy: r.created_by_name,
      createdAt: r.created_at.toISOString(),
    })),
    timeline: events.map((e) => ({ at: e.at.toISOString(), actorName: e.actor_name, kind: e.kind, action: e.action, fromState: e.from_state, toState: e.to_state, details: e.details })),
    actions: availableActions(principal, row.state),
    canUnmask: hasPermission(principal, 'compare:finding:unmask'),
  };
}

/**
 * Decrypts a finding's ID number and its full evidence (IDs as written) for a stated reason; needs
 * `compare:finding:unmask`, and the read is written to the audit trail in the same transaction.
 */
export async function unmaskFinding(services: Pick<AppServices, 'db' | 'cipher'>, principal: Principal, id: number, reason: string) {
  requirePermission(principal, 'compare:finding:unmask');
  const trimmed = reason.trim();
  if (trimmed.length < 2) throw new AppError('VALIDATION_FAILED', 'a reason is required', { fields: [{ field: 'reason', message: 'required' }] });
  return services.db.transaction().execute(async (trx) => {
    const row = await repo.findFindingSecrets(trx, principal, id);
    if (!row) throw new AppError('NOT_FOUND', `no finding ${id} in your region`);
    const revealed = { idNumber: services.cipher.decrypt(row.id_number_enc), evidence: JSON.parse(services.cipher.decrypt(row.evidence_enc)) as Record<string, unknown> };
    await appendAudit(trx, auditActorOf(principal), { action: 'compare.finding.unmasked', entityType: 'comparison_finding', entityId: id, details: { fields: ['id_number', 'evidence'], reason: trimmed } });
    return revealed;
  });
}

function mattersDeps(services: Pick<AppServices, 'db' | 'jobs'>) {
  return { db: services.db, jobs: services.jobs };
}

/**
 * Confirms a finding (确认属实) with the auditor's note and, if known already, the amount to recover;
 * the matter moves to recovery with its time limit.
 */
export async function confirmFinding(services: Pick<AppServices, 'db' | 'jobs'>, principal: Principal, id: number, input: { note: string; amountToRecover?: string | undefined }) {
  requirePermission(principal, 'compare:finding:handle');
  const target = input.amountToRecover === undefined || input.amountToRecover.trim() === '' ? null : parseYuan(input.amountToRecover, 'amountToRecover');
  const finding = await requireFinding(services.db, principal, id);
  await applyAction(mattersDeps(services), principal, finding.matter_id, FINDING_ACTIONS.confirm, { note: input.note }, async (trx) => {
    await appendAudit(trx, auditActorOf(principal), { action: 'compare.finding.confirmed', entityType: 'comparison_finding', entityId: id, details: { amountToRecoverCents: target } });
    if (target !== null) await repo.setAmountToRecover(trx, id, target);
  });
}

/**
 * Dismisses a finding (排除) with a reason code and the auditor's explanation. The reason feeds the
 * next runs: a false match is not raised again unless it links other records or links them more
 * strongly; other dismissals are raised again also when more money is at stake.
 */
export async function dismissFinding(services: Pick<AppServices, 'db' | 'jobs'>, principal: Principal, id: number, input: { reason: string; note: string }) {
  requirePermission(principal, 'compare:finding:handle');
  if (!(DISMISSAL_REASONS as readonly string[]).includes(input.reason)) {
    throw new AppError('VALIDATION_FAILED', `reason must be one of ${DISMISSAL_REASONS.join(', ')}`, { fields: [{ field: 'reason', message: 'invalid' }] });
  }
  const finding = await requireFinding(services.db, principal, id);
  await applyAction(mattersDeps(services), principal, finding.matter_id, FINDING_ACTIONS.dismiss, { note: input.note }, async (trx) => {
    await repo.setDismissalReason(trx, id, input.reason as DismissalReason);
    await appendAudit(trx, auditActorOf(principal), { action: 'compare.finding.dismissed', entityType: 'comparison_finding', entityId: id, details: { reason: input.reason } });
  });
}

/** Runs `write` on a confirmed finding of the principal's region, locked, in one transaction. */
async function withConfirmedFinding<T>(services: Pick<AppServices, 'db'>, principal: Principal, id: number, write: (trx: Executor, finding: Awaited<ReturnType<typeof requireFinding>>) => Promise<T>) {
  requirePermission(principal, 'compare:finding:handle');
  return services.db.transaction().execute(async (trx) => {
    const finding = await requireFinding(trx, principal, id, true);
    if (finding.state !== FINDING_STATES.confirmed) {
      throw new AppError('CONFLICT', `finding ${id} is ${finding.state}: amounts are recorded while it is confirmed`, { state: finding.state, reason: 'not_confirmed' });
    }
    return write(trx, finding);
  });
}

/** Records (or corrects) the amount to recover (应追回金额) of a confirmed finding. */
export async function setAmountToRecover(services: Pick<AppServices, 'db'>, principal: Principal, id: number, input: { amount: string; note?: string | undefined }) {
  const cents = parseYuan(input.amount, 'amount');
  await withConfirmedFinding(services, principal, id, async (trx, finding) => {
    await repo.setAmountToRecover(trx, id, cents);
    await appendAudit(trx, auditActorOf(principal), {
      action: 'compare.finding.amount_to_recover_set',
      entityType: 'comparison_finding',
      entityId: id,
      details: { before: finding.amount_to_recover_cents === null ? null : Number(finding.amount_to_recover_cents), after: cents, note: input.note?.trim() || undefined },
    });
  });
}

/** Records money recovered (已追回) on a confirmed finding, with the date it came back. */
export async function recordRecovery(services: Pick<AppServices, 'db'>, principal: Principal, id: number, input: { amount: string; recoveredOn: string; note?: string | undefined }) {
  const cents = parseYuan(input.amount, 'amount');
  if (cents <= 0) throw new AppError('VALIDATION_FAILED', 'a recovery is more than zero', { fields: [{ field: 'amount', message: 'must be positive' }] });
  if (!/^\d{4}-\d{2}-\d{2}$/u.test(input.recoveredOn) || Number.isNaN(Date.parse(`${input.recoveredOn}T00:00:00Z`))) {
    throw new AppError('VALIDATION_FAILED', 'recoveredOn must be YYYY-MM-DD', { fields: [{ field: 'recoveredOn', message: 'invalid date' }] });
  }
  if (Date.parse(`${input.recoveredOn}T00:00:00+08:00`) > Date.now()) {
    throw new AppError('VALIDATION_FAILED', 'recoveredOn is in the future', { fields: [{ field: 'recoveredOn', message: 'in the future' }] });
  }
  return withConfirmedFinding(services, principal, id, async (trx) => {
    const recoveryId = await repo.insertRecovery(trx, { findingId: id, amountCents: cents, recoveredOn: input.recoveredOn, note: input.note?.trim() ?? '', createdBy: principal.via === 'system' ? null : principal.userId });
    await appendAudit(trx, auditActorOf(principal), { action: 'compare.finding.recovered', entityType: 'comparison_finding', entityId: id, details: { recoveryId, amountCents: cents, recoveredOn: input.recoveredOn } });
    return recoveryId;
  });
}

/**
 * Settles a confirmed finding (结案): the amount to recover must be recorded, and settling short of
 * it needs a note saying why the rest will not come back.
 */
export async function settleFinding(services: Pick<AppServices, 'db' | 'jobs'>, principal: Principal, id: number, input: { note?: string | undefined }) {
  requirePermission(principal, 'compare:finding:handle');
  const finding = await requireFinding(services.db, principal, id);
  const note = input.note?.trim() ?? '';
  await applyAction(mattersDeps(services), principal, finding.matter_id, FINDING_ACTIONS.settle, { note: note || undefined }, async (trx) => {
    const locked = await requireFinding(trx, principal, id, true);
    if (locked.amount_to_recover_cents === null) {
      throw new AppError('VALIDATION_FAILED', 'record the amount to recover before settling', { fields: [{ field: 'amountToRecover', message: 'required' }] });
    }
    const shortfall = Number(locked.amount_to_recover_cents) - Number(locked.amount_recovered_cents);
    if (shortfall > 0 && !note) {
      throw new AppError('VALIDATION_FAILED', `¥${formatYuan(shortfall)} is not recovered: say why in the note`, { fields: [{ field: 'note', message: 'required when not all is recovered' }] });
    }
    await appendAudit(trx, auditActorOf(principal), { action: 'compare.finding.settled', entityType: 'comparison_finding', entityId: id, details: { shortfallCents: Math.max(0, shortfall) } });
  });
}

/** Recovery totals (追回统计) per rule within the principal's region, or within one of its places. */
export async function getTotals(services: Pick<AppServices, 'db'>, principal: Principal, filter: { placeId?: number | undefined }) {
  requirePermission(principal, 'compare:finding:read');
  let placePath: string | undefined;
  if (filter.placeId !== undefined) {
    placePath = (await findPlaceEntryInScope(services.db, principal, filter.placeId)).path;
  }
  const rows = await repo.totalsByRule(services.db, principal, { placePath });
  const sum = (pick: (row: (typeof rows)[number]) => number) => rows.reduce((total, row) => total + pick(row), 0);
  const money = (row: { atStakeCents: number; toRecoverCents: number; recoveredCents: number }) => ({
    atStake: formatYuan(row.atStakeCents),
    toRecover: formatYuan(row.toRecoverCents),
    recovered: formatYuan(row.recoveredCents),
  });
  return {
    rules: rows.map((row) => ({ rule: row.rule, findings: row.findings, pending: row.pending, confirmed: row.confirmed, settled: row.settled, dismissed: row.dismissed, retracted: row.retracted, ...money(row) })),
    total: {
      findings: sum((r) => r.findings),
      pending: sum((r) => r.pending),
      confirmed: sum((r) => r.confirmed),
      settled: sum((r) => r.settled),
      dismissed: sum((r) => r.dismissed),
      retracted: sum((r) => r.retracted),
      ...money({ atStakeCents: sum((r) => r.atStakeCents), toRecoverCents: sum((r) => r.toRecoverCents), recoveredCents: sum((r) => r.recoveredCents) }),
    },
  };
}

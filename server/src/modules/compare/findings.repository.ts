import { sql } from 'kysely';
import type { Executor } from '../../platform/db/database.ts';
import type { RegionSource, RuleHandling } from '../../platform/db/schema.ts';
import { inScope } from '../../platform/auth/index.ts';
import type { DismissalReason } from './evidence.ts';
import { FINDING_STATES } from './finding-type.ts';

/** What each rule's results become, for the rules that have a setting; others become 疑点核查 matters. */
export async function findRuleHandlings(db: Executor): Promise<Map<string, RuleHandling>> {
  const rows = await db.selectFrom('comparison_rule_settings').select(['rule', 'handling']).execute();
  return new Map(rows.map((row) => [row.rule, row.handling]));
}

/** A finding as reconciliation needs it: its facts and whether its matter is still open. */
export interface FindingKeyState {
  id: number;
  matterId: number;
  rule: string;
  idNumberIndex: Uint8Array;
  state: string;
  isOpen: boolean;
  matchMethod: string;
  amountCents: number;
  linkedRecordsIndex: Uint8Array;
  dismissalReason: DismissalReason | null;
}

/**
 * The latest finding of every (rule, ID) key of the given rules. A key has at most one open finding
 * and a new one is raised only when none is open, so the latest is the open one when there is one,
 * else the last one a person judged.
 */
export async function findLatestFindingPerKey(db: Executor, rules: string[]): Promise<FindingKeyState[]> {
  if (rules.length === 0) return [];
  const rows = await db
    .selectFrom('comparison_findings as f')
    .innerJoin('matters as m', 'm.id', 'f.matter_id')
    .select([
      'f.id',
      'f.matter_id',
      'f.rule',
      'f.id_number_index',
      'm.state',
      'm.closed_at',
      'f.match_method',
      'f.amount_at_stake_cents',
      'f.linked_records_index',
      'f.dismissal_reason',
    ])
    .distinctOn(['f.rule', 'f.id_number_index'])
    .where('f.rule', 'in', rules)
    .orderBy('f.rule')
    .orderBy('f.id_number_index')
    .orderBy('f.id', 'desc')
    .execute();
  return rows.map((row) => ({
    id: row.id,
    matterId: row.matter_id,
    rule: row.rule,
    idNumberIndex: row.id_number_index,
    state: row.state,
    isOpen: row.closed_at === null,
    matchMethod: row.match_method,
    amountCents: Number(row.amount_at_stake_cents),
    linkedRecordsIndex: row.linked_records_index,
    dismissalReason: row.dismissal_reason,
  }));
}

/** A new finding's row. */
export interface NewFinding {
  matterId: number;
  rule: string;
  idNumberIndex: Uint8Array;
  idNumberEnc: Uint8Array;
  idNumberMasked: string;
  name: string;
  dataset: string;
  recordKey: string;
  matchMethod: string;
  matchScore: number;
  amountCents: number;
  evidence: Record<string, unknown>;
  evidenceEnc: Uint8Array;
  linkedRecordsIndex: Uint8Array;
  placeId: number;
  placePath: string;
  regionSource: RegionSource;
  runId: number;
  previousFindingId: number | null;
}

/** Inserts a finding for a matter just opened; returns its id. */
export async function insertFinding(db: Executor, finding: NewFinding): Promise<number> {
  const row = await db
    .insertInto('comparison_findings')
    .values({
      matter_id: finding.matterId,
      rule: finding.rule,
      id_number_index: finding.idNumberIndex,
      id_number_enc: finding.idNumberEnc,
      id_number_masked: finding.idNumberMasked,
      name: finding.name,
      dataset: finding.dataset,
      record_key: finding.recordKey,
      match_method: finding.matchMethod,
      match_score: finding.matchScore,
      amount_at_stake_cents: finding.amountCents,
      evidence: JSON.stringify(finding.evidence),
      evidence_enc: finding.evidenceEnc,
      linked_records_index: finding.linkedRecordsIndex,
      place_id: finding.placeId,
      place_path: finding.placePath,
      region_source: finding.regionSource,
      first_run_id: finding.runId,
      last_run_id: finding.runId,
      previous_finding_id: finding.previousFindingId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/**
 * Updates an open finding in place with what a later run found (new amount, evidence, link); its
 * place stays where it was assigned, so that it does not jump between auditors mid-verification.
 */
export async function refreshFinding(
  db: Executor,
  id: number,
  facts: Pick<NewFinding, 'name' | 'dataset' | 'recordKey' | 'matchMethod' | 'matchScore' | 'amountCents' | 'evidence' | 'evidenceEnc' | 'linkedRecordsIndex' | 'runId'>,
): Promise<void> {
  await db
    .updateTable('comparison_findings')
    .set({
      name: facts.name,
      dataset: facts.dataset,
      record_key: facts.recordKey,
      match_method: facts.matchMethod,
      match_score: facts.matchScore,
      amount_at_stake_cents: facts.amountCents,
      evidence: JSON.stringify(facts.evidence),
      evidence_enc: facts.evidenceEnc,
      linked_records_index: facts.linkedRecordsIndex,
      last_run_id: facts.runId,
      updated_at: sql`now()`,
    })
    .where('id', '=', id)
    .execute();
}

/** Records that a run raised these open findings again with nothing changed. */
export async function markSeenByRun(db: Executor, ids: number[], runId: number): Promise<void> {
  for (let start = 0; start < ids.length; start += 1000) {
    await db.updateTable('comparison_findings').set({ last_run_id: runId }).where('id', 'in', ids.slice(start, start + 1000)).execute();
  }
}

/** Filters of the auditor's queue and of the finding export. */
export interface FindingFilter {
  rule?: string | undefined;
  /** `open` = pending or confirmed; `closed` = any final state; `all`; otherwise a state code. */
  state?: string | undefined;
  /** Findings last raised by this run. */
  runId?: number | undefined;
  /** Findings placed within this ltree path. */
  placePath?: string | undefined;
  namePrefix?: string | undefined;
  idNumberIndex?: Uint8Array | undefined;
}

function findingsQuery(db: Executor, scope: { scopePath: string }, filter: FindingFilter) {
  let query = db
    .selectFrom('comparison_findings as f')
    .innerJoin('matters as m', 'm.id', 'f.matter_id')
    .innerJoin('places as p', 'p.id', 'f.place_id')
    .where(inScope('f.place_path', scope));
  if (filter.rule) query = query.where('f.rule', '=', filter.rule);
  if (filter.state === 'open') query = query.where('m.closed_at', 'is', null);
  else if (filter.state === 'closed') query = query.where('m.closed_at', 'is not', null);
  else if (filter.state && filter.state !== 'all') query = query.where('m.state', '=', filter.state);
  if (filter.runId !== undefined) query = query.where('f.last_run_id', '=', filter.runId);
  if (filter.placePath) query = query.where(sql<boolean>`f.place_path <@ ${filter.placePath}::ltree`);
  if (filter.namePrefix) query = query.where('f.name', 'like', `${filter.namePrefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  if (filter.idNumberIndex) query = query.where('f.id_number_index', '=', filter.idNumberIndex);
  return query;
}

const SUMMARY_COLUMNS = [
  'f.id',
  'f.matter_id',
  'm.reference',
  'm.state',
  'm.step_due_at',
  'm.closed_at',
  'f.rule',
  'f.name',
  'f.id_number_masked',
  'f.match_method',
  'f.match_score',
  'f.amount_at_stake_cents',
  'f.amount_to_recover_cents',
  'f.amount_recovered_cents',
  'f.dismissal_reason',
  'f.place_id',
  'p.name as place_name',
  'f.region_source',
  'f.first_run_id',
  'f.last_run_id',
  'f.created_at',
  'f.updated_at',
] as const;

/** A page of findings within the scope: open ones by due date first, then the newest. */
export async function listFindings(db: Executor, scope: { scopePath: string }, filter: FindingFilter, page: { limit: number; offset: number }) {
  const query = findingsQuery(db, scope, filter);
  const [rows, count] = await Promise.all([
    query
      .select(SUMMARY_COLUMNS)
      .orderBy(sql`m.closed_at IS NOT NULL`)
      .orderBy('m.step_due_at')
      .orderBy('f.id', 'desc')
      .limit(page.limit)
      .offset(page.offset)
      .execute(),
    query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

/** Findings in scope after `afterId`, in id order: the export walks them in pages. */
export function findFindingsAfter(db: Executor, scope: { scopePath: string }, filter: FindingFilter, afterId: number, limit: number) {
  return findingsQuery(db, scope, filter).select(SUMMARY_COLUMNS).where('f.id', '>', afterId).orderBy('f.id').limit(limit).execute();
}

/** One finding in scope with its evidence (masked) and its matter's state; locked with `forUpdate`. */
export async function findFinding(db: Executor, scope: { scopePath: string }, id: number, forUpdate = false) {
  let query = findingsQuery(db, scope, {})
    .select([...SUMMARY_COLUMNS, 'f.dataset', 'f.record_key', 'f.evidence', 'f.place_path', 'f.previous_finding_id', 'm.step_seq'])
    .where('f.id', '=', id);
  if (forUpdate) query = query.forUpdate('f');
  return query.executeTakeFirst();
}

/** The encrypted ID number and evidence of a finding in scope, to unmask. */
export function findFindingSecrets(db: Executor, scope: { scopePath: string }, id: number) {
  return db
    .selectFrom('comparison_findings')
    .select(['id', 'id_number_enc', 'evidence_enc'])
    .where('id', '=', id)
    .where(inScope('place_path', scope))
    .executeTakeFirst();
}

/** The finding of a matter (for the matter's own page). */
export function findFindingIdOfMatter(db: Executor, matterId: number) {
  return db.selectFrom('comparison_findings').select('id').where('matter_id', '=', matterId).executeTakeFirst();
}

/** Records why a finding was dismissed, which decides whether it is raised again. */
export async function setDismissalReason(db: Executor, id: number, reason: DismissalReason): Promise<void> {
  await db.updateTable('comparison_findings').set({ dismissal_reason: reason, updated_at: sql`now()` }).where('id', '=', id).execute();
}

/** Records the amount to recover (应追回金额) of a confirmed finding. */
export async function setAmountToRecover(db: Executor, id: number, cents: number): Promise<void> {
  await db.updateTable('comparison_findings').set({ amount_to_recover_cents: cents, updated_at: sql`now()` }).where('id', '=', id).execute();
}

/** Records one recovery (追回) and adds it to the finding's recovered total. */
export async function insertRecovery(db: Executor, recovery: { findingId: number; amountCents: number; recoveredOn: string; note: string; createdBy: number | null }): Promise<number> {
  const row = await db
    .insertInto('comparison_recoveries')
    .values({ finding_id: recovery.findingId, amount_cents: recovery.amountCents, recovered_on: recovery.recoveredOn, note: recovery.note, created_by: recovery.createdBy })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .updateTable('comparison_findings')
    .set({ amount_recovered_cents: sql`amount_recovered_cents + ${recovery.amountCents}`, updated_at: sql`now()` })
    .where('id', '=', recovery.findingId)
    .execute();
  return row.id;
}

/** The recoveries of a finding in the order recorded, with who recorded them. */
export function findRecoveries(db: Executor, findingId: number) {
  return db
    .selectFrom('comparison_recoveries as r')
    .leftJoin('users as u', 'u.id', 'r.created_by')
    .select(['r.id', 'r.amount_cents', 'r.recovered_on', 'r.note', 'r.created_at', 'u.display_name as created_by_name'])
    .where('r.finding_id', '=', findingId)
    .orderBy('r.id')
    .execute();
}

/** Per rule within the scope: findings by outcome and the money at stake, to recover and recovered. */
export async function totalsByRule(db: Executor, scope: { scopePath: string }, filter: { placePath?: string | undefined }) {
  let query = db
    .selectFrom('comparison_findings as f')
    .innerJoin('matters as m', 'm.id', 'f.matter_id')
    .where(inScope('f.place_path', scope));
  if (filter.placePath) query = query.where(sql<boolean>`f.place_path <@ ${filter.placePath}::ltree`);
  const rows = await query
    .select([
      'f.rule',
      sql<number>`count(*)`.as('findings'),
      sql<number>`count(*) FILTER (WHERE m.state = ${FINDING_STATES.pending})`.as('pending'),
      sql<number>`count(*) FILTER (WHERE m.state = ${FINDING_STATES.confirmed})`.as('confirmed'),
      sql<number>`count(*) FILTER (WHERE m.state = ${FINDING_STATES.settled})`.as('settled'),
      sql<number>`count(*) FILTER (WHERE m.state = ${FINDING_STATES.dismissed})`.as('dismissed'),
      sql<number>`count(*) FILTER (WHERE m.state = ${FINDING_STATES.retracted})`.as('retracted'),
      sql<string>`coalesce(sum(f.amount_at_stake_cents) FILTER (WHERE m.state IN (${FINDING_STATES.pending}, ${FINDING_STATES.confirmed}, ${FINDING_STATES.settled})), 0)::text`.as('at_stake_cents'),
      sql<string>`coalesce(sum(f.amount_to_recover_cents), 0)::text`.as('to_recover_cents'),
      sql<string>`coalesce(sum(f.amount_recovered_cents), 0)::text`.as('recovered_cents'),
    ])
    .groupBy('f.rule')
    .orderBy('f.rule')
    .execute();
  return rows.map((row) => ({
    rule: row.rule,
    findings: Number(row.findings),
    pending: Number(row.pending),
    confirmed: Number(row.confirmed),
    settled: Number(row.settled),
    dismissed: Number(row.dismissed),
    retracted: Number(row.retracted),
    atStakeCents: Number(row.at_stake_cents),
    toRecoverCents: Number(row.to_recover_cents),
    recoveredCents: Number(row.recovered_cents),
  }));
}

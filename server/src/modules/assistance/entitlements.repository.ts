import { sql, type Insertable } from 'kysely';
import type { Executor } from '../../platform/db/database.ts';
import type { AssistanceEntitlementsTable } from '../../platform/db/schema.ts';
import { inScope } from '../../platform/auth/index.ts';

export async function insertEntitlement(db: Executor, row: Insertable<AssistanceEntitlementsTable>): Promise<number> {
  const inserted = await db.insertInto('assistance_entitlements').values(row).returning('id').executeTakeFirstOrThrow();
  return Number(inserted.id);
}

/**
 * The entitlements a month owes, as SQL over `e`: monthly ones running that month, a one-off in its
 * first month, a yearly one in the month of the year it started. A stopped entitlement owes up to
 * its last month, and nothing when it stopped before its first.
 */
function owedIn(month: string) {
  return sql<boolean>`(e.start_month <= ${month}::date
    AND (e.end_month IS NULL AND e.status = 'active' OR e.end_month >= ${month}::date)
    AND (e.period = 'monthly'
      OR e.period = 'once' AND e.start_month = ${month}::date
      OR e.period = 'yearly' AND extract(month FROM e.start_month) = extract(month FROM ${month}::date)))`;
}

/** Writes the month's payments of every entitlement in scope that owes one and has none yet; answers how many. */
export async function insertPaymentsFor(db: Executor, scopePath: string, month: string): Promise<{ count: number; totalFen: number }> {
  const result = await sql<{ count: string; total: string | null }>`
    WITH paid AS (
      INSERT INTO assistance_payments (entitlement_id, month, amount_fen, department_code)
      SELECT e.id, ${month}::date, e.amount_fen, e.department_code FROM assistance_entitlements e
       WHERE ${owedIn(month)} AND ${scopeSql(scopePath)}
      ON CONFLICT (entitlement_id, month) DO NOTHING
      RETURNING amount_fen)
    SELECT count(*) AS count, sum(amount_fen) AS total FROM paid`.execute(db);
  const row = result.rows[0]!;
  return { count: Number(row.count), totalFen: Number(row.total ?? 0) };
}

function scopeSql(scopePath: string) {
  return inScope('e.place_path', { scopePath });
}

/** One department's figures for a month: what entitlements owe, what the ledger paid, what is to recover. */
export interface ReconciliationRow {
  department_code: string;
  owed_count: number;
  owed_fen: number;
  paid_count: number;
  paid_fen: number;
  to_recover_count: number;
  to_recover_fen: number;
  unpaid_count: number;
  paid_not_owed_count: number;
}

/**
 * Reconciliation of a month per department (对账): entitlements owed against ledger rows paid,
 * with the owed but unpaid and the paid but not owed counted apart, so a difference names its cause.
 */
export async function reconcileMonth(db: Executor, scopePath: string, month: string): Promise<ReconciliationRow[]> {
  const result = await sql<Record<keyof ReconciliationRow, string>>`
    WITH owed AS (
      SELECT e.id, e.department_code, e.amount_fen FROM assistance_entitlements e WHERE ${owedIn(month)} AND ${scopeSql(scopePath)}),
    ledger AS (
      SELECT p.entitlement_id, p.department_code, p.amount_fen, p.status FROM assistance_payments p
        JOIN assistance_entitlements e ON e.id = p.entitlement_id
       WHERE p.month = ${month}::date AND ${scopeSql(scopePath)}),
    departments AS (SELECT department_code FROM owed UNION SELECT department_code FROM ledger)
    SELECT d.department_code,
      (SELECT count(*) FROM owed o WHERE o.department_code = d.department_code) AS owed_count,
      (SELECT coalesce(sum(o.amount_fen), 0) FROM owed o WHERE o.department_code = d.department_code) AS owed_fen,
      (SELECT count(*) FROM ledger l WHERE l.department_code = d.department_code AND l.status = 'paid') AS paid_count,
      (SELECT coalesce(sum(l.amount_fen), 0) FROM ledger l WHERE l.department_code = d.department_code AND l.status = 'paid') AS paid_fen,
      (SELECT count(*) FROM ledger l WHERE l.department_code = d.department_code AND l.status = 'to_recover') AS to_recover_count,
      (SELECT coalesce(sum(l.amount_fen), 0) FROM ledger l WHERE l.department_code = d.department_code AND l.status = 'to_recover') AS to_recover_fen,
      (SELECT count(*) FROM owed o WHERE o.department_code = d.department_code AND NOT EXISTS (SELECT 1 FROM ledger l WHERE l.entitlement_id = o.id)) AS unpaid_count,
      (SELECT count(*) FROM ledger l WHERE l.department_code = d.department_code AND l.status = 'paid' AND NOT EXISTS (SELECT 1 FROM owed o WHERE o.id = l.entitlement_id)) AS paid_not_owed_count
    FROM departments d ORDER BY d.department_code`.execute(db);
  return result.rows.map((row) => ({
    department_code: row.department_code,
    owed_count: Number(row.owed_count),
    owed_fen: Number(row.owed_fen),
    paid_count: Number(row.paid_count),
    paid_fen: Number(row.paid_fen),
    to_recover_count: Number(row.to_recover_count),
    to_recover_fen: Number(row.to_recover_fen),
    unpaid_count: Number(row.unpaid_count),
    paid_not_owed_count: Number(row.paid_not_owed_count),
  }));
}

/** Active entitlements paid to any of these people (by the blind index of their ID number), locked. */
export function findActiveByPayees(db: Executor, payeeIndexes: Uint8Array[]) {
  if (payeeIndexes.length === 0) return Promise.resolve([]);
  return db.selectFrom('assistance_entitlements').selectAll().where('status', '=', 'active').where('payee_id_number_index', 'in', payeeIndexes).forUpdate().execute();
}

/** Stops an entitlement after `lastMonth` (null: before it paid anything). */
export async function stopEntitlement(db: Executor, id: number, stop: { lastMonth: string | null; reason: 'death' | 'ineligible' | 'withdrawn'; note: string; at: Date }): Promise<void> {
  await db
    .updateTable('assistance_entitlements')
    .set({ status: 'stopped', end_month: stop.lastMonth, stop_reason: stop.reason, stop_note: stop.note, stopped_at: stop.at })
    .where('id', '=', id)
    .execute();
}

/** Marks payments made for months after an entitlement's last month as to be recovered; answers them. */
export async function markPaymentsToRecover(db: Executor, entitlementId: number, lastMonth: string | null) {
  let query = db.updateTable('assistance_payments').set({ status: 'to_recover' }).where('entitlement_id', '=', entitlementId).where('status', '=', 'paid');
  if (lastMonth !== null) query = query.where('month', '>', lastMonth);
  return query.returning(['month', 'amount_fen']).execute();
}

/** Filters of the entitlement list. */
export interface EntitlementFilter {
  status?: 'active' | 'stopped' | undefined;
  departmentCode?: string | undefined;
  applicationId?: number | undefined;
  payeeIndex?: Uint8Array | undefined;
}

/** A page of entitlements in scope with what each has been paid. */
export async function listEntitlements(db: Executor, scopePath: string, filter: EntitlementFilter, page: { limit: number; offset: number }) {
  let query = db.selectFrom('assistance_entitlements as e').where(inScope('e.place_path', { scopePath }));
  if (filter.status) query = query.where('e.status', '=', filter.status);
  if (filter.departmentCode) query = query.where('e.department_code', '=', filter.departmentCode);
  if (filter.applicationId) query = query.where('e.application_id', '=', filter.applicationId);
  if (filter.payeeIndex) query = query.where('e.payee_id_number_index', '=', filter.payeeIndex);
  const [rows, count] = await Promise.all([
    query
      .innerJoin('assistance_policies as p', 'p.code', 'e.policy_code')
      .innerJoin('assistance_applications as a', 'a.id', 'e.application_id')
      .select([
        'e.id',
        'e.application_id',
        'a.reference as application_reference',
        'e.payee_name',
        'e.payee_id_number_masked',
        'e.department_code',
        'e.policy_code',
        'p.name_zh as policy_name_zh',
        'p.name_en as policy_name_en',
        'e.category_code',
        'e.period',
        'e.amount_fen',
        sql<string>`to_char(e.start_month, 'YYYY-MM')`.as('start_month'),
        sql<string | null>`to_char(e.end_month, 'YYYY-MM')`.as('end_month'),
        'e.status',
        'e.stop_reason',
        'e.stop_note',
      ])
      .select([
        sql<string>`(SELECT coalesce(sum(amount_fen), 0) FROM assistance_payments WHERE entitlement_id = e.id AND status = 'paid')`.as('paid_fen'),
        sql<string>`(SELECT coalesce(sum(amount_fen), 0) FROM assistance_payments WHERE entitlement_id = e.id AND status = 'to_recover')`.as('to_recover_fen'),
      ])
      .orderBy('e.id', 'desc')
      .limit(page.limit)
      .offset(page.offset)
      .execute(),
    query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

/** The ledger of one entitlement, month by month. */
export function findPayments(db: Executor, entitlementId: number) {
  return db
    .selectFrom('assistance_payments')
    .select([sql<string>`to_char(month, 'YYYY-MM')`.as('month'), 'amount_fen', 'status'])
    .where('entitlement_id', '=', entitlementId)
    .orderBy('month')
    .execute();
}

/** One entitlement in scope, locked when asked. */
export function findEntitlement(db: Executor, scopePath: string, id: number, forUpdate = false) {
  let query = db.selectFrom('assistance_entitlements as e').selectAll('e').where('e.id', '=', id).where(inScope('e.place_path', { scopePath }));
  if (forUpdate) query = query.forUpdate();
  return query.executeTakeFirst();
}

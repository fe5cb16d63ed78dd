import { appendAudit } from '../../platform/audit/index.ts';
import { auditActorOf, requirePermission, type Principal } from '../../platform/auth/index.ts';
import type { Executor } from '../../platform/db/database.ts';
import type { AssistanceApplicationItemsTable } from '../../platform/db/schema.ts';
import { AppError } from '../../platform/errors.ts';
import type { AppServices } from '../../platform/http/context.ts';
import type { Selectable } from 'kysely';
import { findLatestReadyFiles, findReadyFiles, withPersonTables, type PersonDataset } from '../compare/index.ts';
import { chinaDate } from '../matters/index.ts';
import * as applications from './applications.repository.ts';
import * as repo from './entitlements.repository.ts';

/**
 * Entitlements (待遇) and their ledger (一卡通发放台账). A granted item with money becomes an
 * entitlement paid to the applicant's social-security card from the month of the grant: monthly,
 * once, or yearly. The monthly payment run writes one ledger row per entitlement owed that month
 * (a repeated run pays nothing twice); reconciliation sets what entitlements owe against what the
 * ledger paid, per department. A death in the deaths extract stops a person's entitlements from
 * the month after the death, and any month already paid after it is marked to be recovered.
 */

/** `YYYY-MM` → the first day of that month; throws VALIDATION_FAILED otherwise. */
export function monthStart(month: string, field = 'month'): string {
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) throw new AppError('VALIDATION_FAILED', `${field} must be YYYY-MM`, { fields: [{ field, message: 'must be YYYY-MM' }] });
  return `${month}-01`;
}

const firstOfMonth = (day: string) => `${day.slice(0, 7)}-01`;

/** Creates the entitlement of a granted item, inside the grant's transaction. */
export async function grantEntitlement(trx: Executor, item: Selectable<AssistanceApplicationItemsTable>, grantedAt: Date): Promise<number> {
  const application = await trx
    .selectFrom('assistance_applications')
    .select(['applicant_name', 'applicant_id_number_index', 'applicant_id_number_masked', 'place_path'])
    .where('id', '=', item.application_id)
    .executeTakeFirstOrThrow();
  if (!application.applicant_id_number_index || !application.applicant_id_number_masked || !application.place_path) {
    throw new AppError('CONFLICT', `application ${item.application_id} has no valid applicant to pay`);
  }
  const period = item.benefit_period === 'none' ? 'once' : item.benefit_period;
  const id = await repo.insertEntitlement(trx, {
    item_id: item.id,
    application_id: item.application_id,
    payee_name: application.applicant_name,
    payee_id_number_index: application.applicant_id_number_index,
    payee_id_number_masked: application.applicant_id_number_masked,
    place_path: application.place_path,
    department_code: item.department_code,
    policy_code: item.policy_code,
    category_code: item.category_code,
    period,
    amount_fen: Number(item.amount_fen),
    start_month: firstOfMonth(chinaDate(grantedAt)),
  });
  return id;
}

/**
 * The payment run of a month (按月发放) for the principal's region: first the newest deaths extract
 * stops what it must, then every entitlement owed that month without a ledger row gets one.
 */
export async function runMonthlyPayments(services: Pick<AppServices, 'db' | 'cipher'>, principal: Principal, month: string, now: Date = new Date()) {
  requirePermission(principal, 'assistance:entitlement:manage');
  const day = monthStart(month);
  if (day > firstOfMonth(chinaDate(now))) throw new AppError('VALIDATION_FAILED', 'a month is paid once it has begun', { fields: [{ field: 'month', message: 'is in the future' }] });
  const deaths = await applyLatestDeaths(services, principal, now);
  return services.db.transaction().execute(async (trx) => {
    const paid = await repo.insertPaymentsFor(trx, principal.scopePath, day);
    await appendAudit(trx, auditActorOf(principal), { action: 'assistance.payments.run', entityType: 'assistance_payment', details: { month, ...paid } });
    return { month, payments: paid.count, totalFen: paid.totalFen, deaths };
  });
}

/** Reconciliation of a month (对账) per department, in the principal's region. */
export async function reconcileMonth(services: Pick<AppServices, 'db'>, principal: Principal, month: string) {
  requirePermission(principal, 'assistance:entitlement:read');
  const rows = await repo.reconcileMonth(services.db, principal.scopePath, monthStart(month));
  const departments = await applications.findDepartments(services.db, rows.map((r) => r.department_code));
  const names = new Map(departments.map((d) => [d.code, { zh: d.name_zh, en: d.name_en }]));
  const lines = rows.map((row) => ({
    departmentCode: row.department_code,
    departmentName: names.get(row.department_code) ?? { zh: row.department_code, en: row.department_code },
    owedCount: row.owed_count,
    owedFen: row.owed_fen,
    paidCount: row.paid_count,
    paidFen: row.paid_fen,
    toRecoverCount: row.to_recover_count,
    toRecoverFen: row.to_recover_fen,
    unpaidCount: row.unpaid_count,
    paidNotOwedCount: row.paid_not_owed_count,
    balances: row.owed_fen === row.paid_fen && row.unpaid_count === 0 && row.paid_not_owed_count === 0,
  }));
  const sum = (key: 'owedFen' | 'paidFen' | 'toRecoverFen') => lines.reduce((total, line) => total + line[key], 0);
  return { month, lines, totals: { owedFen: sum('owedFen'), paidFen: sum('paidFen'), toRecoverFen: sum('toRecoverFen'), balances: lines.every((l) => l.balances) } };
}

/** What applying a deaths extract did. */
export interface DeathsOutcome {
  datasetId: number | null;
  deathsRead: number;
  stopped: number;
  paymentsToRecover: number;
  amountToRecoverFen: number;
}

async function applyLatestDeaths(services: Pick<AppServices, 'db' | 'cipher'>, principal: Principal, now: Date): Promise<DeathsOutcome> {
  const [latest] = await findLatestReadyFiles(services.db, ['deaths']);
  if (!latest) return { datasetId: null, deathsRead: 0, stopped: 0, paymentsToRecover: 0, amountToRecoverFen: 0 };
  return applyDeathsDataset(services, principal, latest.id, now);
}

/**
 * Stops the entitlements of people the deaths extract records as dead: paid through the month of
 * the death, not after. Months already paid after it are marked to be recovered. Applying the same
 * extract again changes nothing.
 */
export async function applyDeathsDataset(services: Pick<AppServices, 'db' | 'cipher'>, principal: Principal, datasetId: number, now: Date = new Date()): Promise<DeathsOutcome> {
  requirePermission(principal, 'assistance:entitlement:manage');
  const { cipher } = services;
  const dataset = await findReadyFiles(services.db, datasetId);
  if (!dataset || dataset.kind !== 'deaths') throw new AppError('NOT_FOUND', `no ready deaths extract ${datasetId}`);
  const deaths = await readDeaths(dataset);
  const byIndex = new Map<string, { day: string }>();
  for (const death of deaths) byIndex.set(Buffer.from(cipher.blindIndex(death.idNumber)).toString('hex'), { day: death.day });
  const outcome: DeathsOutcome = { datasetId, deathsRead: deaths.length, stopped: 0, paymentsToRecover: 0, amountToRecoverFen: 0 };
  const indexes = [...byIndex.keys()].map((hex) => Buffer.from(hex, 'hex'));
  for (let start = 0; start < indexes.length; start += 1000) {
    await services.db.transaction().execute(async (trx) => {
      for (const entitlement of await repo.findActiveByPayees(trx, indexes.slice(start, start + 1000))) {
        const death = byIndex.get(Buffer.from(entitlement.payee_id_number_index).toString('hex'))!;
        const deathMonth = firstOfMonth(death.day);
        const lastMonth = deathMonth >= entitlement.start_month ? deathMonth : null;
        await repo.stopEntitlement(trx, entitlement.id, { lastMonth, reason: 'death', note: `死亡数据（数据集 ${datasetId}）：${death.day} 死亡`, at: now });
        const recovered = await repo.markPaymentsToRecover(trx, entitlement.id, lastMonth);
        outcome.stopped += 1;
        outcome.paymentsToRecover += recovered.length;
        outcome.amountToRecoverFen += recovered.reduce((sum, p) => sum + Number(p.amount_fen), 0);
        await appendAudit(trx, auditActorOf(principal), {
          action: 'assistance.entitlement.stopped',
          entityType: 'assistance_entitlement',
          entityId: entitlement.id,
          details: { reason: 'death', datasetId, lastMonth, paymentsToRecover: recovered.length },
        });
      }
    });
  }
  return outcome;
}

/** Valid IDs and death dates of a deaths extract, read in DuckDB with the comparison's loader. */
function readDeaths(dataset: PersonDataset): Promise<Array<{ idNumber: string; day: string }>> {
  return withPersonTables([dataset], undefined, async (connection) => {
    const reader = await connection.runAndReadAll(`SELECT id_norm, CAST(min(death_date) AS VARCHAR) AS day FROM deaths WHERE id_norm IS NOT NULL AND death_date IS NOT NULL GROUP BY id_norm`);
    return reader.getRowObjectsJson().map((row) => ({ idNumber: String(row.id_norm), day: String(row.day) }));
  });
}

/** Ends an entitlement when eligibility ends (or the payee renounces it), paid through `lastMonth`. */
export async function stopEntitlement(services: Pick<AppServices, 'db'>, principal: Principal, id: number, input: { reason: 'ineligible' | 'withdrawn'; note: string; lastMonth: string }, now: Date = new Date()) {
  requirePermission(principal, 'assistance:entitlement:manage');
  const note = input.note.trim();
  if (!note) throw new AppError('VALIDATION_FAILED', 'say why the entitlement stops', { fields: [{ field: 'note', message: 'required' }] });
  const lastMonth = monthStart(input.lastMonth, 'lastMonth');
  return services.db.transaction().execute(async (trx) => {
    const entitlement = await repo.findEntitlement(trx, principal.scopePath, id, true);
    if (!entitlement) throw new AppError('NOT_FOUND', `no entitlement ${id} in your region`);
    if (entitlement.status !== 'active') throw new AppError('CONFLICT', `entitlement ${id} has already stopped`);
    const last = lastMonth >= entitlement.start_month ? lastMonth : null;
    await repo.stopEntitlement(trx, id, { lastMonth: last, reason: input.reason, note, at: now });
    const recovered = await repo.markPaymentsToRecover(trx, id, last);
    await appendAudit(trx, auditActorOf(principal), { action: 'assistance.entitlement.stopped', entityType: 'assistance_entitlement', entityId: id, details: { reason: input.reason, lastMonth: last, paymentsToRecover: recovered.length } });
    return { id, lastMonth: last, paymentsToRecover: recovered.length };
  });
}

/** A page of entitlements in the principal's region, each with what it has paid. */
export async function listEntitlements(services: Pick<AppServices, 'db'>, principal: Principal, filter: repo.EntitlementFilter, page: { limit: number; offset: number }) {
  requirePermission(principal, 'assistance:entitlement:read');
  const { rows, total } = await repo.listEntitlements(services.db, principal.scopePath, filter, page);
  return {
    total,
    items: rows.map((row) => ({
      id: Number(row.id),
      applicationId: Number(row.application_id),
      applicationReference: row.application_reference,
      payeeName: row.payee_name,
      payeeIdNumberMasked: row.payee_id_number_masked,
      departmentCode: row.department_code,
      policyCode: row.policy_code,
      policyName: { zh: row.policy_name_zh, en: row.policy_name_en },
      categoryCode: row.category_code,
      period: row.period,
      amountFen: Number(row.amount_fen),
      startMonth: row.start_month,
      endMonth: row.end_month,
      status: row.status,
      stopReason: row.stop_reason,
      stopNote: row.stop_note,
      paidFen: Number(row.paid_fen),
      toRecoverFen: Number(row.to_recover_fen),
    })),
  };
}

/** One entitlement's ledger, month by month. */
export async function getLedger(services: Pick<AppServices, 'db'>, principal: Principal, id: number) {
  requirePermission(principal, 'assistance:entitlement:read');
  const entitlement = await repo.findEntitlement(services.db, principal.scopePath, id);
  if (!entitlement) throw new AppError('NOT_FOUND', `no entitlement ${id} in your region`);
  const payments = await repo.findPayments(services.db, id);
  return { id, payments: payments.map((p) => ({ month: p.month, amountFen: Number(p.amount_fen), status: p.status })) };
}

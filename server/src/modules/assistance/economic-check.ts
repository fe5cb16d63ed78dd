import type { DuckDBConnection } from '@duckdb/node-api';
import type { Executor } from '../../platform/db/database.ts';
import { maskIdNumber } from '../../platform/crypto/masking.ts';
import { DEFAULT_RULE_PARAMETERS, findLatestReadyFiles, withPersonTables, type ExtractKind } from '../compare/index.ts';

/**
 * The household economic check (家庭经济状况核对): what the departments' extracts already loaded
 * for 大数据比对 say about the members of a household — wages paid in the last six months
 * (payroll), businesses they represent (business registry), out-of-pocket hospital costs in the
 * last twelve months (hospital), assistance already received (assistance roll) and deaths. The
 * newest ready dataset of each kind is read in an embedded DuckDB, only the members' rows come
 * back, and the record keeps which datasets were read, so a decision can cite its sources.
 */

/** The extract kinds the check reads; a check without one of them cannot prove eligibility. */
export const CHECKED_KINDS = ['payroll', 'business', 'hospital', 'assistance', 'deaths'] as const satisfies readonly ExtractKind[];

/** Categories of the assistance roll (as departments write them) → catalogue category codes. */
const ROLL_CATEGORIES: Readonly<Record<string, string>> = {
  低保: 'subsistence_allowance',
  最低生活保障: 'subsistence_allowance',
  特困: 'destitute_support',
  特困供养: 'destitute_support',
  低保边缘: 'low_income_household',
  临时救助: 'temporary_assistance',
};

/** A dataset the check read. */
export interface CheckedSource {
  kind: string;
  datasetId: number;
  name: string;
  fileName: string;
  profiledAt: string | null;
}

/** What the data says about one member. */
export interface MemberFindings {
  /** Position of the member in the application. */
  index: number;
  idNumberMasked: string;
  payroll: { months: number; totalFen: number; averageMonthlyFen: number; employers: string[] } | null;
  businesses: Array<{ name: string; status: string; isActive: boolean; registeredCapitalFen: number; kind: 'individual' | 'company' }>;
  hospitalOutOfPocketFen: number;
  assistance: Array<{ category: string; categoryCode: string | null; monthlyAmountFen: number }>;
  deathDate: string | null;
}

/** The record of one check, stored with the application. */
export interface EconomicCheck {
  checkedAt: string;
  /** The day the look-back windows end (the application's date, Beijing time). */
  asOf: string;
  sources: CheckedSource[];
  /** Kinds with no ready dataset: what the data could not say. */
  missingSources: string[];
  members: MemberFindings[];
}

/** Months of wages the check looks back over (the 6 months, like 应参保未参保). */
const WAGE_MONTHS = DEFAULT_RULE_PARAMETERS.employedWindowMonths;
/** Months of hospital costs it looks back over. */
const HOSPITAL_MONTHS = DEFAULT_RULE_PARAMETERS.illnessWindowMonths;

function idList(ids: readonly string[]): string {
  // IDs reach here normalised and validated (18 characters of digits and X); quoting is belt and braces.
  return ids.map((id) => `'${id.replace(/'/g, "''")}'`).join(', ');
}

async function rows(connection: DuckDBConnection, sql: string): Promise<Array<Record<string, unknown>>> {
  return (await connection.runAndReadAll(sql)).getRowObjectsJson() as Array<Record<string, unknown>>;
}

/**
 * Checks the members (normalised 18-character ID numbers, in the application's order) against the
 * newest ready extracts. Never throws for missing data: a kind without a dataset is listed in
 * `missingSources`, and the caller decides what the check can then prove.
 */
export async function runEconomicCheck(db: Executor, idNumbers: readonly string[], asOf: string, now: Date = new Date()): Promise<EconomicCheck> {
  const datasets = await findLatestReadyFiles(db, CHECKED_KINDS);
  const byKind = new Map(datasets.map((d) => [d.kind, d]));
  const missingSources = CHECKED_KINDS.filter((kind) => !byKind.has(kind));
  const members: MemberFindings[] = idNumbers.map((id, index) => ({
    index,
    idNumberMasked: maskIdNumber(id),
    payroll: null,
    businesses: [],
    hospitalOutOfPocketFen: 0,
    assistance: [],
    deathDate: null,
  }));
  const result: EconomicCheck = {
    checkedAt: now.toISOString(),
    asOf,
    sources: datasets.map((d) => ({ kind: d.kind, datasetId: d.id, name: d.name, fileName: d.file_name, profiledAt: d.profiled_at ? new Date(d.profiled_at).toISOString() : null })),
    missingSources,
    members,
  };
  if (datasets.length === 0 || idNumbers.length === 0) return result;

  const at = new Map(idNumbers.map((id, index) => [id, members[index]!]));
  const wanted = idList(idNumbers);
  const monthStart = `date_trunc('month', DATE '${asOf}')`;
  return withPersonTables(datasets, asOf, async (connection) => {
    if (byKind.has('payroll')) {
      for (const row of await rows(
        connection,
        `SELECT id_norm, CAST(count(DISTINCT month) AS INTEGER) AS months, CAST(sum(wage_cents) AS BIGINT) AS total, list(DISTINCT employer_name ORDER BY employer_name) AS employers
           FROM payroll WHERE id_norm IN (${wanted}) AND month >= ${monthStart} - INTERVAL ${WAGE_MONTHS} MONTH AND month < ${monthStart}
          GROUP BY id_norm`,
      )) {
        const total = Number(row.total);
        at.get(String(row.id_norm))!.payroll = { months: Number(row.months), totalFen: total, averageMonthlyFen: Math.floor(total / WAGE_MONTHS), employers: row.employers as string[] };
      }
    }
    if (byKind.has('business')) {
      const active = new Set(DEFAULT_RULE_PARAMETERS.activeBusinessStatuses);
      for (const row of await rows(
        connection,
        `SELECT id_norm, business_name, credit_code, status, registered_capital_cents FROM business WHERE id_norm IN (${wanted}) ORDER BY business_name`,
      )) {
        const status = String(row.status);
        // GB 32100: registration authority 9 (market regulation), institution type 2 = 个体工商户.
        const kind = String(row.credit_code).startsWith('92') ? 'individual' : 'company';
        at.get(String(row.id_norm))!.businesses.push({ name: String(row.business_name), status, isActive: active.has(status), registeredCapitalFen: Number(row.registered_capital_cents), kind });
      }
    }
    if (byKind.has('hospital')) {
      for (const row of await rows(
        connection,
        `SELECT id_norm, CAST(sum(out_of_pocket_cents) AS BIGINT) AS paid FROM hospital
          WHERE id_norm IN (${wanted}) AND coalesce(discharge_date, admission_date) >= DATE '${asOf}' - INTERVAL ${HOSPITAL_MONTHS} MONTH
            AND admission_date <= DATE '${asOf}'
          GROUP BY id_norm`,
      )) {
        at.get(String(row.id_norm))!.hospitalOutOfPocketFen = Number(row.paid);
      }
    }
    if (byKind.has('assistance')) {
      for (const row of await rows(connection, `SELECT id_norm, category, monthly_amount_cents FROM assistance WHERE id_norm IN (${wanted}) AND (start_date IS NULL OR start_date <= DATE '${asOf}')`)) {
        const category = String(row.category);
        at.get(String(row.id_norm))!.assistance.push({ category, categoryCode: ROLL_CATEGORIES[category] ?? null, monthlyAmountFen: Number(row.monthly_amount_cents) });
      }
    }
    if (byKind.has('deaths')) {
      for (const row of await rows(connection, `SELECT id_norm, CAST(min(death_date) AS VARCHAR) AS died FROM deaths WHERE id_norm IN (${wanted}) AND death_date <= DATE '${asOf}' GROUP BY id_norm`)) {
        at.get(String(row.id_norm))!.deathDate = String(row.died);
      }
    }
    return result;
  });
}

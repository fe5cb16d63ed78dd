import type { DuckDBConnection, Json } from '@duckdb/node-api';
import { INSURED_STATUSES, sqlString, type ExtractKind } from './extracts.ts';
import { REPAIRED_LINK_SCORE, type LinkMethod } from './id-links.ts';

/** Parameters of every rule; each has a documented default that a comparison spec may override. */
export interface RuleParameters {
  /** The insured status meaning "benefits are being paid" (DECEASED_DRAWING, IMPRISONED_DRAWING, DUPLICATE_BENEFIT). */
  drawingStatus: string;
  /** DECEASED_DRAWING: raise only when at least this many monthly payments fell after the death month. */
  deceasedMinimumMonths: number;
  /** IMPRISONED_DRAWING: raise only when at least this many whole calendar months were served while drawing. */
  imprisonedMinimumMonths: number;
  /** UNINSURED_EMPLOYED: the window is this many whole calendar months before the as-of month. */
  employedWindowMonths: number;
  /** UNINSURED_EMPLOYED: raise when wages were paid in at least this many months of the window. */
  employedMinimumMonths: number;
  /** UNINSURED_EMPLOYED: count the months per employer (the employer owes the enrolment) rather than across employers. */
  employedBySameEmployer: boolean;
  /** UNINSURED_EMPLOYED: insured statuses that count as being on the roll; a person linked only to other statuses is uninsured. */
  coveredStatuses: string[];
  /** UNINSURED_EMPLOYED: share of the wages owed as pension contributions, for the amount at stake (the employer's 16 %). */
  pensionContributionRate: number;
  /** ASSISTANCE_WITH_BUSINESS: assistance categories the rule applies to (低保 = subsistence allowance). */
  assistanceCategories: string[];
  /** ASSISTANCE_WITH_BUSINESS: business statuses meaning the business is active. */
  activeBusinessStatuses: string[];
  /** ASSISTANCE_WITH_BUSINESS: raise only for registered capital strictly above this, in fen. */
  businessCapitalThresholdCents: number;
  /** ILLNESS_POVERTY_RISK: hospital stays ending in this many months up to the as-of date count. */
  illnessWindowMonths: number;
  /** ILLNESS_POVERTY_RISK: out-of-pocket cost must be strictly above this, in fen. */
  illnessOutOfPocketThresholdCents: number;
  /** ILLNESS_POVERTY_RISK: out-of-pocket cost must also be strictly above this multiple of the household's annual assistance. */
  illnessAssistanceMultiple: number;
}

/** Defaults; the amounts are illustrative policy values for a Chongqing district and meant to be configured. */
export const DEFAULT_RULE_PARAMETERS: RuleParameters = {
  drawingStatus: '领取待遇',
  // Any death before the as-of date is raised: the status should already be 终止.
  deceasedMinimumMonths: 0,
  imprisonedMinimumMonths: 1,
  employedWindowMonths: 6,
  employedMinimumMonths: 3,
  employedBySameEmployer: true,
  coveredStatuses: [...INSURED_STATUSES],
  pensionContributionRate: 0.16,
  assistanceCategories: ['低保'],
  activeBusinessStatuses: ['存续', '在业', '开业'],
  businessCapitalThresholdCents: 10_000_000,
  illnessWindowMonths: 12,
  illnessOutOfPocketThresholdCents: 2_000_000,
  illnessAssistanceMultiple: 1,
};

/** What a rule works with. */
interface RuleContext {
  connection: DuckDBConnection;
  asOf: string;
  parameters: RuleParameters;
}

/** One rule: its reason code, the extracts it needs, the parameters it reads and how it finds suspects. */
interface RuleDefinition {
  /** Short Chinese name, as auditors call it. */
  titleZh: string;
  inputs: readonly ExtractKind[];
  parameters: readonly (keyof RuleParameters)[];
  find(context: RuleContext): Promise<Omit<Suspect, 'rule'>[]>;
}

/**
 * The rules, one entry each: reason code → definition. Adding a rule is adding an entry here; the
 * runner, the spec schema and the summary follow from this table.
 */
export const RULE_DEFINITIONS = {
  DECEASED_DRAWING: {
    titleZh: '死亡冒领',
    inputs: ['insured', 'deaths'],
    parameters: ['drawingStatus', 'deceasedMinimumMonths'],
    find: findDeceasedDrawing,
  },
  IMPRISONED_DRAWING: {
    titleZh: '服刑期间领取',
    inputs: ['insured', 'prison'],
    parameters: ['drawingStatus', 'imprisonedMinimumMonths'],
    find: findImprisonedDrawing,
  },
  DUPLICATE_BENEFIT: {
    titleZh: '重复领取',
    inputs: ['insured'],
    parameters: ['drawingStatus'],
    find: findDuplicateBenefit,
  },
  UNINSURED_EMPLOYED: {
    titleZh: '应参保未参保',
    inputs: ['insured', 'payroll'],
    parameters: ['employedWindowMonths', 'employedMinimumMonths', 'employedBySameEmployer', 'coveredStatuses', 'pensionContributionRate'],
    find: findUninsuredEmployed,
  },
  ASSISTANCE_WITH_BUSINESS: {
    titleZh: '低保对象经营企业',
    inputs: ['assistance', 'business'],
    parameters: ['assistanceCategories', 'activeBusinessStatuses', 'businessCapitalThresholdCents'],
    find: findAssistanceWithBusiness,
  },
  ILLNESS_POVERTY_RISK: {
    titleZh: '因病致贫风险',
    inputs: ['hospital', 'assistance'],
    parameters: ['illnessWindowMonths', 'illnessOutOfPocketThresholdCents', 'illnessAssistanceMultiple'],
    find: findIllnessPovertyRisk,
  },
} as const satisfies Record<string, RuleDefinition>;

/** A rule's reason code, stable across runs and shown to auditors. */
export type RuleCode = keyof typeof RULE_DEFINITIONS;
/** Every rule's reason code, in the order rules run and are reported. */
export const RULE_CODES = Object.keys(RULE_DEFINITIONS) as RuleCode[];
/** Which extracts each rule needs; a rule whose extracts are absent is skipped. */
export const RULE_INPUTS = Object.fromEntries(RULE_CODES.map((code) => [code, RULE_DEFINITIONS[code].inputs])) as unknown as Readonly<
  Record<RuleCode, readonly ExtractKind[]>
>;

/** One suspicious record with its evidence, as written to suspects.csv. */
export interface Suspect {
  rule: RuleCode;
  /**
   * The person's 18-character ID: the insured roll's for the drawing rules, the (repaired) payroll ID
   * for UNINSURED_EMPLOYED, the ID the linked rows share for the others (the roll's when linked to it).
   */
  idNumber: string;
  name: string;
  /** The datasets that produced the suspicion, e.g. `insured+deaths`. */
  dataset: string;
  /** The rows involved, `dataset:row` joined by `;`. */
  recordKey: string;
  /** The weakest link among the rows involved: exact < repaired < fuzzy. */
  matchMethod: LinkMethod;
  /** The lowest link score among the rows involved (1 for exact). */
  matchScore: number;
  /** Amount concerned, in fen (1/100 yuan) so sums stay exact; each rule's evidence says how it was computed. */
  amountAtStakeCents: number;
  /** Plain JSON: sources and rows, how they were linked, which fields agreed, the dates and the amount computation. */
  evidence: Record<string, unknown>;
}

/** Runs one rule inside DuckDB over the loaded and linked extracts; only the suspicious rows come back. */
export async function runRule(connection: DuckDBConnection, rule: RuleCode, asOf: string, parameters: RuleParameters = DEFAULT_RULE_PARAMETERS): Promise<Suspect[]> {
  const found = await RULE_DEFINITIONS[rule].find({ connection, asOf, parameters });
  return found.map((suspect) => ({ rule, ...suspect }));
}

/**
 * The rows of `dataset` with the person each stands for: the insured ID its best link gives, else its
 * own valid ID (a person absent from the roll is still the same person in two other extracts), with
 * the method and score of that identification and the link's evidence.
 */
function identifiedRows(dataset: ExtractKind): string {
  return `(SELECT d.*, coalesce(l.linked_id, d.id_norm) AS person_id,
            coalesce(l.method, 'exact') AS match_method, coalesce(l.score, 1.0) AS match_score, l.evidence AS link_evidence,
            l.linked_id IS NOT NULL AS is_on_roll
     FROM ${dataset} d LEFT JOIN person_links l ON l.dataset = ${sqlString(dataset)} AND l.row_number = d.row_number
     WHERE coalesce(l.linked_id, d.id_norm) IS NOT NULL)`;
}

/**
 * DECEASED_DRAWING. How months are counted: a pension is paid for each calendar month at the start of
 * that month, and the month of death is still due in full. So the undue payments are the months after
 * the death month (and not before the benefit start month) that have begun by the as-of date, the
 * as-of month included: death 2024-01-31, as-of 2024-06-15 → Feb, Mar, Apr, May, Jun = 5 months; a
 * death in the as-of month gives 0 months (still raised: the record is still drawing).
 */
async function findDeceasedDrawing({ connection, asOf, parameters }: RuleContext): Promise<Omit<Suspect, 'rule'>[]> {
  const rows = await readJson(
    connection,
    `WITH death AS (
       SELECT person_id AS id_norm, min(death_date) AS death_date,
              arg_min({'row': row_number, 'name': name, 'idAsWritten': id_raw, 'source': source, 'method': match_method, 'score': match_score, 'link': link_evidence},
                      (death_date, row_number)) AS first, count(*) AS death_records
       FROM ${identifiedRows('deaths')} WHERE is_on_roll AND death_date < DATE ${sqlString(asOf)} GROUP BY person_id),
     matched AS (
       SELECT i.*, d.death_date, d.first, d.death_records,
              greatest(month_index(d.death_date) + 1, coalesce(month_index(i.benefit_start_date), 0)) AS first_month
       FROM insured i JOIN death d USING (id_norm)
       WHERE i.status = ${sqlString(parameters.drawingStatus)})
     SELECT id_norm, name, row_number, id_raw, CAST(monthly_benefit_cents AS BIGINT) AS monthly_cents, CAST(benefit_start_date AS VARCHAR) AS benefit_start_date,
            CAST(death_date AS VARCHAR) AS death_date, first, CAST(death_records AS INTEGER) AS death_records, first_month,
            greatest(0, month_index(DATE ${sqlString(asOf)}) - first_month + 1) AS months
     FROM matched
     WHERE greatest(0, month_index(DATE ${sqlString(asOf)}) - first_month + 1) >= ${Math.trunc(parameters.deceasedMinimumMonths)}
     ORDER BY id_norm, row_number`,
  );
  return rows.map((row) => {
    const death = shaped<LinkedRow & { source: string }>(row.first);
    const months = Number(row.months);
    const monthly = Number(row.monthly_cents);
    const amount = months * monthly;
    return {
      idNumber: String(row.id_norm),
      name: String(row.name),
      dataset: 'insured+deaths',
      recordKey: `insured:${String(row.row_number)};deaths:${death.row}`,
      ...linkOf([death]),
      amountAtStakeCents: amount,
      evidence: {
        sources: [
          { dataset: 'insured', row: row.row_number, idAsWritten: row.id_raw, name: row.name },
          { dataset: 'deaths', row: death.row, idAsWritten: death.idAsWritten, name: death.name, source: death.source, recordsForThisPerson: row.death_records },
        ],
        linking: [linkEvidence('deaths', death)],
        agreed: { idNumber: idAgreement(death.method), name: row.name === death.name },
        deathDate: row.death_date,
        asOf,
        benefitStartDate: row.benefit_start_date,
        computation: monthsComputation(monthly, months, Number(row.first_month), amount),
      },
    };
  });
}

/**
 * IMPRISONED_DRAWING. How months are counted: only whole calendar months lying entirely inside the
 * imprisonment [start_date, end_date] (both days served), cut at the as-of date (an empty end_date
 * means still serving) and not before the benefit start month. Start 2023-03-15, still serving, as-of
 * 2024-06-15 → 2023-04 … 2024-05 = 14 months; a partial first or last month is not counted.
 */
async function findImprisonedDrawing({ connection, asOf, parameters }: RuleContext): Promise<Omit<Suspect, 'rule'>[]> {
  const asOfDate = `DATE ${sqlString(asOf)}`;
  const rows = await readJson(
    connection,
    `WITH spans AS (
       SELECT i.id_norm, i.name, i.row_number, i.id_raw, i.monthly_benefit_cents, i.benefit_start_date,
              {'row': p.row_number, 'name': p.name, 'idAsWritten': p.id_raw, 'method': p.match_method, 'score': p.match_score, 'link': p.link_evidence} AS prison,
              p.row_number AS prison_row, p.start_date, p.end_date,
              least(coalesce(p.end_date, ${asOfDate}), ${asOfDate}) AS served_until
       FROM insured i JOIN ${identifiedRows('prison')} p ON p.person_id = i.id_norm
       WHERE p.is_on_roll AND i.status = ${sqlString(parameters.drawingStatus)} AND p.start_date <= ${asOfDate}),
     counted AS (
       SELECT *,
              greatest(CASE WHEN day(start_date) = 1 THEN month_index(start_date) ELSE month_index(start_date) + 1 END,
                       coalesce(month_index(benefit_start_date), 0)) AS first_month,
              CASE WHEN served_until = last_day(served_until) THEN month_index(served_until) ELSE month_index(served_until) - 1 END AS last_month
       FROM spans)
     SELECT id_norm, name, row_number, id_raw, CAST(monthly_benefit_cents AS BIGINT) AS monthly_cents, CAST(benefit_start_date AS VARCHAR) AS benefit_start_date,
            prison, CAST(start_date AS VARCHAR) AS start_date, CAST(end_date AS VARCHAR) AS end_date, CAST(served_until AS VARCHAR) AS served_until, first_month,
            greatest(0, last_month - first_month + 1) AS months
     FROM counted
     WHERE greatest(0, last_month - first_month + 1) >= ${Math.trunc(parameters.imprisonedMinimumMonths)}
     ORDER BY id_norm, row_number, prison_row`,
  );
  return rows.map((row) => {
    const prison = shaped<LinkedRow>(row.prison);
    const months = Number(row.months);
    const monthly = Number(row.monthly_cents);
    const amount = months * monthly;
    return {
      idNumber: String(row.id_norm),
      name: String(row.name),
      dataset: 'insured+prison',
      recordKey: `insured:${String(row.row_number)};prison:${prison.row}`,
      ...linkOf([prison]),
      amountAtStakeCents: amount,
      evidence: {
        sources: [
          { dataset: 'insured', row: row.row_number, idAsWritten: row.id_raw, name: row.name },
          { dataset: 'prison', row: prison.row, idAsWritten: prison.idAsWritten, name: prison.name },
        ],
        linking: [linkEvidence('prison', prison)],
        agreed: { idNumber: idAgreement(prison.method), name: row.name === prison.name },
        imprisonment: { startDate: row.start_date, endDate: row.end_date, isStillServing: row.end_date === null, countedUntil: row.served_until },
        asOf,
        benefitStartDate: row.benefit_start_date,
        computation: monthsComputation(monthly, months, Number(row.first_month), amount),
      },
    };
  });
}

/**
 * DUPLICATE_BENEFIT: two or more drawing records whose IDs are the same person after normalisation
 * (typically one 15-digit, one 18-digit). The record that started drawing first is the legitimate one;
 * each other record's payments are at stake, counted like pensions are paid: every month from its
 * benefit start month through the as-of month (a record without a start date counts 0 months).
 */
async function findDuplicateBenefit({ connection, asOf, parameters }: RuleContext): Promise<Omit<Suspect, 'rule'>[]> {
  const rows = await readJson(
    connection,
    `WITH twice AS (
       SELECT id_norm FROM insured WHERE id_valid AND status = ${sqlString(parameters.drawingStatus)} GROUP BY id_norm HAVING count(*) > 1),
     drawing AS (
       SELECT *, row_number() OVER (PARTITION BY id_norm ORDER BY benefit_start_date NULLS LAST, row_number) AS rank,
              count(*) OVER (PARTITION BY id_norm) AS records
       FROM insured JOIN twice USING (id_norm) WHERE status = ${sqlString(parameters.drawingStatus)}),
     priced AS (
       SELECT *, CASE WHEN rank = 1 OR benefit_start_date IS NULL THEN 0
                      ELSE greatest(0, month_index(DATE ${sqlString(asOf)}) - month_index(benefit_start_date) + 1) END AS months
       FROM drawing WHERE records > 1)
     SELECT id_norm, arg_min(name, rank) AS name,
            CAST(sum(months * monthly_benefit_cents) AS BIGINT)::VARCHAR AS amount_cents,
            count(DISTINCT name) = 1 AS is_same_name,
            list({'row': row_number, 'idAsWritten': id_raw, 'name': name, 'monthlyCents': CAST(monthly_benefit_cents AS BIGINT),
                  'benefitStartDate': CAST(benefit_start_date AS VARCHAR), 'isKept': rank = 1, 'monthsAtStake': CAST(months AS INTEGER)}
                 ORDER BY rank) AS records
     FROM priced GROUP BY id_norm ORDER BY id_norm`,
  );
  return rows.map((row) => {
    const records = shaped<{ row: number; monthlyCents: number | string; monthsAtStake: number; isKept: boolean }[]>(row.records);
    const amount = Number(row.amount_cents);
    return {
      idNumber: String(row.id_norm),
      name: String(row.name),
      dataset: 'insured',
      recordKey: records.map((record) => `insured:${record.row}`).join(';'),
      matchMethod: 'exact',
      matchScore: 1,
      amountAtStakeCents: amount,
      evidence: {
        sources: records.map((record) => ({ dataset: 'insured', ...record, monthlyCents: Number(record.monthlyCents) })),
        agreed: { idNumber: 'exact after normalisation (15-digit IDs upgraded to 18)', name: row.is_same_name },
        asOf,
        computation:
          records
            .filter((record) => !record.isKept)
            .map((record) => `${formatYuan(Number(record.monthlyCents))} × ${record.monthsAtStake} months (insured row ${record.row})`)
            .join(' + ') + ` = ${formatYuan(amount)}`,
      },
    };
  });
}

/**
 * UNINSURED_EMPLOYED (应参保未参保): wages paid in at least `employedMinimumMonths` of the
 * `employedWindowMonths` whole months before the as-of month (by one employer, unless configured
 * otherwise), by a person whom neither the exact, the repair nor the fuzzy stage linked to a covered
 * record of the roll. Payroll rows whose ID fails its check and cannot be repaired (against the roll
 * or the same employer's other rows) name no one and raise nothing: a mistyped ID must never make an
 * insured person look uninsured. Amount = wages paid in the window × the contribution rate.
 */
async function findUninsuredEmployed({ connection, asOf, parameters }: RuleContext): Promise<Omit<Suspect, 'rule'>[]> {
  const lastMonth = `month_index(DATE ${sqlString(asOf)}) - 1`;
  const firstMonth = `month_index(DATE ${sqlString(asOf)}) - ${Math.trunc(parameters.employedWindowMonths)}`;
  const employerKey = parameters.employedBySameEmployer ? 'employer_credit_code' : `'any employer'`;
  const covered = parameters.coveredStatuses.map(sqlString).join(', ') || 'NULL';
  // Every loaded roll record has one of these statuses, so then any link means covered: no join with the roll.
  const isEveryStatusCovered = INSURED_STATUSES.every((status) => parameters.coveredStatuses.includes(status));
  const rows = await readJson(
    connection,
    `WITH worked AS (
       SELECT p.*, coalesce(l.linked_id, p.id_norm, r.repaired_id) AS person_id, month_index(p.month) AS month_number,
              CASE WHEN l.linked_id IS NOT NULL THEN l.method WHEN p.id_norm IS NULL THEN 'repaired' ELSE 'exact' END AS match_method,
              CASE WHEN l.linked_id IS NOT NULL THEN l.score WHEN p.id_norm IS NULL THEN ${REPAIRED_LINK_SCORE} ELSE 1.0 END AS match_score,
              coalesce(l.evidence, r.evidence) AS link_evidence
       FROM payroll p
       LEFT JOIN person_links l ON l.dataset = 'payroll' AND l.row_number = p.row_number
       LEFT JOIN payroll_repairs r ON r.row_number = p.row_number
       WHERE month_index(p.month) BETWEEN ${firstMonth} AND ${lastMonth}
         AND coalesce(l.linked_id, p.id_norm, r.repaired_id) IS NOT NULL
         ${isEveryStatusCovered ? 'AND l.linked_id IS NULL' : `AND NOT EXISTS (SELECT 1 FROM insured i WHERE i.id_norm = l.linked_id AND i.status IN (${covered}))`}),
     by_employer AS (
       SELECT person_id, ${employerKey} AS employer_key, count(DISTINCT month_number) AS months
       FROM worked GROUP BY person_id, employer_key),
     qualified AS (SELECT person_id, max(months) AS months FROM by_employer WHERE months >= ${Math.trunc(parameters.employedMinimumMonths)} GROUP BY person_id)
     SELECT w.person_id, arg_min(w.name, (w.match_method <> 'exact', w.row_number)) AS name, any_value(q.months) AS months,
            CAST(sum(w.wage_cents) AS BIGINT) AS wages_cents,
            list({'row': w.row_number, 'idAsWritten': w.id_raw, 'name': w.name, 'employer': w.employer_name, 'creditCode': w.employer_credit_code,
                  'month': strftime(w.month, '%Y-%m'), 'wageCents': w.wage_cents, 'method': w.match_method, 'score': w.match_score,
                  'link': w.link_evidence} ORDER BY w.month, w.row_number) AS rows
     FROM worked w JOIN qualified q USING (person_id)
     GROUP BY w.person_id ORDER BY w.person_id`,
  );
  const rate = parameters.pensionContributionRate;
  return rows.map((row) => {
    const payroll = shaped<(LinkedRow & { employer: string; creditCode: string; month: string; wageCents: number | string })[]>(row.rows);
    const wages = Number(row.wages_cents);
    const amount = Math.round(wages * rate);
    return {
      idNumber: String(row.person_id),
      name: String(row.name),
      dataset: 'payroll+insured',
      recordKey: payroll.map((entry) => `payroll:${entry.row}`).join(';'),
      ...linkOf(payroll),
      amountAtStakeCents: amount,
      evidence: {
        sources: payroll.map((entry) => ({
          dataset: 'payroll',
          row: entry.row,
          idAsWritten: entry.idAsWritten,
          name: entry.name,
          employer: entry.employer,
          creditCode: entry.creditCode,
          month: entry.month,
          wage: formatYuan(Number(entry.wageCents)),
        })),
        linking: payroll.filter((entry) => entry.method !== 'exact').map((entry) => linkEvidence('payroll', entry)),
        insuredRoll: 'no record of this person in a covered status, after exact, single-edit repair and fuzzy linking',
        coveredStatuses: parameters.coveredStatuses,
        window: `${monthLabel(monthIndexOf(asOf) - parameters.employedWindowMonths)} … ${monthLabel(monthIndexOf(asOf) - 1)}`,
        monthsWithWages: Number(row.months),
        minimumMonths: parameters.employedMinimumMonths,
        countedPer: parameters.employedBySameEmployer ? 'employer' : 'person (all employers)',
        asOf,
        computation: `${formatYuan(wages)} wages in the window × ${rate} contribution rate = ${formatYuan(amount)}`,
      },
    };
  });
}

/**
 * ASSISTANCE_WITH_BUSINESS: a recipient of the configured assistance categories (低保 by default) who
 * is the legal representative of an active business whose registered capital is above the threshold.
 * Amount = the allowance paid since the later of the assistance start month and the month after the
 * earliest such business was established, through the as-of month (paid at the start of each month).
 */
async function findAssistanceWithBusiness({ connection, asOf, parameters }: RuleContext): Promise<Omit<Suspect, 'rule'>[]> {
  const categories = parameters.assistanceCategories.map(sqlString).join(', ') || 'NULL';
  const statuses = parameters.activeBusinessStatuses.map(sqlString).join(', ') || 'NULL';
  const rows = await readJson(
    connection,
    `WITH owned AS (
       SELECT person_id, min(established_date) AS established_date,
              list({'row': row_number, 'creditCode': credit_code, 'businessName': business_name, 'legalRepName': name, 'idAsWritten': id_raw,
                    'registeredCapitalCents': registered_capital_cents, 'establishedDate': CAST(established_date AS VARCHAR), 'status': status,
                    'method': match_method, 'score': match_score, 'link': link_evidence} ORDER BY row_number) AS businesses
       FROM ${identifiedRows('business')}
       WHERE status IN (${statuses}) AND registered_capital_cents > ${Math.trunc(parameters.businessCapitalThresholdCents)}
         AND coalesce(established_date, DATE ${sqlString(asOf)}) <= DATE ${sqlString(asOf)}
       GROUP BY person_id),
     -- Only the recipients who own such a business are gathered: the rest never reach the evidence.
     recipient AS (
       SELECT person_id, arg_min({'row': row_number, 'name': name, 'idAsWritten': id_raw, 'category': category, 'householdId': household_id,
                                  'monthlyCents': monthly_amount_cents, 'startDate': CAST(start_date AS VARCHAR), 'method': match_method, 'score': match_score,
                                  'link': link_evidence}, (start_date, row_number)) AS assistance,
              min(start_date) AS start_date, arg_min(monthly_amount_cents, (start_date, row_number)) AS monthly_cents
       FROM ${identifiedRows('assistance')}
       WHERE category IN (${categories}) AND start_date <= DATE ${sqlString(asOf)} AND person_id IN (SELECT person_id FROM owned)
       GROUP BY person_id)
     SELECT r.person_id, r.assistance, o.businesses, CAST(r.monthly_cents AS BIGINT) AS monthly_cents,
            greatest(month_index(r.start_date), coalesce(month_index(o.established_date) + 1, month_index(r.start_date))) AS first_month
     FROM recipient r JOIN owned o USING (person_id) ORDER BY r.person_id`,
  );
  return rows.map((row) => {
    const assistance = shaped<LinkedRow & { category: string; householdId: string; startDate: string }>(row.assistance);
    const businesses = shaped<BusinessRow[]>(row.businesses);
    const monthly = Number(row.monthly_cents);
    const firstMonth = Number(row.first_month);
    const months = Math.max(0, monthIndexOf(asOf) - firstMonth + 1);
    const amount = months * monthly;
    return {
      idNumber: String(row.person_id),
      name: assistance.name,
      dataset: 'assistance+business',
      recordKey: [`assistance:${assistance.row}`, ...businesses.map((business) => `business:${business.row}`)].join(';'),
      ...linkOf([assistance, ...businesses]),
      amountAtStakeCents: amount,
      evidence: {
        sources: [
          { dataset: 'assistance', row: assistance.row, idAsWritten: assistance.idAsWritten, name: assistance.name, category: assistance.category, householdId: assistance.householdId, startDate: assistance.startDate },
          ...businesses.map((business) => ({
            dataset: 'business',
            row: business.row,
            creditCode: business.creditCode,
            businessName: business.businessName,
            legalRepName: business.legalRepName,
            idAsWritten: business.idAsWritten,
            registeredCapital: formatYuan(Number(business.registeredCapitalCents)),
            establishedDate: business.establishedDate,
            status: business.status,
          })),
        ],
        linking: [linkEvidence('assistance', assistance), ...businesses.map((business) => linkEvidence('business', business))],
        agreed: { idNumber: idAgreement(worstMethod([assistance, ...businesses])), name: businesses.every((business) => business.legalRepName === assistance.name) },
        thresholds: { registeredCapitalAbove: formatYuan(parameters.businessCapitalThresholdCents), activeStatuses: parameters.activeBusinessStatuses, categories: parameters.assistanceCategories },
        asOf,
        computation: monthsComputation(monthly, months, firstMonth, amount),
      },
    };
  });
}

/**
 * ILLNESS_POVERTY_RISK (因病致贫风险), a warning for social assistance: out-of-pocket hospital cost of
 * stays ending (discharge date, else admission date) in the `illnessWindowMonths` up to the as-of
 * date, strictly above the absolute threshold and strictly above `illnessAssistanceMultiple` × the
 * household's annual assistance (12 × the monthly amounts of its members in the assistance extract).
 * Only people in the assistance extract have a household to compare with. Amount = that cost.
 */
async function findIllnessPovertyRisk({ connection, asOf, parameters }: RuleContext): Promise<Omit<Suspect, 'rule'>[]> {
  const asOfDate = `DATE ${sqlString(asOf)}`;
  const rows = await readJson(
    connection,
    `WITH in_window AS (
       SELECT * FROM ${identifiedRows('hospital')}
       WHERE coalesce(discharge_date, admission_date) > ${asOfDate} - INTERVAL ${Math.trunc(parameters.illnessWindowMonths)} MONTH
         AND coalesce(discharge_date, admission_date) <= ${asOfDate}),
     costs AS (SELECT person_id, CAST(sum(out_of_pocket_cents) AS BIGINT) AS out_of_pocket_cents FROM in_window GROUP BY person_id
               HAVING sum(out_of_pocket_cents) > ${Math.trunc(parameters.illnessOutOfPocketThresholdCents)}),
     members AS (
       SELECT person_id, household_id, monthly_amount_cents, row_number, name, id_raw, category, match_method, match_score, link_evidence
       FROM ${identifiedRows('assistance')} WHERE start_date <= ${asOfDate}
       QUALIFY row_number() OVER (PARTITION BY person_id ORDER BY start_date DESC, row_number) = 1),
     households AS (
       SELECT household_id, CAST(12 * sum(monthly_amount_cents) AS BIGINT) AS annual_cents, count(*) AS members FROM members GROUP BY household_id),
     raised AS (
       SELECT c.person_id, c.out_of_pocket_cents, h.annual_cents, CAST(h.members AS INTEGER) AS members,
              {'row': m.row_number, 'name': m.name, 'idAsWritten': m.id_raw, 'category': m.category, 'householdId': m.household_id,
               'monthlyCents': m.monthly_amount_cents, 'method': m.match_method, 'score': m.match_score, 'link': m.link_evidence} AS assistance
       FROM costs c JOIN members m USING (person_id) JOIN households h USING (household_id)
       WHERE c.out_of_pocket_cents > ${Number(parameters.illnessAssistanceMultiple)} * h.annual_cents)
     -- The stays are gathered for the raised people only.
     SELECT r.person_id, any_value(r.out_of_pocket_cents) AS out_of_pocket_cents, any_value(r.annual_cents) AS annual_cents,
            any_value(r.members) AS members, any_value(r.assistance) AS assistance,
            list({'row': w.row_number, 'name': w.name, 'idAsWritten': w.id_raw, 'admissionDate': CAST(w.admission_date AS VARCHAR),
                  'dischargeDate': CAST(w.discharge_date AS VARCHAR), 'totalCostCents': w.total_cost_cents, 'outOfPocketCents': w.out_of_pocket_cents,
                  'method': w.match_method, 'score': w.match_score, 'link': w.link_evidence} ORDER BY w.admission_date, w.row_number) AS stays
     FROM raised r JOIN in_window w USING (person_id)
     GROUP BY r.person_id ORDER BY r.person_id`,
  );
  return rows.map((row) => {
    const stays = shaped<(LinkedRow & { admissionDate: string; dischargeDate: string | null; totalCostCents: number | string; outOfPocketCents: number | string })[]>(row.stays);
    const assistance = shaped<LinkedRow & { category: string; householdId: string; monthlyCents: number | string }>(row.assistance);
    const outOfPocket = Number(row.out_of_pocket_cents);
    const annual = Number(row.annual_cents);
    return {
      idNumber: String(row.person_id),
      name: assistance.name,
      dataset: 'hospital+assistance',
      recordKey: [...stays.map((stay) => `hospital:${stay.row}`), `assistance:${assistance.row}`].join(';'),
      ...linkOf([...stays, assistance]),
      amountAtStakeCents: outOfPocket,
      evidence: {
        sources: [
          ...stays.map((stay) => ({
            dataset: 'hospital',
            row: stay.row,
            idAsWritten: stay.idAsWritten,
            name: stay.name,
            admissionDate: stay.admissionDate,
            dischargeDate: stay.dischargeDate,
            totalCost: formatYuan(Number(stay.totalCostCents)),
            outOfPocket: formatYuan(Number(stay.outOfPocketCents)),
          })),
          { dataset: 'assistance', row: assistance.row, idAsWritten: assistance.idAsWritten, name: assistance.name, category: assistance.category, householdId: assistance.householdId },
        ],
        linking: [...stays.map((stay) => linkEvidence('hospital', stay)), linkEvidence('assistance', assistance)],
        agreed: { idNumber: idAgreement(worstMethod([...stays, assistance])), name: stays.every((stay) => stay.name === assistance.name) },
        household: { householdId: assistance.householdId, membersInAssistance: row.members, annualAssistance: formatYuan(annual) },
        window: `stays ending after ${asOf} − ${parameters.illnessWindowMonths} months, up to ${asOf}`,
        asOf,
        computation:
          `out of pocket ${stays.map((stay) => formatYuan(Number(stay.outOfPocketCents))).join(' + ')} = ${formatYuan(outOfPocket)}; ` +
          `above ${formatYuan(parameters.illnessOutOfPocketThresholdCents)} and above ${parameters.illnessAssistanceMultiple} × ${formatYuan(annual)} annual household assistance`,
      },
    };
  });
}

/** A linked source row as the rules bring it back from DuckDB. */
interface LinkedRow {
  row: number;
  name: string;
  idAsWritten: string | null;
  method: LinkMethod;
  score: number;
  link: Json;
}

/** A business row as ASSISTANCE_WITH_BUSINESS brings it back. */
interface BusinessRow extends LinkedRow {
  creditCode: string;
  businessName: string;
  legalRepName: string;
  registeredCapitalCents: number | string;
  establishedDate: string | null;
  status: string;
}

const METHOD_ORDER: readonly LinkMethod[] = ['exact', 'repaired', 'fuzzy'];

function worstMethod(rows: readonly LinkedRow[]): LinkMethod {
  return rows.reduce<LinkMethod>((worst, row) => (METHOD_ORDER.indexOf(row.method) > METHOD_ORDER.indexOf(worst) ? row.method : worst), 'exact');
}

/** The match method and score of a suspect: the weakest link among its rows. */
function linkOf(rows: readonly LinkedRow[]): { matchMethod: LinkMethod; matchScore: number } {
  return { matchMethod: worstMethod(rows), matchScore: Math.min(...rows.map((row) => Number(row.score))) };
}

function linkEvidence(dataset: string, row: LinkedRow): Record<string, unknown> {
  return { dataset, row: row.row, method: row.method, score: Number(row.score), ...(row.link === null || row.link === undefined ? {} : { details: parseJson(row.link) }) };
}

function idAgreement(method: LinkMethod): string {
  switch (method) {
    case 'exact':
      return 'exact after normalisation';
    case 'repaired':
      return 'after a single-edit repair of a mistyped ID (see linking)';
    case 'fuzzy':
      return 'linked by name, birth date and ID similarity (see linking)';
  }
}

function parseJson(value: Json | undefined): Json {
  if (typeof value !== 'string') return value ?? null;
  try {
    return JSON.parse(value) as Json;
  } catch {
    return value;
  }
}

/** A value whose shape the SQL that produced it guarantees (a struct or a list of structs). */
function shaped<T>(value: Json | undefined): T {
  return value as unknown as T;
}

async function readJson(connection: DuckDBConnection, sql: string): Promise<Record<string, Json>[]> {
  return (await connection.runAndReadAll(sql)).getRowObjectsJson();
}

function monthsComputation(monthlyCents: number, months: number, firstMonth: number, amountCents: number): string {
  const span = months > 0 ? ` (${monthLabel(firstMonth)} … ${monthLabel(firstMonth + months - 1)})` : '';
  return `${formatYuan(monthlyCents)} × ${months} months${span} = ${formatYuan(amountCents)}`;
}

function monthIndexOf(date: string): number {
  return Number(date.slice(0, 4)) * 12 + Number(date.slice(5, 7)) - 1;
}

function monthLabel(monthIndex: number): string {
  return `${Math.floor(monthIndex / 12)}-${String((monthIndex % 12) + 1).padStart(2, '0')}`;
}

/** Fen to a yuan amount with two decimals, e.g. 250050 → "2500.50". */
export function formatYuan(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const absolute = Math.abs(cents);
  return `${sign}${Math.floor(absolute / 100)}.${String(absolute % 100).padStart(2, '0')}`;
}

import type { DuckDBConnection, Json } from '@duckdb/node-api';
import { type ExtractKind, sqlString } from './extracts.ts';

/** Reason codes of the rules in this slice; the issue adds UNINSURED_EMPLOYED and others later. */
export const RULE_CODES = ['DECEASED_DRAWING', 'IMPRISONED_DRAWING', 'DUPLICATE_BENEFIT'] as const;
/** A rule's reason code, stable across runs and shown to auditors. */
export type RuleCode = (typeof RULE_CODES)[number];

/** Parameters of every rule; each rule has defaults that a comparison spec may override. */
export interface RuleParameters {
  /** The insured status meaning "benefits are being paid". */
  drawingStatus: string;
  /** DECEASED_DRAWING: raise only when at least this many monthly payments fell after the death month. */
  deceasedMinimumMonths: number;
  /** IMPRISONED_DRAWING: raise only when at least this many whole calendar months were served while drawing. */
  imprisonedMinimumMonths: number;
}

/** Defaults: any death before the as-of date is raised (the status should already be 终止); prison needs one whole month. */
export const DEFAULT_RULE_PARAMETERS: RuleParameters = { drawingStatus: '领取待遇', deceasedMinimumMonths: 0, imprisonedMinimumMonths: 1 };

/** One suspicious record with its evidence, as written to suspects.csv. */
export interface Suspect {
  rule: RuleCode;
  /** The insured roll's ID after normalisation (18 characters). */
  idNumber: string;
  name: string;
  /** The datasets that produced the suspicion, e.g. `insured+deaths`. */
  dataset: string;
  /** The rows involved, `dataset:line` joined by `;`. */
  recordKey: string;
  matchMethod: 'exact';
  matchScore: number;
  /** Amount paid that should not have been, in fen (1/100 yuan), so sums stay exact. */
  amountAtStakeCents: number;
  /** Plain JSON: sources and rows, which fields agreed, the dates and the amount computation. */
  evidence: Record<string, unknown>;
}

/** Which extracts each rule needs; a rule whose extracts are absent is skipped. */
export const RULE_INPUTS: Readonly<Record<RuleCode, readonly ExtractKind[]>> = {
  DECEASED_DRAWING: ['insured', 'deaths'],
  IMPRISONED_DRAWING: ['insured', 'prison'],
  DUPLICATE_BENEFIT: ['insured'],
};

/** Runs one rule inside DuckDB over the loaded extracts; only the suspicious rows come back. */
export async function runRule(connection: DuckDBConnection, rule: RuleCode, asOf: string, parameters: RuleParameters = DEFAULT_RULE_PARAMETERS): Promise<Suspect[]> {
  switch (rule) {
    case 'DECEASED_DRAWING':
      return findDeceasedDrawing(connection, asOf, parameters);
    case 'IMPRISONED_DRAWING':
      return findImprisonedDrawing(connection, asOf, parameters);
    case 'DUPLICATE_BENEFIT':
      return findDuplicateBenefit(connection, asOf, parameters);
  }
}

/**
 * DECEASED_DRAWING. How months are counted: a pension is paid for each calendar month at the start of
 * that month, and the month of death is still due in full. So the undue payments are the months after
 * the death month (and not before the benefit start month) that have begun by the as-of date, the
 * as-of month included: death 2024-01-31, as-of 2024-06-15 → Feb, Mar, Apr, May, Jun = 5 months; a
 * death in the as-of month gives 0 months (still raised: the record is still drawing).
 */
async function findDeceasedDrawing(connection: DuckDBConnection, asOf: string, parameters: RuleParameters): Promise<Suspect[]> {
  const rows = await readJson(
    connection,
    `WITH death AS (
       SELECT id_norm, min(death_date) AS death_date, arg_min(row_number, death_date) AS death_row, arg_min(name, death_date) AS death_name,
              arg_min(id_raw, death_date) AS death_id_raw, arg_min(source, death_date) AS death_source, count(*) AS death_records
       FROM deaths WHERE id_valid AND death_date < DATE ${sqlString(asOf)} GROUP BY id_norm),
     matched AS (
       SELECT i.*, d.* EXCLUDE (id_norm),
              greatest(month_index(d.death_date) + 1, coalesce(month_index(i.benefit_start_date), 0)) AS first_month
       FROM insured i JOIN death d USING (id_norm)
       WHERE i.id_valid AND i.status = ${sqlString(parameters.drawingStatus)})
     SELECT id_norm, name, row_number, id_raw, CAST(monthly_benefit_cents AS INTEGER) AS monthly_cents, CAST(benefit_start_date AS VARCHAR) AS benefit_start_date,
            CAST(death_date AS VARCHAR) AS death_date, CAST(death_row AS INTEGER) AS death_row, death_name, death_id_raw, death_source,
            CAST(death_records AS INTEGER) AS death_records, first_month,
            greatest(0, month_index(DATE ${sqlString(asOf)}) - first_month + 1) AS months
     FROM matched
     WHERE greatest(0, month_index(DATE ${sqlString(asOf)}) - first_month + 1) >= ${Math.trunc(parameters.deceasedMinimumMonths)}
     ORDER BY id_norm, row_number`,
  );
  return rows.map((row) => {
    const months = Number(row.months);
    const monthly = Number(row.monthly_cents);
    const amount = months * monthly;
    return {
      rule: 'DECEASED_DRAWING',
      idNumber: String(row.id_norm),
      name: String(row.name),
      dataset: 'insured+deaths',
      recordKey: `insured:${String(row.row_number)};deaths:${String(row.death_row)}`,
      matchMethod: 'exact',
      matchScore: 1,
      amountAtStakeCents: amount,
      evidence: {
        sources: [
          { dataset: 'insured', row: row.row_number, idAsWritten: row.id_raw },
          { dataset: 'deaths', row: row.death_row, idAsWritten: row.death_id_raw, source: row.death_source, recordsForThisId: row.death_records },
        ],
        agreed: { idNumber: 'exact after normalisation', name: row.name === row.death_name },
        names: { insured: row.name, deaths: row.death_name },
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
async function findImprisonedDrawing(connection: DuckDBConnection, asOf: string, parameters: RuleParameters): Promise<Suspect[]> {
  const asOfDate = `DATE ${sqlString(asOf)}`;
  const rows = await readJson(
    connection,
    `WITH spans AS (
       SELECT i.id_norm, i.name, i.row_number, i.id_raw, i.monthly_benefit_cents, i.benefit_start_date,
              p.row_number AS prison_row, p.name AS prison_name, p.id_raw AS prison_id_raw, p.start_date, p.end_date,
              least(coalesce(p.end_date, ${asOfDate}), ${asOfDate}) AS served_until
       FROM insured i JOIN prison p USING (id_norm)
       WHERE i.id_valid AND p.id_valid AND i.status = ${sqlString(parameters.drawingStatus)} AND p.start_date <= ${asOfDate}),
     counted AS (
       SELECT *,
              greatest(CASE WHEN day(start_date) = 1 THEN month_index(start_date) ELSE month_index(start_date) + 1 END,
                       coalesce(month_index(benefit_start_date), 0)) AS first_month,
              CASE WHEN served_until = last_day(served_until) THEN month_index(served_until) ELSE month_index(served_until) - 1 END AS last_month
       FROM spans)
     SELECT id_norm, name, row_number, id_raw, CAST(monthly_benefit_cents AS INTEGER) AS monthly_cents, CAST(benefit_start_date AS VARCHAR) AS benefit_start_date,
            CAST(prison_row AS INTEGER) AS prison_row, prison_name, prison_id_raw, CAST(start_date AS VARCHAR) AS start_date,
            CAST(end_date AS VARCHAR) AS end_date, CAST(served_until AS VARCHAR) AS served_until, first_month,
            greatest(0, last_month - first_month + 1) AS months
     FROM counted
     WHERE greatest(0, last_month - first_month + 1) >= ${Math.trunc(parameters.imprisonedMinimumMonths)}
     ORDER BY id_norm, row_number, prison_row`,
  );
  return rows.map((row) => {
    const months = Number(row.months);
    const monthly = Number(row.monthly_cents);
    const amount = months * monthly;
    return {
      rule: 'IMPRISONED_DRAWING',
      idNumber: String(row.id_norm),
      name: String(row.name),
      dataset: 'insured+prison',
      recordKey: `insured:${String(row.row_number)};prison:${String(row.prison_row)}`,
      matchMethod: 'exact',
      matchScore: 1,
      amountAtStakeCents: amount,
      evidence: {
        sources: [
          { dataset: 'insured', row: row.row_number, idAsWritten: row.id_raw },
          { dataset: 'prison', row: row.prison_row, idAsWritten: row.prison_id_raw },
        ],
        agreed: { idNumber: 'exact after normalisation', name: row.name === row.prison_name },
        names: { insured: row.name, prison: row.prison_name },
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
async function findDuplicateBenefit(connection: DuckDBConnection, asOf: string, parameters: RuleParameters): Promise<Suspect[]> {
  const rows = await readJson(
    connection,
    `WITH drawing AS (
       SELECT *, row_number() OVER (PARTITION BY id_norm ORDER BY benefit_start_date NULLS LAST, row_number) AS rank,
              count(*) OVER (PARTITION BY id_norm) AS records
       FROM insured WHERE id_valid AND status = ${sqlString(parameters.drawingStatus)}),
     priced AS (
       SELECT *, CASE WHEN rank = 1 OR benefit_start_date IS NULL THEN 0
                      ELSE greatest(0, month_index(DATE ${sqlString(asOf)}) - month_index(benefit_start_date) + 1) END AS months
       FROM drawing WHERE records > 1)
     SELECT id_norm, arg_min(name, rank) AS name,
            CAST(sum(months * monthly_benefit_cents) AS BIGINT)::VARCHAR AS amount_cents,
            count(DISTINCT name) = 1 AS is_same_name,
            list({'row': row_number, 'idAsWritten': id_raw, 'name': name, 'monthlyCents': CAST(monthly_benefit_cents AS INTEGER),
                  'benefitStartDate': CAST(benefit_start_date AS VARCHAR), 'isKept': rank = 1, 'monthsAtStake': CAST(months AS INTEGER)}
                 ORDER BY rank) AS records
     FROM priced GROUP BY id_norm ORDER BY id_norm`,
  );
  return rows.map((row) => {
    const records = row.records as { row: number; monthlyCents: number; monthsAtStake: number; isKept: boolean }[];
    const amount = Number(row.amount_cents);
    return {
      rule: 'DUPLICATE_BENEFIT',
      idNumber: String(row.id_norm),
      name: String(row.name),
      dataset: 'insured',
      recordKey: records.map((record) => `insured:${record.row}`).join(';'),
      matchMethod: 'exact',
      matchScore: 1,
      amountAtStakeCents: amount,
      evidence: {
        sources: records.map((record) => ({ dataset: 'insured', ...record })),
        agreed: { idNumber: 'exact after normalisation', name: row.is_same_name },
        asOf,
        computation: records
          .filter((record) => !record.isKept)
          .map((record) => `${formatYuan(record.monthlyCents)} × ${record.monthsAtStake} months (insured row ${record.row})`)
          .join(' + ') + ` = ${formatYuan(amount)}`,
      },
    };
  });
}

async function readJson(connection: DuckDBConnection, sql: string): Promise<Record<string, Json>[]> {
  return (await connection.runAndReadAll(sql)).getRowObjectsJson();
}

function monthsComputation(monthlyCents: number, months: number, firstMonth: number, amountCents: number): string {
  const span = months > 0 ? ` (${monthLabel(firstMonth)} … ${monthLabel(firstMonth + months - 1)})` : '';
  return `${formatYuan(monthlyCents)} × ${months} months${span} = ${formatYuan(amountCents)}`;
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

import type { Executor } from '../../platform/db/database.ts';
import type { NewOrganisation } from '../../platform/db/schema.ts';

/** True when an organisation with this credit code is registered. */
export async function hasOrganisationWithCreditCode(db: Executor, creditCode: string): Promise<boolean> {
  const row = await db.selectFrom('organisations').select('id').where('credit_code', '=', creditCode).executeTakeFirst();
  return row !== undefined;
}

/** Inserts organisation rows in one statement and returns their ids by credit code. */
export async function insertOrganisationRows(trx: Executor, rows: readonly NewOrganisation[]): Promise<{ id: number; credit_code: string | null }[]> {
  if (rows.length === 0) return [];
  return trx.insertInto('organisations').values(rows).returning(['id', 'credit_code']).execute();
}

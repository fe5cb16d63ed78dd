import { sql } from 'kysely';
import type { Executor } from '../../platform/db/database.ts';
import type { NewOrganisation, OrganisationKind } from '../../platform/db/schema.ts';
import { inScope } from '../../platform/auth/index.ts';

/** Filters of the organisation list. */
export interface OrganisationFilter {
  kind?: OrganisationKind | undefined;
  namePrefix?: string | undefined;
  creditCode?: string | undefined;
}

const COLUMNS = ['o.id', 'o.kind', 'o.name', 'o.credit_code', 'o.place_id', 'p.name as place_name', 'o.legal_representative', 'o.status', 'o.phone_masked', 'o.address', 'o.parent_id'] as const;

function filtered(db: Executor, scope: { scopePath: string }, filter: OrganisationFilter) {
  let query = db.selectFrom('organisations as o').where(inScope('o.scope_path', scope));
  if (filter.kind) query = query.where('o.kind', '=', filter.kind);
  if (filter.creditCode) query = query.where('o.credit_code', '=', filter.creditCode);
  if (filter.namePrefix) query = query.where(sql<boolean>`o.name COLLATE "C" LIKE ${filter.namePrefix.replace(/[\\%_]/g, (c) => `\\${c}`) + '%'}`);
  return query;
}

/** A page of organisations whose scope lies in the principal's region. */
export async function searchOrganisations(db: Executor, scope: { scopePath: string }, filter: OrganisationFilter, page: { limit: number; offset: number }) {
  const base = filtered(db, scope, filter);
  const [rows, count] = await Promise.all([
    base.leftJoin('places as p', 'p.id', 'o.place_id').select(COLUMNS).orderBy('o.kind').orderBy('o.id').limit(page.limit).offset(page.offset).execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

/** One organisation in scope. */
export function findOrganisationById(db: Executor, scope: { scopePath: string }, id: number) {
  return db
    .selectFrom('organisations as o')
    .leftJoin('places as p', 'p.id', 'o.place_id')
    .select(COLUMNS)
    .where('o.id', '=', id)
    .where(inScope('o.scope_path', scope))
    .executeTakeFirst();
}

/**
 * Inserts or updates organisations. Those with a credit code are keyed on it; the others
 * (government bodies without one in the file) on kind + name + place.
 */
export async function upsertOrganisations(db: Executor, rows: NewOrganisation[]): Promise<{ inserted: number; updated: number }> {
  let inserted = 0;
  let updated = 0;
  const withCode = rows.filter((r) => r.credit_code);
  if (withCode.length > 0) {
    const result = await db
      .insertInto('organisations')
      .values(withCode)
      .onConflict((oc) =>
        oc
          .column('credit_code')
          .doUpdateSet((eb) => ({
            kind: eb.ref('excluded.kind'),
            name: eb.ref('excluded.name'),
            place_id: eb.ref('excluded.place_id'),
            scope_path: eb.ref('excluded.scope_path'),
            legal_representative: eb.ref('excluded.legal_representative'),
            phone_enc: eb.ref('excluded.phone_enc'),
            phone_masked: eb.ref('excluded.phone_masked'),
            address: eb.ref('excluded.address'),
            record_hash: eb.ref('excluded.record_hash'),
            updated_at: sql`now()`,
          }))
          .where(sql<boolean>`organisations.record_hash IS DISTINCT FROM excluded.record_hash`),
      )
      .returning(sql<boolean>`(xmax = 0)`.as('is_insert'))
      .execute();
    inserted += result.filter((r) => r.is_insert).length;
    updated += result.filter((r) => !r.is_insert).length;
  }
  for (const row of rows.filter((r) => !r.credit_code)) {
    const existing = await db
      .selectFrom('organisations')
      .select(['id', 'record_hash'])
      .where('kind', '=', row.kind)
      .where('name', '=', row.name)
      .where('credit_code', 'is', null)
      .executeTakeFirst();
    if (!existing) {
      await db.insertInto('organisations').values(row).execute();
      inserted += 1;
    } else if (!sameBytes(existing.record_hash, row.record_hash ?? null)) {
      const { created_at: _created, ...changes } = row;
      await db.updateTable('organisations').set({ ...changes, updated_at: new Date() }).where('id', '=', existing.id).execute();
      updated += 1;
    }
  }
  return { inserted, updated };
}

function sameBytes(a: Uint8Array | null, b: Uint8Array | null): boolean {
  if (a === null || b === null) return a === b;
  return Buffer.from(a).equals(Buffer.from(b));
}

/** Number of organisations in scope. */
export async function countOrganisations(db: Executor, scope: { scopePath: string }): Promise<number> {
  const row = await db.selectFrom('organisations').select((eb) => eb.fn.countAll<number>().as('n')).where(inScope('scope_path', scope)).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Credit codes among `codes` held by organisations outside the scope. */
export async function findCreditCodesOutsideScope(db: Executor, codes: string[], scopePath: string): Promise<Set<string>> {
  if (!scopePath || codes.length === 0) return new Set();
  const rows = await db
    .selectFrom('organisations')
    .select('credit_code')
    .where('credit_code', 'in', codes)
    .where(sql<boolean>`NOT (scope_path <@ ${scopePath}::ltree)`)
    .execute();
  return new Set(rows.map((r) => r.credit_code).filter((c): c is string => c !== null));
}

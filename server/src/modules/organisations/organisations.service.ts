import type { FieldCipher } from '../../platform/crypto/field-cipher.ts';
import type { Db } from '../../platform/db/database.ts';
import type { NewOrganisation, OrganisationKind } from '../../platform/db/schema.ts';
import type { AppServices } from '../../platform/http/context.ts';
import type { Principal } from '../../platform/auth/index.ts';
import { AppError } from '../../platform/errors.ts';
import { validateCreditCode } from '../../platform/identity/index.ts';
import type { RowImporter } from '../../platform/imports/index.ts';
import { loadPlaceDirectory } from '../places/index.ts';
import type { OrganisationPreparerContext } from './organisations.preparer.ts';
import * as repo from './organisations.repository.ts';

export { ORGANISATION_KINDS, parseOrganisationKind } from './organisations.preparer.ts';

/** Header spellings accepted for each organisation column. */
export const ORGANISATION_COLUMNS: Record<string, string[]> = {
  kind: ['kind', '类型', '组织类型'],
  name: ['name', '名称', '组织名称', '单位名称'],
  credit_code: ['credit_code', '统一社会信用代码', '信用代码'],
  place_code: ['place_code', '区划编码', '所属区域编码', '网格编码'],
  legal_representative: ['legal_representative', '法定代表人', '负责人'],
  phone: ['phone', '联系电话', '电话'],
  address: ['address', '地址', '住所'],
};

type SearchRow = Awaited<ReturnType<typeof repo.searchOrganisations>>['rows'][number];

function present(row: SearchRow) {
  return {
    id: row.id,
    kind: row.kind,
    name: row.name,
    creditCode: row.credit_code,
    placeId: row.place_id,
    placeName: row.place_name,
    legalRepresentative: row.legal_representative,
    status: row.status,
    phoneMasked: row.phone_masked,
    address: row.address,
    parentId: row.parent_id,
  };
}

/** A page of organisations in the principal's region; `q` matches a name prefix or a credit code. */
export async function searchOrganisations(services: AppServices, principal: Principal, search: { q?: string | undefined; kind?: OrganisationKind | undefined }, page: { limit: number; offset: number }) {
  const q = search.q?.trim();
  const filter: repo.OrganisationFilter = { kind: search.kind };
  if (q) {
    const code = validateCreditCode(q);
    if (code.isValid) filter.creditCode = code.code;
    else filter.namePrefix = q;
  }
  const { rows, total } = await repo.searchOrganisations(services.db, principal, filter, page);
  return { items: rows.map(present), total };
}

/** One organisation in the principal's region. */
export async function getOrganisation(services: AppServices, principal: Principal, id: number) {
  const row = await repo.findOrganisationById(services.db, principal, id);
  if (!row) throw new AppError('ORGANISATION_NOT_FOUND', `no organisation ${id} in your region`);
  return present(row);
}

const PREPARER = new URL('./organisations.preparer.ts', import.meta.url).href;

/** Organisations from a file (rows prepared by organisations.preparer.ts). */
export function organisationImporter(cipher: FieldCipher, scopePath: string): RowImporter<NewOrganisation, OrganisationPreparerContext> {
  return {
    kind: 'organisations',
    columns: ORGANISATION_COLUMNS,
    required: ['kind', 'name', 'place_code'],
    async loadPreparer(db: Db) {
      const directory = await loadPlaceDirectory(db, scopePath);
      const places = [...directory].map(([code, place]): [string, { id: number; path: string }] => [code, { id: place.id, path: place.path }]);
      return { module: PREPARER, context: { masterKey: cipher.exportMasterKey(), places } };
    },
    async writeBatch(trx, batch) {
      // An organisation registered outside the importer's region is refused, never moved or overwritten.
      const codes = batch.map((r) => r.value.credit_code).filter((c): c is string => typeof c === 'string');
      const foreign = await repo.findCreditCodesOutsideScope(trx, codes, scopePath);
      const isForeign = (code: string | null | undefined) => typeof code === 'string' && foreign.has(code);
      const problems = batch
        .filter((r) => isForeign(r.value.credit_code))
        .map((r) => ({ rowNumber: r.rowNumber, field: 'credit_code', reason: 'this organisation is registered outside your region' }));
      const written = await repo.upsertOrganisations(trx, batch.filter((r) => !isForeign(r.value.credit_code)).map((r) => r.value));
      return { ...written, problems };
    },
  };
}

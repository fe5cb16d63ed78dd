import type { FieldCipher } from '../../platform/crypto/field-cipher.ts';
import { maskPhone } from '../../platform/crypto/masking.ts';
import type { Db } from '../../platform/db/database.ts';
import type { NewOrganisation, OrganisationKind } from '../../platform/db/schema.ts';
import type { AppServices } from '../../platform/http/context.ts';
import type { Principal } from '../../platform/auth/index.ts';
import { AppError } from '../../platform/errors.ts';
import { normaliseCreditCode, validateCreditCode } from '../../platform/identity/index.ts';
import type { RowImporter, RowProblem } from '../../platform/imports/index.ts';
import { loadPlaceDirectory, type PlaceEntry } from '../places/index.ts';
import * as repo from './organisations.repository.ts';

/** Organisation kinds, as stored; the console translates them. */
export const ORGANISATION_KINDS = [
  'government',
  'department',
  'street_office',
  'community_committee',
  'enterprise',
  'social_organisation',
  'charity',
  'volunteer_team',
] as const satisfies readonly OrganisationKind[];

const KIND_WORDS: Record<string, OrganisationKind> = {
  政府: 'government',
  人民政府: 'government',
  部门: 'department',
  政府部门: 'department',
  街道办事处: 'street_office',
  社区居委会: 'community_committee',
  居民委员会: 'community_committee',
  村民委员会: 'community_committee',
  企业: 'enterprise',
  社会组织: 'social_organisation',
  慈善组织: 'charity',
  志愿服务队: 'volunteer_team',
  志愿者队伍: 'volunteer_team',
};

/** Maps an English or Chinese kind to the stored value, or undefined. */
export function parseOrganisationKind(text: string): OrganisationKind | undefined {
  const trimmed = text.trim();
  return (ORGANISATION_KINDS as readonly string[]).includes(trimmed) ? (trimmed as OrganisationKind) : KIND_WORDS[trimmed];
}

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

/** Organisations from a file; enterprises and social bodies must carry a valid credit code. */
export function organisationImporter(cipher: FieldCipher, scopePath: string): RowImporter<NewOrganisation> {
  let places = new Map<string, PlaceEntry>();
  return {
    kind: 'organisations',
    columns: ORGANISATION_COLUMNS,
    required: ['kind', 'name', 'place_code'],
    async begin(db: Db) {
      places = await loadPlaceDirectory(db, scopePath);
    },
    prepare(values) {
      const problems: RowProblem[] = [];
      const kind = parseOrganisationKind(values.kind ?? '');
      if (!kind) problems.push({ field: 'kind', reason: `kind ${values.kind ?? ''} is not one of ${ORGANISATION_KINDS.join(', ')}` });
      const name = (values.name ?? '').trim();
      if (!name) problems.push({ field: 'name', reason: 'name is empty' });
      else if (name.length > 200) problems.push({ field: 'name', reason: 'name is longer than 200 characters' });
      const codeText = normaliseCreditCode(values.credit_code ?? '');
      let creditCode: string | null = null;
      if (codeText) {
        const code = validateCreditCode(codeText);
        if (code.isValid) creditCode = code.code;
        else problems.push({ field: 'credit_code', reason: code.message });
      } else if (kind === 'enterprise' || kind === 'social_organisation' || kind === 'charity') {
        problems.push({ field: 'credit_code', reason: 'a unified social credit code is required for this kind' });
      }
      const placeCode = (values.place_code ?? '').trim();
      const place = places.get(placeCode);
      if (!placeCode) problems.push({ field: 'place_code', reason: 'place code is empty' });
      else if (!place) problems.push({ field: 'place_code', reason: `place ${placeCode} is unknown or outside your region` });
      const phone = values.phone?.replace(/[\s-]/g, '') || null;
      if (phone && !/^(1[3-9]\d{9}|0\d{9,11})$/.test(phone)) problems.push({ field: 'phone', reason: `phone ${phone} is not a valid number` });
      if (problems.length > 0 || !kind || !place) return { ok: false, problems };
      const legalRepresentative = values.legal_representative?.trim() || null;
      const address = values.address?.trim() || null;
      return {
        ok: true,
        key: creditCode ?? `${kind}\u001f${name}`,
        value: {
          kind,
          name,
          credit_code: creditCode,
          place_id: place.id,
          scope_path: place.path,
          legal_representative: legalRepresentative,
          phone_enc: phone ? cipher.encrypt(phone) : null,
          phone_masked: phone ? maskPhone(phone) : null,
          address,
          record_hash: cipher.blindIndex([kind, name, creditCode, placeCode, legalRepresentative, phone, address].join('\u001f')),
        },
      };
    },
    writeBatch: (trx, rows) => repo.upsertOrganisations(trx, rows.map((r) => r.value)),
  };
}

import { FieldCipher } from '../../platform/crypto/field-cipher.ts';
import { maskPhone } from '../../platform/crypto/masking.ts';
import type { NewOrganisation, OrganisationKind } from '../../platform/db/schema.ts';
import { normaliseCreditCode, validateCreditCode } from '../../platform/identity/index.ts';
import type { PreparedRow, RowPreparer, RowProblem } from '../../platform/imports/index.ts';

/** Context of the organisation row preparer (it runs in import worker threads: plain data only). */
export interface OrganisationPreparerContext {
  masterKey: Uint8Array;
  places: Array<[string, { id: number; path: string }]>;
}

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

/** Organisation rows: enterprises and social bodies must carry a valid credit code. */
export function createPreparer(context: OrganisationPreparerContext): RowPreparer<NewOrganisation> {
  const cipher = new FieldCipher(context.masterKey);
  const places = new Map(context.places);
  return { prepareRow: (values) => prepareOrganisation(values, cipher, places) };
}

function prepareOrganisation(values: Record<string, string>, cipher: FieldCipher, places: Map<string, { id: number; path: string }>): PreparedRow<NewOrganisation> {
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
}

import type { FieldEncryptor } from '../../platform/crypto/field-cipher.ts';
import { maskAddress, maskIdNumber, maskPhone } from '../../platform/crypto/masking.ts';
import { validateResidentId } from '../../platform/identity/index.ts';
import type { ResidentRowWithoutHousehold } from './resident.record.ts';

/** A resident as submitted by a form or an import row, before validation. */
export interface ResidentInput {
  idNumber: string;
  name: string;
  phone?: string | null | undefined;
  address?: string | null | undefined;
  placeCode: string;
  householdNumber?: string | null | undefined;
  relationToHead?: string | null | undefined;
  ethnicity?: string | null | undefined;
  tags?: string[] | undefined;
}

/** Where a place code resolves to. */
export interface PlaceRef {
  id: number;
  path: string;
}

/** One reason a submitted resident was refused. */
export interface FieldProblem {
  field: string;
  reason: string;
}

/** A validated, encrypted resident ready to write, with the keys that identify it. */
export interface PreparedResident {
  row: ResidentRowWithoutHousehold;
  idNumber: string;
  indexKey: string;
  householdNumber: string | null;
}

const PHONE = /^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$/;
const MAX_NAME = 50;
const MAX_TAG = 20;
const NAME = /^[\p{Script=Han}\p{L}·•.\s'-]+$/u;

/**
 * Validates one resident and turns it into a row: normalises the ID (15→18 digits), derives birth
 * date and gender from it, encrypts ID, phone and address, computes blind indexes and masks.
 * Returns every problem found rather than stopping at the first.
 */
export function prepareResident(
  input: ResidentInput,
  cipher: FieldEncryptor,
  resolvePlace: (code: string) => PlaceRef | undefined,
  today = new Date(),
): { ok: true; value: PreparedResident } | { ok: false; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const id = validateResidentId(input.idNumber ?? '', { today });
  if (!id.isValid) problems.push({ field: 'id_number', reason: id.message });

  const name = (input.name ?? '').trim().replace(/\s+/g, ' ');
  if (!name) problems.push({ field: 'name', reason: 'name is empty' });
  else if (Array.from(name).length > MAX_NAME) problems.push({ field: 'name', reason: `name is longer than ${MAX_NAME} characters` });
  else if (!NAME.test(name)) problems.push({ field: 'name', reason: 'name contains digits or symbols' });

  const phone = normaliseOptional(input.phone)?.replace(/[\s-]/g, '') ?? null;
  if (phone && !PHONE.test(phone)) problems.push({ field: 'phone', reason: `phone ${phone} is not a mainland mobile or landline number` });

  const address = normaliseOptional(input.address);
  const placeCode = (input.placeCode ?? '').trim();
  const place = placeCode ? resolvePlace(placeCode) : undefined;
  if (!placeCode) problems.push({ field: 'place_code', reason: 'place code is empty' });
  else if (!place) problems.push({ field: 'place_code', reason: `place ${placeCode} is unknown or outside your region` });

  const tags = [...new Set((input.tags ?? []).map((t) => t.trim()).filter(Boolean))].sort();
  const longTag = tags.find((t) => Array.from(t).length > MAX_TAG);
  if (longTag) problems.push({ field: 'tags', reason: `tag ${longTag} is longer than ${MAX_TAG} characters` });

  if (problems.length > 0 || !id.isValid || !place) return { ok: false, problems };

  const householdNumber = normaliseOptional(input.householdNumber);
  const relationToHead = normaliseOptional(input.relationToHead);
  const ethnicity = normaliseOptional(input.ethnicity);
  const idIndex = cipher.blindIndex(id.idNumber);
  const content = [id.idNumber, name, phone, address, placeCode, householdNumber, relationToHead, ethnicity, tags.join('|')].join('\u001f');
  return {
    ok: true,
    value: {
      idNumber: id.idNumber,
      indexKey: Buffer.from(idIndex.buffer, idIndex.byteOffset, idIndex.byteLength).toString('base64'),
      householdNumber,
      row: {
        id_number_index: idIndex,
        id_number_enc: cipher.encrypt(id.idNumber),
        id_number_masked: maskIdNumber(id.idNumber),
        name,
        gender: id.gender,
        birth_date: id.birthDate,
        ethnicity,
        phone_index: phone ? cipher.blindIndex(phone) : null,
        phone_enc: phone ? cipher.encrypt(phone) : null,
        phone_masked: phone ? maskPhone(phone) : null,
        address_enc: address ? cipher.encrypt(address) : null,
        address_masked: address ? maskAddress(address) : null,
        relation_to_head: relationToHead,
        place_id: place.id,
        place_path: place.path,
        tags,
        record_hash: cipher.blindIndex(content),
      },
    },
  };
}

function normaliseOptional(value: string | null | undefined): string | null {
  const trimmed = value?.trim();
  return trimmed ? trimmed : null;
}

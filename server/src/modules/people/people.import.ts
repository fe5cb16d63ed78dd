import type { FieldCipher } from '../../platform/crypto/field-cipher.ts';
import { maskAddress } from '../../platform/crypto/masking.ts';
import type { Db } from '../../platform/db/database.ts';
import type { NewHousehold } from '../../platform/db/schema.ts';
import type { RowImporter } from '../../platform/imports/index.ts';
import { loadPlaceDirectory, type PlaceEntry } from '../places/index.ts';
import * as repo from './people.repository.ts';
import { prepareResident, type PreparedResident } from './resident.prepare.ts';

/** Header spellings accepted for each resident column (the template uses the first). */
export const RESIDENT_COLUMNS: Record<string, string[]> = {
  id_number: ['id_number', '公民身份号码', '身份证号', '身份证号码', '证件号码'],
  name: ['name', '姓名'],
  gender: ['gender', '性别'],
  birth_date: ['birth_date', '出生日期'],
  phone: ['phone', '联系电话', '手机号码', '电话'],
  address: ['address', '详细地址', '住址', '地址'],
  place_code: ['place_code', '网格编码', '所属网格编码', '区划编码'],
  household_number: ['household_number', '户编号', '户号'],
  relation_to_head: ['relation_to_head', '与户主关系'],
  ethnicity: ['ethnicity', '民族'],
  tags: ['tags', '标签', '人员类别'],
};

/** Header spellings accepted for each household column. */
export const HOUSEHOLD_COLUMNS: Record<string, string[]> = {
  household_number: ['household_number', '户编号', '户号'],
  place_code: ['place_code', '网格编码', '所属网格编码', '区划编码'],
  address: ['address', '详细地址', '住址', '地址'],
};

const GENDER_WORDS: Record<string, 'male' | 'female'> = { 男: 'male', 女: 'female', male: 'male', female: 'female', m: 'male', f: 'female' };

/** Accepts YYYY-MM-DD, YYYY/MM/DD, YYYY.MM.DD and YYYYMMDD; null when the text is not a real date. */
export function parseDate(text: string): string | null {
  const match = /^(\d{4})[-/.年]?(\d{1,2})[-/.月]?(\d{1,2})日?$/.exec(text.trim());
  if (!match) return null;
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return null;
  return date.toISOString().slice(0, 10);
}

/**
 * Residents from a file. Optional gender and birth-date columns are cross-checked against the
 * ID number (a wrong date is a refused row, not a silent correction); households named in the
 * file are created on the fly in the resident's place.
 */
export function residentImporter(cipher: FieldCipher, scopePath: string): RowImporter<PreparedResident> {
  let places = new Map<string, PlaceEntry>();
  return {
    kind: 'residents',
    columns: RESIDENT_COLUMNS,
    required: ['id_number', 'name', 'place_code'],
    async begin(db: Db) {
      places = await loadPlaceDirectory(db, scopePath);
    },
    prepare(values) {
      const prepared = prepareResident(
        {
          idNumber: values.id_number ?? '',
          name: values.name ?? '',
          phone: values.phone,
          address: values.address,
          placeCode: values.place_code ?? '',
          householdNumber: values.household_number,
          relationToHead: values.relation_to_head,
          ethnicity: values.ethnicity,
          tags: values.tags ? values.tags.split(/[|,，、;；]/) : [],
        },
        cipher,
        (code) => places.get(code),
      );
      const problems = prepared.ok ? [] : [...prepared.problems];
      const birthText = values.birth_date?.trim();
      if (birthText) {
        const birthDate = parseDate(birthText);
        if (!birthDate) problems.push({ field: 'birth_date', reason: `birth date ${birthText} is not a valid date` });
        else if (prepared.ok && birthDate !== prepared.value.row.birth_date) {
          problems.push({ field: 'birth_date', reason: `birth date ${birthDate} does not match the ID number (${prepared.value.row.birth_date})` });
        }
      }
      const genderText = values.gender?.trim().toLowerCase();
      if (genderText) {
        const gender = GENDER_WORDS[genderText];
        if (!gender) problems.push({ field: 'gender', reason: `gender ${values.gender} is not 男 or 女` });
        else if (prepared.ok && gender !== prepared.value.row.gender) problems.push({ field: 'gender', reason: 'gender does not match the ID number' });
      }
      if (!prepared.ok || problems.length > 0) return { ok: false, problems };
      return { ok: true, value: prepared.value, key: prepared.value.indexKey };
    },
    async writeBatch(trx, rows) {
      const households: NewHousehold[] = [];
      const seen = new Set<string>();
      for (const { value } of rows) {
        if (value.householdNumber && !seen.has(value.householdNumber)) {
          seen.add(value.householdNumber);
          households.push({ household_number: value.householdNumber, place_id: value.row.place_id, place_path: value.row.place_path });
        }
      }
      const householdIds = await repo.ensureHouseholds(trx, households);
      const written = await repo.upsertResidents(
        trx,
        rows.map(({ value }) => ({ ...value.row, household_id: value.householdNumber ? (householdIds.get(value.householdNumber) ?? null) : null })),
      );
      return { inserted: written.inserted, updated: written.updated };
    },
  };
}

interface PreparedHousehold {
  row: NewHousehold;
}

/** Households from a file, keyed on the household number. */
export function householdImporter(cipher: FieldCipher, scopePath: string): RowImporter<PreparedHousehold> {
  let places = new Map<string, PlaceEntry>();
  return {
    kind: 'households',
    columns: HOUSEHOLD_COLUMNS,
    required: ['household_number', 'place_code'],
    async begin(db: Db) {
      places = await loadPlaceDirectory(db, scopePath);
    },
    prepare(values) {
      const problems = [];
      const number = values.household_number?.trim() ?? '';
      if (!number) problems.push({ field: 'household_number', reason: 'household number is empty' });
      else if (!/^[0-9A-Za-z-]{4,40}$/.test(number)) problems.push({ field: 'household_number', reason: `household number ${number} has characters other than letters, digits and -` });
      const code = values.place_code?.trim() ?? '';
      const place = places.get(code);
      if (!code) problems.push({ field: 'place_code', reason: 'place code is empty' });
      else if (!place) problems.push({ field: 'place_code', reason: `place ${code} is unknown or outside your region` });
      if (problems.length > 0 || !place) return { ok: false, problems };
      const address = values.address?.trim() || null;
      return {
        ok: true,
        key: number,
        value: {
          row: {
            household_number: number,
            place_id: place.id,
            place_path: place.path,
            address_enc: address ? cipher.encrypt(address) : null,
            address_masked: address ? maskAddress(address) : null,
            record_hash: cipher.blindIndex([number, code, address ?? ''].join('\u001f')),
          },
        },
      };
    },
    async writeBatch(trx, rows) {
      const written = await repo.upsertHouseholds(trx, rows.map((r) => r.value.row));
      return { inserted: written.inserted, updated: written.updated };
    },
  };
}

import { FieldCipher, type FieldEncryptor } from '../../platform/crypto/field-cipher.ts';
import { maskAddress } from '../../platform/crypto/masking.ts';
import type { NewHousehold } from '../../platform/db/schema.ts';
import type { PreparedRow, RowPreparer, RowProblem } from '../../platform/imports/index.ts';
import { prepareResident, type PlaceRef, type PreparedResident } from './resident.prepare.ts';
import { residentRecords } from './resident.record.ts';

/**
 * Row preparers of resident and household imports. They run in import worker threads (see
 * platform/imports/prepare-pool.ts), so their context is plain data: the master key and the place
 * directory as entries.
 */
export interface PeoplePreparerContext {
  kind: 'residents' | 'households';
  masterKey: Uint8Array;
  places: Array<[string, PlaceRef]>;
}

/** A household row ready to write. */
export interface PreparedHousehold {
  row: NewHousehold;
}

/** A resident row on its way from an import worker to the database. */
export interface ImportedResident {
  /** The blind index of the ID number, base64: the row's key in the file and in the registry. */
  indexKey: string;
  householdNumber: string | null;
  placeId: number;
  placePath: string;
  /** The row as `upsertResidents` reads it; written when the batch is sealed. */
  record: Uint8Array;
}

const EMPTY_RECORD = new Uint8Array(0);

const GENDER_WORDS: Record<string, 'male' | 'female'> = { 男: 'male', 女: 'female', male: 'male', female: 'female', m: 'male', f: 'female' };

/** Accepts YYYY-MM-DD, YYYY/MM/DD, YYYY.MM.DD, YYYYMMDD and YYYY年M月D日; null when not a real date. */
export function parseDate(text: string): string | null {
  const match = /^(\d{4})[-/.年]?(\d{1,2})[-/.月]?(\d{1,2})日?$/.exec(text.trim());
  if (!match) return null;
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return null;
  return date.toISOString().slice(0, 10);
}

/**
 * Builds the preparer of one import kind from its context. Fields are encrypted a batch at a time
 * (FieldCipher.batch): the batch is sealed when the import runner ends each batch.
 */
export function createPreparer(context: PeoplePreparerContext): RowPreparer<ImportedResident | PreparedHousehold> {
  const cipher = new FieldCipher(context.masterKey);
  const places = new Map(context.places);
  let batch = cipher.batch();
  // Ciphertexts are filled in when the batch is sealed, so resident records are written then.
  let unsealed: Array<{ imported: ImportedResident; resident: PreparedResident }> = [];
  const prepareResidentRow = residentPreparer(places);
  const prepareHouseholdRow = householdPreparer(places);
  return {
    prepareRow: (values) => {
      if (context.kind === 'households') return prepareHouseholdRow(values, batch);
      const prepared = prepareResidentRow(values, batch);
      if (!prepared.ok) return prepared;
      const resident = prepared.value;
      const imported: ImportedResident = {
        indexKey: resident.indexKey,
        householdNumber: resident.householdNumber,
        placeId: resident.row.place_id,
        placePath: resident.row.place_path,
        record: EMPTY_RECORD,
      };
      unsealed.push({ imported, resident });
      return { ok: true, value: imported, key: prepared.key };
    },
    endBatch: () => {
      batch.seal();
      const records = residentRecords(unsealed.map(({ resident }) => resident));
      unsealed.forEach(({ imported }, i) => (imported.record = records[i]!));
      unsealed = [];
      batch = cipher.batch();
    },
  };
}

/**
 * Residents: optional gender and birth-date columns are cross-checked against the ID number (a
 * wrong date is a refused row, not a silent correction).
 */
function residentPreparer(places: Map<string, PlaceRef>) {
return (values: Record<string, string>, cipher: FieldEncryptor): PreparedRow<PreparedResident> => {
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
};
}

/** Households, keyed on the household number. */
function householdPreparer(places: Map<string, PlaceRef>) {
return (values: Record<string, string>, cipher: FieldEncryptor): PreparedRow<PreparedHousehold> => {
  const problems: RowProblem[] = [];
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
};
}

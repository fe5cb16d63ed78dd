import type { NewResident } from '../../platform/db/schema.ts';

/** A resident row without its household id, which the database resolves from the household number. */
export type ResidentRowWithoutHousehold = Omit<NewResident, 'household_id'>;

/**
 * Columns of a resident record and their SQL types. A record names them `c0`, `c1`, … in this
 * order (short keys: a city's import sends and parses these names a million times) and its
 * household number `h`; bytea travels as base64.
 */
export const RESIDENT_RECORD_COLUMNS = [
  ['id_number_index', 'bytea'],
  ['id_number_enc', 'bytea'],
  ['id_number_masked', 'text'],
  ['name', 'text'],
  ['gender', 'text'],
  ['birth_date', 'date'],
  ['ethnicity', 'text'],
  ['phone_index', 'bytea'],
  ['phone_enc', 'bytea'],
  ['phone_masked', 'text'],
  ['address_enc', 'bytea'],
  ['address_masked', 'text'],
  ['relation_to_head', 'text'],
  ['place_id', 'bigint'],
  ['place_path', 'ltree'],
  ['tags', 'text[]'],
  ['record_hash', 'bytea'],
] as const satisfies ReadonlyArray<readonly [keyof ResidentRowWithoutHousehold, string]>;

/**
 * One resident as JSON text for `upsertResidents`, with the number of its household. Import
 * workers write it, so the thread that talks to the database only joins records into a batch.
 */
export function residentRecord(row: ResidentRowWithoutHousehold, householdNumber: string | null): string {
  let text = `{"h":${JSON.stringify(householdNumber)}`;
  RESIDENT_RECORD_COLUMNS.forEach(([name], i) => {
    const value = row[name];
    const json = value instanceof Uint8Array ? `"${base64(value)}"` : JSON.stringify(value ?? null);
    text += `,"c${i}":${json}`;
  });
  return `${text}}`;
}

function base64(bytes: Uint8Array): string {
  return (Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)).toString('base64');
}

import { BinaryRecordWriter, type ElementType } from '../../platform/db/binary-arrays.ts';
import type { NewResident } from '../../platform/db/schema.ts';

/** A resident row without its household id, which the database resolves from the household number. */
export type ResidentRowWithoutHousehold = Omit<NewResident, 'household_id'>;

/**
 * Columns of a resident record: their SQL type, and the element type they travel as. A record
 * (see platform/db/binary-arrays.ts) holds the household number first, then these in order. The
 * place path and the tags travel as text and are cast on arrival: a path is a short dotted code,
 * and tags arrive as an array literal, mostly `{}`.
 */
export const RESIDENT_RECORD_COLUMNS = [
  ['id_number_index', 'bytea', 'bytea'],
  ['id_number_enc', 'bytea', 'bytea'],
  ['id_number_masked', 'text', 'text'],
  ['name', 'text', 'text'],
  ['gender', 'text', 'text'],
  ['birth_date', 'date', 'date'],
  ['ethnicity', 'text', 'text'],
  ['phone_index', 'bytea', 'bytea'],
  ['phone_enc', 'bytea', 'bytea'],
  ['phone_masked', 'text', 'text'],
  ['address_enc', 'bytea', 'bytea'],
  ['address_masked', 'text', 'text'],
  ['relation_to_head', 'text', 'text'],
  ['place_id', 'bigint', 'int8'],
  ['place_path', 'ltree', 'text'],
  ['tags', 'text[]', 'text'],
  ['record_hash', 'bytea', 'bytea'],
] as const satisfies ReadonlyArray<readonly [keyof ResidentRowWithoutHousehold, string, ElementType]>;

/** Element types of a whole record: the household number, then the columns. */
export const RESIDENT_RECORD_TYPES: readonly ElementType[] = ['text', ...RESIDENT_RECORD_COLUMNS.map(([, , element]) => element)];

/**
 * Residents as records for `upsertResidents`, each with the number of its household. Import
 * workers write them, so the thread that talks to the database only copies fields into columns.
 */
export function residentRecords(residents: ReadonlyArray<{ row: ResidentRowWithoutHousehold; householdNumber: string | null }>): Uint8Array[] {
  const writer = new BinaryRecordWriter(Math.max(1024, residents.length * 512));
  for (const { row, householdNumber } of residents) {
    writer.text(householdNumber);
    for (const [name, , element] of RESIDENT_RECORD_COLUMNS) {
      writer.field(element, name === 'tags' ? arrayLiteral(row.tags ?? []) : (row[name] ?? null));
    }
    writer.endRecord();
  }
  return writer.finish();
}

/** A text[] literal of any strings: each element quoted, with quotes and backslashes escaped. */
function arrayLiteral(values: readonly string[]): string {
  return `{${values.map((value) => `"${value.replace(/["\\]/g, '\\$&')}"`).join(',')}}`;
}

/**
 * Rows sent to the database as binary arrays, one array parameter per column, read back with
 * `unnest($1::bytea[], $2::text[], …)`. Both drivers send a byte-array parameter in binary format
 * (node-postgres for a Buffer, PGlite for any typed array), so the server copies each value as it
 * is instead of parsing JSON or array text and decoding base64: for a bulk import that parsing was
 * a sixth of PostgreSQL's work per row.
 *
 * A record is written once, where it is prepared (an import worker thread): each field in the
 * form an array element takes, a 4-byte length (-1 for NULL) and the value's binary form. The
 * thread that talks to the database only copies the fields of the records it writes into columns.
 */

/** Element types a record's fields can have, with the type OIDs their arrays declare. */
const ELEMENT_OIDS = { bytea: 17, int8: 20, text: 25, date: 1082 } as const;

/** The type of a field, and of the array its column travels in (`${type}[]` in SQL). */
export type ElementType = keyof typeof ELEMENT_OIDS;

/** Days from the Unix epoch to PostgreSQL's (2000-01-01), which binary dates count from. */
const POSTGRES_EPOCH_DAY = 10_957;
const DAY_MS = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Writes records field by field into one growing buffer. */
export class BinaryRecordWriter {
  #bytes: Uint8Array;
  #view: DataView;
  #length = 0;
  #ends: number[] = [];
  readonly #initialBytes: number;
  readonly #encoder = new TextEncoder();

  constructor(initialBytes = 64 * 1024) {
    this.#initialBytes = initialBytes;
    this.#bytes = new Uint8Array(initialBytes);
    this.#view = new DataView(this.#bytes.buffer);
  }

  /** A bytea field. */
  bytea(value: Uint8Array | null): this {
    if (value === null) return this.#null();
    this.#reserve(4 + value.byteLength);
    this.#view.setInt32(this.#length, value.byteLength);
    this.#bytes.set(value, this.#length + 4);
    this.#length += 4 + value.byteLength;
    return this;
  }

  /** A text field, written as UTF-8. */
  text(value: string | null): this {
    if (value === null) return this.#null();
    // UTF-8 takes at most three bytes for each UTF-16 unit.
    this.#reserve(4 + value.length * 3);
    const { written } = this.#encoder.encodeInto(value, this.#bytes.subarray(this.#length + 4));
    this.#view.setInt32(this.#length, written);
    this.#length += 4 + written;
    return this;
  }

  /** A bigint field; the value must be a safe integer. */
  int8(value: number | null): this {
    if (value === null) return this.#null();
    if (!Number.isSafeInteger(value)) throw new RangeError(`${value} is not an integer a bigint column can take`);
    this.#reserve(12);
    this.#view.setInt32(this.#length, 8);
    this.#view.setBigInt64(this.#length + 4, BigInt(value));
    this.#length += 12;
    return this;
  }

  /** A date field from its ISO form, YYYY-MM-DD. */
  date(value: string | null): this {
    if (value === null) return this.#null();
    const match = ISO_DATE.exec(value);
    if (!match) throw new RangeError(`${value} is not a date in the form YYYY-MM-DD`);
    const days = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) / DAY_MS - POSTGRES_EPOCH_DAY;
    this.#reserve(8);
    this.#view.setInt32(this.#length, 4);
    this.#view.setInt32(this.#length + 4, days);
    this.#length += 8;
    return this;
  }

  /** A field of `type`, given as that type's method takes it (bytes, a number, an ISO date, a string). */
  field(type: ElementType, value: Uint8Array | number | string | null): this {
    switch (type) {
      case 'bytea':
        return this.bytea(value as Uint8Array | null);
      case 'int8':
        return this.int8(value as number | null);
      case 'date':
        return this.date(value as string | null);
      case 'text':
        return this.text(value as string | null);
    }
  }

  /** Ends the record made of the fields written since the previous one ended. */
  endRecord(): void {
    this.#ends.push(this.#length);
  }

  /**
   * The records written, each a view of one buffer (which a message to another thread copies
   * once, not once per record). The writer starts afresh, so views already handed out stay valid.
   */
  finish(): Uint8Array[] {
    const records: Uint8Array[] = [];
    let start = 0;
    for (const end of this.#ends) {
      records.push(this.#bytes.subarray(start, end));
      start = end;
    }
    // The next record gets a buffer of its own when it is written, not before.
    this.#bytes = new Uint8Array(0);
    this.#view = new DataView(this.#bytes.buffer);
    this.#length = 0;
    this.#ends = [];
    return records;
  }

  #null(): this {
    this.#reserve(4);
    this.#view.setInt32(this.#length, -1);
    this.#length += 4;
    return this;
  }

  #reserve(bytes: number): void {
    if (this.#length + bytes <= this.#bytes.byteLength) return;
    const grown = new Uint8Array(Math.max(this.#bytes.byteLength * 2, this.#length + bytes, this.#initialBytes));
    grown.set(this.#bytes.subarray(0, this.#length));
    this.#bytes = grown;
    this.#view = new DataView(grown.buffer);
  }
}

/** PostgreSQL's binary array header for one dimension: ndim, has-null flag, element type, length, lower bound. */
const HEADER_BYTES = 20;

/**
 * The records' fields as one binary array per column, in PostgreSQL's array format, for
 * parameters cast to `${types[i]}[]`. Every record must have `types.length` fields.
 */
export function binaryColumns(records: readonly Uint8Array[], types: readonly ElementType[]): Buffer[] {
  const columns = types.length;
  // Where each field starts (its length prefix) and how many bytes it takes, record by record.
  const starts = new Int32Array(records.length * columns);
  const sizes = new Int32Array(records.length * columns);
  const totals = new Array<number>(columns).fill(HEADER_BYTES);
  const hasNull = new Array<boolean>(columns).fill(false);
  records.forEach((record, r) => {
    const view = new DataView(record.buffer, record.byteOffset, record.byteLength);
    let offset = 0;
    for (let c = 0; c < columns; c++) {
      if (offset + 4 > record.byteLength) throw new RangeError(`record ${r} has ${c} fields, not ${columns}`);
      const length = view.getInt32(offset);
      const size = 4 + Math.max(0, length);
      if (length < 0) hasNull[c] = true;
      starts[r * columns + c] = offset;
      sizes[r * columns + c] = size;
      totals[c]! += size;
      offset += size;
    }
    if (offset !== record.byteLength) throw new RangeError(`record ${r} has more than ${columns} fields`);
  });
  return types.map((type, c) => {
    const column = Buffer.allocUnsafe(totals[c]!);
    column.writeInt32BE(1, 0);
    column.writeInt32BE(hasNull[c] ? 1 : 0, 4);
    column.writeInt32BE(ELEMENT_OIDS[type], 8);
    column.writeInt32BE(records.length, 12);
    column.writeInt32BE(1, 16);
    let position = HEADER_BYTES;
    records.forEach((record, r) => {
      const start = starts[r * columns + c]!;
      const size = sizes[r * columns + c]!;
      // Most fields are a few dozen bytes: a loop copies them without making a view of each.
      if (size > 64) column.set(record.subarray(start, start + size), position);
      else for (let i = 0; i < size; i++) column[position + i] = record[start + i]!;
      position += size;
    });
    return column;
  });
}

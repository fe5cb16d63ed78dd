import iconv from 'iconv-lite';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { AppError } from '../errors.ts';
import { detectCsvDelimiter, readCsvRecords, type TextEncoding } from './csv-records.ts';
import type { OpenByteStream, SourceRecord } from './source-record.ts';
import { readXlsxRecords } from './xlsx-records.ts';

/** File formats an import accepts. */
export type TabularFormat = 'csv' | 'xlsx';

/** An uploaded file: on disk (multipart upload spooled to a temp file) or already in memory. */
export type TabularSource = { path: string } | { buffer: Uint8Array };

/** One data row of an import file. */
export interface TabularRow {
  /** Row number as Excel shows it: the header is row 1, the first data row 2; blank lines count. */
  rowNumber: number;
  /** Header → trimmed cell text; a cell missing from a short row is ''. */
  values: Record<string, string>;
  /** Non-empty cells beyond the last header, so the caller can reject a misaligned row. */
  extraCells: number;
  /**
   * Headers whose XLSX cell held a number of 16+ digits: Excel keeps only 15, so a resident ID typed as a
   * number has already lost its last digits. Present only when there is one.
   */
  impreciseHeaders?: string[];
}

/** An opened import file: its headers now, its rows as a stream. */
export interface TabularFile {
  format: TabularFormat;
  /** Detected text encoding of a CSV file; null for XLSX. */
  encoding: TextEncoding | null;
  headers: string[];
  /** Each iteration re-reads the file from the start, so a validate pass and a write pass cost no memory. */
  rows: AsyncIterable<TabularRow>;
}

/** Result of matching a file's headers to the canonical field names an import expects. */
export interface HeaderMapping<Field extends string> {
  /** Canonical field → the file header that carries it; fields listed in `missing` are absent. */
  mapping: Record<Field, string>;
  /** Fields no header matched. */
  missing: Field[];
  /** Headers matching no field (kept in the error report, ignored by the import). */
  unknown: string[];
  /** Fields more than one header matched; the first such header is used. */
  ambiguous: Field[];
}

/** Enough to see a Chinese header row and a few hundred data rows when guessing the encoding. */
const SAMPLE_BYTES = 256 * 1024;
const BUFFER_CHUNK_BYTES = 64 * 1024;
const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];
/** Compound-file magic: Excel 97–2003 .xls, and also password-protected .xlsx. */
const OLE2_MAGIC = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
const UTF8_BOM = [0xef, 0xbb, 0xbf];
const TEXT_EXTENSIONS = new Set(['.csv', '.txt']);

/**
 * Guesses a CSV's encoding: UTF-8 if it has a BOM or decodes as strict UTF-8, otherwise GB18030 (a superset
 * of GBK, which Excel on Chinese Windows writes). A character cut at the end of the sample is not an error.
 */
export function detectTextEncoding(sample: Uint8Array): TextEncoding {
  if (startsWith(sample, UTF8_BOM)) return 'utf-8';
  try {
    // Stream mode holds back an incomplete trailing sequence instead of rejecting it.
    new TextDecoder('utf-8', { fatal: true }).decode(sample, { stream: true });
    return 'utf-8';
  } catch {
    return 'gb18030';
  }
}

/**
 * Opens an uploaded CSV or XLSX file for import: detects format and encoding, reads and checks the header
 * row, and streams data rows so files of millions of rows are read in constant memory.
 */
export async function openTabularFile(source: TabularSource, fileName: string): Promise<TabularFile> {
  const sample = await readSample(source);
  const format = chooseFormat(path.extname(fileName).toLowerCase(), sample);
  const openStream: OpenByteStream = () => openByteStream(source);

  let encoding: TextEncoding | null = null;
  let readRecords: () => AsyncGenerator<SourceRecord>;
  if (format === 'xlsx') {
    readRecords = () => readXlsxRecords(openStream);
  } else {
    const textEncoding = detectTextEncoding(sample);
    const delimiter = detectCsvDelimiter(firstLine(sample, textEncoding));
    encoding = textEncoding;
    readRecords = () => readCsvRecords(openStream, textEncoding, delimiter);
  }
  if (sample.length === 0) return { format, encoding, headers: [], rows: fromRecords(emptyRecords, []) };

  const headers = checkHeaders(await readFirstRecord(readRecords()));
  return { format, encoding, headers, rows: fromRecords(readRecords, headers) };
}

/**
 * Matches file headers to canonical fields by alias, ignoring case, width (全角/半角), spaces, `_`, `-` and
 * the `*` templates put on required columns. A field's own name counts as one of its aliases.
 */
export function mapHeaders<Field extends string>(
  headers: readonly string[],
  aliases: Readonly<Record<Field, readonly string[]>>,
): HeaderMapping<Field> {
  const fields = Object.keys(aliases) as Field[];
  // Typed as complete because callers iterate it or read fields they checked against `missing`.
  const mapping = {} as Record<Field, string>;
  const missing: Field[] = [];
  const ambiguous: Field[] = [];
  const used = new Set<string>();
  for (const field of fields) {
    const wanted = new Set([field, ...aliases[field]].map(normalizeHeader));
    const matches = headers.filter((header) => wanted.has(normalizeHeader(header)));
    const [first] = matches;
    if (first === undefined) {
      missing.push(field);
      continue;
    }
    mapping[field] = first;
    if (matches.length > 1) ambiguous.push(field);
    for (const header of matches) used.add(header);
  }
  return { mapping, missing, unknown: headers.filter((header) => !used.has(header)), ambiguous };
}

/** The form in which two headers count as the same column. */
export function normalizeHeader(header: string): string {
  return header.normalize('NFKC').toLowerCase().replace(/[\s_\-*]/g, '');
}

function chooseFormat(extension: string, sample: Uint8Array): TabularFormat {
  const isKnownExtension = TEXT_EXTENSIONS.has(extension) || extension === '.xlsx' || extension === '.xls';
  if (!isKnownExtension) {
    throw new AppError('INVALID_FILE', `Unsupported file type "${extension || '(none)'}": upload a .csv, .txt or .xlsx file.`, {
      extension,
    });
  }
  // Content wins over the name: files renamed by hand or mislabelled by the exporting system are common.
  if (startsWith(sample, ZIP_MAGIC)) return 'xlsx';
  if (startsWith(sample, OLE2_MAGIC)) {
    throw new AppError(
      'INVALID_FILE',
      'The file is an Excel 97-2003 workbook or a password-protected one: save it as .xlsx without a password, or as CSV.',
      { extension },
    );
  }
  if (extension === '.xls') {
    throw new AppError('INVALID_FILE', 'Unsupported file type ".xls": save the file as .xlsx or CSV.', { extension });
  }
  if (extension === '.xlsx') {
    if (sample.length === 0) return 'xlsx';
    throw new AppError('INVALID_FILE', 'The file is named .xlsx but is not an Excel workbook.', { extension });
  }
  if (startsWith(sample, [0xff, 0xfe]) || startsWith(sample, [0xfe, 0xff])) {
    throw new AppError('INVALID_FILE', 'UTF-16 text ("Unicode Text") is not supported: save the file as CSV (UTF-8) or CSV.', {
      extension,
    });
  }
  return 'csv';
}

async function readSample(source: TabularSource): Promise<Uint8Array> {
  if ('buffer' in source) return source.buffer.subarray(0, SAMPLE_BYTES);
  const handle = await fs.promises.open(source.path, 'r');
  try {
    const sample = new Uint8Array(SAMPLE_BYTES);
    const { bytesRead } = await handle.read(sample, 0, SAMPLE_BYTES, 0);
    return sample.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

function openByteStream(source: TabularSource): Readable {
  if ('path' in source) return fs.createReadStream(source.path);
  const { buffer } = source;
  // Chunked so a multi-million-row buffer is parsed (and its rows yielded) piece by piece.
  function* chunks(): Generator<Buffer> {
    for (let offset = 0; offset < buffer.length; offset += BUFFER_CHUNK_BYTES) {
      const end = Math.min(offset + BUFFER_CHUNK_BYTES, buffer.length);
      yield Buffer.from(buffer.buffer, buffer.byteOffset + offset, end - offset);
    }
  }
  return Readable.from(chunks(), { objectMode: false });
}

function firstLine(sample: Uint8Array, encoding: TextEncoding): string {
  const text = iconv.decode(Buffer.from(sample.buffer, sample.byteOffset, sample.length), encoding);
  const end = text.search(/[\r\n]/);
  return end === -1 ? text : text.slice(0, end);
}

async function readFirstRecord(records: AsyncGenerator<SourceRecord>): Promise<SourceRecord | undefined> {
  try {
    const first = await records.next();
    return first.done ? undefined : first.value;
  } finally {
    await records.return(undefined);
  }
}

/** Trailing empty header cells are formatting residue and dropped; empty or repeated names in between are errors. */
function checkHeaders(record: SourceRecord | undefined): string[] {
  const cells = record?.cells ?? [];
  let end = cells.length;
  while (end > 0 && cells[end - 1] === '') end -= 1;
  const headers = cells.slice(0, end);

  const emptyHeaderColumns = headers.flatMap((header, index) => (header === '' ? [columnLetter(index + 1)] : []));
  const groups = new Map<string, string[]>();
  for (const header of headers) {
    if (header === '') continue;
    const key = normalizeHeader(header);
    groups.set(key, [...(groups.get(key) ?? []), header]);
  }
  const duplicateHeaders = [...groups.values()].filter((group) => group.length > 1).flatMap((group) => [...new Set(group)]);

  if (emptyHeaderColumns.length > 0 || duplicateHeaders.length > 0) {
    const problems = [
      emptyHeaderColumns.length > 0 ? `empty header in column ${emptyHeaderColumns.join(', ')}` : '',
      duplicateHeaders.length > 0 ? `duplicate headers ${duplicateHeaders.join(', ')}` : '',
    ].filter(Boolean);
    throw new AppError('INVALID_FILE', `The header row is invalid: ${problems.join('; ')}.`, {
      headerRowNumber: record?.rowNumber,
      emptyHeaderColumns,
      duplicateHeaders,
    });
  }
  return headers;
}

/** Spreadsheet column name (1 → A, 27 → AA), as users find the column in Excel. */
function columnLetter(columnNumber: number): string {
  let letters = '';
  for (let rest = columnNumber; rest > 0; rest = Math.floor((rest - 1) / 26)) {
    letters = String.fromCharCode(65 + ((rest - 1) % 26)) + letters;
  }
  return letters;
}

function fromRecords(readRecords: () => AsyncGenerator<SourceRecord>, headers: string[]): AsyncIterable<TabularRow> {
  return { [Symbol.asyncIterator]: () => toRows(readRecords(), headers) };
}

async function* emptyRecords(): AsyncGenerator<SourceRecord> {
  yield* [];
}

async function* toRows(records: AsyncGenerator<SourceRecord>, headers: string[]): AsyncGenerator<TabularRow> {
  let isHeader = true;
  for await (const record of records) {
    if (isHeader) {
      isHeader = false;
      continue;
    }
    // No prototype, so a header such as "__proto__" or "constructor" is an ordinary key.
    const values = Object.create(null) as Record<string, string>;
    headers.forEach((header, index) => {
      values[header] = record.cells[index] ?? '';
    });
    let extraCells = 0;
    for (let index = headers.length; index < record.cells.length; index += 1) {
      if (record.cells[index] !== '') extraCells += 1;
    }
    const row: TabularRow = { rowNumber: record.rowNumber, values, extraCells };
    const impreciseHeaders = record.impreciseColumns.flatMap((index) => headers[index] ?? []);
    if (impreciseHeaders.length > 0) row.impreciseHeaders = impreciseHeaders;
    yield row;
  }
}

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return bytes.length >= prefix.length && prefix.every((byte, index) => bytes[index] === byte);
}

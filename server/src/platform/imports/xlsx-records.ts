import ExcelJS from 'exceljs';
import { Readable } from 'node:stream';
import { AppError } from '../errors.ts';
import { cellValueToText } from './cell-text.ts';
import type { OpenByteStream, SourceRecord } from './source-record.ts';

type WorksheetReader = ExcelJS.stream.xlsx.WorksheetReader;
type ReaderEvent = { eventType: string; value: unknown };

/**
 * The parts of exceljs 4.4's streaming WorkbookReader used below that its typings leave out. Pinned to
 * `lib/stream/xlsx/workbook-reader.js`; `repairWorkbookReader` fails loudly if they disappear.
 */
interface WorkbookReaderInternals {
  model?: { sheets?: { rId: string; state?: string }[] };
  workbookRels?: { Id: string; Target: string }[];
  properties?: { model?: { date1904?: boolean } };
  styles: { index?: { numFmt?: Record<number, string | undefined> } };
  _parseRels(entry: Readable): Promise<void>;
  _parseWorkbook(entry: Readable): Promise<void>;
  _parseStyles(entry: Readable): Promise<void>;
  _parseSharedStrings(entry: Readable): AsyncGenerator<ReaderEvent>;
  _parseWorksheet(chunks: AsyncIterable<Buffer | string>, sheetNo: string): Generator<ReaderEvent>;
  [Symbol.asyncIterator](): AsyncGenerator<WorksheetReader>;
}

/** Where a worksheet's XML comes from: a temp-file stream (sheet stored before the shared strings) or the zip entry itself. */
interface SheetSource {
  sheetNo: string;
  isTempFile: boolean;
  destroy(): void;
}

/**
 * Built-in number formats of Chinese-locale Excel and WPS (ids 27–36, 50–58), all dates or times. Files
 * reference them by id without defining them and exceljs only knows the locale-neutral ids, so without this
 * a date typed as 2024年1月5日 would come through as the serial number 45296.
 */
const CJK_BUILTIN_DATE_FORMATS: Record<number, string> = {
  27: 'yyyy"年"m"月"',
  28: 'm"月"d"日"',
  29: 'm"月"d"日"',
  30: 'm-d-yy',
  31: 'yyyy"年"m"月"d"日"',
  32: 'h"时"mm"分"',
  33: 'h"时"mm"分"ss"秒"',
  34: '上午/下午h"时"mm"分"',
  35: '上午/下午h"时"mm"分"ss"秒"',
  36: 'yyyy"年"m"月"',
  50: 'yyyy"年"m"月"',
  51: 'm"月"d"日"',
  52: 'yyyy"年"m"月"',
  53: 'm"月"d"日"',
  54: 'm"月"d"日"',
  55: '上午/下午h"时"mm"分"',
  56: '上午/下午h"时"mm"分"ss"秒"',
  57: 'yyyy"年"m"月"',
  58: 'm"月"d"日"',
};

/**
 * Streams the non-empty rows of the first visible worksheet, numbered as Excel numbers them. Memory stays
 * flat except for the shared-string table, which exceljs must hold (cells refer to it by index).
 */
export async function* readXlsxRecords(openStream: OpenByteStream): AsyncGenerator<SourceRecord> {
  const input = openStream();
  const sources = new WeakMap<WorksheetReader, SheetSource>();
  const reader = repairWorkbookReader(
    new ExcelJS.stream.xlsx.WorkbookReader(input, { sharedStrings: 'cache', styles: 'cache', hyperlinks: 'ignore', worksheets: 'emit' }),
    sources,
  );
  const worksheets = reader[Symbol.asyncIterator]();
  let isFinished = false;
  let target: SheetSource | undefined;
  try {
    const sheet = await findFirstVisibleSheet(worksheets, reader, sources);
    if (!sheet) {
      if (!reader.model) throw new AppError('INVALID_FILE', 'The file is a zip archive but not an Excel workbook (no xl/workbook.xml).');
      isFinished = true;
      return;
    }
    target = sources.get(sheet);
    const isDate1904 = reader.properties?.model?.date1904 === true;
    for await (const row of sheet) {
      const record = rowToRecord(row, isDate1904);
      if (record) yield record;
    }
    isFinished = true;
  } catch (error) {
    if (error instanceof AppError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new AppError('INVALID_FILE', `The .xlsx file cannot be read: ${reason}`, { reason });
  } finally {
    await releaseWorkbook(worksheets, input, sources, isFinished || target?.isTempFile === true);
  }
}

/**
 * Works around two exceljs 4.4 streaming-reader defects without patching node_modules: XML chunks are
 * decoded one by one, so a Chinese character split between chunks becomes U+FFFD (exceljs issues #2063,
 * #2084, still open); and Chinese-locale built-in date formats are unknown. Also records each worksheet's
 * source so skipped sheets can be released.
 */
function repairWorkbookReader(
  publicReader: ExcelJS.stream.xlsx.WorkbookReader,
  sources: WeakMap<WorksheetReader, SheetSource>,
): WorkbookReaderInternals {
  // The typings describe only the public surface; the methods wrapped here are internal to exceljs.
  const reader = publicReader as unknown as WorkbookReaderInternals;
  const { _parseRels, _parseWorkbook, _parseStyles, _parseSharedStrings, _parseWorksheet } = reader;
  for (const method of [_parseRels, _parseWorkbook, _parseStyles, _parseSharedStrings, _parseWorksheet]) {
    if (typeof method !== 'function') throw new Error('exceljs streaming reader internals changed; review xlsx-records.ts');
  }
  // A string-encoded entry hands complete characters to the XML parser, whatever the chunking.
  reader._parseRels = (entry) => _parseRels.call(reader, entry.setEncoding('utf8'));
  reader._parseWorkbook = (entry) => _parseWorkbook.call(reader, entry.setEncoding('utf8'));
  reader._parseSharedStrings = (entry) => _parseSharedStrings.call(reader, entry.setEncoding('utf8'));
  reader._parseStyles = async (entry) => {
    await _parseStyles.call(reader, entry.setEncoding('utf8'));
    const formats = reader.styles.index?.numFmt;
    if (!formats) return;
    for (const [id, format] of Object.entries(CJK_BUILTIN_DATE_FORMATS)) formats[Number(id)] ??= format;
  };
  reader._parseWorksheet = function* (chunks, sheetNo) {
    for (const event of _parseWorksheet.call(reader, decodeUtf8Chunks(chunks), sheetNo)) {
      if (event.eventType === 'worksheet') {
        const isTempFile = chunks instanceof Readable;
        sources.set(event.value as WorksheetReader, {
          sheetNo,
          isTempFile,
          destroy: () => (chunks instanceof Readable ? destroyQuietly(chunks) : undefined),
        });
      }
      yield event;
    }
  };
  return reader;
}

/**
 * Stops reading a sheet's temp file. exceljs deletes the file as soon as its parser returns, so a
 * stream destroyed before its lazy open finished would fail that open with ENOENT as an uncaught
 * error: errors are swallowed (the sheet is not wanted) and an unopened stream is closed once open.
 */
function destroyQuietly(stream: Readable): void {
  stream.on('error', () => undefined);
  const pending = (stream as Readable & { pending?: boolean }).pending === true;
  if (pending) stream.once('ready', () => stream.destroy());
  else stream.destroy();
}

/** Worksheet XML for the direct (zip entry) path arrives as raw chunks; decode them with carry-over between chunks. */
async function* decodeUtf8Chunks(chunks: AsyncIterable<Buffer | string>): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8');
  for await (const chunk of chunks) yield typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
  const tail = decoder.decode();
  if (tail) yield tail;
}

/**
 * Advances to the worksheet a user sees first: the first sheet in tab order that is visible and is a
 * worksheet (zip order can differ from tab order; chart sheets and hidden sheets are skipped).
 */
async function findFirstVisibleSheet(
  worksheets: AsyncGenerator<WorksheetReader>,
  reader: WorkbookReaderInternals,
  sources: WeakMap<WorksheetReader, SheetSource>,
): Promise<WorksheetReader | undefined> {
  for (;;) {
    const next = await worksheets.next();
    if (next.done) return undefined;
    const wanted = firstVisibleSheetNo(reader);
    const source = sources.get(next.value);
    if (wanted === undefined || source?.sheetNo === wanted) return next.value;
    source?.destroy();
  }
}

function firstVisibleSheetNo(reader: WorkbookReaderInternals): string | undefined {
  const sheets = reader.model?.sheets;
  const relationships = reader.workbookRels;
  if (!sheets || !relationships) return undefined;
  for (const sheet of sheets) {
    if (sheet.state === 'hidden' || sheet.state === 'veryHidden') continue;
    const target = relationships.find((relationship) => relationship.Id === sheet.rId)?.Target;
    const match = target === undefined ? null : /(?:^|\/)worksheets\/sheet(\d+)\.xml$/.exec(target);
    if (match) return match[1];
  }
  return undefined;
}

/**
 * Lets exceljs finish so it deletes its temp files, releasing each later sheet unread. When reading stopped
 * inside a sheet streamed straight from the zip, finishing would buffer that sheet's remainder in memory
 * (a listener exceljs leaves behind), so the input is closed instead.
 */
async function releaseWorkbook(
  worksheets: AsyncGenerator<WorksheetReader>,
  input: Readable,
  sources: WeakMap<WorksheetReader, SheetSource>,
  canDrain: boolean,
): Promise<void> {
  if (!canDrain) {
    input.destroy();
    return;
  }
  try {
    for (;;) {
      const next = await worksheets.next();
      if (next.done) break;
      sources.get(next.value)?.destroy();
    }
  } catch {
    // The rows already read are complete; a fault in the unread remainder is not the caller's concern.
  } finally {
    input.destroy();
  }
}

function rowToRecord(row: ExcelJS.Row, isDate1904: boolean): SourceRecord | undefined {
  const cells: string[] = [];
  const impreciseColumns: number[] = [];
  let hasText = false;
  row.eachCell((cell, columnNumber) => {
    const { text, isImprecise } = cellValueToText(cell.value, cell.numFmt, isDate1904);
    const trimmed = text.trim();
    if (trimmed === '') return;
    while (cells.length < columnNumber - 1) cells.push('');
    cells[columnNumber - 1] = trimmed;
    hasText = true;
    if (isImprecise) impreciseColumns.push(columnNumber - 1);
  });
  return hasText ? { rowNumber: row.number, cells, impreciseColumns } : undefined;
}

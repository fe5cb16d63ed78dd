/** One rejected row for the downloadable error report. */
export interface ImportRowError {
  rowNumber: number;
  /** Canonical field or header at fault; null when the whole row is. */
  field: string | null;
  reason: string;
  /** The row as read, so the user can fix it in the report and upload the report itself. */
  raw: Record<string, string> | null;
}

/** Makes Excel open Chinese text in a CSV as UTF-8 instead of the ANSI code page. */
const UTF8_BOM = '\uFEFF';
const LINE_END = '\r\n';
/** Leading characters that make Excel (or LibreOffice) evaluate a cell as a formula; OWASP's list. */
const FORMULA_TRIGGER = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/**
 * Renders the error report as a CSV string: BOM, then `row,field,reason` and the file's own columns, one
 * line per error. For very large reports stream `reportLines` to the response instead.
 */
export async function writeErrorReportCsv(
  errors: AsyncIterable<ImportRowError> | Iterable<ImportRowError>,
  columns: readonly string[],
): Promise<string> {
  const parts: string[] = [];
  for await (const line of reportLines(errors, columns)) parts.push(line);
  return parts.join('');
}

/** The error report CSV as a stream of lines (the first carries the BOM), for piping into an HTTP response. */
export async function* reportLines(
  errors: AsyncIterable<ImportRowError> | Iterable<ImportRowError>,
  columns: readonly string[],
): AsyncGenerator<string> {
  yield UTF8_BOM + csvLine(['row', 'field', 'reason', ...columns]);
  for await (const error of errors) {
    const raw = error.raw;
    const cells = columns.map((column) => (raw && Object.hasOwn(raw, column) ? (raw[column] ?? '') : ''));
    yield csvLine([String(error.rowNumber), error.field ?? '', error.reason, ...cells]);
  }
}

/**
 * One RFC 4180 line ending in CRLF, for reports and exports alike. Every cell is defused first because
 * such cells echo what someone typed into an upload or a form.
 */
export function csvLine(cells: readonly string[]): string {
  return cells.map((cell) => quoteCsvCell(defuseFormula(cell))).join(',') + LINE_END;
}

/** Quotes a cell when it holds a quote, comma or line break, doubling inner quotes. */
export function quoteCsvCell(cell: string): string {
  return NEEDS_QUOTES.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell;
}

/**
 * Prefixes an apostrophe to a cell Excel would run as a formula (CSV injection: `=HYPERLINK(...)` in a
 * name field). The apostrophe stays visible, which is the point: the user sees exactly what was uploaded.
 */
export function defuseFormula(cell: string): string {
  return FORMULA_TRIGGER.test(cell) ? `'${cell}` : cell;
}

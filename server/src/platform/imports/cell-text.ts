/** Text of one spreadsheet cell, and whether a number in it may already have lost digits. */
export interface CellText {
  text: string;
  isImprecise: boolean;
}

/** Excel keeps 15 significant digits; an integer part this large may already have lost its tail. */
const IMPRECISE_NUMBER_FLOOR = 1e15;
const EXCEL_SIGNIFICANT_DIGITS = 15;
const MS_PER_DAY = 86_400_000;
const EMPTY: CellText = { text: '', isImprecise: false };

/**
 * A number as Excel's General format shows it, never in exponent notation: a resident ID stored as a
 * number must come out as digits (`500106199001011000`), not `5.00106E+17`.
 */
export function formatNumberAsText(value: number): string {
  if (!Number.isFinite(value)) return '';
  // Rounding a fraction to Excel's precision drops binary noise (0.30000000000000004 → 0.3) the user never
  // saw. Integers are left alone: a 16-digit card number written by a program is exact in a double.
  const shown = Number.isInteger(value) ? value : Number(value.toPrecision(EXCEL_SIGNIFICANT_DIGITS));
  // String() is the shortest round-trip form; BigInt(shown) would print the double's binary tail instead.
  return expandExponent(String(Object.is(shown, -0) ? 0 : shown));
}

/** Rewrites `1.5e-7` / `1.10101199001011e+21` as plain decimal digits. */
function expandExponent(text: string): string {
  const match = /^(-?)(\d+)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
  if (!match) return text;
  const [, sign = '', whole = '', fraction = '', exponentText = '0'] = match;
  const digits = whole + fraction;
  const pointAt = whole.length + Number(exponentText);
  if (pointAt <= 0) return `${sign}0.${'0'.repeat(-pointAt)}${digits}`.replace(/0+$/, '');
  if (pointAt >= digits.length) return sign + digits + '0'.repeat(pointAt - digits.length);
  return `${sign}${digits.slice(0, pointAt)}.${digits.slice(pointAt)}`;
}

/** A spreadsheet date as `YYYY-MM-DD`, with `HH:MM:SS` only when it carries a time of day, so no information is dropped. */
export function formatDateAsText(date: Date): string {
  const time = date.getTime();
  if (Number.isNaN(time)) return '';
  // Excel serials are fractions of a day; rounding to the second removes float residue such as 23:59:59.999.
  const rounded = new Date(Math.round(time / 1000) * 1000);
  const day = rounded.toISOString().slice(0, 10);
  const clock = rounded.toISOString().slice(11, 19);
  // Serial 0 (1899-12-30 in Excel's epoch) marks a time-only value.
  if (day === '1899-12-30') return clock;
  return clock === '00:00:00' ? day : `${day} ${clock}`;
}

/** True when an Excel number format displays a date or time (the same test Excel applies: y/m/d/h/s outside quotes and brackets). */
export function isDateFormat(format: string | undefined): boolean {
  if (!format) return false;
  const visible = format.replace(/\[[^\]]*]/g, '').replace(/"[^"]*"/g, '').replace(/\\./g, '');
  return /[ymdhs]/i.test(visible);
}

/** Excel escapes control characters in cell text as `_xHHHH_` (and a literal `_x` as `_x005F_x`); users never see these. */
export function decodeExcelEscapes(text: string): string {
  if (!text.includes('_x')) return text;
  return text.replace(/_x([0-9A-Fa-f]{4})_/g, (_match, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
}

/** Converts an Excel serial day number to a date, as Excel counts it (1900 or 1904 epoch). */
export function excelSerialToDate(serial: number, isDate1904: boolean): Date {
  const epochOffsetDays = isDate1904 ? 24_107 : 25_569;
  return new Date(Math.round((serial - epochOffsetDays) * MS_PER_DAY));
}

/**
 * Text of a cell value as the streaming reader produces it. Takes `unknown` because exceljs emits shapes its
 * typings do not declare (e.g. `{ formula: '', result }` for shared formulas).
 */
export function cellValueToText(value: unknown, numberFormat: string | undefined, isDate1904: boolean): CellText {
  if (value === null || value === undefined) return EMPTY;
  if (typeof value === 'string') return { text: decodeExcelEscapes(value), isImprecise: false };
  if (typeof value === 'number') {
    return { text: formatNumberAsText(value), isImprecise: Math.abs(value) >= IMPRECISE_NUMBER_FLOOR };
  }
  if (typeof value === 'boolean') return { text: value ? 'TRUE' : 'FALSE', isImprecise: false };
  if (value instanceof Date) return { text: formatDateAsText(value), isImprecise: false };
  if (typeof value !== 'object') return { text: String(value), isImprecise: false };

  if ('richText' in value && Array.isArray(value.richText)) {
    const runs: unknown[] = value.richText;
    const text = runs.map((run) => (isRecord(run) && typeof run.text === 'string' ? run.text : '')).join('');
    return { text: decodeExcelEscapes(text), isImprecise: false };
  }
  if ('result' in value) {
    // exceljs does not apply date formats to formula results; do it here so =TODAY() reads as a date.
    if (typeof value.result === 'number' && isDateFormat(numberFormat)) {
      return { text: formatDateAsText(excelSerialToDate(value.result, isDate1904)), isImprecise: false };
    }
    return cellValueToText(value.result, numberFormat, isDate1904);
  }
  if ('text' in value) return cellValueToText(value.text, numberFormat, isDate1904);
  if ('error' in value && typeof value.error === 'string') return { text: value.error, isImprecise: false };
  return EMPTY;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

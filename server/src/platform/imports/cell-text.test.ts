import { describe, expect, it } from 'vitest';
import { cellValueToText, decodeExcelEscapes, excelSerialToDate, formatDateAsText, formatNumberAsText, isDateFormat } from './cell-text.ts';

describe('formatNumberAsText', () => {
  it('writes large integers as plain digits, never in exponent notation', () => {
    expect(formatNumberAsText(5.00106199001011e17)).toBe('500106199001011000');
    expect(formatNumberAsText(1.10101199001011e21)).toBe('1101011990010110000000');
    expect(formatNumberAsText(6222021234567890)).toBe('6222021234567890');
  });

  it('drops binary noise from fractions the way Excel displays them', () => {
    expect(formatNumberAsText(0.1 + 0.2)).toBe('0.3');
    expect(formatNumberAsText(-12.5)).toBe('-12.5');
    expect(formatNumberAsText(1.5e-7)).toBe('0.00000015');
    expect(formatNumberAsText(-0)).toBe('0');
  });

  it('writes nothing for NaN, which is what an error-valued formula result parses to', () => {
    expect(formatNumberAsText(Number.NaN)).toBe('');
  });
});

describe('formatDateAsText', () => {
  it('writes a date as YYYY-MM-DD and adds the time only when there is one', () => {
    expect(formatDateAsText(new Date(Date.UTC(2024, 0, 5)))).toBe('2024-01-05');
    expect(formatDateAsText(new Date(Date.UTC(2024, 0, 5, 8, 0, 0, 999)))).toBe('2024-01-05 08:00:01');
    expect(formatDateAsText(excelSerialToDate(45296.999999999, false))).toBe('2024-01-06');
  });

  it('writes a time-only value (Excel serial below 1) as HH:MM:SS', () => {
    expect(formatDateAsText(excelSerialToDate(0.5, false))).toBe('12:00:00');
  });

  it('honours the 1904 date system of old Mac workbooks', () => {
    expect(formatDateAsText(excelSerialToDate(43834, true))).toBe('2024-01-05');
  });
});

describe('isDateFormat', () => {
  it('recognises date codes outside quoted literals and brackets only', () => {
    expect(isDateFormat('yyyy"年"m"月"d"日"')).toBe(true);
    expect(isDateFormat('[$-F800]dddd, mmmm dd, yyyy')).toBe(true);
    expect(isDateFormat('0.00 "元/月"')).toBe(false);
    expect(isDateFormat('[Red]#,##0')).toBe(false);
    expect(isDateFormat('General')).toBe(false);
    expect(isDateFormat(undefined)).toBe(false);
  });
});

describe('cellValueToText', () => {
  it('flags a number of 16 or more digits as possibly imprecise', () => {
    expect(cellValueToText(110101199003077780, undefined, false)).toEqual({ text: '110101199003077780', isImprecise: true });
    expect(cellValueToText(13800000000, undefined, false)).toEqual({ text: '13800000000', isImprecise: false });
  });

  it('reads a shared-formula result, which exceljs delivers with an empty formula', () => {
    expect(cellValueToText({ formula: '', result: 42 }, undefined, false).text).toBe('42');
    expect(cellValueToText({ formula: 'TODAY()', result: 45296 }, 'yyyy-mm-dd', false).text).toBe('2024-01-05');
  });

  it('shows an error value as Excel does', () => {
    expect(cellValueToText({ error: '#N/A' }, undefined, false).text).toBe('#N/A');
  });

  it('decodes the _xHHHH_ escapes Excel writes for control characters', () => {
    expect(decodeExcelEscapes('第一行_x000D_\n第二行')).toBe('第一行\r\n第二行');
    expect(decodeExcelEscapes('_x005F_x0041_')).toBe('_x0041_');
  });
});

import { describe, expect, it } from 'vitest';
import { csvLine, reportLines, writeErrorReportCsv, type ImportRowError } from './report.ts';

describe('writeErrorReportCsv', () => {
  const errors: ImportRowError[] = [
    { rowNumber: 3, field: 'idNumber', reason: '校验位错误', raw: { 姓名: '张三', 身份证号: '11010119900307777X', 地址: '幸福路1号, 2单元' } },
    { rowNumber: 7, field: null, reason: 'row has 1 more cells than the header', raw: { 姓名: '=HYPERLINK("http://evil","点我")', 地址: '第一行\n第二行' } },
    { rowNumber: 9, field: 'name', reason: 'duplicate of row 3', raw: null },
  ];

  it('starts with a BOM and the row, field and reason columns followed by the original columns', async () => {
    const csv = await writeErrorReportCsv(errors, ['姓名', '身份证号', '地址']);
    expect(csv.startsWith('\uFEFFrow,field,reason,姓名,身份证号,地址\r\n')).toBe(true);
  });

  it('quotes commas, quotes and line breaks and defuses cells Excel would run as formulas', async () => {
    const csv = await writeErrorReportCsv(errors, ['姓名', '身份证号', '地址']);
    expect(csv.split('\r\n').slice(1)).toEqual([
      '3,idNumber,校验位错误,张三,11010119900307777X,"幸福路1号, 2单元"',
      `7,,row has 1 more cells than the header,"'=HYPERLINK(""http://evil"",""点我"")",,"第一行\n第二行"`,
      '9,name,duplicate of row 3,,,',
      '',
    ]);
  });

  it('accepts an async stream of errors, as read back page by page from the database', async () => {
    async function* fromDatabase(): AsyncGenerator<ImportRowError> {
      yield* errors.slice(0, 1);
    }
    const lines: string[] = [];
    for await (const line of reportLines(fromDatabase(), ['姓名'])) lines.push(line);
    expect(lines).toEqual(['\uFEFFrow,field,reason,姓名\r\n', '3,idNumber,校验位错误,张三\r\n']);
  });
});

describe('csvLine', () => {
  it('prefixes an apostrophe to cells starting with = + - @ tab or carriage return', () => {
    expect(csvLine(['=1+1', '+86 138', '-5', '@SUM(A1)', '\tcmd', 'a=b'])).toBe("'=1+1,'+86 138,'-5,'@SUM(A1),'\tcmd,a=b\r\n");
  });
});

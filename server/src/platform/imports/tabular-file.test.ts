import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { once } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAppError } from '../errors.ts';
import { detectTextEncoding, mapHeaders, openTabularFile, type TabularFile, type TabularRow } from './tabular-file.ts';

let directory: string;
beforeAll(() => {
  directory = fs.mkdtempSync(path.join(os.tmpdir(), 'minsheng-tabular-'));
});
afterAll(() => fs.rmSync(directory, { recursive: true, force: true }));

function writeFixture(name: string, content: Uint8Array | string): string {
  const file = path.join(directory, name);
  fs.writeFileSync(file, content);
  return file;
}

async function openFixture(name: string, content: Uint8Array | string): Promise<TabularFile> {
  return openTabularFile({ path: writeFixture(name, content) }, name);
}

async function collect(rows: AsyncIterable<TabularRow>): Promise<TabularRow[]> {
  const all: TabularRow[] = [];
  for await (const row of rows) all.push(row);
  return all;
}

async function expectInvalidFile(promise: Promise<unknown>): Promise<Record<string, unknown>> {
  const error: unknown = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(isAppError(error, 'INVALID_FILE'), `expected AppError INVALID_FILE, got ${String(error)}`).toBe(true);
  return isAppError(error) ? { message: error.message, ...error.details } : {};
}

async function xlsxBytes(build: (workbook: ExcelJS.Workbook) => void): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  build(workbook);
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}

/** A minimal stored (uncompressed) zip, to hand-craft XLSX parts exceljs's writer never produces. */
function zipStored(files: Record<string, string>): Uint8Array {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, text] of Object.entries(files)) {
    const nameBytes = Buffer.from(name, 'utf8');
    const data = Buffer.from(text, 'utf8');
    const crc = zlib.crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6);
    local.writeUInt16LE(0x21, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(0x21, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, data);
    centrals.push(central, nameBytes);
    offset += local.length + nameBytes.length + data.length;
  }
  const centralDirectory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(files).length, 8);
  end.writeUInt16LE(Object.keys(files).length, 10);
  end.writeUInt32LE(centralDirectory.length, 12);
  end.writeUInt32LE(offset, 16);
  return new Uint8Array(Buffer.concat([...locals, centralDirectory, end]));
}

/** An XLSX as Chinese Excel/WPS writes it: a date styled with built-in numFmtId 31 and no format definition. */
function handMadeXlsx(sheetData: string): Uint8Array {
  const ns = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
  const rel = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
  return zipStored({
    '[Content_Types].xml':
      '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
      '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
      '<Default Extension="xml" ContentType="application/xml"/></Types>',
    '_rels/.rels': `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    'xl/workbook.xml': `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="${ns}" xmlns:r="${rel}"><sheets><sheet name="名单" sheetId="1" r:id="rId1"/></sheets></workbook>`,
    'xl/_rels/workbook.xml.rels': `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${rel}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="${rel}/styles" Target="styles.xml"/></Relationships>`,
    'xl/styles.xml':
      `<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="${ns}"><fonts count="1"><font><sz val="11"/></font></fonts>` +
      '<fills count="1"><fill><patternFill patternType="none"/></fill></fills><borders count="1"><border/></borders>' +
      '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>' +
      '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="31" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs></styleSheet>',
    'xl/worksheets/sheet1.xml': `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="${ns}"><sheetData>${sheetData}</sheetData></worksheet>`,
  });
}

describe('detectTextEncoding', () => {
  it('returns utf-8 for a sample that starts with the UTF-8 BOM', () => {
    expect(detectTextEncoding(new Uint8Array([0xef, 0xbb, 0xbf, 0x61]))).toBe('utf-8');
  });

  it('returns gb18030 for GBK bytes that are not valid UTF-8', () => {
    expect(detectTextEncoding(iconv.encode('姓名,身份证号\r\n张三,110101199003077777', 'gb18030'))).toBe('gb18030');
  });

  it('returns utf-8 when the sample ends in the middle of a multi-byte character', () => {
    const bytes = Buffer.from('姓名,身份证号', 'utf8');
    expect(detectTextEncoding(bytes.subarray(0, bytes.length - 1))).toBe('utf-8');
  });
});

describe('openTabularFile on CSV', () => {
  it('detects a GB18030 (Excel on Chinese Windows) file and decodes its Chinese headers and cells', async () => {
    const file = await openFixture('gbk.csv', iconv.encode('姓名,身份证号\r\n张三,110101199003077777\r\n李四,11010119900307888X\r\n', 'gb18030'));
    expect(file).toMatchObject({ format: 'csv', encoding: 'gb18030', headers: ['姓名', '身份证号'] });
    const rows = await collect(file.rows);
    expect(rows.map((row) => ({ ...row.values }))).toEqual([
      { 姓名: '张三', 身份证号: '110101199003077777' },
      { 姓名: '李四', 身份证号: '11010119900307888X' },
    ]);
    expect(rows.map((row) => row.rowNumber)).toEqual([2, 3]);
  });

  it('reads UTF-8 with a BOM without leaking the BOM into the first header', async () => {
    const file = await openFixture('bom.csv', '\uFEFF姓名,电话\n王五,13800000000\n');
    expect(file).toMatchObject({ encoding: 'utf-8', headers: ['姓名', '电话'] });
    expect((await collect(file.rows))[0]?.values).toEqual({ 姓名: '王五', 电话: '13800000000' });
  });

  it('reads UTF-8 without a BOM and trims headers and cells', async () => {
    const file = await openFixture('plain.csv', ' name , phone \n  赵六 ,\t13900000000 \n');
    expect(file).toMatchObject({ encoding: 'utf-8', headers: ['name', 'phone'] });
    expect((await collect(file.rows))[0]?.values).toEqual({ name: '赵六', phone: '13900000000' });
  });

  it('numbers the row after a quoted multi-line cell by the line it starts on', async () => {
    const file = await openFixture('multiline.csv', 'name,address\r\n张三,"幸福路1号\n2单元\r\n301室"\r\n李四,和平街\r\n');
    const rows = await collect(file.rows);
    expect(rows.map((row) => [row.rowNumber, row.values.address])).toEqual([
      [2, '幸福路1号\n2单元\r\n301室'],
      [5, '和平街'],
    ]);
  });

  it('counts blank lines and all-empty rows in row numbers without yielding them', async () => {
    const file = await openFixture('blanks.csv', '\r\nname,phone\r\n\r\n张三,1\r\n,\r\n   \r\n李四,2\r\n\r\n');
    expect(file.headers).toEqual(['name', 'phone']);
    const rows = await collect(file.rows);
    expect(rows.map((row) => [row.rowNumber, row.values.name])).toEqual([
      [4, '张三'],
      [7, '李四'],
    ]);
  });

  it("gives '' for the missing cells of a short row and counts the non-empty extra cells of a long row", async () => {
    const file = await openFixture('ragged.csv', 'a,b,c\n1\n1,2,3,4,,5\n1,2,3,,\n');
    const rows = await collect(file.rows);
    expect(rows.map((row) => [row.values, row.extraCells])).toEqual([
      [{ a: '1', b: '', c: '' }, 0],
      [{ a: '1', b: '2', c: '3' }, 2],
      [{ a: '1', b: '2', c: '3' }, 0],
    ]);
  });

  it('reads a tab-delimited .txt export', async () => {
    const file = await openFixture('export.txt', iconv.encode('姓名\t地址\r\n张三\t幸福路, 1号\r\n', 'gb18030'));
    expect(file).toMatchObject({ format: 'csv', headers: ['姓名', '地址'] });
    expect((await collect(file.rows))[0]?.values).toEqual({ 姓名: '张三', 地址: '幸福路, 1号' });
  });

  it('accepts a stray quote inside an unquoted cell', async () => {
    const file = await openFixture('quotes.csv', 'name,note\n张三,他说"好"\n');
    expect((await collect(file.rows))[0]?.values.note).toBe('他说"好"');
  });

  it('rejects a quote left open as INVALID_FILE naming the line the record starts on', async () => {
    const file = await openFixture('open-quote.csv', 'name,note\n张三,ok\n李四,"never closed\nmore\n');
    const details = await expectInvalidFile(collect(file.rows));
    expect(details.line).toBe(3);
  });

  it('reads the same rows from an in-memory buffer as from a file', async () => {
    const content = iconv.encode('姓名,身份证号\r\n张三,110101199003077777\r\n', 'gb18030');
    const file = await openTabularFile({ buffer: content }, 'upload.CSV');
    expect(file.encoding).toBe('gb18030');
    expect((await collect(file.rows)).map((row) => ({ ...row.values }))).toEqual([{ 姓名: '张三', 身份证号: '110101199003077777' }]);
  });

  it('yields the rows again on a second pass', async () => {
    const file = await openFixture('twice.csv', 'a\n1\n2\n');
    expect((await collect(file.rows)).length).toBe(2);
    expect((await collect(file.rows)).map((row) => row.values.a)).toEqual(['1', '2']);
  });

  it('keeps a header named __proto__ as an ordinary column', async () => {
    const file = await openFixture('proto.csv', '__proto__,b\nx,y\n');
    const [row] = await collect(file.rows);
    expect(Object.keys(row?.values ?? {})).toEqual(['__proto__', 'b']);
    expect(row?.values.__proto__).toBe('x');
  });

  it('streams a 200,000-row file, numbering the last row 200,001', async () => {
    const name = 'large.csv';
    const target = path.join(directory, name);
    const stream = fs.createWriteStream(target);
    let line = '';
    for (let index = 0; index < 200_000; index += 1) {
      if (index === 0) line = '姓名,身份证号,地址\r\n';
      line += `居民${index},1101011990${String(index).padStart(8, '0')},"幸福路${index}号"\r\n`;
      if (line.length > 1 << 16) {
        stream.write(line);
        line = '';
      }
    }
    stream.end(line);
    await once(stream, 'finish');

    // Heap readings only mean something after a full collection; without one, garbage hides retention.
    v8.setFlagsFromString('--expose-gc');
    const collectGarbage = runInNewContext('gc') as () => void;
    const file = await openTabularFile({ path: target }, name);
    let count = 0;
    let last: TabularRow | undefined;
    collectGarbage();
    const heapBefore = process.memoryUsage().heapUsed;
    let heapPeak = heapBefore;
    for await (const row of file.rows) {
      count += 1;
      last = row;
      if (count % 50_000 === 0) {
        collectGarbage();
        heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed);
      }
    }
    expect(count).toBe(200_000);
    expect(last).toMatchObject({ rowNumber: 200_001, values: { 姓名: '居民199999', 地址: '幸福路199999号' } });
    // Holding every row measures about 70 MB here; a streaming read stays within a few.
    expect(heapPeak - heapBefore).toBeLessThan(16 * 1024 * 1024);
  });
});

describe('openTabularFile on XLSX', () => {
  it('reads dates, numbers, text IDs, Chinese, rich text, links and formula results as the user sees them', async () => {
    const bytes = await xlsxBytes((workbook) => {
      const sheet = workbook.addWorksheet('居民');
      sheet.addRow(['姓名', '出生日期', '登记时间', '面积', '身份证号', '数字身份证', '备注', '主页', '合计', '在册']);
      const row = sheet.addRow([
        '张三',
        new Date(Date.UTC(1990, 2, 7)),
        new Date(Date.UTC(2024, 0, 5, 9, 30, 0)),
        0.1 + 0.2,
        '11010119900307888X',
        // An ID typed into a number cell; it cannot survive as a double, which is the point.
        Number('110101199003077777'),
        { richText: [{ text: '独居' }, { text: '老人', font: { bold: true } }] },
        { text: '街道网站', hyperlink: 'https://example.gov.cn' },
        { formula: 'D2*2', result: 0.6 },
        true,
      ]);
      row.getCell(3).numFmt = 'yyyy-mm-dd hh:mm:ss';
    });
    const file = await openFixture('people.xlsx', bytes);
    expect(file).toMatchObject({ format: 'xlsx', encoding: null });
    expect(file.headers).toEqual(['姓名', '出生日期', '登记时间', '面积', '身份证号', '数字身份证', '备注', '主页', '合计', '在册']);
    const [row] = await collect(file.rows);
    expect(row?.rowNumber).toBe(2);
    expect(row?.values).toEqual({
      姓名: '张三',
      出生日期: '1990-03-07',
      登记时间: '2024-01-05 09:30:00',
      面积: '0.3',
      身份证号: '11010119900307888X',
      // Typed as a number: a double keeps ~17 digits, so the last one is already wrong.
      数字身份证: '110101199003077780',
      备注: '独居老人',
      主页: '街道网站',
      合计: '0.6',
      在册: 'TRUE',
    });
    expect(row?.impreciseHeaders).toEqual(['数字身份证']);
  });

  it('numbers rows as Excel does, skipping empty rows but counting them', async () => {
    const bytes = await xlsxBytes((workbook) => {
      const sheet = workbook.addWorksheet('Sheet1');
      sheet.getCell('A1').value = 'name';
      sheet.getCell('B1').value = 'phone';
      sheet.getCell('A3').value = '张三';
      sheet.getCell('C3').value = '多余';
      sheet.getCell('B5').value = 13800000000;
      sheet.getCell('A6').value = '   ';
    });
    const file = await openFixture('gaps.xlsx', bytes);
    const rows = await collect(file.rows);
    expect(rows.map((row) => [row.rowNumber, row.values, row.extraCells])).toEqual([
      [3, { name: '张三', phone: '' }, 1],
      [5, { name: '', phone: '13800000000' }, 0],
    ]);
  });

  it('reads an XLSX uploaded under a .csv name by its zip signature', async () => {
    const bytes = await xlsxBytes((workbook) => workbook.addWorksheet('S').addRows([['姓名'], ['张三']]));
    const file = await openFixture('mislabelled.csv', bytes);
    expect(file).toMatchObject({ format: 'xlsx', encoding: null, headers: ['姓名'] });
    expect((await collect(file.rows))[0]?.values).toEqual({ 姓名: '张三' });
  });

  it('keeps Chinese text intact where characters straddle stream chunk boundaries', async () => {
    const names = Array.from({ length: 6000 }, (_, index) => `社区居民张${index}号楼幸福里`);
    const bytes = await xlsxBytes((workbook) => {
      const sheet = workbook.addWorksheet('名单');
      sheet.addRow(['姓名']);
      for (const name of names) sheet.addRow([name]);
    });
    const file = await openTabularFile({ buffer: bytes }, 'many.xlsx');
    const read = (await collect(file.rows)).map((row) => row.values.姓名);
    expect(read.filter((name, index) => name !== names[index])).toEqual([]);
  });

  it('keeps Chinese text intact in a sheet that stores its strings inline', async () => {
    const names = Array.from({ length: 6000 }, (_, index) => `社区居民李${index}号楼和平里`);
    const target = path.join(directory, 'inline.xlsx');
    const writer = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: target, useSharedStrings: false });
    const sheet = writer.addWorksheet('名单');
    sheet.addRow(['姓名']).commit();
    for (const name of names) sheet.addRow([name]).commit();
    sheet.commit();
    await writer.commit();
    const file = await openTabularFile({ path: target }, 'inline.xlsx');
    const read = (await collect(file.rows)).map((row) => row.values.姓名);
    expect(read.filter((name, index) => name !== names[index])).toEqual([]);
  });

  it('reads the first visible worksheet when the first tab is hidden', async () => {
    const bytes = await xlsxBytes((workbook) => {
      workbook.addWorksheet('说明', { state: 'hidden' }).addRows([['说明'], ['请勿修改']]);
      workbook.addWorksheet('数据').addRows([['姓名'], ['张三']]);
      workbook.addWorksheet('备用').addRows([['备用'], ['x']]);
    });
    const file = await openFixture('tabs.xlsx', bytes);
    expect(file.headers).toEqual(['姓名']);
    expect((await collect(file.rows)).map((row) => row.values.姓名)).toEqual(['张三']);
  });

  it('reads a date styled with the Chinese-locale built-in format 31 as a date', async () => {
    const bytes = handMadeXlsx(
      '<row r="1"><c r="A1" t="inlineStr"><is><t>姓名</t></is></c><c r="B1" t="inlineStr"><is><t>入住日期</t></is></c></row>' +
        '<row r="2"><c r="A2" t="inlineStr"><is><t>张三</t></is></c><c r="B2" s="1"><v>45296</v></c></row>',
    );
    const file = await openFixture('wps.xlsx', bytes);
    expect(file.headers).toEqual(['姓名', '入住日期']);
    expect((await collect(file.rows))[0]?.values).toEqual({ 姓名: '张三', 入住日期: '2024-01-05' });
  });

  it('reads every row again after a pass that stopped early', async () => {
    const bytes = await xlsxBytes((workbook) => workbook.addWorksheet('S').addRows([['n'], ...Array.from({ length: 500 }, (_, index) => [index])]));
    const file = await openFixture('again.xlsx', bytes);
    for await (const row of file.rows) if (row.rowNumber === 3) break;
    const rows = await collect(file.rows);
    expect([rows.length, rows.at(-1)?.values.n]).toEqual([500, '499']);
  });

  it('rejects a truncated upload as INVALID_FILE', async () => {
    const bytes = await xlsxBytes((workbook) => workbook.addWorksheet('S').addRows([['n'], ...Array.from({ length: 500 }, (_, index) => [index])]));
    await expectInvalidFile(openFixture('cut.xlsx', bytes.subarray(0, Math.floor(bytes.length / 2))));
  });

  it('rejects a zip that is not a workbook', async () => {
    const bytes = zipStored({ 'word/document.xml': '<w:document/>' });
    await expectInvalidFile(openFixture('letter.xlsx', bytes));
  });
});

describe('openTabularFile file checks', () => {
  it('rejects an unsupported extension with INVALID_FILE', async () => {
    const details = await expectInvalidFile(openFixture('people.pdf', 'name\nx\n'));
    expect(details.extension).toBe('.pdf');
  });

  it('rejects a legacy .xls workbook, asking for .xlsx or CSV', async () => {
    const ole2 = new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0]);
    const details = await expectInvalidFile(openFixture('old.xls', ole2));
    expect(details.message).toMatch(/\.xlsx/);
  });

  it('rejects a text file named .xlsx', async () => {
    await expectInvalidFile(openFixture('fake.xlsx', 'name\nx\n'));
  });

  it('rejects duplicate and empty headers, listing them', async () => {
    const details = await expectInvalidFile(openFixture('bad-headers.csv', '姓名,,电话,姓名, 电话 ,\n'));
    expect(details).toMatchObject({ emptyHeaderColumns: ['B'], duplicateHeaders: ['姓名', '电话'] });
  });

  it('rejects headers that differ only in case or spacing as duplicates', async () => {
    const details = await expectInvalidFile(openFixture('case.csv', 'Name,NAME\n'));
    expect(details.duplicateHeaders).toEqual(['Name', 'NAME']);
  });

  it('returns headers and no rows for a header-only file', async () => {
    const csv = await openFixture('header-only.csv', '姓名,电话\r\n');
    expect(csv.headers).toEqual(['姓名', '电话']);
    expect(await collect(csv.rows)).toEqual([]);
    const xlsx = await openFixture('header-only.xlsx', await xlsxBytes((workbook) => workbook.addWorksheet('S').addRow(['姓名'])));
    expect(xlsx.headers).toEqual(['姓名']);
    expect(await collect(xlsx.rows)).toEqual([]);
  });

  it('returns no headers and no rows for an empty file', async () => {
    for (const name of ['empty.csv', 'empty.xlsx']) {
      const file = await openFixture(name, '');
      expect(file.headers).toEqual([]);
      expect(await collect(file.rows)).toEqual([]);
    }
  });
});

describe('mapHeaders', () => {
  const aliases = {
    idNumber: ['id_number', '身份证号', '公民身份号码'],
    name: ['name', '姓名'],
    phone: ['phone', '联系电话'],
  };

  it('maps Chinese and English headers to canonical fields ignoring case, width and spacing', () => {
    const result = mapHeaders(['*姓名', ' 公民身份 号码', 'ＰＨＯＮＥ', '备注'], aliases);
    expect(result).toEqual({
      mapping: { name: '*姓名', idNumber: ' 公民身份 号码', phone: 'ＰＨＯＮＥ' },
      missing: [],
      unknown: ['备注'],
      ambiguous: [],
    });
  });

  it('lists fields without a header as missing and flags a field two headers match', () => {
    const result = mapHeaders(['Name', '姓名', 'ID Number'], aliases);
    expect(result).toEqual({ mapping: { name: 'Name', idNumber: 'ID Number' }, missing: ['phone'], unknown: [], ambiguous: ['name'] });
  });
});

import { CsvError, parse } from 'csv-parse';
import iconv from 'iconv-lite';
import { pipeline } from 'node:stream';
import { AppError } from '../errors.ts';
import type { OpenByteStream, SourceRecord } from './source-record.ts';

/** Text encodings minsheng reads CSV files in. */
export type TextEncoding = 'utf-8' | 'gb18030';

/** Delimiters a CSV export may use: Excel writes commas for .csv and tabs for "Text (Tab delimited)" .txt. */
export type CsvDelimiter = ',' | '\t';

/** A record longer than this is a runaway quote, not data; stop before it eats the memory. */
const MAX_RECORD_CHARS = 1_000_000;
const LINE_BREAK = /\r\n|\r|\n/g;

/** Guesses the delimiter from the header line: the one of comma and tab that occurs more often. */
export function detectCsvDelimiter(firstLine: string): CsvDelimiter {
  const tabs = firstLine.split('\t').length - 1;
  const commas = firstLine.split(',').length - 1;
  return tabs > commas ? '\t' : ',';
}

/**
 * Streams the non-empty records of a CSV file with the line each starts on. csv-parse's own `info.lines`
 * counts CR and LF separately, so lines are counted here: a record spans one line plus the line breaks
 * inside its quoted cells, and blank lines arrive as one-cell empty records that still advance the count.
 */
export async function* readCsvRecords(
  openStream: OpenByteStream,
  encoding: TextEncoding,
  delimiter: CsvDelimiter,
): AsyncGenerator<SourceRecord> {
  const parser = parse({
    delimiter,
    bom: true,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: false,
    record_delimiter: ['\r\n', '\n', '\r'],
    max_record_size: MAX_RECORD_CHARS,
  });
  const input = openStream();
  const stages = encoding === 'utf-8' ? [input, parser] : [input, iconv.decodeStream('gb18030'), parser];
  // Failures of any stage destroy the parser with the error, so they surface in the loop below.
  pipeline(stages, () => undefined);

  let line = 1;
  try {
    for await (const raw of parser as AsyncIterable<string[]>) {
      const rowNumber = line;
      line += 1 + countLineBreaks(raw);
      const cells = raw.map((cell) => cell.trim());
      if (cells.every((cell) => cell === '')) continue;
      yield { rowNumber, cells, impreciseColumns: [] };
    }
  } catch (error) {
    if (error instanceof CsvError) {
      throw new AppError('INVALID_FILE', `The CSV file cannot be parsed at line ${line}: ${error.message}`, {
        line,
        reason: error.code,
      });
    }
    throw error;
  } finally {
    // Reached early when the caller stops iterating; release the file instead of waiting for GC.
    input.destroy();
  }
}

function countLineBreaks(cells: string[]): number {
  let count = 0;
  for (const cell of cells) {
    if (cell.includes('\n') || cell.includes('\r')) count += cell.match(LINE_BREAK)?.length ?? 0;
  }
  return count;
}

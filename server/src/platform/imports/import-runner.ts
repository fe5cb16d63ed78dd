import type { Db, Executor } from '../db/database.ts';
import type { ImportKind } from '../db/schema.ts';
import { appendAudit, type AuditActor } from '../audit/index.ts';
import { AppError } from '../errors.ts';
import { mapHeaders, openTabularFile } from './tabular-file.ts';
import * as repo from './import-job.repository.ts';
import { createPreparePool, preparationWorkers, type PreparerSpec } from './prepare-pool.ts';

/** A problem with one field of one row. */
export interface RowProblem {
  field: string | null;
  reason: string;
}

/** The verdict on one row: a value to write under a unique key, or the reasons it was refused. */
export type PreparedRow<T> = { ok: true; value: T; key: string } | { ok: false; problems: RowProblem[] };

/**
 * What a module supplies to import one kind of record: its columns (with the header names users
 * write, Chinese and English), where its row preparation lives, and how to write a batch.
 */
export interface RowImporter<T, C = unknown> {
  kind: ImportKind;
  /** Canonical column → accepted header spellings. */
  columns: Record<string, string[]>;
  required: string[];
  /** The preparer module and its context (e.g. keys and the place directory), loaded once per import. */
  loadPreparer(db: Db): Promise<PreparerSpec<C>>;
  /** Writes valid rows in the caller's transaction; rows that change nothing are not counted. */
  writeBatch(trx: Executor, rows: Array<{ rowNumber: number; value: T }>): Promise<{ inserted: number; updated: number; problems?: Array<{ rowNumber: number } & RowProblem> }>;
}

/** Final or in-progress totals of an import. */
export type ImportSummary = repo.ImportCounts & { id: number; status: 'running' | 'completed' | 'failed'; message: string | null; encoding: string | null };

const BATCH_SIZE = 1000;
const PREPARE_AHEAD = 4;
/**
 * Batches written at once, each in its own transaction and connection: one backend alone cannot
 * keep up with the preparation, and PostgreSQL spreads the indexes of several batches over the
 * cores. Three rather than two: while one batch waits for its commit to reach the disk (and the
 * next for the job row it updates last), the third keeps a core busy; 4–10 % more rows per
 * second at 1,000,000 residents on two cores. (PGlite has one connection and runs them one after
 * the other.)
 */
const CONCURRENT_WRITES = 3;

/** Rows read from the file and on their way through preparation. */
interface Chunk<T> {
  rows: Array<{ rowNumber: number; values: Record<string, string>; impreciseHeaders: string[] | undefined }>;
  refused: repo.ImportErrorRow[];
  results: Promise<Array<PreparedRow<T>>>;
}

function emptyChunk<T>(): Chunk<T> {
  return { rows: [], refused: [], results: Promise.resolve([]) };
}

/**
 * Imports a file with `importer`: every row is validated (on worker threads, see prepare-pool.ts);
 * good rows are written in batches, each batch in one transaction together with its refused rows,
 * its counts added to the job's and an audit entry, so a killed process loses nothing it reported
 * (importing the file again completes it). Rows with a key already seen in the file are
 * refused as duplicates naming the first row.
 */
export async function runImport<T>(
  db: Db,
  actor: AuditActor,
  jobId: number,
  file: { source: { path: string } | { buffer: Uint8Array }; fileName: string },
  importer: RowImporter<T, unknown>,
): Promise<ImportSummary> {
  const counts: repo.ImportCounts = { totalRows: 0, inserted: 0, updated: 0, unchanged: 0, failed: 0 };
  let encoding: string | null = null;
  try {
    const table = await openTabularFile(file.source, file.fileName);
    encoding = table.encoding;
    await repo.setImportEncoding(db, jobId, encoding);
    const { mapping, missing, ambiguous } = mapHeaders(table.headers, importer.columns);
    if (ambiguous.length > 0) {
      throw new AppError('INVALID_FILE', `more than one column could be: ${ambiguous.join(', ')}`, { ambiguous, headers: table.headers });
    }
    const absent = importer.required.filter((c) => missing.includes(c));
    if (absent.length > 0) {
      throw new AppError('INVALID_FILE', `missing required columns: ${absent.join(', ')}`, { missing: absent, headers: table.headers });
    }
    const pool = await createPreparePool<unknown, T>(await importer.loadPreparer(db), preparationWorkers());
    try {
      await importRows();
    } finally {
      await pool.close();
    }

    async function importRows() {
      const firstRowOfKey = new Map<string, number>();
      let batchNumber = 0;
      const writing: Array<Promise<void>> = [];

      // Each batch adds its own counts to the job in its transaction, so what the job shows is
      // always what has committed, whichever batch commits first. Updating the job row is each
      // batch's last statement: the second to get there waits for the other to commit, holding no
      // lock the other still needs (households are written in number order, and no two batches
      // share a key), so batches written side by side cannot deadlock.
      const write = async (rows: Array<{ rowNumber: number; value: T }>, refused: repo.ImportErrorRow[]) => {
        const number = ++batchNumber;
        while (writing.length >= CONCURRENT_WRITES) await settled(writing.shift()!);
        const done = db.transaction().execute(async (trx) => {
          const written = await importer.writeBatch(trx, rows);
          const late = (written.problems ?? []).map((p) => ({ rowNumber: p.rowNumber, field: p.field, reason: p.reason, raw: null }));
          const allRefused = [...refused, ...late];
          await repo.insertImportErrors(trx, jobId, allRefused);
          const delta: repo.ImportCounts = {
            totalRows: rows.length + new Set(refused.map((e) => e.rowNumber)).size,
            inserted: written.inserted,
            updated: written.updated,
            unchanged: rows.length - late.length - written.inserted - written.updated,
            failed: new Set(allRefused.map((e) => e.rowNumber)).size,
          };
          await appendAudit(trx, actor, {
            action: `import.${importer.kind}.batch`,
            entityType: 'import_job',
            entityId: jobId,
            details: { batch: number, rows: rows.length, inserted: written.inserted, updated: written.updated, refused: allRefused.length },
          });
          await repo.addImportProgress(trx, jobId, delta);
          return delta;
        });
        const counted = done.then((delta) => {
          for (const key of Object.keys(counts) as Array<keyof repo.ImportCounts>) counts[key] += delta[key];
        });
        // Marks the rejection as handled until it is awaited, so a failed batch ends the import
        // through the catch below instead of crashing the process.
        counted.catch(() => undefined);
        writing.push(counted);
      };

      /** Turns one prepared chunk into a batch to write and its refused rows, in file order. */
      const settle = async (chunk: Chunk<T>) => {
        const results = await chunk.results;
        const rows: Array<{ rowNumber: number; value: T }> = [];
        const refused: repo.ImportErrorRow[] = [...chunk.refused];
        chunk.rows.forEach((row, index) => {
          const prepared = results[index]!;
          if (!prepared.ok) {
            for (const p of prepared.problems) {
              // A long number stored as a number in Excel has lost its last digits: say so, not just "bad check character".
              const imprecise = row.impreciseHeaders?.some((h) => mapping[p.field ?? ''] === h);
              const reason = imprecise ? `${p.reason} (the cell holds a number, and Excel keeps only 15 digits: store IDs as text)` : p.reason;
              refused.push({ rowNumber: row.rowNumber, field: p.field, reason, raw: row.values });
            }
            return;
          }
          const first = firstRowOfKey.get(prepared.key);
          if (first !== undefined) {
            refused.push({ rowNumber: row.rowNumber, field: null, reason: `duplicate of row ${first}`, raw: row.values });
          } else {
            firstRowOfKey.set(prepared.key, row.rowNumber);
            rows.push({ rowNumber: row.rowNumber, value: prepared.value });
          }
        });
        refused.sort((a, b) => a.rowNumber - b.rowNumber);
        await write(rows, refused);
      };

      const inFlight: Array<Chunk<T>> = [];
      let chunk = emptyChunk<T>();
      const submit = async () => {
        chunk.results = pool.prepare(chunk.rows.map((r) => r.values));
        chunk.results.catch(() => undefined);
        inFlight.push(chunk);
        chunk = emptyChunk<T>();
        // Keeps every worker busy with one chunk while the oldest is settled and written.
        while (inFlight.length > PREPARE_AHEAD) await settle(inFlight.shift()!);
      };

      const columnHeaders = Object.entries(mapping);
      for await (const row of table.rows) {
        const values: Record<string, string> = {};
        for (const [canonical, header] of columnHeaders) values[canonical] = row.values[header] ?? '';
        if (row.extraCells > 0) {
          chunk.refused.push({ rowNumber: row.rowNumber, field: null, reason: `row has ${row.extraCells} more cells than the header`, raw: values });
        } else {
          chunk.rows.push({ rowNumber: row.rowNumber, values, impreciseHeaders: row.impreciseHeaders });
        }
        if (chunk.rows.length + chunk.refused.length >= BATCH_SIZE) await submit();
      }
      await submit();
      while (inFlight.length > 0) await settle(inFlight.shift()!);
      for (const batch of writing) await settled(batch);

      /** Waits for a batch; if it failed, waits for the others too, so none is still writing when the job is marked failed. */
      async function settled(batch: Promise<void>) {
        try {
          await batch;
        } catch (error) {
          await Promise.allSettled(writing);
          throw error;
        }
      }
    }
    await finish(db, actor, jobId, importer.kind, counts, 'completed', null, encoding);
    return { id: jobId, ...counts, status: 'completed', message: null, encoding };
  } catch (error) {
    const message = error instanceof AppError ? error.message : 'import failed: the file could not be processed';
    await finish(db, actor, jobId, importer.kind, counts, 'failed', message, encoding);
    if (!(error instanceof AppError)) throw error;
    return { id: jobId, ...counts, status: 'failed', message, encoding };
  }
}

async function finish(db: Db, actor: AuditActor, jobId: number, kind: ImportKind, counts: repo.ImportCounts, status: 'completed' | 'failed', message: string | null, encoding: string | null) {
  await db.transaction().execute(async (trx) => {
    await repo.finishImportJob(trx, jobId, counts, { status, message, encoding });
    await appendAudit(trx, actor, { action: `import.${kind}.${status}`, entityType: 'import_job', entityId: jobId, details: { ...counts, message } });
  });
}

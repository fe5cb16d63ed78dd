import type { Db, Executor } from '../db/database.ts';
import type { ImportKind } from '../db/schema.ts';
import { appendAudit, type AuditActor } from '../audit/index.ts';
import { AppError } from '../errors.ts';
import { mapHeaders, openTabularFile } from './tabular-file.ts';
import * as repo from './import-job.repository.ts';

/** A problem with one field of one row. */
export interface RowProblem {
  field: string | null;
  reason: string;
}

/** The verdict on one row: a value to write under a unique key, or the reasons it was refused. */
export type PreparedRow<T> = { ok: true; value: T; key: string } | { ok: false; problems: RowProblem[] };

/**
 * What a module supplies to import one kind of record: its columns (with the header names users
 * write, Chinese and English), how to validate one row, and how to write a batch.
 */
export interface RowImporter<T> {
  kind: ImportKind;
  /** Canonical column → accepted header spellings. */
  columns: Record<string, string[]>;
  required: string[];
  /** Called once before the first row, e.g. to load the place directory. */
  begin?(db: Db): Promise<void>;
  prepare(values: Record<string, string>): PreparedRow<T>;
  /** Writes valid rows in the caller's transaction; rows that change nothing are not counted. */
  writeBatch(trx: Executor, rows: Array<{ rowNumber: number; value: T }>): Promise<{ inserted: number; updated: number; problems?: Array<{ rowNumber: number } & RowProblem> }>;
}

/** Final or in-progress totals of an import. */
export type ImportSummary = repo.ImportCounts & { id: number; status: 'running' | 'completed' | 'failed'; message: string | null; encoding: string | null };

const BATCH_SIZE = 1000;

/**
 * Imports a file with `importer`: every row is validated; good rows are written in batches, each
 * batch in one transaction together with its refused rows, the job's counters and an audit entry,
 * so a killed process loses nothing it reported. Rows with a key already seen in the file are
 * refused as duplicates naming the first row.
 */
export async function runImport<T>(
  db: Db,
  actor: AuditActor,
  jobId: number,
  file: { source: { path: string } | { buffer: Uint8Array }; fileName: string },
  importer: RowImporter<T>,
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
    await importer.begin?.(db);
    const firstRowOfKey = new Map<string, number>();
    let batch: Array<{ rowNumber: number; value: T }> = [];
    let errors: repo.ImportErrorRow[] = [];
    let batchNumber = 0;
    let pending: Promise<void> = Promise.resolve();

    const flush = () => {
      const rows = batch;
      const refused = errors;
      const number = ++batchNumber;
      batch = [];
      errors = [];
      // Each batch is written while the next one is being validated; callers await the previous
      // write before flushing so that batches commit in file order.
      pending = db.transaction().execute(async (trx) => {
          const written = await importer.writeBatch(trx, rows);
          const late = (written.problems ?? []).map((p) => ({ rowNumber: p.rowNumber, field: p.field, reason: p.reason, raw: null }));
          const allRefused = [...refused, ...late];
          await repo.insertImportErrors(trx, jobId, allRefused);
          counts.inserted += written.inserted;
          counts.updated += written.updated;
          counts.unchanged += rows.length - late.length - written.inserted - written.updated;
          counts.failed += new Set(allRefused.map((e) => e.rowNumber)).size;
          counts.totalRows += rows.length + new Set(refused.map((e) => e.rowNumber)).size;
          await repo.updateImportJob(trx, jobId, counts);
          await appendAudit(trx, actor, {
            action: `import.${importer.kind}.batch`,
            entityType: 'import_job',
            entityId: jobId,
            details: { batch: number, rows: rows.length, inserted: written.inserted, updated: written.updated, refused: allRefused.length },
          });
        });
      // Marks the rejection as handled until the loop awaits it, so a failed batch ends the import
      // through the catch below instead of crashing the process.
      pending.catch(() => undefined);
    };

    for await (const row of table.rows) {
      const values: Record<string, string> = {};
      for (const [canonical, header] of Object.entries(mapping)) values[canonical] = row.values[header] ?? '';
      if (row.extraCells > 0) {
        errors.push({ rowNumber: row.rowNumber, field: null, reason: `row has ${row.extraCells} more cells than the header`, raw: values });
      } else {
        const prepared = importer.prepare(values);
        if (!prepared.ok) {
          for (const p of prepared.problems) {
            // A long number stored as a number in Excel has lost its last digits: say so, not just "bad check character".
            const imprecise = row.impreciseHeaders?.some((h) => mapping[p.field ?? ''] === h);
            const reason = imprecise ? `${p.reason} (the cell holds a number, and Excel keeps only 15 digits: store IDs as text)` : p.reason;
            errors.push({ rowNumber: row.rowNumber, field: p.field, reason, raw: values });
          }
        } else {
          const first = firstRowOfKey.get(prepared.key);
          if (first !== undefined) {
            errors.push({ rowNumber: row.rowNumber, field: null, reason: `duplicate of row ${first}`, raw: values });
          } else {
            firstRowOfKey.set(prepared.key, row.rowNumber);
            batch.push({ rowNumber: row.rowNumber, value: prepared.value });
          }
        }
      }
      if (batch.length >= BATCH_SIZE || errors.length >= BATCH_SIZE) {
        await pending;
        flush();
      }
    }
    await pending;
    flush();
    await pending;
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
    await repo.updateImportJob(trx, jobId, counts, { status, message, encoding });
    await appendAudit(trx, actor, { action: `import.${kind}.${status}`, entityType: 'import_job', entityId: jobId, details: { ...counts, message } });
  });
}

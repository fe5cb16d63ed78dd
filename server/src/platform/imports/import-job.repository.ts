import type { Executor } from '../db/database.ts';
import type { ImportKind } from '../db/schema.ts';

/** Creates the record of an import as it starts. */
export async function insertImportJob(
  db: Executor,
  job: { kind: ImportKind; fileName: string; fileSha256: string; createdBy: number | null },
): Promise<number> {
  const row = await db
    .insertInto('import_jobs')
    .values({ kind: job.kind, file_name: job.fileName, file_sha256: job.fileSha256, status: 'running', created_by: job.createdBy })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Totals of an import (or of one batch): kept after every batch so progress is visible. */
export interface ImportCounts {
  totalRows: number;
  inserted: number;
  updated: number;
  unchanged: number;
  failed: number;
}

/** Adds one committed batch's counts to the stored totals, in that batch's transaction. */
export async function addImportProgress(db: Executor, id: number, delta: ImportCounts): Promise<void> {
  await db
    .updateTable('import_jobs')
    .set((eb) => ({
      total_rows: eb('total_rows', '+', delta.totalRows),
      inserted: eb('inserted', '+', delta.inserted),
      updated: eb('updated', '+', delta.updated),
      unchanged: eb('unchanged', '+', delta.unchanged),
      failed: eb('failed', '+', delta.failed),
    }))
    .where('id', '=', id)
    .execute();
}

/** Stores the final totals and status of an import. */
export async function finishImportJob(
  db: Executor,
  id: number,
  counts: ImportCounts,
  finish: { status: 'completed' | 'failed'; message: string | null; encoding: string | null },
): Promise<void> {
  await db
    .updateTable('import_jobs')
    .set({
      total_rows: counts.totalRows,
      inserted: counts.inserted,
      updated: counts.updated,
      unchanged: counts.unchanged,
      failed: counts.failed,
      status: finish.status,
      message: finish.message,
      finished_at: new Date(),
      encoding: finish.encoding,
    })
    .where('id', '=', id)
    .execute();
}

/** Records the encoding once the file has been sniffed. */
export async function setImportEncoding(db: Executor, id: number, encoding: string | null): Promise<void> {
  await db.updateTable('import_jobs').set({ encoding }).where('id', '=', id).execute();
}

/** One refused row with its reason. */
export interface ImportErrorRow {
  rowNumber: number;
  field: string | null;
  reason: string;
  raw: Record<string, string> | null;
}

/** Stores refused rows of one batch. */
export async function insertImportErrors(db: Executor, importId: number, errors: ImportErrorRow[]): Promise<void> {
  if (errors.length === 0) return;
  await db
    .insertInto('import_errors')
    .values(
      errors.map((e) => ({
        import_id: importId,
        row_number: e.rowNumber,
        field: e.field,
        reason: e.reason,
        raw: e.raw ? JSON.stringify(e.raw) : null,
      })),
    )
    .onConflict((oc) => oc.doNothing())
    .execute();
}

/** Imports started by anyone, newest first. */
export async function listImportJobs(db: Executor, createdBy: number | null, page: { limit: number; offset: number }) {
  let base = db.selectFrom('import_jobs');
  if (createdBy !== null) base = base.where('created_by', '=', createdBy);
  const [rows, count] = await Promise.all([
    base.selectAll().orderBy('id', 'desc').limit(page.limit).offset(page.offset).execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

/** One import by id. */
export function findImportJob(db: Executor, id: number) {
  return db.selectFrom('import_jobs').selectAll().where('id', '=', id).executeTakeFirst();
}

/** A page of an import's refused rows in row order. */
export async function findImportErrors(db: Executor, importId: number, page: { limit: number; offset: number }) {
  const [rows, count] = await Promise.all([
    db.selectFrom('import_errors').selectAll().where('import_id', '=', importId).orderBy('row_number').orderBy('reason').limit(page.limit).offset(page.offset).execute(),
    db.selectFrom('import_errors').select((eb) => eb.fn.countAll<number>().as('n')).where('import_id', '=', importId).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

/** Marks imports left 'running' by a process that died as failed; their committed batches stay. */
export async function failInterruptedImports(db: Executor): Promise<number> {
  const result = await db
    .updateTable('import_jobs')
    .set({ status: 'failed', message: 'interrupted: the server stopped during the import; importing the file again completes it', finished_at: new Date() })
    .where('status', '=', 'running')
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

import { sql } from 'kysely';
import type { Executor } from '../../platform/db/database.ts';

/** Rows of rejected lines written per statement. */
const REJECT_BATCH = 1000;

/** Where a dataset is: being profiled, ready to compare, or unreadable as its kind. */
export type DatasetStatus = 'profiling' | 'ready' | 'invalid';

/** Records an uploaded extract, still to be profiled. */
export async function insertDataset(
  db: Executor,
  dataset: { kind: string; name: string; fileName: string; fileSha256: string; fileSize: number; storedPath: string; createdBy: number | null },
): Promise<number> {
  const row = await db
    .insertInto('comparison_datasets')
    .values({
      kind: dataset.kind,
      name: dataset.name,
      file_name: dataset.fileName,
      file_sha256: dataset.fileSha256,
      file_size: dataset.fileSize,
      stored_path: dataset.storedPath,
      created_by: dataset.createdBy,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** True when a dataset of the catalogue is stored at `storedPath` (uploads of the same content share a file). */
export async function isStoredPathUsed(db: Executor, storedPath: string): Promise<boolean> {
  return (await db.selectFrom('comparison_datasets').select('id').where('stored_path', '=', storedPath).limit(1).executeTakeFirst()) !== undefined;
}

/** One dataset with the name of who uploaded it. */
export function findDataset(db: Executor, id: number) {
  return db
    .selectFrom('comparison_datasets as d')
    .leftJoin('users as u', 'u.id', 'd.created_by')
    .selectAll('d')
    .select('u.display_name as created_by_name')
    .where('d.id', '=', id)
    .executeTakeFirst();
}

/** Filters of the dataset catalogue. */
export interface DatasetFilter {
  kind?: string | undefined;
  status?: DatasetStatus | undefined;
  /** Part of the dataset's name or file name. */
  nameContains?: string | undefined;
}

/** A page of the catalogue, newest first, with the total. */
export async function listDatasets(db: Executor, filter: DatasetFilter, page: { limit: number; offset: number }) {
  let query = db.selectFrom('comparison_datasets as d').leftJoin('users as u', 'u.id', 'd.created_by');
  if (filter.kind) query = query.where('d.kind', '=', filter.kind);
  if (filter.status) query = query.where('d.status', '=', filter.status);
  if (filter.nameContains) {
    const pattern = `%${filter.nameContains.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query = query.where((eb) => eb.or([eb('d.name', 'like', pattern), eb('d.file_name', 'like', pattern)]));
  }
  const [rows, count] = await Promise.all([
    query.selectAll('d').select('u.display_name as created_by_name').orderBy('d.id', 'desc').limit(page.limit).offset(page.offset).execute(),
    query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

/** The newest ready dataset of each kind: what a run compares unless told otherwise. */
export async function findLatestReadyByKind(db: Executor): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('comparison_datasets')
    .select(['kind', sql<number>`max(id)`.as('id')])
    .where('status', '=', 'ready')
    .groupBy('kind')
    .execute();
  return new Map(rows.map((row) => [row.kind, Number(row.id)]));
}

/** The newest ready dataset of each of `kinds` with where its files lie, for lookups of a few people. */
export function findLatestReadyFiles(db: Executor, kinds: readonly string[]) {
  return db
    .selectFrom('comparison_datasets')
    .select(['id', 'kind', 'name', 'file_name', 'stored_path', 'person_index_path', 'profiled_at'])
    .where('kind', 'in', [...kinds])
    .where('id', 'in', (eb) => eb.selectFrom('comparison_datasets').select(sql<number>`max(id)`.as('id')).where('status', '=', 'ready').groupBy('kind'))
    .orderBy('kind')
    .execute();
}

/** One ready dataset's files by id, if it is ready. */
export function findReadyFiles(db: Executor, id: number) {
  return db.selectFrom('comparison_datasets').select(['id', 'kind', 'name', 'file_name', 'stored_path', 'person_index_path', 'profiled_at']).where('id', '=', id).where('status', '=', 'ready').executeTakeFirst();
}

/** Several datasets by id. */
export function findDatasets(db: Executor, ids: number[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return db.selectFrom('comparison_datasets').selectAll().where('id', 'in', ids).execute();
}

/** Stores a finished profile and marks the dataset ready for comparison. */
export async function markProfiled(
  db: Executor,
  id: number,
  profile: {
    encoding: string | null;
    rowsRead: number;
    rowsLoaded: number;
    rowsRejected: number;
    idsValid: number | null;
    idsInvalid: number | null;
    dateRanges: Record<string, { min: string | null; max: string | null }>;
    regionIndexPath: string | null;
    personIndexPath: string | null;
  },
): Promise<void> {
  await db
    .updateTable('comparison_datasets')
    .set({
      status: 'ready',
      encoding: profile.encoding,
      rows_read: profile.rowsRead,
      rows_loaded: profile.rowsLoaded,
      rows_rejected: profile.rowsRejected,
      ids_valid: profile.idsValid,
      ids_invalid: profile.idsInvalid,
      date_ranges: JSON.stringify(profile.dateRanges),
      region_index_path: profile.regionIndexPath,
      person_index_path: profile.personIndexPath,
      message: null,
      profiled_at: new Date(),
    })
    .where('id', '=', id)
    .execute();
}

/** Marks a dataset that cannot be read as an extract of its kind, with the reason. */
export async function markInvalid(db: Executor, id: number, message: string): Promise<void> {
  await db.updateTable('comparison_datasets').set({ status: 'invalid', message, profiled_at: new Date() }).where('id', '=', id).execute();
}

/** Replaces the rejected rows of a dataset (a profile run again writes them afresh). */
export async function replaceRejects(db: Executor, datasetId: number, rejected: ReadonlyArray<{ rowNumber: number; reason: string }>): Promise<void> {
  await db.deleteFrom('comparison_dataset_rejects').where('dataset_id', '=', datasetId).execute();
  for (let start = 0; start < rejected.length; start += REJECT_BATCH) {
    await db
      .insertInto('comparison_dataset_rejects')
      .values(rejected.slice(start, start + REJECT_BATCH).map((row, index) => ({ dataset_id: datasetId, seq: start + index + 1, row_number: row.rowNumber, reason: row.reason })))
      .execute();
  }
}

/** A page of a dataset's rejected rows in row order, with the total. */
export async function findRejects(db: Executor, datasetId: number, page: { limit: number; offset: number }) {
  const query = db.selectFrom('comparison_dataset_rejects').where('dataset_id', '=', datasetId);
  const [rows, count] = await Promise.all([
    query.select(['row_number', 'reason']).orderBy('row_number').orderBy('seq').limit(page.limit).offset(page.offset).execute(),
    query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Type } from 'typebox';
import type { AppServices } from '../../platform/http/context.ts';
import { appendAudit } from '../../platform/audit/index.ts';
import { auditActorOf, requirePermission, type Principal } from '../../platform/auth/index.ts';
import { AppError, isAppError } from '../../platform/errors.ts';
import { openTabularFile } from '../../platform/imports/index.ts';
import type { JobSpec } from '../../platform/jobs/index.ts';
import { EXTRACT_COLUMNS, EXTRACT_KINDS, type ExtractKind } from './extracts.ts';
import { profileExtract } from './profile.ts';
import * as repo from './datasets.repository.ts';

/** Largest extract accepted (the server's multipart limit). */
export const MAX_EXTRACT_BYTES = 512 * 1024 * 1024;
/** File types an extract may come as; the engine picks its reader by the extension. */
export const EXTRACT_EXTENSIONS = ['.csv', '.txt', '.xlsx', '.parquet'] as const;

/** Profiles an uploaded extract in the background (数据画像). */
export const DATASET_PROFILE_JOB = {
  id: 'compare.dataset.profile',
  schema: Type.Object({ datasetId: Type.Integer({ minimum: 1 }) }),
} satisfies JobSpec;

const SYSTEM_ACTOR = { userId: null, name: 'compare', ip: null };

/** An extract stored in the data directory, not yet registered. */
export interface StoredExtract {
  path: string;
  fileName: string;
  sha256: string;
  size: number;
}

/** True when `kind` is one of the engine's extract kinds. */
export function isExtractKind(kind: string): kind is ExtractKind {
  return (EXTRACT_KINDS as readonly string[]).includes(kind);
}

/**
 * Streams an upload where imports keep theirs (`<data dir>/imports/compare`), hashing and measuring
 * it on the way; refuses an empty file, one over {@link MAX_EXTRACT_BYTES}, and a file type the
 * engine does not read. Department extracts hold ID numbers: they stay inside the data directory.
 */
export async function storeExtract(services: Pick<AppServices, 'config'>, fileName: string, stream: Readable): Promise<StoredExtract> {
  const safeName = path.basename(fileName).replace(/[^\p{L}\p{N}._-]/gu, '_').slice(-120) || 'extract.csv';
  const extension = path.extname(safeName).toLowerCase();
  if (!(EXTRACT_EXTENSIONS as readonly string[]).includes(extension)) {
    stream.resume();
    throw new AppError('INVALID_FILE', `unsupported file type "${extension || '(none)'}": upload ${EXTRACT_EXTENSIONS.join(', ')}`, { extension });
  }
  const dir = path.join(services.config.dataDir, 'imports', 'compare');
  await fs.promises.mkdir(dir, { recursive: true });
  const temporary = path.join(dir, `.upload-${crypto.randomUUID()}`);
  const hash = crypto.createHash('sha256');
  let size = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      size += chunk.length;
      if (size > MAX_EXTRACT_BYTES) return callback(new AppError('INVALID_FILE', `file is larger than ${MAX_EXTRACT_BYTES / 1024 / 1024} MB`));
      hash.update(chunk);
      callback(null, chunk);
    },
  });
  try {
    await pipeline(stream, meter, fs.createWriteStream(temporary, { flags: 'wx' }));
    if (size === 0) throw new AppError('INVALID_FILE', 'file is empty');
    const sha256 = hash.digest('hex');
    const target = path.join(dir, `${sha256.slice(0, 16)}-${safeName}`);
    if (fs.existsSync(target)) await fs.promises.rm(temporary, { force: true });
    else await fs.promises.rename(temporary, target);
    return { path: target, fileName: safeName, sha256, size };
  } catch (error) {
    await fs.promises.rm(temporary, { force: true });
    throw error;
  }
}

/**
 * Checks at upload what can be checked at once: the file opens as text in UTF-8 or GB18030 (or as a
 * workbook) and its header names every column of the kind's standard extract, so a wrong file is
 * refused with a clear message instead of failing later in the profile. Parquet carries its own
 * schema and is checked when profiled.
 */
export async function checkExtractHeader(kind: ExtractKind, stored: StoredExtract): Promise<{ encoding: string | null }> {
  if (path.extname(stored.fileName).toLowerCase() === '.parquet') return { encoding: null };
  const file = await openTabularFile({ path: stored.path }, stored.fileName);
  if (file.headers.some((header) => header.includes('\uFFFD'))) {
    throw new AppError('INVALID_FILE', 'the header cannot be read as UTF-8 or GB18030 text', { encoding: file.encoding, fields: [{ field: 'file', message: 'not UTF-8 or GB18030 text' }] });
  }
  const missing = EXTRACT_COLUMNS[kind].filter((column) => !file.headers.includes(column));
  if (missing.length > 0) {
    throw new AppError('INVALID_FILE', `a ${kind} extract needs the column(s) ${missing.join(', ')}; expected the header ${EXTRACT_COLUMNS[kind].join(',')}`, {
      kind,
      missing,
      expected: EXTRACT_COLUMNS[kind],
      found: file.headers,
      encoding: file.encoding,
      fields: [{ field: 'file', message: `missing column(s) ${missing.join(', ')}; the header must be ${EXTRACT_COLUMNS[kind].join(',')}` }],
    });
  }
  return { encoding: file.encoding };
}

/**
 * Registers a stored extract in the catalogue after checking its header, and queues its profile,
 * with the audit entry and the job in one transaction. A refused file is removed again unless an
 * earlier dataset holds the same content.
 */
export async function registerDataset(
  services: AppServices,
  principal: Principal,
  input: { kind: string; name?: string | undefined; stored: StoredExtract },
): Promise<number> {
  requirePermission(principal, 'compare:dataset:write');
  const { kind, stored } = input;
  try {
    if (!kind) throw new AppError('VALIDATION_FAILED', 'kind is required', { fields: [{ field: 'kind', message: 'required' }] });
    if (!isExtractKind(kind)) {
      throw new AppError('VALIDATION_FAILED', `kind must be one of ${EXTRACT_KINDS.join(', ')}`, { fields: [{ field: 'kind', message: 'invalid' }] });
    }
    await checkExtractHeader(kind, stored);
  } catch (error) {
    if (!(await repo.isStoredPathUsed(services.db, stored.path))) await fs.promises.rm(stored.path, { force: true });
    throw error;
  }
  const name = input.name?.trim().slice(0, 200) || stored.fileName;
  return services.db.transaction().execute(async (trx) => {
    const id = await repo.insertDataset(trx, {
      kind: input.kind,
      name,
      fileName: input.stored.fileName,
      fileSha256: input.stored.sha256,
      fileSize: input.stored.size,
      storedPath: input.stored.path,
      createdBy: principal.via === 'system' ? null : principal.userId,
    });
    await appendAudit(trx, auditActorOf(principal), {
      action: 'compare.dataset.uploaded',
      entityType: 'comparison_dataset',
      entityId: id,
      details: { kind: input.kind, fileName: input.stored.fileName, sha256: input.stored.sha256, size: input.stored.size },
    });
    await services.jobs.enqueue(trx, DATASET_PROFILE_JOB, { datasetId: id });
    return id;
  });
}

/**
 * The profile job: loads the extract with the engine's loader and stores rows read, rejected rows
 * with their numbers and reasons, ID validity and date ranges. A file the engine cannot read as its
 * kind marks the dataset invalid with the engine's message; other failures are thrown for a retry.
 */
export async function handleDatasetProfile(services: AppServices, data: { datasetId: number }): Promise<void> {
  const dataset = await repo.findDataset(services.db, data.datasetId);
  if (!dataset || !isExtractKind(dataset.kind)) return;
  const regionIndexPath = path.join(services.config.dataDir, 'compare', 'region-index', `dataset-${dataset.id}.parquet`);
  const personIndexPath = path.join(services.config.dataDir, 'compare', 'person-index', `dataset-${dataset.id}.parquet`);
  let profile: Awaited<ReturnType<typeof profileExtract>>;
  try {
    profile = await profileExtract(dataset.kind, dataset.stored_path, { regionIndexPath, personIndexPath });
  } catch (error) {
    if (!isAppError(error, 'INVALID_FILE') && !isAppError(error, 'VALIDATION_FAILED')) throw error;
    const message = withoutServerPaths(error.message, [{ path: dataset.stored_path, label: dataset.file_name }]);
    await services.db.transaction().execute(async (trx) => {
      await repo.markInvalid(trx, dataset.id, message);
      await appendAudit(trx, SYSTEM_ACTOR, { action: 'compare.dataset.invalid', entityType: 'comparison_dataset', entityId: dataset.id, details: { message } });
    });
    return;
  }
  await services.db.transaction().execute(async (trx) => {
    await repo.replaceRejects(trx, dataset.id, profile.rejected);
    await repo.markProfiled(trx, dataset.id, {
      encoding: profile.encoding,
      rowsRead: profile.rowsRead,
      rowsLoaded: profile.rowsLoaded,
      rowsRejected: profile.rejected.length,
      idsValid: profile.idsValid,
      idsInvalid: profile.idsInvalid,
      dateRanges: profile.dateRanges,
      regionIndexPath: profile.hasRegionIndex ? regionIndexPath : null,
      personIndexPath: profile.hasPersonIndex ? personIndexPath : null,
    });
    await appendAudit(trx, SYSTEM_ACTOR, {
      action: 'compare.dataset.profiled',
      entityType: 'comparison_dataset',
      entityId: dataset.id,
      details: { rowsRead: profile.rowsRead, rowsRejected: profile.rejected.length, idsInvalid: profile.idsInvalid },
    });
  });
}

/**
 * An engine message as people may read it: each stored file named by its dataset rather than its
 * place on the server, and any other absolute path (a temporary copy) cut to its file name.
 */
export function withoutServerPaths(message: string, files: ReadonlyArray<{ path: string; label: string }>): string {
  let text = message;
  for (const file of files) text = text.replaceAll(file.path, file.label);
  // An absolute path starts a word (after a space, a quote or a bracket); dates like 1962/13/01 do not.
  return text.replace(/(^|[\s"'`(])\/(?:[^\s/"'`]+\/)+([^\s/"'`]+)/gu, '$1$2');
}

type DatasetRow = NonNullable<Awaited<ReturnType<typeof repo.findDataset>>>;

/** The catalogue's view of a dataset: facts of the file and its profile. */
export function presentDataset(row: DatasetRow) {
  const checked = row.ids_valid === null || row.ids_invalid === null ? null : Number(row.ids_valid) + Number(row.ids_invalid);
  return {
    id: row.id,
    kind: row.kind,
    name: row.name,
    fileName: row.file_name,
    fileSize: Number(row.file_size),
    sha256: row.file_sha256,
    status: row.status,
    encoding: row.encoding,
    rowsRead: row.rows_read === null ? null : Number(row.rows_read),
    rowsLoaded: row.rows_loaded === null ? null : Number(row.rows_loaded),
    rowsRejected: row.rows_rejected === null ? null : Number(row.rows_rejected),
    idsValid: row.ids_valid === null ? null : Number(row.ids_valid),
    idsInvalid: row.ids_invalid === null ? null : Number(row.ids_invalid),
    /** Share of loaded rows whose ID passes GB 11643, 0…1; null before profiling or for a kind without IDs. */
    idValidityRate: checked ? Number(row.ids_valid) / checked : null,
    dateRanges: row.date_ranges,
    message: row.message,
    createdBy: row.created_by_name,
    createdAt: row.created_at.toISOString(),
    profiledAt: row.profiled_at?.toISOString() ?? null,
  };
}

/** One dataset of the catalogue. */
export async function getDataset(services: Pick<AppServices, 'db'>, principal: Principal, id: number) {
  requirePermission(principal, 'compare:dataset:read');
  const row = await repo.findDataset(services.db, id);
  if (!row) throw new AppError('NOT_FOUND', `no dataset ${id}`);
  return row;
}

/** A page of the catalogue. */
export function listDatasets(services: Pick<AppServices, 'db'>, principal: Principal, filter: repo.DatasetFilter, page: { limit: number; offset: number }) {
  requirePermission(principal, 'compare:dataset:read');
  return repo.listDatasets(services.db, filter, page);
}

/** A page of a dataset's rejected rows. */
export async function listRejects(services: Pick<AppServices, 'db'>, principal: Principal, id: number, page: { limit: number; offset: number }) {
  await getDataset(services, principal, id);
  return repo.findRejects(services.db, id, page);
}

/** Every rejected row of a dataset, for the downloadable report. */
export async function* allRejects(services: Pick<AppServices, 'db'>, principal: Principal, id: number) {
  await getDataset(services, principal, id);
  const pageSize = 5000;
  for (let offset = 0; ; offset += pageSize) {
    const { rows } = await repo.findRejects(services.db, id, { limit: pageSize, offset });
    for (const row of rows) yield row;
    if (rows.length < pageSize) return;
  }
}

/** The standard columns of every extract kind, for the upload form and the templates. */
export function extractKinds(): Array<{ kind: ExtractKind; columns: readonly string[] }> {
  return EXTRACT_KINDS.map((kind) => ({ kind, columns: EXTRACT_COLUMNS[kind] }));
}

import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import type { ImportKind } from '../../platform/db/schema.ts';
import type { AppServices } from '../../platform/http/context.ts';
import { auditActorOf, requirePermission, type Principal } from '../../platform/auth/index.ts';
import { AppError } from '../../platform/errors.ts';
import { importJobs as jobs, runImport, type ImportSummary, type RowImporter } from '../../platform/imports/index.ts';
import { householdImporter, residentImporter, RESIDENT_COLUMNS, HOUSEHOLD_COLUMNS } from '../people/index.ts';
import { organisationImporter, ORGANISATION_COLUMNS } from '../organisations/index.ts';

/** Kinds of record that can be imported from a file. */
export const IMPORT_KINDS = ['residents', 'households', 'organisations'] as const satisfies readonly ImportKind[];

const COLUMNS: Record<ImportKind, Record<string, string[]>> = {
  residents: RESIDENT_COLUMNS,
  households: HOUSEHOLD_COLUMNS,
  organisations: ORGANISATION_COLUMNS,
};

function importerFor(services: AppServices, principal: Principal, kind: ImportKind): RowImporter<unknown> {
  switch (kind) {
    case 'residents':
      return residentImporter(services.cipher, principal.scopePath) as RowImporter<unknown>;
    case 'households':
      return householdImporter(services.cipher, principal.scopePath) as RowImporter<unknown>;
    case 'organisations':
      return organisationImporter(services.cipher, principal.scopePath) as RowImporter<unknown>;
  }
}

/** A file already on disk, ready to import. */
export interface StoredUpload {
  path: string;
  fileName: string;
  sha256: string;
}

/** Streams an upload into the data directory, hashing it on the way. */
export async function storeUpload(services: AppServices, fileName: string, stream: Readable): Promise<StoredUpload> {
  const dir = path.join(services.config.dataDir, 'imports');
  await fs.promises.mkdir(dir, { recursive: true });
  const temporary = path.join(dir, `upload-${crypto.randomUUID()}`);
  const hash = crypto.createHash('sha256');
  stream.on('data', (chunk: Buffer) => hash.update(chunk));
  await pipeline(stream, fs.createWriteStream(temporary));
  const sha256 = hash.digest('hex');
  const safeName = path.basename(fileName).replace(/[^\p{L}\p{N}._-]/gu, '_');
  const finalPath = path.join(dir, `${sha256.slice(0, 16)}-${safeName}`);
  await fs.promises.rename(temporary, finalPath);
  return { path: finalPath, fileName: safeName, sha256 };
}

/** Hashes a file on disk (imports from the CLI). */
export async function describeFile(filePath: string): Promise<StoredUpload> {
  const hash = crypto.createHash('sha256');
  await pipeline(fs.createReadStream(filePath), hash);
  return { path: filePath, fileName: path.basename(filePath), sha256: hash.digest('hex') };
}

/**
 * Starts an import of a stored file. Returns the job at once with `completion` resolving when it
 * ends, so the HTTP route can answer 202 and the console poll for progress.
 */
export async function startImport(
  services: AppServices,
  principal: Principal,
  kind: ImportKind,
  upload: StoredUpload,
): Promise<{ jobId: number; completion: Promise<ImportSummary> }> {
  requirePermission(principal, 'registry:import:run');
  const jobId = await jobs.insertImportJob(services.db, {
    kind,
    fileName: upload.fileName,
    fileSha256: upload.sha256,
    createdBy: principal.via === 'system' ? null : principal.userId,
  });
  const completion = runImport(services.db, auditActorOf(principal), jobId, { source: { path: upload.path }, fileName: upload.fileName }, importerFor(services, principal, kind));
  completion.catch(() => undefined);
  return { jobId, completion };
}

/** The job record as the API shows it. */
export function presentJob(row: NonNullable<Awaited<ReturnType<typeof jobs.findImportJob>>>) {
  return {
    id: row.id,
    kind: row.kind,
    fileName: row.file_name,
    encoding: row.encoding,
    status: row.status,
    totalRows: row.total_rows,
    inserted: row.inserted,
    updated: row.updated,
    unchanged: row.unchanged,
    failed: row.failed,
    message: row.message,
    createdAt: row.created_at.toISOString(),
    finishedAt: row.finished_at?.toISOString() ?? null,
  };
}

/** One import, visible to its author and to administrators. */
export async function getImportJob(services: AppServices, principal: Principal, id: number) {
  const row = await jobs.findImportJob(services.db, id);
  if (!row || !canSee(principal, row.created_by)) throw new AppError('IMPORT_NOT_FOUND', `no import ${id}`);
  return row;
}

/** True for the author of an import and for accounts that see the whole installation. */
function canSee(principal: Principal, createdBy: number | null): boolean {
  return principal.permissions.has('*') || createdBy === principal.userId;
}

/** Imports the principal may see, newest first. */
export function listImportJobs(services: AppServices, principal: Principal, page: { limit: number; offset: number }) {
  return jobs.listImportJobs(services.db, principal.permissions.has('*') ? null : principal.userId, page);
}

/** Refused rows of an import, in row order. */
export async function listImportErrors(services: AppServices, principal: Principal, id: number, page: { limit: number; offset: number }) {
  await getImportJob(services, principal, id);
  return jobs.findImportErrors(services.db, id, page);
}

/** All refused rows of an import, for the downloadable report. */
export async function* allImportErrors(services: AppServices, principal: Principal, id: number) {
  await getImportJob(services, principal, id);
  const pageSize = 5000;
  for (let offset = 0; ; offset += pageSize) {
    const { rows } = await jobs.findImportErrors(services.db, id, { limit: pageSize, offset });
    for (const row of rows) yield { rowNumber: row.row_number, field: row.field, reason: row.reason, raw: row.raw };
    if (rows.length < pageSize) return;
  }
}

/** Canonical columns of an import kind, for templates and reports. */
export function columnsOf(kind: ImportKind): string[] {
  return Object.keys(COLUMNS[kind]);
}

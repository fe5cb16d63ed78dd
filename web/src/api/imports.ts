import { ApiError, NETWORK_ERROR, errorFromResponse, reportUnauthorized } from './client';
import { endpoint, type PageQuery } from './endpoint';
import type { Id, ImportJob, ImportKind, ImportRowError, Page } from './types';

/** Import history, newest first. */
export function importsEndpoint(query: PageQuery) {
  return endpoint<Page<ImportJob>>('/api/imports', { ...query });
}

/** One import job. */
export function importEndpoint(id: Id) {
  return endpoint<ImportJob>(`/api/imports/${encodeURIComponent(String(id))}`);
}

/** Rejected rows of an import. */
export function importErrorsEndpoint(id: Id, query: PageQuery) {
  return endpoint<Page<ImportRowError>>(`/api/imports/${encodeURIComponent(String(id))}/errors`, { ...query });
}

/** CSV of the rejected rows, for an `<a href>`. */
export function importReportUrl(id: Id): string {
  return `/api/imports/${encodeURIComponent(String(id))}/report.csv`;
}

/** Blank CSV template with the expected header, for an `<a href>`. */
export function importTemplateUrl(kind: ImportKind): string {
  return `/api/imports/templates/${kind}.csv`;
}

/**
 * Uploads a file as multipart (`kind`, `file`). XMLHttpRequest rather than fetch, because only it
 * reports upload progress, which matters for files of a hundred thousand rows.
 */
export function uploadImport(
  kind: ImportKind,
  file: File,
  onProgress: (percent: number) => void,
): Promise<ImportJob> {
  const form = new FormData();
  form.append('kind', kind);
  form.append('file', file, file.name);
  return new Promise<ImportJob>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/api/imports');
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(Math.round((event.loaded / event.total) * 100));
    };
    xhr.onerror = () => reject(new ApiError(NETWORK_ERROR, 'Network error', 0));
    xhr.onload = () => {
      const headers = new Headers();
      const contentType = xhr.getResponseHeader('Content-Type');
      if (contentType) headers.set('Content-Type', contentType);
      const response = new Response(xhr.status === 204 ? null : xhr.responseText, { status: xhr.status, headers });
      if (!response.ok) {
        if (xhr.status === 401) reportUnauthorized();
        void errorFromResponse(response).then(reject, reject);
        return;
      }
      response.json().then((job: ImportJob) => resolve(job), reject);
    };
    xhr.send(form);
  });
}

import { Readable } from 'node:stream';
import { Type } from 'typebox';
import type { ImportKind } from '../../platform/db/schema.ts';
import { principalOf, type RoutesPlugin } from '../../platform/http/context.ts';
import { IdParams, Page, PageQuery, pageWindow, Nullable } from '../../platform/http/schemas.ts';
import { AppError } from '../../platform/errors.ts';
import { csvLine, reportLines } from '../../platform/imports/index.ts';
import * as service from './imports.service.ts';
import { RESIDENT_COLUMNS, HOUSEHOLD_COLUMNS } from '../people/index.ts';
import { ORGANISATION_COLUMNS } from '../organisations/index.ts';

const Kind = Type.Enum(service.IMPORT_KINDS);

const ImportJobView = Type.Object({
  id: Type.Integer(),
  kind: Kind,
  fileName: Type.String(),
  encoding: Nullable(Type.String()),
  status: Type.Union([Type.Literal('running'), Type.Literal('completed'), Type.Literal('failed')]),
  totalRows: Type.Integer(),
  inserted: Type.Integer(),
  updated: Type.Integer(),
  unchanged: Type.Integer(),
  failed: Type.Integer(),
  message: Nullable(Type.String()),
  createdAt: Type.String(),
  finishedAt: Nullable(Type.String()),
});

const TEMPLATE_HEADERS: Record<ImportKind, Record<string, string[]>> = {
  residents: RESIDENT_COLUMNS,
  households: HOUSEHOLD_COLUMNS,
  organisations: ORGANISATION_COLUMNS,
};

/** Imports of residents, households and organisations: upload, progress, refused rows, report. */
export const importsRoutes: RoutesPlugin = async (app, services) => {
  app.post(
    '/api/imports',
    {
      config: { permission: 'registry:import:run' },
      schema: {
        tags: ['imports'],
        consumes: ['multipart/form-data'],
        querystring: Type.Object({ wait: Type.Optional(Type.Boolean({ description: 'answer when the import has finished' })) }),
        response: { 200: ImportJobView, 202: ImportJobView },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      let kind: ImportKind | undefined;
      let upload: service.StoredUpload | undefined;
      for await (const part of request.parts()) {
        if (part.type === 'field' && part.fieldname === 'kind') {
          const value = String(part.value);
          if (!(service.IMPORT_KINDS as readonly string[]).includes(value)) {
            throw new AppError('VALIDATION_FAILED', `kind must be one of ${service.IMPORT_KINDS.join(', ')}`, { fields: [{ field: 'kind', message: 'invalid' }] });
          }
          kind = value as ImportKind;
        } else if (part.type === 'file') {
          upload = await service.storeUpload(services, part.filename, part.file);
          if (part.file.truncated) throw new AppError('INVALID_FILE', 'file is larger than the upload limit');
        }
      }
      if (!kind) throw new AppError('VALIDATION_FAILED', 'kind is required', { fields: [{ field: 'kind', message: 'required' }] });
      if (!upload) throw new AppError('VALIDATION_FAILED', 'file is required', { fields: [{ field: 'file', message: 'required' }] });
      const { jobId, completion } = await service.startImport(services, principal, kind, upload);
      if (request.query.wait) await completion;
      const job = await service.getImportJob(services, principal, jobId);
      return reply.status(job.status === 'running' ? 202 : 200).send(service.presentJob(job));
    },
  );

  app.get(
    '/api/imports',
    { config: { permission: 'registry:import:run' }, schema: { tags: ['imports'], querystring: PageQuery, response: { 200: Page(ImportJobView) } } },
    async (request) => {
      const { rows, total } = await service.listImportJobs(services, principalOf(request), pageWindow(request.query));
      return { items: rows.map(service.presentJob), total, page: request.query.page, pageSize: request.query.pageSize };
    },
  );

  app.get(
    '/api/imports/templates/:kind.csv',
    { config: { permission: 'registry:import:run' }, schema: { tags: ['imports'], params: Type.Object({ kind: Kind }) } },
    async (request, reply) => {
      const columns = TEMPLATE_HEADERS[request.params.kind];
      const header = Object.values(columns).map((spellings) => spellings[1] ?? spellings[0]!);
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${request.params.kind}-template.csv"`)
        .send('\uFEFF' + csvLine(header));
    },
  );

  app.get(
    '/api/imports/:id',
    { config: { permission: 'registry:import:run' }, schema: { tags: ['imports'], params: IdParams, response: { 200: ImportJobView } } },
    async (request) => service.presentJob(await service.getImportJob(services, principalOf(request), request.params.id)),
  );

  app.get(
    '/api/imports/:id/errors',
    {
      config: { permission: 'registry:import:run' },
      schema: {
        tags: ['imports'],
        params: IdParams,
        querystring: PageQuery,
        response: { 200: Page(Type.Object({ rowNumber: Type.Integer(), field: Nullable(Type.String()), reason: Type.String() })) },
      },
    },
    async (request) => {
      const { rows, total } = await service.listImportErrors(services, principalOf(request), request.params.id, pageWindow(request.query));
      return {
        items: rows.map((r) => ({ rowNumber: r.row_number, field: r.field, reason: r.reason })),
        total,
        page: request.query.page,
        pageSize: request.query.pageSize,
      };
    },
  );

  app.get(
    '/api/imports/:id/report.csv',
    { config: { permission: 'registry:import:run' }, schema: { tags: ['imports'], params: IdParams } },
    async (request, reply) => {
      const principal = principalOf(request);
      const job = await service.getImportJob(services, principal, request.params.id);
      const lines = reportLines(service.allImportErrors(services, principal, job.id), service.columnsOf(job.kind));
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="import-${job.id}-errors.csv"`)
        .send(Readable.from(lines));
    },
  );
};

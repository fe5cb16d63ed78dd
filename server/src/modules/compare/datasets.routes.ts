import { Readable } from 'node:stream';
import { Type } from 'typebox';
import { principalOf, type RoutesPlugin } from '../../platform/http/context.ts';
import { IdParams, Nullable, Page, PageQuery, pageWindow } from '../../platform/http/schemas.ts';
import { AppError } from '../../platform/errors.ts';
import { csvLine } from '../../platform/imports/index.ts';
import { EXTRACT_COLUMNS } from './extracts.ts';
import * as service from './datasets.service.ts';

const DateRange = Type.Object({ min: Nullable(Type.String()), max: Nullable(Type.String()) });

const DatasetView = Type.Object({
  id: Type.Integer(),
  kind: Type.String(),
  name: Type.String(),
  fileName: Type.String(),
  fileSize: Type.Integer(),
  sha256: Type.String(),
  status: Type.Union([Type.Literal('profiling'), Type.Literal('ready'), Type.Literal('invalid')]),
  encoding: Nullable(Type.String()),
  rowsRead: Nullable(Type.Integer()),
  rowsLoaded: Nullable(Type.Integer()),
  rowsRejected: Nullable(Type.Integer()),
  idsValid: Nullable(Type.Integer()),
  idsInvalid: Nullable(Type.Integer()),
  idValidityRate: Nullable(Type.Number()),
  dateRanges: Type.Record(Type.String(), DateRange),
  message: Nullable(Type.String()),
  createdBy: Nullable(Type.String()),
  createdAt: Type.String(),
  profiledAt: Nullable(Type.String()),
});

const KindParams = Type.Object({ kind: Type.String({ pattern: '^[a-z_]{2,40}$' }) });

/** The dataset catalogue of 大数据比对: upload an extract, read its profile and its rejected rows. */
export const datasetRoutes: RoutesPlugin = async (app, services) => {
  app.get(
    '/api/compare/kinds',
    {
      config: { permission: 'compare:dataset:read' },
      schema: { tags: ['compare'], response: { 200: Type.Object({ items: Type.Array(Type.Object({ kind: Type.String(), columns: Type.Array(Type.String()) })) }) } },
    },
    async () => ({ items: service.extractKinds().map((k) => ({ kind: k.kind, columns: [...k.columns] })) }),
  );

  app.get(
    '/api/compare/templates/:kind.csv',
    { config: { permission: 'compare:dataset:read' }, schema: { tags: ['compare'], params: KindParams } },
    async (request, reply) => {
      const { kind } = request.params;
      if (!service.isExtractKind(kind)) throw new AppError('NOT_FOUND', `no extract kind ${kind}`);
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${kind}-template.csv"`)
        .send('\uFEFF' + csvLine(EXTRACT_COLUMNS[kind]));
    },
  );

  app.post(
    '/api/compare/datasets',
    {
      config: { permission: 'compare:dataset:write' },
      schema: { tags: ['compare'], consumes: ['multipart/form-data'], response: { 202: DatasetView } },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const fields: { kind?: string; name?: string } = {};
      let stored: service.StoredExtract | undefined;
      for await (const part of request.parts({ limits: { fileSize: service.MAX_EXTRACT_BYTES + 1 } })) {
        if (part.type === 'field' && (part.fieldname === 'kind' || part.fieldname === 'name')) {
          fields[part.fieldname] = String(part.value);
        } else if (part.type === 'file') {
          stored = await service.storeExtract(services, part.filename, part.file);
          if (part.file.truncated) throw new AppError('INVALID_FILE', 'file is larger than the upload limit');
        }
      }
      if (!stored) throw new AppError('VALIDATION_FAILED', 'file is required', { fields: [{ field: 'file', message: 'required' }] });
      const id = await service.registerDataset(services, principal, { kind: fields.kind ?? '', name: fields.name, stored });
      return reply.status(202).send(service.presentDataset(await service.getDataset(services, principal, id)));
    },
  );

  app.get(
    '/api/compare/datasets',
    {
      config: { permission: 'compare:dataset:read' },
      schema: {
        tags: ['compare'],
        querystring: Type.Intersect([
          PageQuery,
          Type.Object({
            kind: Type.Optional(Type.String({ maxLength: 40 })),
            status: Type.Optional(Type.Enum(['profiling', 'ready', 'invalid'])),
            q: Type.Optional(Type.String({ maxLength: 100 })),
          }),
        ]),
        response: { 200: Page(DatasetView) },
      },
    },
    async (request) => {
      const { page, pageSize, kind, status, q } = request.query;
      const { rows, total } = await service.listDatasets(services, principalOf(request), { kind, status, nameContains: q?.trim() || undefined }, pageWindow({ page, pageSize }));
      return { items: rows.map(service.presentDataset), total, page, pageSize };
    },
  );

  app.get(
    '/api/compare/datasets/:id',
    { config: { permission: 'compare:dataset:read' }, schema: { tags: ['compare'], params: IdParams, response: { 200: DatasetView } } },
    async (request) => service.presentDataset(await service.getDataset(services, principalOf(request), request.params.id)),
  );

  app.get(
    '/api/compare/datasets/:id/rejects',
    {
      config: { permission: 'compare:dataset:read' },
      schema: { tags: ['compare'], params: IdParams, querystring: PageQuery, response: { 200: Page(Type.Object({ rowNumber: Type.Integer(), reason: Type.String() })) } },
    },
    async (request) => {
      const { rows, total } = await service.listRejects(services, principalOf(request), request.params.id, pageWindow(request.query));
      return { items: rows.map((r) => ({ rowNumber: r.row_number, reason: r.reason })), total, page: request.query.page, pageSize: request.query.pageSize };
    },
  );

  app.get(
    '/api/compare/datasets/:id/rejects.csv',
    { config: { permission: 'compare:dataset:read' }, schema: { tags: ['compare'], params: IdParams } },
    async (request, reply) => {
      const principal = principalOf(request);
      const dataset = await service.getDataset(services, principal, request.params.id);
      const rows = service.allRejects(services, principal, dataset.id);
      async function* lines() {
        yield '\uFEFF' + csvLine(['row', 'reason']);
        for await (const row of rows) yield csvLine([String(row.row_number), row.reason]);
      }
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="dataset-${dataset.id}-rejected-rows.csv"`)
        .send(Readable.from(lines()));
    },
  );
};

import path from 'node:path';
import { Type } from 'typebox';
import { registerResident } from '../../../platform/auth/index.ts';
import { AppError } from '../../../platform/errors.ts';
import { principalOf, type RoutesPlugin } from '../../../platform/http/context.ts';
import { IdParams, Nullable, Page, PageQuery, pageWindow } from '../../../platform/http/schemas.ts';
import { BlobStore } from '../../../platform/storage/blob-store.ts';
import { MAX_ATTACHMENT_BYTES } from '../../matters/index.ts';
import { addReportPhoto, cityOutline, describeLocation, fileReport, getReport, getReportPhoto, listReportCategories, listReports, rateReport } from './resident.service.ts';

const READ = { permission: 'appeals:own_report:read' } as const;
const WRITE = { permission: 'appeals:own_report:write' } as const;
const TAGS = ['resident'];

const Names = Type.Object({ zh: Type.String(), en: Type.String() });
const Lon = Type.Number({ minimum: -180, maximum: 180 });
const Lat = Type.Number({ minimum: -90, maximum: 90 });

const ReportSummary = Type.Object({
  id: Type.Integer(),
  reference: Type.String(),
  title: Type.String(),
  categoryCode: Type.String(),
  categoryName: Names,
  state: Type.String(),
  stateName: Names,
  canRate: Type.Boolean(),
  createdAt: Type.String(),
  lastUpdateAt: Type.String(),
});

const ReportDetail = Type.Object({
  id: Type.Integer(),
  reference: Type.String(),
  title: Type.String(),
  description: Type.String(),
  categoryCode: Type.String(),
  categoryName: Names,
  state: Type.String(),
  stateName: Names,
  round: Type.Integer(),
  lon: Nullable(Type.Number()),
  lat: Nullable(Type.Number()),
  placeNames: Type.Array(Type.String()),
  createdAt: Type.String(),
  lastUpdateAt: Type.String(),
  closedAt: Nullable(Type.String()),
  canRate: Type.Boolean(),
  canAddPhotos: Type.Boolean(),
  // Deliberately without actor names or details: what a resident sees of the handling.
  timeline: Type.Array(
    Type.Object({
      at: Type.String(),
      kind: Type.String(),
      action: Nullable(Type.String()),
      fromState: Nullable(Type.String()),
      toState: Nullable(Type.String()),
      toStateName: Nullable(Names),
      isMine: Type.Boolean(),
      note: Nullable(Type.String()),
    }),
  ),
  photos: Type.Array(Type.Object({ id: Type.Integer(), contentType: Type.String(), size: Type.Integer(), createdAt: Type.String() })),
});

const Position = Type.Array(Type.Number(), { minItems: 2 });
const Ring = Type.Array(Position);
const Geometry = Type.Union([
  Type.Object({ type: Type.Literal('Polygon'), coordinates: Type.Array(Ring) }),
  Type.Object({ type: Type.Literal('MultiPolygon'), coordinates: Type.Array(Type.Array(Ring)) }),
]);

/**
 * The residents' door (随手拍) over HTTP: self-registration, filing a report with photos and a
 * location, following one's own reports and rating the result. Every route but registration needs
 * a resident session; a report is found only through its reporter, so another's is a 404.
 */
export const residentRoutes: RoutesPlugin = async (app, services) => {
  const deps = () => ({ db: services.db, jobs: services.jobs, cipher: services.cipher });
  const blobs = new BlobStore(path.join(services.config.dataDir, 'blobs'));

  app.post(
    '/api/resident/register',
    {
      // Like the log-in: each registration costs an Argon2 hash, and answers whether a number has an account.
      config: { isPublic: true, rateLimit: { max: 5, timeWindow: '1 minute' } },
      schema: {
        tags: TAGS,
        body: Type.Object({ phone: Type.String({ minLength: 1, maxLength: 30 }), password: Type.String({ minLength: 1, maxLength: 256 }) }),
        response: { 201: Type.Object({ id: Type.Integer(), phoneMasked: Type.String() }) },
      },
    },
    async (request, reply) => {
      const account = await registerResident(services.db, services.cipher, { ...request.body, ip: request.ip });
      return reply.status(201).send({ id: account.id, phoneMasked: account.phoneMasked });
    },
  );

  app.get(
    '/api/resident/categories',
    {
      config: READ,
      schema: {
        tags: TAGS,
        response: { 200: Type.Object({ items: Type.Array(Type.Object({ code: Type.String(), name: Names, parentCode: Nullable(Type.String()), parentName: Nullable(Names) })) }) },
      },
    },
    async () => ({ items: await listReportCategories(services.db) }),
  );

  app.get(
    '/api/resident/locate',
    {
      config: READ,
      schema: {
        tags: TAGS,
        querystring: Type.Object({ lon: Lon, lat: Lat }),
        response: {
          200: Type.Object({
            isInCity: Type.Boolean(),
            district: Nullable(Type.String()),
            street: Nullable(Type.String()),
            community: Nullable(Type.String()),
            placeCode: Nullable(Type.String()),
          }),
        },
      },
    },
    async (request) => describeLocation(services.db, request.query.lon, request.query.lat),
  );

  app.get(
    '/api/resident/map',
    {
      config: READ,
      schema: {
        tags: TAGS,
        response: {
          200: Type.Object({
            type: Type.Literal('FeatureCollection'),
            features: Type.Array(Type.Object({ type: Type.Literal('Feature'), geometry: Geometry, properties: Type.Object({ code: Type.String(), name: Type.String() }) })),
          }),
        },
      },
    },
    async () => cityOutline(services.db),
  );

  app.post(
    '/api/resident/reports',
    {
      config: WRITE,
      schema: {
        tags: TAGS,
        headers: Type.Object({ 'idempotency-key': Type.Optional(Type.String({ minLength: 8, maxLength: 64 })) }),
        body: Type.Object({
          categoryCode: Type.String({ minLength: 2, maxLength: 80 }),
          description: Type.String({ minLength: 2, maxLength: 2000 }),
          lon: Lon,
          lat: Lat,
          title: Type.Optional(Type.String({ maxLength: 100 })),
          kind: Type.Optional(Type.Enum(['consultation', 'help', 'complaint', 'report', 'suggestion'])),
        }),
        response: { 200: ReportDetail, 201: ReportDetail },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const { id, isNew } = await fileReport(deps(), principal, { ...request.body, idempotencyKey: request.headers['idempotency-key'] });
      return reply.status(isNew ? 201 : 200).send(await getReport(deps(), principal, id));
    },
  );

  app.get(
    '/api/resident/reports',
    { config: READ, schema: { tags: TAGS, querystring: PageQuery, response: { 200: Page(ReportSummary) } } },
    async (request) => {
      const { items, total } = await listReports(deps(), principalOf(request), pageWindow(request.query));
      return { items, total, page: request.query.page, pageSize: request.query.pageSize };
    },
  );

  app.get(
    '/api/resident/reports/:id',
    { config: READ, schema: { tags: TAGS, params: IdParams, response: { 200: ReportDetail } } },
    async (request) => getReport(deps(), principalOf(request), request.params.id),
  );

  app.post(
    '/api/resident/reports/:id/photos',
    {
      config: WRITE,
      schema: {
        tags: TAGS,
        consumes: ['multipart/form-data'],
        params: IdParams,
        response: { 201: Type.Object({ id: Type.Integer(), contentType: Type.String(), size: Type.Integer() }) },
      },
    },
    async (request, reply) => {
      const photo = await addReportPhoto(deps(), principalOf(request), request.params.id, async () => {
        const file = await request.file({ limits: { fileSize: MAX_ATTACHMENT_BYTES + 1 } });
        if (!file) throw new AppError('VALIDATION_FAILED', 'file is required', { fields: [{ field: 'file', message: 'required' }] });
        const stored = await blobs.putImage(file.file, MAX_ATTACHMENT_BYTES);
        if (file.file.truncated) throw new AppError('INVALID_FILE', 'file is larger than the limit');
        return { ...stored, fileName: path.basename(file.filename).slice(0, 200) };
      });
      return reply.status(201).send({ id: photo.id, contentType: photo.contentType, size: photo.size });
    },
  );

  app.get(
    '/api/resident/reports/:id/photos/:photoId',
    { config: READ, schema: { tags: TAGS, params: Type.Object({ id: Type.Integer({ minimum: 1 }), photoId: Type.Integer({ minimum: 1 }) }) } },
    async (request, reply) => {
      const photo = await getReportPhoto(deps(), principalOf(request), request.params.id, request.params.photoId);
      return reply
        .type(photo.content_type)
        .header('cache-control', 'private, max-age=31536000, immutable')
        .header('x-content-type-options', 'nosniff')
        .send(blobs.open(photo.sha256));
    },
  );

  app.post(
    '/api/resident/reports/:id/rating',
    {
      config: WRITE,
      schema: {
        tags: TAGS,
        params: IdParams,
        body: Type.Object({ satisfied: Type.Boolean(), solved: Type.Boolean(), comment: Type.Optional(Type.String({ maxLength: 1000 })) }),
        response: { 200: ReportDetail },
      },
    },
    async (request) =>
      rateReport(deps(), principalOf(request), request.params.id, { isSatisfied: request.body.satisfied, isSolved: request.body.solved, comment: request.body.comment }),
  );
};

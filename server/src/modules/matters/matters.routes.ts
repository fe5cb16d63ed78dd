import { Type } from 'typebox';
import { principalOf, type RoutesPlugin } from '../../platform/http/context.ts';
import { IdParams, Nullable, Page, PageQuery, pageWindow } from '../../platform/http/schemas.ts';
import path from 'node:path';
import { AppError } from '../../platform/errors.ts';
import { BlobStore } from '../../platform/storage/blob-store.ts';
import { applyAction, attachToMatter, createMatter, getAttachment, getMatter, listQueue, MAX_ATTACHMENT_BYTES } from './matters.service.ts';

const MatterView = Type.Object({
  id: Type.Integer(),
  reference: Type.String(),
  typeCode: Type.String(),
  state: Type.String(),
  title: Type.String(),
  description: Type.String(),
  placeId: Nullable(Type.Integer()),
  stepSeq: Type.Integer(),
  stepDueAt: Nullable(Type.String()),
  escalationLevel: Type.Integer(),
  round: Type.Integer(),
  createdAt: Type.String(),
  closedAt: Nullable(Type.String()),
  timeline: Type.Array(
    Type.Object({
      at: Type.String(),
      actorName: Type.String(),
      kind: Type.String(),
      action: Nullable(Type.String()),
      fromState: Nullable(Type.String()),
      toState: Nullable(Type.String()),
      details: Type.Record(Type.String(), Type.Unknown()),
    }),
  ),
});

const iso = (value: Date | string | null) => (value === null ? null : new Date(value).toISOString());

const QueueItem = Type.Object({
  id: Type.Integer(),
  reference: Type.String(),
  typeCode: Type.String(),
  state: Type.String(),
  title: Type.String(),
  placeId: Nullable(Type.Integer()),
  stepDueAt: Nullable(Type.String()),
  isOverdue: Type.Boolean(),
  escalationLevel: Type.Integer(),
  round: Type.Integer(),
  createdAt: Type.String(),
});

/** The matters engine over HTTP: open a matter, read it with its timeline, take an action. */
export const mattersRoutes: RoutesPlugin = async (app, services) => {
  const deps = () => ({ db: services.db, jobs: services.jobs });
  const present = async (principal: Parameters<typeof getMatter>[1], id: number) => {
    const { matter, events } = await getMatter(deps(), principal, id);
    return {
      id: matter.id,
      reference: matter.reference,
      typeCode: matter.type_code,
      state: matter.state,
      title: matter.title,
      description: matter.description,
      placeId: matter.place_id,
      stepSeq: matter.step_seq,
      stepDueAt: iso(matter.step_due_at),
      escalationLevel: matter.escalation_level,
      round: matter.round,
      createdAt: matter.created_at.toISOString(),
      closedAt: iso(matter.closed_at),
      timeline: events.map((e) => ({ at: e.at.toISOString(), actorName: e.actor_name, kind: e.kind, action: e.action, fromState: e.from_state, toState: e.to_state, details: e.details })),
    };
  };

  app.post(
    '/api/matters',
    {
      config: { permission: 'matters:matter:create' },
      schema: {
        tags: ['matters'],
        headers: Type.Object({ 'idempotency-key': Type.Optional(Type.String({ minLength: 8, maxLength: 100 })) }),
        body: Type.Object({
          typeCode: Type.String({ minLength: 2, maxLength: 40 }),
          title: Type.String({ minLength: 2, maxLength: 200 }),
          description: Type.Optional(Type.String({ maxLength: 5000 })),
          placeId: Type.Integer({ minimum: 1 }),
          lon: Type.Optional(Type.Number({ minimum: -180, maximum: 180 })),
          lat: Type.Optional(Type.Number({ minimum: -90, maximum: 90 })),
        }),
        response: { 200: MatterView, 201: MatterView },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const { id, isNew } = await createMatter(deps(), principal, { ...request.body, idempotencyKey: request.headers['idempotency-key'] });
      return reply.status(isNew ? 201 : 200).send(await present(principal, id));
    },
  );

  app.get(
    '/api/matters',
    {
      config: { permission: 'matters:matter:read' },
      schema: {
        tags: ['matters'],
        querystring: Type.Intersect([
          PageQuery,
          Type.Object({
            queue: Type.Enum(['open', 'due_soon', 'overdue', 'closed', 'all'], { default: 'open' }),
            state: Type.Optional(Type.String({ maxLength: 40 })),
            typeCode: Type.Optional(Type.String({ maxLength: 40 })),
          }),
        ]),
        response: { 200: Page(QueueItem) },
      },
    },
    async (request) => {
      const { page, pageSize, ...filter } = request.query;
      const now = new Date();
      const { rows, total } = await listQueue(deps(), principalOf(request), filter, pageWindow({ page, pageSize }));
      return {
        items: rows.map((m) => ({
          id: m.id,
          reference: m.reference,
          typeCode: m.type_code,
          state: m.state,
          title: m.title,
          placeId: m.place_id,
          stepDueAt: iso(m.step_due_at),
          isOverdue: m.closed_at === null && m.step_due_at !== null && new Date(m.step_due_at) < now,
          escalationLevel: m.escalation_level,
          round: m.round,
          createdAt: m.created_at.toISOString(),
        })),
        total,
        page,
        pageSize,
      };
    },
  );

  app.get(
    '/api/matters/:id',
    { config: { permission: 'matters:matter:read' }, schema: { tags: ['matters'], params: IdParams, response: { 200: MatterView } } },
    async (request) => present(principalOf(request), request.params.id),
  );

  app.post(
    '/api/matters/:id/actions/:action',
    {
      config: { permission: 'matters:matter:read' },
      schema: {
        tags: ['matters'],
        params: Type.Object({ id: Type.Integer({ minimum: 1 }), action: Type.String({ pattern: '^[a-z][a-z0-9_]{1,39}$' }) }),
        body: Type.Object({ note: Type.Optional(Type.String({ maxLength: 5000 })), isSolved: Type.Optional(Type.Boolean()) }),
        response: { 200: MatterView },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      await applyAction(deps(), principal, request.params.id, request.params.action, request.body);
      return present(principal, request.params.id);
    },
  );

  const blobs = new BlobStore(path.join(services.config.dataDir, 'blobs'));

  app.post(
    '/api/matters/:id/attachments',
    {
      config: { permission: 'matters:matter:read' },
      schema: { tags: ['matters'], consumes: ['multipart/form-data'], params: IdParams, response: { 201: Type.Object({ id: Type.Integer(), sha256: Type.String(), contentType: Type.String(), size: Type.Integer() }) } },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      await getMatter(deps(), principal, request.params.id);
      const file = await request.file({ limits: { fileSize: MAX_ATTACHMENT_BYTES + 1 } });
      if (!file) throw new AppError('VALIDATION_FAILED', 'file is required', { fields: [{ field: 'file', message: 'required' }] });
      const stored = await blobs.putImage(file.file, MAX_ATTACHMENT_BYTES);
      if (file.file.truncated) throw new AppError('INVALID_FILE', 'file is larger than the limit');
      const id = await attachToMatter(deps(), principal, request.params.id, { ...stored, fileName: path.basename(file.filename).slice(0, 200) });
      return reply.status(201).send({ id, ...stored });
    },
  );

  app.get(
    '/api/attachments/:id',
    { config: { permission: 'matters:matter:read' }, schema: { tags: ['matters'], params: IdParams } },
    async (request, reply) => {
      const attachment = await getAttachment(deps(), principalOf(request), request.params.id);
      return reply
        .type(attachment.content_type)
        .header('cache-control', 'private, max-age=31536000, immutable')
        .header('x-content-type-options', 'nosniff')
        .send(blobs.open(attachment.sha256));
    },
  );
};

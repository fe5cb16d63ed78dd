import { Type } from 'typebox';
import { principalOf, type RoutesPlugin } from '../../platform/http/context.ts';
import { IdParams, Nullable, Page, PageQuery, pageWindow } from '../../platform/http/schemas.ts';
import path from 'node:path';
import { AppError } from '../../platform/errors.ts';
import { BlobStore } from '../../platform/storage/blob-store.ts';
import {
  addCoHandler,
  applyAction,
  assignPerson,
  attachToMatter,
  createMatter,
  getAttachment,
  getMatter,
  listAssignableOrganisations,
  listAssignableUsers,
  listQueue,
  MAX_ATTACHMENT_BYTES,
  reportCoHandler,
  withdrawCoHandler,
} from './matters.service.ts';

const Ref = Type.Object({ id: Type.Integer(), name: Type.String() });

/** One entry of a matter's timeline (办理过程), as every page that shows a matter's handling gets it. */
export const MatterTimelineEntry = Type.Object({
  at: Type.String(),
  actorName: Type.String(),
  kind: Type.String(),
  action: Nullable(Type.String()),
  fromState: Nullable(Type.String()),
  toState: Nullable(Type.String()),
  details: Type.Record(Type.String(), Type.Unknown()),
});

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
  /** Set while the deadline waits for this year's holidays to be entered (then stepDueAt is null). */
  duePendingYear: Nullable(Type.Integer()),
  escalationLevel: Type.Integer(),
  round: Type.Integer(),
  createdAt: Type.String(),
  closedAt: Nullable(Type.String()),
  /** The lead unit (主办). */
  assigneeOrganisation: Nullable(Ref),
  /** The person it is assigned to (指派). */
  assigneeUser: Nullable(Type.Object({ id: Type.Integer(), displayName: Type.String() })),
  /** Assisting units (协办), each pending until it reports. */
  coHandlers: Type.Array(
    Type.Object({
      organisationId: Type.Integer(),
      organisationName: Type.String(),
      status: Type.Union([Type.Literal('pending'), Type.Literal('reported')]),
      request: Type.String(),
      addedAt: Type.String(),
      addedByName: Nullable(Type.String()),
      report: Nullable(Type.String()),
      reportedAt: Nullable(Type.String()),
      reportedByName: Nullable(Type.String()),
      /** The account belongs to this unit and so may report for it. */
      isOwn: Type.Boolean(),
    }),
  ),
  /** Co-handling settings of the matter's type; null when it is handled by one unit alone. */
  coHandling: Nullable(Type.Object({ isOpen: Type.Boolean(), replyRequiresAssistants: Type.Boolean(), replyActions: Type.Array(Type.String()) })),
  /** Actions that hand the matter to another organisation (转办) and so need one. */
  assigningActions: Type.Array(Type.String()),
  /** The matter lies in the account's region, so it may take actions (an assisting unit from elsewhere only reports). */
  isInRegion: Type.Boolean(),
  /** The account may assign the matter to a person (a dispatcher, or a handler of the lead unit). */
  canAssign: Type.Boolean(),
  timeline: Type.Array(MatterTimelineEntry),
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
  /** Set while the deadline waits for this year's holidays to be entered (then stepDueAt is null). */
  duePendingYear: Nullable(Type.Integer()),
  isOverdue: Type.Boolean(),
  escalationLevel: Type.Integer(),
  round: Type.Integer(),
  createdAt: Type.String(),
  assigneeOrganisationId: Nullable(Type.Integer()),
  assigneeUserId: Nullable(Type.Integer()),
  /** The account's organisation assists (协办) and has not reported yet. */
  isAssisting: Type.Boolean(),
});

const CoHandlerParams = Type.Object({ id: Type.Integer({ minimum: 1 }), organisationId: Type.Integer({ minimum: 1 }) });
const Note = Type.String({ minLength: 1, maxLength: 5000 });

/** The matters engine over HTTP: open a matter, read it with its timeline, take an action. */
export const mattersRoutes: RoutesPlugin = async (app, services) => {
  const deps = () => ({ db: services.db, jobs: services.jobs });
  const present = async (principal: Parameters<typeof getMatter>[1], id: number) => {
    const { matter, events, isInRegion, canAssign, assignee, coHandlers, coHandling, assigningActions } = await getMatter(deps(), principal, id);
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
      duePendingYear: matter.due_pending_year,
      escalationLevel: matter.escalation_level,
      round: matter.round,
      createdAt: matter.created_at.toISOString(),
      closedAt: iso(matter.closed_at),
      assigneeOrganisation: assignee.organisation,
      assigneeUser: assignee.user ? { id: assignee.user.id, displayName: assignee.user.name } : null,
      coHandlers: coHandlers.map((h) => ({
        organisationId: h.organisation_id,
        organisationName: h.organisation_name,
        status: h.reported_at === null ? ('pending' as const) : ('reported' as const),
        request: h.request,
        addedAt: new Date(h.added_at).toISOString(),
        addedByName: h.added_by_name,
        report: h.report,
        reportedAt: iso(h.reported_at),
        reportedByName: h.reported_by_name,
        isOwn: h.isOwn,
      })),
      coHandling: coHandling ? { isOpen: coHandling.isOpen, replyRequiresAssistants: coHandling.replyRequiresAssistants, replyActions: coHandling.replyActions } : null,
      assigningActions,
      isInRegion,
      canAssign,
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
            /** `mine`: assigned to me personally; `assisting`: my unit assists and has not reported. */
            assignment: Type.Optional(Type.Enum(['mine', 'assisting'])),
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
          duePendingYear: m.due_pending_year,
          isOverdue: m.closed_at === null && m.step_due_at !== null && new Date(m.step_due_at) < now,
          escalationLevel: m.escalation_level,
          round: m.round,
          createdAt: m.created_at.toISOString(),
          assigneeOrganisationId: m.assignee_organisation_id,
          assigneeUserId: m.assignee_user_id,
          isAssisting: m.isAssisting,
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
        body: Type.Object({
          note: Type.Optional(Type.String({ maxLength: 5000 })),
          isSolved: Type.Optional(Type.Boolean()),
          /** Required by an assigning action (转办): the organisation that takes the matter. */
          organisationId: Type.Optional(Type.Integer({ minimum: 1 })),
          /** For an assigning action: the person of that organisation, if one is named. */
          userId: Type.Optional(Type.Integer({ minimum: 1 })),
        }),
        response: { 200: MatterView },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const { note, isSolved, organisationId, userId } = request.body;
      await applyAction(deps(), principal, request.params.id, request.params.action, { note, isSolved, organisationId, userId });
      return present(principal, request.params.id);
    },
  );

  app.post(
    '/api/matters/:id/assignee',
    {
      config: { permission: 'matters:matter:handle' },
      schema: {
        tags: ['matters'],
        params: IdParams,
        body: Type.Object({ userId: Type.Integer({ minimum: 1 }), note: Type.Optional(Type.String({ maxLength: 5000 })) }),
        response: { 200: MatterView },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      await assignPerson(deps(), principal, request.params.id, request.body);
      return present(principal, request.params.id);
    },
  );

  app.get(
    '/api/matters/:id/assignable-users',
    {
      config: { permission: 'matters:matter:handle' },
      schema: {
        tags: ['matters'],
        params: IdParams,
        querystring: Type.Object({ organisationId: Type.Optional(Type.Integer({ minimum: 1 })) }),
        response: { 200: Type.Object({ items: Type.Array(Type.Object({ id: Type.Integer(), displayName: Type.String(), username: Type.String(), organisationId: Nullable(Type.Integer()), organisationName: Nullable(Type.String()) })) }) },
      },
    },
    async (request) => {
      const users = await listAssignableUsers(deps(), principalOf(request), request.params.id, request.query);
      return { items: users.map((u) => ({ id: u.id, displayName: u.display_name, username: u.username, organisationId: u.organisation_id, organisationName: u.organisation_name })) };
    },
  );

  app.get(
    '/api/matters/:id/assignable-organisations',
    {
      config: { permission: 'matters:matter:dispatch' },
      schema: {
        tags: ['matters'],
        params: IdParams,
        querystring: Type.Object({ purpose: Type.Enum(['transfer', 'assist']), q: Type.Optional(Type.String({ maxLength: 100 })) }),
        response: { 200: Type.Object({ items: Type.Array(Type.Object({ id: Type.Integer(), name: Type.String(), kind: Type.String() })) }) },
      },
    },
    async (request) => {
      const organisations = await listAssignableOrganisations(deps(), principalOf(request), request.params.id, request.query);
      return { items: organisations.map((o) => ({ id: o.id, name: o.name, kind: o.kind })) };
    },
  );

  app.post(
    '/api/matters/:id/co-handlers',
    {
      config: { permission: 'matters:matter:dispatch' },
      schema: { tags: ['matters'], params: IdParams, body: Type.Object({ organisationId: Type.Integer({ minimum: 1 }), note: Note }), response: { 201: MatterView } },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      await addCoHandler(deps(), principal, request.params.id, request.body);
      return reply.status(201).send(await present(principal, request.params.id));
    },
  );

  app.post(
    '/api/matters/:id/co-handlers/:organisationId/report',
    {
      config: { permission: 'matters:matter:handle' },
      schema: { tags: ['matters'], params: CoHandlerParams, body: Type.Object({ note: Note }), response: { 200: MatterView } },
    },
    async (request) => {
      const principal = principalOf(request);
      await reportCoHandler(deps(), principal, request.params.id, request.params.organisationId, request.body);
      return present(principal, request.params.id);
    },
  );

  app.delete(
    '/api/matters/:id/co-handlers/:organisationId',
    {
      config: { permission: 'matters:matter:dispatch' },
      schema: { tags: ['matters'], params: CoHandlerParams, body: Type.Optional(Type.Object({ note: Type.Optional(Type.String({ maxLength: 5000 })) })), response: { 200: MatterView } },
    },
    async (request) => {
      const principal = principalOf(request);
      await withdrawCoHandler(deps(), principal, request.params.id, request.params.organisationId, request.body ?? {});
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

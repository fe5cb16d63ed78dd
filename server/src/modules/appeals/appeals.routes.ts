import { Type } from 'typebox';
import { principalOf, type RoutesPlugin } from '../../platform/http/context.ts';
import { IdParams, Nullable } from '../../platform/http/schemas.ts';
import { submitAppeal } from './appeals.service.ts';
import { computeKpis } from './kpi.service.ts';
import { findDuplicateCandidates, mergeAppeal } from './duplicates.ts';
import { callerRoutes } from './callers.routes.ts';
import { knowledgeRoutes } from './knowledge.routes.ts';
import { openMapRoutes } from './open-map.routes.ts';

const Rate = Nullable(Type.Number({ minimum: 0, maximum: 1 }));

/** Appeals over HTTP: intake from the console's doors, and the KPIs computed from the timeline. */
export const appealsRoutes: RoutesPlugin = async (app, services) => {
  app.post(
    '/api/appeals',
    {
      config: { permission: 'matters:matter:create' },
      schema: {
        tags: ['appeals'],
        headers: Type.Object({ 'idempotency-key': Type.Optional(Type.String({ minLength: 8, maxLength: 100 })) }),
        body: Type.Object({
          kind: Type.Enum(['consultation', 'help', 'complaint', 'report', 'suggestion']),
          door: Type.Enum(['hotline', 'snap', 'grid_patrol', 'work_safety', 'kiosk']),
          categoryCode: Type.String({ minLength: 2, maxLength: 80 }),
          title: Type.String({ minLength: 2, maxLength: 200 }),
          description: Type.Optional(Type.String({ maxLength: 5000 })),
          placeId: Type.Optional(Type.Integer({ minimum: 1 })),
          lon: Type.Optional(Type.Number({ minimum: -180, maximum: 180 })),
          lat: Type.Optional(Type.Number({ minimum: -90, maximum: 90 })),
          reporterName: Type.Optional(Type.String({ maxLength: 50 })),
          reporterPhone: Type.Optional(Type.String({ maxLength: 20 })),
        }),
        response: {
          201: Type.Object({ matterId: Type.Integer(), scale: Type.String(), handlerLevel: Type.String(), handlerOrganisationId: Nullable(Type.Integer()) }),
          200: Type.Object({ matterId: Type.Integer(), scale: Type.String(), handlerLevel: Type.String(), handlerOrganisationId: Nullable(Type.Integer()) }),
        },
      },
    },
    async (request, reply) => {
      const result = await submitAppeal({ db: services.db, jobs: services.jobs, cipher: services.cipher }, principalOf(request), {
        ...request.body,
        idempotencyKey: request.headers['idempotency-key'],
      });
      return reply.status(result.isNew ? 201 : 200).send({
        matterId: result.matterId,
        scale: result.decision.scale,
        handlerLevel: result.decision.handlerLevel,
        handlerOrganisationId: result.decision.organisationId,
      });
    },
  );

  app.get(
    '/api/appeals/kpis',
    {
      config: { permission: 'matters:matter:read' },
      schema: {
        tags: ['appeals'],
        querystring: Type.Object({
          from: Type.String({ format: 'date-time' }),
          to: Type.String({ format: 'date-time' }),
          dimension: Type.Enum(['category', 'place', 'organisation', 'month']),
          placeDepth: Type.Optional(Type.Integer({ minimum: 1, maximum: 6 })),
        }),
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({
                key: Type.String(),
                total: Type.Integer(),
                responseRate: Rate,
                onTimeClosureRate: Rate,
                solvedRate: Rate,
                satisfactionRate: Rate,
                averageHandlingHours: Nullable(Type.Number()),
                // The counts behind the two callback rates, so a reader can see what a rate rests on.
                callbacks: Type.Integer(),
                satisfied: Type.Integer(),
                solved: Type.Integer(),
              }),
            ),
          }),
        },
      },
    },
    async (request) => {
      const { from, to, dimension, placeDepth } = request.query;
      return { items: await computeKpis(services.db, principalOf(request), { from: new Date(from), to: new Date(to), dimension, placeDepth }) };
    },
  );

  app.get(
    '/api/appeals/:id/duplicates',
    {
      config: { permission: 'matters:matter:read' },
      schema: {
        tags: ['appeals'],
        params: IdParams,
        response: { 200: Type.Object({ items: Type.Array(Type.Object({ id: Type.Integer(), reference: Type.String(), title: Type.String(), state: Type.String(), distanceMetres: Type.Number() })) }) },
      },
    },
    async (request) => ({
      items: (await findDuplicateCandidates(services.db, principalOf(request), request.params.id)).map((c) => ({
        id: c.id,
        reference: c.reference,
        title: c.title,
        state: c.state,
        distanceMetres: Math.round(Number(c.distance_metres)),
      })),
    }),
  );

  app.post(
    '/api/appeals/:id/merge',
    {
      config: { permission: 'matters:matter:dispatch' },
      schema: {
        tags: ['appeals'],
        params: IdParams,
        body: Type.Object({ primaryId: Type.Integer({ minimum: 1 }), reason: Type.String({ minLength: 2, maxLength: 500 }) }),
        response: { 204: Type.Null() },
      },
    },
    async (request, reply) => {
      await mergeAppeal({ db: services.db, jobs: services.jobs }, principalOf(request), request.params.id, request.body.primaryId, request.body.reason);
      return reply.status(204).send(null);
    },
  );

  // The 12345 desk's doors: caller lookup, the knowledge base with 直办, and the map of open appeals.
  await callerRoutes(app, services);
  await knowledgeRoutes(app, services);
  await openMapRoutes(app, services);
};

import { Type } from 'typebox';
import { principalOf, type RoutesPlugin } from '../../platform/http/context.ts';
import { IdParams, Nullable, Page, PageQuery, pageWindow } from '../../platform/http/schemas.ts';
import * as service from './runs.service.ts';

const StageView = Type.Object({
  name: Type.String(),
  status: Type.Union([Type.Literal('running'), Type.Literal('done'), Type.Literal('failed')]),
  ms: Nullable(Type.Number()),
  detail: Type.Optional(Type.String()),
});

const RunView = Type.Object({
  id: Type.Integer(),
  asOf: Type.String(),
  /** Extract kind → dataset id compared. */
  datasets: Type.Record(Type.String(), Type.Integer()),
  status: Type.Union([Type.Literal('queued'), Type.Literal('running'), Type.Literal('completed'), Type.Literal('failed')]),
  stage: Nullable(Type.String()),
  stages: Type.Array(StageView),
  /** Suspects and money at stake per rule that ran. */
  rules: Type.Array(Type.Object({ rule: Type.String(), suspects: Type.Integer(), amountAtStake: Type.String() })),
  skippedRules: Type.Array(Type.String()),
  timingsMs: Type.Record(Type.String(), Type.Number()),
  files: Type.Record(Type.String(), Type.Unknown()),
  /** What reconciliation did: raised, updated, retracted, suppressed findings and list entries. */
  outcome: Nullable(Type.Record(Type.String(), Type.Unknown())),
  error: Nullable(Type.String()),
  createdBy: Nullable(Type.String()),
  createdAt: Type.String(),
  startedAt: Nullable(Type.String()),
  finishedAt: Nullable(Type.String()),
});

/** Comparison runs: start one as a job, follow its stages, read its results by rule. */
export const runRoutes: RoutesPlugin = async (app, services) => {
  app.post(
    '/api/compare/runs',
    {
      config: { permission: 'compare:run:write' },
      schema: {
        tags: ['compare'],
        body: Type.Object({
          asOf: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' }),
          /** Extract kind → dataset id, or null to leave the kind out; kinds not named use their newest ready dataset. */
          datasets: Type.Optional(Type.Record(Type.String({ pattern: '^[a-z_]{2,40}$' }), Nullable(Type.Integer({ minimum: 1 })))),
        }),
        response: { 202: RunView },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const id = await service.startRun(services, principal, request.body);
      return reply.status(202).send(service.presentRun(await service.getRun(services, principal, id)));
    },
  );

  app.get(
    '/api/compare/runs',
    {
      config: { permission: 'compare:run:read' },
      schema: {
        tags: ['compare'],
        querystring: Type.Intersect([PageQuery, Type.Object({ status: Type.Optional(Type.Enum(['queued', 'running', 'completed', 'failed'])) })]),
        response: { 200: Page(RunView) },
      },
    },
    async (request) => {
      const { page, pageSize, status } = request.query;
      const { rows, total } = await service.listRuns(services, principalOf(request), { status }, pageWindow({ page, pageSize }));
      return { items: rows.map(service.presentRun), total, page, pageSize };
    },
  );

  app.get(
    '/api/compare/runs/:id',
    { config: { permission: 'compare:run:read' }, schema: { tags: ['compare'], params: IdParams, response: { 200: RunView } } },
    async (request) => service.presentRun(await service.getRun(services, principalOf(request), request.params.id)),
  );
};

import { Readable } from 'node:stream';
import { Type } from 'typebox';
import { principalOf, type RoutesPlugin } from '../../../platform/http/context.ts';
import { ErrorResponse, IdParams, Page, PageQuery, pageWindow } from '../../../platform/http/schemas.ts';
import { csvLine } from '../../../platform/imports/index.ts';
import * as schema from './discovery.schema.ts';
import * as monitoring from './monitoring.service.ts';
import * as resources from './resources.service.ts';
import { RAISED_KINDS, WARNING_KINDS, WARNING_OUTCOMES } from './warning-type.ts';
import * as warnings from './warnings.service.ts';

const ERRORS = { 400: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse };
const TAGS = ['assistance'];

/** 主动发现: warnings and their handling, the low-income monitoring list, and the social-resource catalogue. */
export const discoveryRoutes: RoutesPlugin = async (app, services) => {
  const detail = (request: Parameters<typeof principalOf>[0], id: number) => warnings.getWarning(services, principalOf(request), id);

  app.get(
    '/api/assistance/discovery/reference',
    // Names and codes only: every signed-in account may read them (a grid worker's visit form needs the needs).
    { schema: { tags: TAGS, response: { 200: schema.DiscoveryReference, ...ERRORS } } },
    async () => {
      return {
        categories: await monitoring.listMonitoringCategories(services),
        needs: await resources.listNeedKinds(services),
        warningKinds: WARNING_KINDS.map((code) => ({ code, isRaised: (RAISED_KINDS as readonly string[]).includes(code) })),
        outcomes: [...WARNING_OUTCOMES],
      };
    },
  );

  app.get(
    '/api/assistance/warnings',
    { config: { permission: 'assistance:warning:read' }, schema: { tags: TAGS, querystring: Type.Intersect([PageQuery, schema.WarningQuery]), response: { 200: schema.WarningPage, ...ERRORS } } },
    async (request) => {
      const { page, pageSize, mine, ...search } = request.query;
      const result = await warnings.listWarnings(services, principalOf(request), { ...search, isMine: mine }, pageWindow({ page, pageSize }));
      return { ...result, page, pageSize };
    },
  );

  app.post(
    '/api/assistance/warnings/visits',
    { config: { permission: 'assistance:warning:raise' }, schema: { tags: TAGS, body: schema.GridVisitBody, response: { 201: schema.RaisedWarningView, ...ERRORS } } },
    async (request, reply) => reply.status(201).send(await warnings.raiseGridVisitWarning(services, principalOf(request), request.body)),
  );

  app.post(
    '/api/assistance/warnings/sync',
    { config: { permission: 'assistance:discovery:sync' }, schema: { tags: TAGS, response: { 200: schema.SyncView, ...ERRORS } } },
    async (request) => monitoring.syncDiscoveryNow(services, principalOf(request)),
  );

  app.get(
    '/api/assistance/warnings/:id',
    { config: { permission: 'assistance:warning:read' }, schema: { tags: TAGS, params: IdParams, response: { 200: schema.WarningDetail, ...ERRORS } } },
    async (request) => detail(request, request.params.id),
  );

  app.get(
    '/api/assistance/warnings/:id/matches',
    { config: { permission: 'assistance:warning:read' }, schema: { tags: TAGS, params: IdParams, response: { 200: Type.Object({ items: Type.Array(schema.MatchedResource) }), ...ERRORS } } },
    async (request) => ({ items: await warnings.listMatches(services, principalOf(request), request.params.id) }),
  );

  app.post(
    '/api/assistance/warnings/:id/verify',
    { config: { permission: 'assistance:warning:handle' }, schema: { tags: TAGS, params: IdParams, body: schema.VerifyBody, response: { 200: schema.WarningDetail, ...ERRORS } } },
    async (request) => {
      await warnings.verifyWarning(services, principalOf(request), request.params.id, request.body);
      return detail(request, request.params.id);
    },
  );

  app.post(
    '/api/assistance/warnings/:id/decision',
    { config: { permission: 'assistance:warning:handle' }, schema: { tags: TAGS, params: IdParams, body: schema.DecisionBody, response: { 200: schema.WarningDetail, ...ERRORS } } },
    async (request) => {
      await warnings.decideWarning(services, principalOf(request), request.params.id, request.body);
      return detail(request, request.params.id);
    },
  );

  app.put(
    '/api/assistance/warnings/:id/needs',
    { config: { permission: 'assistance:warning:handle' }, schema: { tags: TAGS, params: IdParams, body: schema.NeedsBody, response: { 200: schema.WarningDetail, ...ERRORS } } },
    async (request) => {
      await warnings.setWarningNeeds(services, principalOf(request), request.params.id, request.body);
      return detail(request, request.params.id);
    },
  );

  app.post(
    '/api/assistance/warnings/:id/resources',
    { config: { permission: 'assistance:warning:handle' }, schema: { tags: TAGS, params: IdParams, body: schema.LinkBody, response: { 201: schema.WarningDetail, ...ERRORS } } },
    async (request, reply) => {
      await warnings.linkResource(services, principalOf(request), request.params.id, request.body);
      return reply.status(201).send(await detail(request, request.params.id));
    },
  );

  app.get(
    '/api/assistance/monitoring',
    {
      config: { permission: 'assistance:monitoring:read' },
      schema: { tags: TAGS, querystring: Type.Intersect([PageQuery, schema.MonitoringQuery]), response: { 200: Page(schema.MonitoringEntry), ...ERRORS } },
    },
    async (request) => {
      const { page, pageSize, ...search } = request.query;
      const result = await monitoring.listMonitoring(services, principalOf(request), search, pageWindow({ page, pageSize }));
      return { ...result, page, pageSize };
    },
  );

  app.get(
    '/api/assistance/monitoring/counts',
    { config: { permission: 'assistance:monitoring:read' }, schema: { tags: TAGS, response: { 200: schema.MonitoringCounts, ...ERRORS } } },
    async (request) => monitoring.getMonitoringCounts(services, principalOf(request)),
  );

  app.get(
    '/api/assistance/monitoring.csv',
    { config: { permission: 'assistance:monitoring:read' }, schema: { tags: TAGS, querystring: schema.MonitoringQuery } },
    async (request, reply) => {
      const rows = monitoring.exportMonitoring(services, principalOf(request), request.query);
      async function* lines() {
        yield '\uFEFF' + csvLine(monitoring.MONITORING_EXPORT_COLUMNS);
        for await (const row of rows) yield csvLine(row);
      }
      const stamp = new Date().toISOString().slice(0, 10);
      return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="monitoring-${stamp}.csv"`).send(Readable.from(lines()));
    },
  );

  app.post(
    '/api/assistance/monitoring',
    { config: { permission: 'assistance:monitoring:write' }, schema: { tags: TAGS, body: schema.MonitoringAddBody, response: { 201: Type.Object({ id: Type.Integer() }), ...ERRORS } } },
    async (request, reply) => reply.status(201).send({ id: await monitoring.addMonitoringEntry(services, principalOf(request), request.body) }),
  );

  app.post(
    '/api/assistance/monitoring/:id/end',
    { config: { permission: 'assistance:monitoring:write' }, schema: { tags: TAGS, params: IdParams, body: schema.MonitoringEndBody, response: { 204: Type.Null(), ...ERRORS } } },
    async (request, reply) => {
      await monitoring.endMonitoringEntry(services, principalOf(request), request.params.id, request.body);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/assistance/monitoring/sync',
    { config: { permission: 'assistance:discovery:sync' }, schema: { tags: TAGS, response: { 200: schema.SyncView, ...ERRORS } } },
    async (request) => monitoring.syncDiscoveryNow(services, principalOf(request)),
  );

  app.get(
    '/api/assistance/resources',
    { config: { permission: 'assistance:resource:read' }, schema: { tags: TAGS, querystring: Type.Intersect([PageQuery, schema.ResourceQuery]), response: { 200: Page(schema.ResourceView), ...ERRORS } } },
    async (request) => {
      const { page, pageSize, available, ...search } = request.query;
      const result = await resources.listResources(services, principalOf(request), { ...search, isAvailableOnly: available }, pageWindow({ page, pageSize }));
      return { ...result, page, pageSize };
    },
  );

  app.get(
    '/api/assistance/resources/:id',
    { config: { permission: 'assistance:resource:read' }, schema: { tags: TAGS, params: IdParams, response: { 200: schema.ResourceView, ...ERRORS } } },
    async (request) => resources.getResource(services, principalOf(request), request.params.id),
  );

  app.post(
    '/api/assistance/resources',
    { config: { permission: 'assistance:resource:write' }, schema: { tags: TAGS, body: schema.ResourceCreateBody, response: { 201: schema.ResourceView, ...ERRORS } } },
    async (request, reply) => reply.status(201).send(await resources.createResource(services, principalOf(request), request.body)),
  );

  app.put(
    '/api/assistance/resources/:id',
    { config: { permission: 'assistance:resource:write' }, schema: { tags: TAGS, params: IdParams, body: schema.ResourceUpdateBody, response: { 200: schema.ResourceView, ...ERRORS } } },
    async (request) => {
      const { version, ...input } = request.body;
      return resources.updateResource(services, principalOf(request), request.params.id, version, input);
    },
  );
};

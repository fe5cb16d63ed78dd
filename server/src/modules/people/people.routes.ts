import { Readable } from 'node:stream';
import { Type } from 'typebox';
import { principalOf, type RoutesPlugin } from '../../platform/http/context.ts';
import { IdParams, Page, pageWindow } from '../../platform/http/schemas.ts';
import { csvLine } from '../../platform/imports/index.ts';
import * as schema from './people.schema.ts';
import * as service from './people.service.ts';

/** Residents and households: search, detail, unmask, export, registration. */
export const peopleRoutes: RoutesPlugin = async (app, services) => {
  app.get(
    '/api/residents',
    { config: { permission: 'registry:resident:read' }, schema: { tags: ['people'], querystring: schema.ResidentListQuery, response: { 200: Page(schema.ResidentSummary) } } },
    async (request) => {
      const { page, pageSize, ...search } = request.query;
      const result = await service.searchResidents(services, principalOf(request), search, pageWindow({ page, pageSize }));
      return { ...result, page, pageSize };
    },
  );

  app.get(
    '/api/residents/export.csv',
    { config: { permission: 'registry:resident:export' }, schema: { tags: ['people'], querystring: schema.ResidentSearchQuery } },
    async (request, reply) => {
      const rows = service.exportResidents(services, principalOf(request), request.query);
      async function* lines() {
        yield '\uFEFF' + csvLine(service.EXPORT_COLUMNS);
        for await (const row of rows) yield csvLine(row);
      }
      const stamp = new Date().toISOString().slice(0, 10);
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="residents-${stamp}.csv"`)
        .send(Readable.from(lines()));
    },
  );

  app.get(
    '/api/residents/:id',
    { config: { permission: 'registry:resident:read' }, schema: { tags: ['people'], params: IdParams, response: { 200: schema.ResidentDetail } } },
    async (request) => service.getResident(services, principalOf(request), request.params.id),
  );

  app.post(
    '/api/residents/:id/unmask',
    {
      config: { permission: 'registry:resident:unmask' },
      schema: { tags: ['people'], params: IdParams, body: schema.UnmaskBody, response: { 200: schema.UnmaskedFields } },
    },
    async (request) => service.unmaskResident(services, principalOf(request), request.params.id, request.body.reason),
  );

  app.post(
    '/api/residents',
    {
      config: { permission: 'registry:resident:write' },
      schema: { tags: ['people'], body: schema.ResidentBody, response: { 200: Type.Object({ id: Type.Integer(), created: Type.Boolean() }), 201: Type.Object({ id: Type.Integer(), created: Type.Boolean() }) } },
    },
    async (request, reply) => {
      const result = await service.saveResident(services, principalOf(request), request.body);
      return reply.status(result.created ? 201 : 200).send(result);
    },
  );

  app.get(
    '/api/households',
    { config: { permission: 'registry:household:read' }, schema: { tags: ['people'], querystring: schema.HouseholdListQuery, response: { 200: Page(schema.HouseholdSummary) } } },
    async (request) => {
      const { page, pageSize, ...search } = request.query;
      const result = await service.searchHouseholds(services, principalOf(request), search, pageWindow({ page, pageSize }));
      return { ...result, page, pageSize };
    },
  );

  app.get(
    '/api/households/:id',
    { config: { permission: 'registry:household:read' }, schema: { tags: ['people'], params: IdParams, response: { 200: schema.HouseholdDetail } } },
    async (request) => service.getHousehold(services, principalOf(request), request.params.id),
  );
};

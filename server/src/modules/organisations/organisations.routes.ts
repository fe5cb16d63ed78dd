import { Type } from 'typebox';
import { principalOf, type RoutesPlugin } from '../../platform/http/context.ts';
import { IdParams, Page, PageQuery, pageWindow, Nullable } from '../../platform/http/schemas.ts';
import * as service from './organisations.service.ts';

const Kind = Type.Enum(service.ORGANISATION_KINDS);

const OrganisationView = Type.Object({
  id: Type.Integer(),
  kind: Kind,
  name: Type.String(),
  creditCode: Nullable(Type.String()),
  placeId: Nullable(Type.Integer()),
  placeName: Nullable(Type.String()),
  legalRepresentative: Nullable(Type.String()),
  status: Type.String(),
  phoneMasked: Nullable(Type.String()),
  address: Nullable(Type.String()),
  parentId: Nullable(Type.Integer()),
});

/** The organisation registry: departments, streets, communities, enterprises, social bodies. */
export const organisationsRoutes: RoutesPlugin = async (app, services) => {
  app.get(
    '/api/organisations',
    {
      config: { permission: 'registry:organisation:read' },
      schema: {
        tags: ['organisations'],
        querystring: Type.Intersect([PageQuery, Type.Object({ q: Type.Optional(Type.String({ maxLength: 100 })), kind: Type.Optional(Kind) })]),
        response: { 200: Page(OrganisationView) },
      },
    },
    async (request) => {
      const { page, pageSize, ...search } = request.query;
      return { ...(await service.searchOrganisations(services, principalOf(request), search, pageWindow({ page, pageSize }))), page, pageSize };
    },
  );

  app.get(
    '/api/organisations/:id',
    { config: { permission: 'registry:organisation:read' }, schema: { tags: ['organisations'], params: IdParams, response: { 200: OrganisationView } } },
    async (request) => service.getOrganisation(services, principalOf(request), request.params.id),
  );
};

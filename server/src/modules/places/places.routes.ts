import { principalOf, type RoutesPlugin } from '../../platform/http/context.ts';
import { ErrorResponse, IdParams } from '../../platform/http/schemas.ts';
import { Type } from 'typebox';
import {
  ChildrenQuery,
  LocatedPlaceSchema,
  LocateQuery,
  OverviewSchema,
  PlaceDetailSchema,
  PlaceMapSchema,
  PlaceSchema,
} from './places.schema.ts';
import { getOverview, getPlaceDetail, getPlaceMap, listChildren, locatePlaceForPrincipal } from './places.service.ts';

const PLACE_READ = { permission: 'registry:place:read' } as const;
const ERRORS = { 403: ErrorResponse, 404: ErrorResponse };

/** The place tree, place maps, point location and the dashboard overview. */
export const placesRoutes: RoutesPlugin = async (app, { db }) => {
  app.get(
    '/api/places/children',
    {
      config: PLACE_READ,
      schema: { tags: ['places'], querystring: ChildrenQuery, response: { 200: Type.Object({ items: Type.Array(PlaceSchema) }), ...ERRORS } },
    },
    async (request) => ({ items: await listChildren(db, principalOf(request), request.query.parentId) }),
  );

  app.get(
    '/api/places/locate',
    { config: PLACE_READ, schema: { tags: ['places'], querystring: LocateQuery, response: { 200: LocatedPlaceSchema, ...ERRORS } } },
    async (request) => locatePlaceForPrincipal(db, principalOf(request), request.query.lon, request.query.lat),
  );

  app.get(
    '/api/places/:id',
    { config: PLACE_READ, schema: { tags: ['places'], params: IdParams, response: { 200: PlaceDetailSchema, ...ERRORS } } },
    async (request) => getPlaceDetail(db, principalOf(request), request.params.id),
  );

  app.get(
    '/api/places/:id/map',
    { config: PLACE_READ, schema: { tags: ['places'], params: IdParams, response: { 200: PlaceMapSchema, ...ERRORS } } },
    async (request) => getPlaceMap(db, principalOf(request), request.params.id),
  );

  app.get(
    '/api/stats/overview',
    { config: PLACE_READ, schema: { tags: ['stats'], response: { 200: OverviewSchema } } },
    async (request) => getOverview(db, principalOf(request)),
  );
};

import { Type } from 'typebox';
import { principalOf, type RoutesPlugin } from '../../platform/http/context.ts';
import { ErrorResponse } from '../../platform/http/schemas.ts';
import { countOpenAppealsByPlace } from './open-map.service.ts';

const Counts = { open: Type.Integer(), overdue: Type.Integer() };

/** Open appeals per place, for the KPI dashboard's map of grids. */
export const openMapRoutes: RoutesPlugin = async (app, services) => {
  app.get(
    '/api/appeals/open-by-place',
    {
      config: { permission: 'matters:matter:read' },
      schema: {
        tags: ['appeals'],
        querystring: Type.Object({
          parent: Type.Integer({ minimum: 1, description: 'the place whose descendants are counted' }),
          depth: Type.Integer({ minimum: 1, maximum: 3, default: 1, description: 'levels below the parent (1 = children)' }),
        }),
        response: {
          200: Type.Object({
            parent: Type.Object({ id: Type.Integer(), code: Type.String(), name: Type.String(), level: Type.String() }),
            depth: Type.Integer(),
            items: Type.Array(Type.Object({ placeId: Type.Integer(), code: Type.String(), name: Type.String(), level: Type.String(), ...Counts })),
            unplaced: Type.Object(Counts),
          }),
          403: ErrorResponse,
          404: ErrorResponse,
        },
      },
    },
    async (request) => countOpenAppealsByPlace(services.db, principalOf(request), { parentId: request.query.parent, depth: request.query.depth }),
  );
};

import { Type } from 'typebox';
import { principalOf, type RoutesPlugin } from '../../platform/http/context.ts';
import { ErrorResponse, Nullable } from '../../platform/http/schemas.ts';
import { lookUpCaller } from './callers.service.ts';

const CallerProfile = Type.Object({
  phoneMasked: Type.String(),
  appeals: Type.Array(
    Type.Object({
      matterId: Type.Integer(),
      reference: Type.String(),
      title: Type.String(),
      state: Type.String(),
      categoryCode: Type.String(),
      kind: Type.String(),
      door: Type.String(),
      reporterName: Nullable(Type.String()),
      phoneMasked: Nullable(Type.String()),
      createdAt: Type.String(),
      closedAt: Nullable(Type.String()),
    }),
  ),
  residents: Type.Array(
    Type.Object({
      id: Type.Integer(),
      name: Type.String(),
      gender: Type.String(),
      age: Type.Integer(),
      idNumberMasked: Type.String(),
      phoneMasked: Nullable(Type.String()),
      placeName: Type.String(),
    }),
  ),
  isRegistrySearched: Type.Boolean(),
});

/** 来电查询 for the 12345 agent console. */
export const callerRoutes: RoutesPlugin = async (app, services) => {
  app.get(
    '/api/appeals/callers',
    {
      config: { permission: 'matters:matter:create' },
      schema: {
        tags: ['appeals'],
        querystring: Type.Object({ phone: Type.String({ minLength: 5, maxLength: 20 }) }),
        response: { 200: CallerProfile, 400: ErrorResponse, 403: ErrorResponse },
      },
    },
    async (request) => lookUpCaller(services, principalOf(request), request.query.phone),
  );
};

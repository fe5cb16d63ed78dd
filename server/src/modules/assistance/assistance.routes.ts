import { Type } from 'typebox';
import { principalOf, type RoutesPlugin } from '../../platform/http/context.ts';
import { ErrorResponse, IdParams, Page, PageQuery, pageWindow } from '../../platform/http/schemas.ts';
import {
  CatalogueReference,
  EvaluateBody,
  EvaluationView,
  FactDescription,
  ParametersQuery,
  ParametersView,
  PolicyCreateBody,
  PolicyDetail,
  PolicyListQuery,
  PolicySummary,
  PolicyUpdateBody,
  RulesBody,
  RulesCheckView,
  ServiceList,
} from './assistance.schema.ts';
import { evaluateHousehold, getParameters, listFacts } from './eligibility.service.ts';
import {
  createPolicy,
  getCatalogueReference,
  getPolicy,
  getPolicyRevision,
  getServiceList,
  searchPolicies,
  searchServiceLists,
  updatePolicy,
  validatePolicyRules,
  type PolicyInput,
} from './policies.service.ts';
import type { RuleGroup } from './rules.ts';

const ERRORS = { 400: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse };
const RULE_ERRORS = { ...ERRORS, 409: ErrorResponse, 422: ErrorResponse };
const TAGS = ['assistance'];

/** Social assistance (社会救助): the policy catalogue, its service lists, and evaluating a household. */
export const assistanceRoutes: RoutesPlugin = async (app, services) => {
  app.get(
    '/api/assistance/reference',
    { config: { permission: 'assistance:policy:read' }, schema: { tags: TAGS, response: { 200: CatalogueReference, ...ERRORS } } },
    async (request) => getCatalogueReference(services.db, principalOf(request)),
  );

  app.get(
    '/api/assistance/facts',
    { config: { permission: 'assistance:policy:read' }, schema: { tags: TAGS, response: { 200: Type.Array(FactDescription), ...ERRORS } } },
    async (request) => listFacts(principalOf(request)),
  );

  app.get(
    '/api/assistance/policies',
    { config: { permission: 'assistance:policy:read' }, schema: { tags: TAGS, querystring: PolicyListQuery, response: { 200: Page(PolicySummary), ...ERRORS } } },
    async (request) => {
      const { page, pageSize, ...search } = request.query;
      const result = await searchPolicies(services.db, principalOf(request), search, pageWindow({ page, pageSize }));
      return { ...result, page, pageSize };
    },
  );

  app.get(
    '/api/assistance/policies/:id',
    { config: { permission: 'assistance:policy:read' }, schema: { tags: TAGS, params: IdParams, response: { 200: PolicyDetail, ...ERRORS } } },
    async (request) => getPolicy(services, principalOf(request), request.params.id),
  );

  app.get(
    '/api/assistance/policies/:id/revisions/:version',
    {
      config: { permission: 'assistance:policy:read' },
      schema: {
        tags: TAGS,
        params: Type.Object({ id: Type.Integer({ minimum: 1 }), version: Type.Integer({ minimum: 1 }) }),
        response: { 200: Type.Record(Type.String(), Type.Unknown(), { description: 'the policy as saved in that version' }), ...ERRORS },
      },
    },
    async (request) => getPolicyRevision(services.db, principalOf(request), request.params.id, request.params.version),
  );

  app.post(
    '/api/assistance/policies',
    { config: { permission: 'assistance:policy:write' }, schema: { tags: TAGS, body: PolicyCreateBody, response: { 201: PolicyDetail, ...RULE_ERRORS } } },
    async (request, reply) => {
      const { code, ...input } = request.body;
      return reply.status(201).send(await createPolicy(services, principalOf(request), code, input as PolicyInput));
    },
  );

  app.put(
    '/api/assistance/policies/:id',
    { config: { permission: 'assistance:policy:write' }, schema: { tags: TAGS, params: IdParams, body: PolicyUpdateBody, response: { 200: PolicyDetail, ...RULE_ERRORS } } },
    async (request) => {
      const { version, ...input } = request.body;
      return updatePolicy(services, principalOf(request), request.params.id, version, input as PolicyInput);
    },
  );

  app.post(
    '/api/assistance/rules/check',
    { config: { permission: 'assistance:policy:read' }, schema: { tags: TAGS, body: RulesBody, response: { 200: RulesCheckView, ...ERRORS } } },
    async (request) => {
      const { eligibility, benefitFormula, benefitPeriod } = request.body;
      return validatePolicyRules(services.db, principalOf(request), { eligibility: eligibility as RuleGroup, benefitFormula, benefitPeriod });
    },
  );

  app.get(
    '/api/assistance/service-lists',
    {
      config: { permission: 'assistance:policy:read' },
      schema: { tags: TAGS, querystring: Type.Intersect([PageQuery, Type.Object({ q: Type.Optional(Type.String({ maxLength: 100 })) })]), response: { 200: Page(ServiceList), ...ERRORS } },
    },
    async (request) => {
      const { page, pageSize, q } = request.query;
      const result = await searchServiceLists(services.db, principalOf(request), q, pageWindow({ page, pageSize }));
      return { ...result, page, pageSize };
    },
  );

  app.get(
    '/api/assistance/service-lists/:code',
    {
      config: { permission: 'assistance:policy:read' },
      schema: { tags: TAGS, params: Type.Object({ code: Type.String({ maxLength: 60 }) }), response: { 200: ServiceList, ...ERRORS } },
    },
    async (request) => getServiceList(services.db, principalOf(request), request.params.code),
  );

  app.get(
    '/api/assistance/parameters',
    { config: { permission: 'assistance:policy:read' }, schema: { tags: TAGS, querystring: ParametersQuery, response: { 200: ParametersView, ...ERRORS } } },
    async (request) => getParameters(services.db, principalOf(request), request.query),
  );

  app.post(
    '/api/assistance/evaluate',
    { config: { permission: 'assistance:policy:read' }, schema: { tags: TAGS, body: EvaluateBody, response: { 200: EvaluationView, ...ERRORS, 422: ErrorResponse } } },
    async (request) => {
      const { draft, ...rest } = request.body;
      return evaluateHousehold(services.db, principalOf(request), {
        ...rest,
        household: rest.household as Record<string, unknown>,
        draft: draft ? { eligibility: draft.eligibility as RuleGroup, benefitFormula: draft.benefitFormula, benefitPeriod: draft.benefitPeriod } : undefined,
      });
    },
  );
};

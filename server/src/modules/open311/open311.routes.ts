import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type, type Static } from 'typebox';
import type { RoutesPlugin } from '../../platform/http/context.ts';
import { AppError } from '../../platform/errors.ts';
import { parseOpen311Form } from './form-body.ts';
import { formatOfUrl, parseFormat, render, renderErrors, splitFormat, type Open311Format, type Open311Value, type XmlShape } from './open311.format.ts';
import {
  authenticateOpen311Key,
  createServiceRequest,
  discover,
  findToken,
  getServiceDefinition,
  getServiceRequest,
  listServiceRequests,
  listServiceRequestUpdates,
  listServices,
  postServiceRequestUpdate,
} from './open311.service.ts';

/** Where the GeoReport v2 endpoint is mounted. */
export const OPEN311_PREFIX = '/open311/v2';

const FormatParams = Type.Object({ format: Type.String() });
const FileParams = Type.Object({ file: Type.String({ maxLength: 200 }) });
const Text = (maxLength: number) => Type.Optional(Type.String({ maxLength }));
const JurisdictionQuery = Type.Object({ jurisdiction_id: Text(40) });

const RequestsQuery = Type.Object({
  jurisdiction_id: Text(40),
  service_request_id: Text(20_000),
  service_code: Text(2000),
  start_date: Text(40),
  end_date: Text(40),
  status: Text(40),
});

// Names as in the spec; other parameters a client adds are ignored, as the spec allows.
const RequestBody = Type.Object({
  api_key: Text(200),
  jurisdiction_id: Text(40),
  service_code: Text(100),
  lat: Type.Optional(Type.Number({ minimum: -90, maximum: 90 })),
  long: Type.Optional(Type.Number({ minimum: -180, maximum: 180 })),
  address_string: Text(500),
  address_id: Text(40),
  attribute: Type.Optional(Type.Record(Type.String(), Type.Array(Type.String({ maxLength: 2000 }), { maxItems: 50 }))),
  email: Text(254),
  device_id: Text(100),
  account_id: Text(100),
  first_name: Text(100),
  last_name: Text(100),
  phone: Text(30),
  description: Text(5000),
  media_url: Text(2000),
});

const UpdateBody = Type.Object({
  api_key: Text(200),
  jurisdiction_id: Text(40),
  service_request_id: Text(40),
  update_id: Text(100),
  status: Text(40),
  description: Text(5000),
  updated_datetime: Text(40),
  email: Text(254),
  first_name: Text(100),
  last_name: Text(100),
  media_url: Text(2000),
});

const ApiKeyQuery = Type.Object({ api_key: Text(200) });

function send(reply: FastifyReply, format: Open311Format, shape: XmlShape, body: Open311Value, status = 200): FastifyReply {
  const { contentType, payload } = render(format, shape, body);
  return reply.status(status).type(contentType).send(payload);
}

function describeValidation(error: FastifyError): string {
  const issue = error.validation?.[0];
  if (!issue) return 'invalid request';
  const parts = issue.instancePath.split('/').filter(Boolean);
  const missing = (issue.params as { missingProperty?: string } | undefined)?.missingProperty;
  const field = parts[0] === 'attribute' && parts[1] ? `attribute[${parts[1]}]` : (parts[0] ?? missing ?? error.validationContext ?? 'request');
  return `${field} ${issue.message ?? 'is invalid'}`;
}

/** Every error on the Open311 routes in the spec's error format, in the format the URL asked for. */
function handleOpen311Error(error: FastifyError | AppError | Error, request: FastifyRequest, reply: FastifyReply): void {
  let status: number;
  let description: string;
  const fastifyError = error as FastifyError;
  if (error instanceof AppError) {
    // Open311 clients know 400, 403 and 404: an unauthenticated key is a 403, a rule broken a 400.
    status = error.status === 401 ? 403 : error.status === 409 || error.status === 422 ? 400 : error.status;
    description = error.message;
  } else if (fastifyError.validation) {
    status = 400;
    description = describeValidation(fastifyError);
  } else if (fastifyError.statusCode && fastifyError.statusCode < 500) {
    status = fastifyError.statusCode;
    description = fastifyError.message;
  } else {
    request.log.error({ err: error }, 'unhandled error');
    status = 500;
    description = 'internal error';
  }
  const { contentType, payload } = renderErrors(formatOfUrl(request.url), status, description);
  void reply.status(status).type(contentType).send(payload);
}

function firstString(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Open311 GeoReport v2 at `/open311/v2/` with FixMyStreet's service request updates. Public in
 * our session sense: writes authenticate with the spec's own `api_key` parameter.
 */
export const open311Routes: RoutesPlugin = async (app, services) => {
  const deps = { db: services.db, jobs: services.jobs, cipher: services.cipher };
  await app.register(
    async (plain) => {
      const scope = plain.withTypeProvider<TypeBoxTypeProvider>();
      // GeoReport v2 POSTs are form-encoded; only this scope accepts them.
      scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
        done(null, parseOpen311Form(String(body)));
      });
      scope.setErrorHandler(handleOpen311Error);
      scope.setNotFoundHandler((request, reply) => {
        const { contentType, payload } = renderErrors(formatOfUrl(request.url), 404, `no resource ${request.method} ${request.url.split('?')[0]}`);
        return reply.status(404).type(contentType).send(payload);
      });
      const config = { isPublic: true };
      const tags = ['open311'];

      scope.get('/discovery.:format', { config, schema: { tags, params: FormatParams } }, async (request, reply) => {
        const format = parseFormat(request.params.format);
        return send(reply, format, { root: 'discovery' }, discover(`${request.protocol}://${request.host}${OPEN311_PREFIX}`));
      });

      scope.get('/services.:format', { config, schema: { tags, params: FormatParams, querystring: JurisdictionQuery } }, async (request, reply) => {
        const format = parseFormat(request.params.format);
        return send(reply, format, { root: 'services', item: 'service' }, await listServices(services.db, request.query.jurisdiction_id));
      });

      scope.get('/services/:file', { config, schema: { tags, params: FileParams, querystring: JurisdictionQuery } }, async (request, reply) => {
        const { name, format } = splitFormat(request.params.file);
        return send(reply, format, { root: 'service_definition' }, await getServiceDefinition(services.db, name, request.query.jurisdiction_id));
      });

      scope.post('/requests.:format', { config, schema: { tags, params: FormatParams, querystring: ApiKeyQuery, body: RequestBody } }, async (request, reply) => {
        const format = parseFormat(request.params.format);
        const body: Static<typeof RequestBody> = request.body;
        const principal = await authenticateOpen311Key(services.db, body.api_key ?? request.query.api_key, request.ip);
        const { body: created, isNew } = await createServiceRequest(deps, principal, {
          jurisdictionId: body.jurisdiction_id,
          serviceCode: body.service_code,
          lat: body.lat,
          long: body.long,
          addressString: body.address_string,
          addressId: body.address_id,
          attributes: body.attribute ?? {},
          email: body.email,
          deviceId: body.device_id,
          accountId: body.account_id,
          firstName: body.first_name,
          lastName: body.last_name,
          phone: body.phone,
          description: body.description,
          mediaUrl: body.media_url,
          idempotencyKey: firstString(request.headers['idempotency-key']),
        });
        return send(reply, format, { root: 'service_requests', item: 'request' }, created, isNew ? 201 : 200);
      });

      scope.get('/requests.:format', { config, schema: { tags, params: FormatParams, querystring: RequestsQuery } }, async (request, reply) => {
        const format = parseFormat(request.params.format);
        const q = request.query;
        const list = await listServiceRequests(deps, {
          jurisdictionId: q.jurisdiction_id,
          serviceRequestId: q.service_request_id,
          serviceCode: q.service_code,
          startDate: q.start_date,
          endDate: q.end_date,
          status: q.status,
        });
        return send(reply, format, { root: 'service_requests', item: 'request' }, list);
      });

      scope.get('/requests/:file', { config, schema: { tags, params: FileParams, querystring: JurisdictionQuery } }, async (request, reply) => {
        const { name, format } = splitFormat(request.params.file);
        return send(reply, format, { root: 'service_requests', item: 'request' }, await getServiceRequest(services.db, name));
      });

      scope.get('/tokens/:file', { config, schema: { tags, params: FileParams, querystring: JurisdictionQuery } }, async (request, reply) => {
        const { name, format } = splitFormat(request.params.file);
        return send(reply, format, { root: 'service_requests', item: 'request' }, await findToken(services.db, name));
      });

      scope.get(
        '/servicerequestupdates.:format',
        { config, schema: { tags, params: FormatParams, querystring: Type.Object({ jurisdiction_id: Text(40), start_date: Text(40), end_date: Text(40) }) } },
        async (request, reply) => {
          const format = parseFormat(request.params.format);
          const q = request.query;
          const updates = await listServiceRequestUpdates(deps, { startDate: q.start_date, endDate: q.end_date, jurisdictionId: q.jurisdiction_id });
          return send(reply, format, { root: 'service_requests_updates', item: 'request_update' }, updates);
        },
      );

      scope.post('/servicerequestupdates.:format', { config, schema: { tags, params: FormatParams, querystring: ApiKeyQuery, body: UpdateBody } }, async (request, reply) => {
        const format = parseFormat(request.params.format);
        const body: Static<typeof UpdateBody> = request.body;
        const principal = await authenticateOpen311Key(services.db, body.api_key ?? request.query.api_key, request.ip);
        const result = await postServiceRequestUpdate(deps, principal, {
          serviceRequestId: body.service_request_id,
          status: body.status,
          description: body.description,
          updatedDatetime: body.updated_datetime,
          firstName: body.first_name,
          lastName: body.last_name,
          externalUpdateId: body.update_id,
        });
        return send(reply, format, { root: 'service_request_updates', item: 'request_update' }, result);
      });
    },
    { prefix: OPEN311_PREFIX },
  );
};

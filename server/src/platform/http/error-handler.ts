import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../errors.ts';

/** Body of every error response. */
export interface ErrorBody {
  error: { code: string; message: string; details?: Record<string, unknown> };
}

/**
 * The one error handler: AppErrors keep their code and status; schema failures become
 * VALIDATION_FAILED with the field and reason; anything else is a 500 without internals.
 */
export function handleError(error: FastifyError | AppError | Error, request: FastifyRequest, reply: FastifyReply): void {
  if (error instanceof AppError) {
    const body: ErrorBody = { error: { code: error.code, message: error.message } };
    if (error.details) body.error.details = error.details;
    void reply.status(error.status).send(body);
    return;
  }
  const fastifyError = error as FastifyError;
  if (fastifyError.validation) {
    const fields = fastifyError.validation.map((issue) => {
      const missing = (issue.params as { missingProperty?: string } | undefined)?.missingProperty;
      const path = issue.instancePath.replace(/^\//, '').replaceAll('/', '.');
      return { field: [path, missing].filter(Boolean).join('.') || fastifyError.validationContext || 'request', message: issue.message ?? 'invalid' };
    });
    const first = fields[0];
    void reply.status(400).send({
      error: {
        code: 'VALIDATION_FAILED',
        message: first ? `${fastifyError.validationContext ?? 'request'}: ${first.field} ${first.message}` : 'invalid request',
        details: { fields },
      },
    } satisfies ErrorBody);
    return;
  }
  if (fastifyError.statusCode && fastifyError.statusCode < 500) {
    const code = fastifyError.statusCode === 429 ? 'RATE_LIMITED' : fastifyError.statusCode === 404 ? 'NOT_FOUND' : 'VALIDATION_FAILED';
    void reply.status(fastifyError.statusCode).send({ error: { code, message: fastifyError.message } } satisfies ErrorBody);
    return;
  }
  request.log.error({ err: error }, 'unhandled error');
  void reply.status(500).send({ error: { code: 'INTERNAL', message: 'internal error' } } satisfies ErrorBody);
}

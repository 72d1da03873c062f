// problem+json for every error. Domain errors know their status; Fastify's own errors
// (validation, body size, media type) keep theirs; anything else is our fault: 500.
import fp from 'fastify-plugin';
import type { FastifyError, FastifyInstance } from 'fastify';
import { DomainError } from '../../domain/errors.js';
import { problemOf, sendProblem } from '../problem.js';

const CODE_OF_STATUS: Record<number, string> = { 400: 'bad_request', 401: 'unauthorized', 403: 'forbidden', 404: 'not_found', 405: 'bad_request', 406: 'bad_request', 409: 'conflict', 413: 'payload_too_large', 415: 'unsupported_media_type' };

export default fp(async function errors(app: FastifyInstance) {
  app.setErrorHandler((error: FastifyError | DomainError, request, reply) => {
    if (error instanceof DomainError) {
      if (error.status >= 500) request.log.error({ err: error }, 'command failed on our side');
      return sendProblem(reply, problemOf(error.status, error.code, error.message, error.errors));
    }
    if (error.validation) {
      const errors = error.validation.map((v) => {
        const missing = (v.params as { missingProperty?: string })?.missingProperty;
        const extra = (v.params as { additionalProperty?: string })?.additionalProperty;
        const base = `${error.validationContext ?? 'body'}${v.instancePath}`;
        const path = missing ? `${base}/${missing}` : extra ? `${base}/${extra}` : base;
        return { path, message: extra ? 'is not a known field' : v.message ?? 'is invalid' };
      });
      return sendProblem(reply, problemOf(400, 'bad_request', `The request ${error.validationContext ?? 'body'} is invalid`, errors));
    }
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      return sendProblem(reply, problemOf(status, CODE_OF_STATUS[status] ?? 'bad_request', error.message));
    }
    request.log.error({ err: error }, 'unhandled error');
    return sendProblem(reply, problemOf(500, 'internal', 'Something went wrong on our side; the request id in the logs tells us where.'));
  });

  app.setNotFoundHandler((request, reply) =>
    sendProblem(reply, problemOf(404, 'not_found', `No route ${request.method} ${request.url}`)));
});

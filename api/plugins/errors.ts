// problem+json for every error. Domain errors know their status; Fastify's own errors
// (validation, body size, media type, bad URL) keep theirs; a dependency that cannot be
// reached is 503; anything else is our fault: 500. A 5xx never shows what went wrong
// inside (driver messages, internal names): that goes to the log with the request id.
import fp from 'fastify-plugin';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../../domain/errors.js';
import { problemOf, sendProblem } from '../problem.js';
import { isDependencyUnreachable } from '../unavailable.js';

const CODE_OF_STATUS: Record<number, string> = {
  400: 'bad_request', 401: 'unauthorized', 403: 'forbidden', 404: 'not_found', 405: 'method_not_allowed', 406: 'not_acceptable',
  409: 'conflict', 413: 'payload_too_large', 415: 'unsupported_media_type',
};

const SERVER_DETAIL: Record<string, string> = {
  unavailable: 'A service this API depends on cannot be reached right now; retry in a moment.',
  timeout: 'The command did not finish in time; it goes on, and a retry with the same Idempotency-Key answers its outcome.',
  internal: 'Something went wrong on our side; the request id in the logs tells us where.',
};

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

/** At most this many field problems in one answer: enough to fix a body, never megabytes. */
export const MAX_FIELD_PROBLEMS = 10;

type AjvProblem = NonNullable<FastifyError['validation']>[number];

/**
 * One problem per field: an enum (a union of literals) fails once per allowed value plus once
 * for the union, which reads best as the list of allowed values.
 */
function fieldProblems(validation: AjvProblem[], context: string): { path: string; message: string }[] {
  const byPath = new Map<string, { message: string; allowed: unknown[]; onlyEnum: boolean }>();
  for (const v of validation) {
    const params = v.params as { missingProperty?: string; additionalProperty?: string; allowedValue?: unknown };
    const base = `${context}${v.instancePath}`;
    const path = params.missingProperty ? `${base}/${params.missingProperty}` : params.additionalProperty ? `${base}/${params.additionalProperty}` : base;
    const entry = byPath.get(path) ?? { message: params.additionalProperty ? 'is not a known field' : v.message ?? 'is invalid', allowed: [], onlyEnum: true };
    if (v.keyword === 'const') entry.allowed.push(params.allowedValue);
    else if (v.keyword !== 'anyOf') entry.onlyEnum = false;
    byPath.set(path, entry);
    if (byPath.size > MAX_FIELD_PROBLEMS) break;
  }
  return [...byPath].slice(0, MAX_FIELD_PROBLEMS).map(([path, e]) => ({
    path, message: e.onlyEnum && e.allowed.length > 0 ? `must be one of ${e.allowed.map(String).join(', ')}` : e.message,
  }));
}

function serverProblem(request: FastifyRequest, reply: FastifyReply, code: string, error: unknown): FastifyReply {
  const status = code === 'unavailable' ? 503 : code === 'timeout' ? 504 : 500;
  request.log.error({ err: error, reqId: request.id }, code === 'internal' ? 'request failed on our side' : `request failed: ${code}`);
  if (status === 503) reply.header('retry-after', '2');
  return sendProblem(reply, problemOf(status, status === 500 ? 'internal' : code, SERVER_DETAIL[code] ?? SERVER_DETAIL.internal!));
}

function clientProblem(reply: FastifyReply, status: number, code: string, detail: string, errors?: { path: string; message: string }[]): FastifyReply {
  if (status === 401) reply.header('www-authenticate', 'Bearer realm="ip-support"');
  return sendProblem(reply, problemOf(status, code, detail, errors));
}

/** Fastify's errors before routing (a URL it cannot decode, a path parameter too long). */
export function frameworkError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  reply.header('x-request-id', request.id).header('cache-control', 'no-store').header('x-content-type-options', 'nosniff');
  void clientProblem(reply, 400, 'bad_request', error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 'A path parameter is too long' : 'The URL is not valid (bad percent-encoding)');
}

export default fp(async function errors(app: FastifyInstance) {
  app.setErrorHandler((error: FastifyError | DomainError, request, reply) => {
    if (error instanceof DomainError) {
      if (error.status >= 500) return serverProblem(request, reply, error.code, error);
      return clientProblem(reply, error.status, error.code, error.message, error.errors?.slice(0, MAX_FIELD_PROBLEMS));
    }
    if (error.validation) {
      return clientProblem(reply, 400, 'bad_request', `The request ${error.validationContext ?? 'body'} is invalid`, fieldProblems(error.validation, error.validationContext ?? 'body'));
    }
    if (isDependencyUnreachable(error)) return serverProblem(request, reply, 'unavailable', error);
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      // Fastify's own messages (FST_…) describe the request; anything else may describe us.
      const detail = typeof error.code === 'string' && error.code.startsWith('FST_') ? error.message
        : error instanceof SyntaxError ? 'The body is not valid JSON' : `The request was refused (${status})`;
      return clientProblem(reply, status, CODE_OF_STATUS[status] ?? 'bad_request', detail);
    }
    return serverProblem(request, reply, 'internal', error);
  });

  // A known path with a method it does not have: 405 with the methods it has, before any
  // token or body is looked at (the path alone decides it).
  app.addHook('onRequest', async (request, reply) => {
    if (request.routeOptions.url !== undefined) return;
    const path = request.url.split('?')[0] ?? '';
    const allowed = METHODS.filter((method) => app.findRoute({ method, url: path }) !== null);
    if (allowed.length === 0) return;
    reply.header('allow', allowed.join(', '));
    return clientProblem(reply, 405, 'method_not_allowed', `${request.method} is not allowed on this path; use ${allowed.join(', ')}`);
  });

  app.setNotFoundHandler((request, reply) =>
    sendProblem(reply, problemOf(404, 'not_found', `No route ${request.method} ${request.url.slice(0, 200)}`)));
});

import type { FastifyReply } from 'fastify';
import { DomainError, type FieldProblem } from '../domain/errors.js';

const TITLES: Record<number, string> = {
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed', 406: 'Not Acceptable', 409: 'Conflict',
  413: 'Payload Too Large', 415: 'Unsupported Media Type', 422: 'Unprocessable Content', 500: 'Internal Server Error', 503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  errors?: FieldProblem[];
}

export function problemOf(status: number, code: string, detail: string, errors?: FieldProblem[]): Problem {
  return { type: `urn:ip-support:problem:${code}`, title: TITLES[status] ?? 'Error', status, detail, code, ...(errors ? { errors } : {}) };
}

export function sendProblem(reply: FastifyReply, problem: Problem): FastifyReply {
  return reply.code(problem.status).type('application/problem+json').send(problem);
}

export const badRequest = (detail: string, errors?: FieldProblem[]): DomainError => new DomainError('bad_request', detail, errors);

// Errors that mean a dependency (PostgreSQL, Temporal) cannot be reached right now: the
// request was fine and may succeed in a moment, so the answer is 503 with Retry-After, not
// a 500. Recognised by what node-postgres and the gRPC client put on the error or its causes.
import { isGrpcServiceError } from '@temporalio/client';

const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);
// 57P01 admin shutdown, 57P02 crash shutdown, 57P03 cannot connect now, 53300 too many connections.
const PG_STATES = new Set(['57P01', '57P02', '57P03', '53300']);
const PG_MESSAGES = ['Connection terminated unexpectedly', 'Connection terminated due to connection timeout', 'timeout exceeded when trying to connect'];
const GRPC_UNAVAILABLE = 14;
const GRPC_DEADLINE_EXCEEDED = 4;

function unreachableItself(error: object): boolean {
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (isGrpcServiceError(error)) return error.code === GRPC_UNAVAILABLE || error.code === GRPC_DEADLINE_EXCEEDED;
  if (typeof code === 'string' && (SOCKET_CODES.has(code) || PG_STATES.has(code) || /^08[0-9A-Z]{3}$/.test(code))) return true;
  return typeof message === 'string' && PG_MESSAGES.some((m) => message.includes(m));
}

/** The error, one of its causes, or one of an AggregateError's errors says a dependency is unreachable. */
export function isDependencyUnreachable(error: unknown, depth = 0): boolean {
  if (typeof error !== 'object' || error === null || depth > 8) return false;
  if (unreachableItself(error)) return true;
  const { cause, errors } = error as { cause?: unknown; errors?: unknown };
  if (isDependencyUnreachable(cause, depth + 1)) return true;
  return Array.isArray(errors) && errors.some((e) => isDependencyUnreachable(e, depth + 1));
}

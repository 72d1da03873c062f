// The one way a route runs a Workflow Update: a refusal raised by a validator, an update
// handler or an activity reaches the client as an ApplicationFailure whose `type` is the
// contract's code; here it becomes the DomainError the error handler renders. A failure
// of any other type (a driver error's name, a bug) is our fault: a 500 whose text stays in
// the logs.
import { WorkflowNotFoundError, WorkflowUpdateFailedError, WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { DomainError, isKnownCode, type FieldProblem } from '../domain/errors.js';

export function domainErrorOfTemporal(error: unknown, what: string): unknown {
  if (error instanceof WorkflowUpdateFailedError) {
    const cause = error.cause;
    if (cause instanceof ApplicationFailure && cause.type && isKnownCode(cause.type) && cause.type !== 'internal') {
      const errors = cause.details?.[0] as FieldProblem[] | undefined;
      return new DomainError(cause.type, cause.message, Array.isArray(errors) ? errors : undefined);
    }
    const type = cause instanceof ApplicationFailure ? cause.type ?? 'none' : 'none';
    return new Error(`${what}: update failed (type ${type}): ${String(cause?.message ?? error.message)}`, { cause: error });
  }
  if (error instanceof WorkflowNotFoundError) return new DomainError('not_found', `${what} has no running process`);
  if (error instanceof WorkflowUpdateRPCTimeoutOrCancelledError) {
    return new DomainError('timeout', `${what}: the command did not finish in time; it may still complete, so read it back before retrying`);
  }
  return error;
}

/** Run `fn` (which sends an Update) and translate Temporal refusals into DomainErrors. */
export async function viaTemporal<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw domainErrorOfTemporal(error, what);
  }
}

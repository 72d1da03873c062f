// The one way a route runs a Workflow Update: a refusal raised by a validator, an update
// handler or an activity reaches the client as an ApplicationFailure whose `type` is the
// contract's code; here it becomes the DomainError the error handler renders.
import { WorkflowNotFoundError, WorkflowUpdateFailedError, WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { DomainError, type FieldProblem } from '../domain/errors.js';

export function domainErrorOfTemporal(error: unknown, what: string): unknown {
  if (error instanceof WorkflowUpdateFailedError) {
    const cause = error.cause;
    if (cause instanceof ApplicationFailure && cause.type) {
      const errors = cause.details?.[0] as FieldProblem[] | undefined;
      return new DomainError(cause.type, cause.message, Array.isArray(errors) ? errors : undefined);
    }
    return new Error(`${what}: update failed without a code: ${String(cause?.message ?? error.message)}`, { cause: error });
  }
  if (error instanceof WorkflowNotFoundError) return new DomainError('not_found', `${what} has no running process`);
  if (error instanceof WorkflowUpdateRPCTimeoutOrCancelledError) {
    return new Error(`${what}: the update did not finish in time; it may still complete`, { cause: error });
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

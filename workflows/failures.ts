// A workflow refuses a command by throwing an ApplicationFailure whose `type` is the
// contract's code; the API turns it back into a DomainError (api/temporal-errors.ts).
import { ActivityFailure, ApplicationFailure } from '@temporalio/workflow';
import { DomainError } from '../domain/errors.js';

export function toFailure(error: unknown): unknown {
  if (error instanceof DomainError) {
    return ApplicationFailure.create({ type: error.code, message: error.message, nonRetryable: true, details: error.errors ? [error.errors] : [] });
  }
  if (error instanceof ActivityFailure) {
    // An activity refused for a rule (cap exhausted, capacity reached): pass its code on.
    if (error.cause instanceof ApplicationFailure && error.cause.nonRetryable && error.cause.type) return error.cause;
    // It ran out of retries on an infrastructure fault: the command failed on our side (500),
    // and the workflow itself goes on.
    return ApplicationFailure.create({ type: 'internal', message: `${error.activityType ?? 'activity'} failed: ${error.cause?.message ?? error.message}`, nonRetryable: true });
  }
  return error;
}

/** Run a command body; any refusal leaves as an ApplicationFailure with its code. */
export async function refusing<T>(fn: () => T | Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw toFailure(error);
  }
}

/** For synchronous Update validators. */
export function guard(fn: () => void): void {
  try {
    fn();
  } catch (error) {
    throw toFailure(error);
  }
}

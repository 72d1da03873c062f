// A workflow refuses a command by throwing an ApplicationFailure whose `type` is the
// contract's code; the API turns it back into a DomainError (api/temporal-errors.ts).
import { ActivityFailure, ApplicationFailure } from '@temporalio/workflow';
import { DomainError } from '../domain/errors.js';

export function toFailure(error: unknown): unknown {
  if (error instanceof DomainError) {
    return ApplicationFailure.create({ type: error.code, message: error.message, nonRetryable: true, details: error.errors ? [error.errors] : [] });
  }
  // An activity refused (cap exhausted, capacity reached): pass its code on unchanged.
  if (error instanceof ActivityFailure && error.cause instanceof ApplicationFailure) return error.cause;
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

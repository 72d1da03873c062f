// An activity that hits a business rule (cap exhausted, capacity reached) fails for good:
// retrying would give the same answer. Its code travels as the failure's type.
import { ApplicationFailure } from '@temporalio/common';
import { DomainError } from '../domain/errors.js';

export async function ruleRefusalsAreFinal<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof DomainError) {
      throw ApplicationFailure.create({ type: error.code, message: error.message, nonRetryable: true, details: error.errors ? [error.errors] : [] });
    }
    throw error;
  }
}

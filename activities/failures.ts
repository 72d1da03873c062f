// How an activity fails. A business rule that says no (cap exhausted, capacity reached)
// fails for good: retrying would give the same answer, and its code travels as the
// failure's type. A row the database refuses — bad data (SQLSTATE class 22), a broken
// constraint (23), a statement that cannot run (42) — would be refused on every retry too:
// it fails for good as `internal` (a 500 with the details in the worker's log, never in the
// answer), so no input can keep a command retrying. Everything else (the database
// restarting, a lost connection, a deadlock) is retried by Temporal.
import { ApplicationFailure } from '@temporalio/common';
import { log } from '@temporalio/activity';
import { DomainError } from '../domain/errors.js';

const FINAL_SQLSTATE_CLASSES = ['22', '23', '42'];

function sqlState(error: unknown): string | undefined {
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

export function isFinalDatabaseError(error: unknown): boolean {
  const state = sqlState(error);
  return state !== undefined && FINAL_SQLSTATE_CLASSES.includes(state.slice(0, 2));
}

export async function ruleRefusalsAreFinal<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof DomainError) {
      throw ApplicationFailure.create({ type: error.code, message: error.message, nonRetryable: true, details: error.errors ? [error.errors] : [] });
    }
    if (isFinalDatabaseError(error)) {
      log.error('the database refused a write for good', { sqlState: sqlState(error), error: error instanceof Error ? error.message : String(error) });
      throw ApplicationFailure.create({ type: 'internal', message: 'The database refused the change', nonRetryable: true });
    }
    throw error;
  }
}

// Sends a logged command's Update to its workflow, with a deadline, and says what became of
// it. The Update carries the id derived from the command's Idempotency-Key, so sending it
// again — a client's retry, the recovery loop after a crash — attaches to the first one
// while it runs or has run, and is answered with its outcome. Only an outcome Temporal has
// told us (done, refused, no such workflow) is final; a deadline or an unreachable server
// leaves the command pending, to be sent again.
import {
  isGrpcServiceError, WithStartWorkflowOperation, WorkflowNotFoundError, WorkflowUpdateFailedError, WorkflowUpdateRPCTimeoutOrCancelledError,
  type Client,
} from '@temporalio/client';
import { ApplicationFailure, defineSearchAttributeKey, SearchAttributeType, TypedSearchAttributes, WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { DomainError } from '../domain/errors.js';
import type { StoredCommand } from '../db/tables/platform.js';
import { domainErrorOfTemporal } from './temporal-errors.js';

/** How long a request waits for Temporal before answering 504 (the command goes on). */
export const COMMAND_DEADLINE_MS = 15_000;

export type Delivery =
  | { outcome: 'done' }
  | { outcome: 'refused'; error: DomainError }
  /** No workflow runs under that id (the case ended, or never started). */
  | { outcome: 'gone' };

const GRPC_UNAVAILABLE = 14;
const GRPC_DEADLINE_EXCEEDED = 4;

function grpcCode(error: unknown): number | undefined {
  for (let e: unknown = error; e; e = (e as { cause?: unknown }).cause) {
    if (isGrpcServiceError(e)) return e.code;
  }
  return undefined;
}

const unknownOutcome = (what: string, error: unknown): DomainError => {
  const code = grpcCode(error);
  if (error instanceof WorkflowUpdateRPCTimeoutOrCancelledError || code === GRPC_DEADLINE_EXCEEDED) {
    return new DomainError('timeout', `${what} did not finish in time; it goes on, and a retry with the same Idempotency-Key answers its outcome`);
  }
  return new DomainError('unavailable', `${what} could not reach the workflow service; a retry with the same Idempotency-Key is safe`);
};

/**
 * The server answers `UnprocessedUpdate` when a workflow task completed without taking the
 * Update in (many Updates arriving at one workflow at once, say: its task was already
 * under way): nothing happened, and the same Update (same id) is sent again.
 */
const isUnprocessed = (error: unknown): boolean =>
  error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure && error.cause.type === 'UnprocessedUpdate';

const GRPC_RESOURCE_EXHAUSTED = 8;
/**
 * The server takes only so many Updates in flight at one workflow (`history.maxInFlightUpdates`,
 * 10 by default) and refuses more with RESOURCE_EXHAUSTED: nothing happened, send again shortly.
 */
const isBusy = (error: unknown): boolean => isUnprocessed(error) || grpcCode(error) === GRPC_RESOURCE_EXHAUSTED;

async function sendUntilProcessed(temporal: Client, command: StoredCommand, deadline: number): Promise<void> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      await temporal.withDeadline(deadline, () => send(temporal, command));
      return;
    } catch (error) {
      const pause = Math.min(1000, 20 * 2 ** attempt) * (0.5 + Math.random());
      if (!isBusy(error) || Date.now() + pause >= deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, pause));
    }
  }
}

/**
 * One Update at a time per workflow from this process. A workflow runs its commands one at a
 * time anyway, but dozens of Updates in flight at one workflow (40 registrations for one
 * seminar at once) made the SDK's core receive Update messages while a workflow task was
 * still out ("unprocessed protocol messages") and then fail that workflow's replay with a
 * nondeterminism error. Queued here, they reach the workflow one after another.
 */
const queues = new Map<string, Promise<void>>();

async function oneAtATime<T>(workflowId: string, deadline: number, what: string, fn: () => Promise<T>): Promise<T> {
  const before = queues.get(workflowId) ?? Promise.resolve();
  let done!: () => void;
  const tail = before.then(() => new Promise<void>((resolve) => { done = resolve; }));
  queues.set(workflowId, tail);
  let timer: NodeJS.Timeout | undefined;
  try {
    const ourTurn = await Promise.race([before.then(() => true), new Promise<boolean>((resolve) => { timer = setTimeout(() => resolve(false), Math.max(0, deadline - Date.now())); })]);
    if (!ourTurn) throw new DomainError('timeout', `${what} waited too long behind other commands on it; a retry with the same Idempotency-Key is safe`);
    return await fn();
  } finally {
    clearTimeout(timer);
    // Our place in the queue is released once those before us are done (tail resolves in order).
    void before.then(() => done());
    if (queues.get(workflowId) === tail) void tail.then(() => { if (queues.get(workflowId) === tail) queues.delete(workflowId); });
  }
}

export async function deliver(temporal: Client, command: StoredCommand, what: string, deadlineMs = COMMAND_DEADLINE_MS): Promise<Delivery> {
  const deadline = Date.now() + deadlineMs;
  try {
    await oneAtATime(command.workflowId, deadline, what, () => sendUntilProcessed(temporal, command, deadline));
    return { outcome: 'done' };
  } catch (error) {
    if (error instanceof DomainError) throw error;
    if (error instanceof WorkflowNotFoundError || error instanceof WorkflowExecutionAlreadyStartedError) return { outcome: 'gone' };
    // Still not taken in at the deadline: no outcome yet, the caller retries with the same key.
    if (isUnprocessed(error)) throw new DomainError('timeout', `${what} was not taken in by its workflow in time; a retry with the same Idempotency-Key is safe`);
    if (error instanceof WorkflowUpdateFailedError) {
      // A refusal with a contract code, or our own failure (500): an outcome either way.
      const refusal = domainErrorOfTemporal(error, what);
      return { outcome: 'refused', error: refusal instanceof DomainError ? refusal : Object.assign(new DomainError('internal', `${what} failed`), { cause: refusal }) };
    }
    const code = grpcCode(error);
    if (error instanceof WorkflowUpdateRPCTimeoutOrCancelledError || code === GRPC_UNAVAILABLE || code === GRPC_DEADLINE_EXCEEDED || code === GRPC_RESOURCE_EXHAUSTED) throw unknownOutcome(what, error);
    // A closed workflow answers an Update with NOT_FOUND ("workflow execution already completed").
    if (code === 5) return { outcome: 'gone' };
    throw error;
  }
}

function send(temporal: Client, command: StoredCommand): Promise<unknown> {
  const { start } = command;
  if (!start) return temporal.workflow.getHandle(command.workflowId).executeUpdate(command.update, { args: command.args as [unknown], updateId: command.updateId });
  const operation = new WithStartWorkflowOperation(start.workflowType, {
    workflowId: command.workflowId, taskQueue: start.taskQueue, args: start.args,
    // A retry finds the workflow its first attempt started, running or not: it never starts a second.
    workflowIdConflictPolicy: 'USE_EXISTING', workflowIdReusePolicy: 'REJECT_DUPLICATE',
    typedSearchAttributes: new TypedSearchAttributes(Object.entries(start.searchAttributes)
      .map(([name, value]) => ({ key: defineSearchAttributeKey(name, SearchAttributeType.KEYWORD), value }))),
  });
  return temporal.workflow.executeUpdateWithStart(command.update, { args: command.args, updateId: command.updateId, startWorkflowOperation: operation });
}

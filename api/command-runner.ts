// The one way a route runs a command on a case's workflow: log the Update under the
// request's Idempotency-Key (request.command), send it, and settle it once its outcome is
// known. A retry of the same key sends the logged Update again and gets the first attempt's
// outcome; a command whose workflow can no longer answer is judged by its receipt in
// PostgreSQL (written in the same transaction as its change), so a command that took effect
// is never refused on a retry, and one that did not is never done twice.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { DomainError } from '../domain/errors.js';
import type { StoredCommand } from '../db/tables/platform.js';
import { commandOf, settleCommand } from '../db/repositories/command-log.js';
import { hasReceipt } from '../db/history.js';
import { COMMAND_DEADLINE_MS, deliver } from './command-delivery.js';
import type { CommandKey } from './plugins/idempotency.js';
import type { AppDeps } from './deps.js';

/** How long a request waits for Temporal, and past when a command still pending (its request died or gave up) is the recovery loop's. */
export function commandTiming(deps: AppDeps): { deadlineMs: number; leaseMs: number } {
  return deps.commandTiming ?? { deadlineMs: COMMAND_DEADLINE_MS, leaseMs: COMMAND_DEADLINE_MS + 15_000 };
}

export interface CommandRun {
  /** For messages: `Subsidy case sc_…`. */
  what: string;
  /** The history event key the command's activity writes. */
  receipt: string;
  /** The Update to send; not called on a retry whose command is already logged. */
  build: () => StoredCommand | Promise<StoredCommand>;
  /** The refusal when no workflow answers and the command left no receipt (the case has ended). */
  whenGone: () => Promise<DomainError>;
}

export function commandKey(request: FastifyRequest): CommandKey {
  if (!request.command) throw new Error(`${request.method} ${request.url} has no command key (the idempotency plugin runs for commands only)`);
  return request.command;
}

export async function runCommand(app: FastifyInstance, request: FastifyRequest, run: CommandRun): Promise<void> {
  const { db, temporal } = app.deps;
  const timing = commandTiming(app.deps);
  const key = commandKey(request);
  const command = await commandOf(db, key, run.build, timing.leaseMs);
  const delivery = await deliver(temporal, command, run.what, timing.deadlineMs);
  // Done: the answer the route sends is stored with the command settled, in one write
  // (api/plugins/idempotency.ts); should the route fail after this, the recovery loop settles it.
  if (delivery.outcome === 'done') return;
  const tookEffect = await hasReceipt(db, run.receipt);
  await settleCommand(db, key);
  if (tookEffect) return;
  throw delivery.outcome === 'refused' ? delivery.error : await run.whenGone();
}

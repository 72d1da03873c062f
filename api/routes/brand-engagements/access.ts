// Who may act on an engagement, and the one way its routes run a command: load the row,
// check the caller, run the Update via Temporal, answer with the engagement as GET shows it.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { UpdateDefinition } from '@temporalio/common';
import { DomainError, invalidState } from '../../../domain/errors.js';
import { isClosed, type EngagementCommand, type EngagementStatus } from '../../../domain/brand/engagement.js';
import { findEngagement, getEngagement, type EngagementRow } from '../../../db/repositories/brand-engagements.js';
import { engagementWorkflowId, type CommandMeta } from '../../../workflows/brand-engagement-messages.js';
import { toJstIso } from '../../../domain/time.js';
import { commandReceipt } from '../../../workflows/receipts.js';
import { commandKey, runCommand } from '../../command-runner.js';
import { actorLabel } from '../../deps.js';
import { engagementView } from './view.js';

/**
 * Staff see and act on every engagement; a support leader only on those they lead (JWT
 * `sub` = their expert id) — 403 elsewhere, reads included, and before a leader is named.
 */
export function assertMayAccess(request: FastifyRequest, row: EngagementRow): void {
  const actor = request.actor;
  if (actor.role === 'staff') return;
  if (actor.role === 'support_leader' && row.support_leader_id === actor.id) return;
  throw new DomainError('forbidden', `Engagement ${row.id} is led by another support leader`);
}

export async function accessibleEngagement(app: FastifyInstance, request: FastifyRequest, id: string): Promise<EngagementRow> {
  const row = await getEngagement(app.deps.db, id);
  assertMayAccess(request, row);
  return row;
}

/** Who and when (the API's clock, JST), as the workflow writes it to history. */
export function commandMeta(app: FastifyInstance, request: FastifyRequest): { meta: CommandMeta; now: number } {
  const now = app.deps.clock.now();
  return { meta: { actor: actorLabel(request.actor), at: toJstIso(now) }, now: now.getTime() };
}

/**
 * Runs one command's Update through the command log and answers with the engagement. A
 * closed engagement's workflow has ended, so its status (final, hence exact) answers 409
 * without asking Temporal.
 */
export async function runEngagementCommand<A>(app: FastifyInstance, request: FastifyRequest, row: EngagementRow, command: EngagementCommand, update: UpdateDefinition<void, [A]>, arg: A) {
  const { db, clock } = app.deps;
  const closedStatus = (r: EngagementRow | undefined) => (r && isClosed(r.status as EngagementStatus) ? r.status : null);
  await runCommand(app, request, {
    what: `Brand engagement ${row.id}`,
    receipt: commandReceipt('brand', row.id, commandKey(request).updateId),
    build: () => {
      const closed = closedStatus(row);
      if (closed) throw invalidState(command, closed);
      return { workflowId: engagementWorkflowId(row.id), update: update.name, updateId: commandKey(request).updateId, args: [arg] };
    },
    // The workflow may have closed the engagement between our read and the Update.
    whenGone: async () => {
      const closed = closedStatus(await findEngagement(db, row.id));
      return closed ? invalidState(command, closed) : new DomainError('not_found', `Brand engagement ${row.id} has no running process`);
    },
  });
  return engagementView(db, row.id, clock.now().getTime());
}

// Who may act on a dispatch, and how its routes run a command. Staff see and act on every
// dispatch; an outside person (role `expert` or `support_leader`: the JWT `sub` is their
// expert id) only on the dispatches they are assigned to — 403 elsewhere, reads included,
// and before any expert is assigned.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { UpdateDefinition } from '@temporalio/common';
import { DomainError } from '../../../domain/errors.js';
import { DISPATCH_STATUS, type DispatchCommand, type DispatchStatus } from '../../../domain/design/dispatch.js';
import { findDispatch, getDispatch, type DispatchRow } from '../../../db/repositories/design-dispatches.js';
import { dispatchWorkflowId } from '../../../workflows/design-dispatch-messages.js';
import { runCaseCommand, type CaseKind } from '../../case-commands.js';
import { dispatchView } from './view.js';

/** Staff, and the outside people an expert id names (both roles are the same kind of person). */
export const STAFF_AND_EXPERT = ['staff', 'expert', 'support_leader'] as const;

export const isOutsidePerson = (request: FastifyRequest): boolean => request.actor?.role === 'expert' || request.actor?.role === 'support_leader';

export function assertMayAccess(request: FastifyRequest, row: DispatchRow): void {
  if (request.actor.role === 'staff') return;
  if (isOutsidePerson(request) && row.expert_id !== null && row.expert_id === request.actor.id) return;
  throw new DomainError('forbidden', `Dispatch ${row.id} is assigned to another expert`);
}

export async function accessibleDispatch(app: FastifyInstance, request: FastifyRequest, id: string): Promise<DispatchRow> {
  const row = await getDispatch(app.deps.db, id);
  assertMayAccess(request, row);
  return row;
}

export const DESIGN_DISPATCHES: CaseKind<DispatchStatus, DispatchCommand, DispatchRow> = {
  label: 'Design dispatch', receiptEntity: 'design-dispatch', workflowId: dispatchWorkflowId, statusTable: DISPATCH_STATUS, find: findDispatch,
};

export async function runDispatchCommand<A>(app: FastifyInstance, request: FastifyRequest, row: DispatchRow, command: DispatchCommand, update: UpdateDefinition<void, [A]>, arg: A) {
  await runCaseCommand(app, request, DESIGN_DISPATCHES, row.id, command, update, arg);
  return dispatchView(app.deps.db, row.id, app.deps.clock.now().getTime());
}

/**
 * An outside person's request on a dispatch they are not assigned to is refused (403) before
 * its body is validated, as for brand engagements' support leaders.
 */
export function expertAccessFirst(app: FastifyInstance) {
  return async (request: FastifyRequest): Promise<void> => {
    if (!isOutsidePerson(request)) return;
    const id = (request.params as { id?: unknown } | undefined)?.id;
    if (typeof id !== 'string' || id === '' || id.length > 100) return;
    const row = await findDispatch(app.deps.db, id);
    if (row) assertMayAccess(request, row);
  };
}

// Who may act on an engagement, and how its routes run a command (the case-command runner,
// answering with the engagement as GET shows it).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { UpdateDefinition } from '@temporalio/common';
import { DomainError } from '../../../domain/errors.js';
import { ENGAGEMENT_STATUS, type EngagementCommand, type EngagementStatus } from '../../../domain/brand/engagement.js';
import { findEngagement, getEngagement, type EngagementRow } from '../../../db/repositories/brand-engagements.js';
import { engagementWorkflowId } from '../../../workflows/brand-engagement-messages.js';
import { runCaseCommand, type CaseKind } from '../../case-commands.js';
import { engagementView } from './view.js';

/**
 * Staff see and act on every engagement; a support leader only on those they lead (JWT
 * `sub` = their expert id) — 403 elsewhere, reads included, and before a leader is named.
 */
export function assertMayAccess(request: FastifyRequest, row: EngagementRow): void {
  const actor = request.actor;
  if (actor.role === 'staff') return;
  // An outside person (support_leader or expert: the same kind of person, sub = expert id) leads it.
  if ((actor.role === 'support_leader' || actor.role === 'expert') && row.support_leader_id === actor.id) return;
  throw new DomainError('forbidden', `Engagement ${row.id} is led by another support leader`);
}

export async function accessibleEngagement(app: FastifyInstance, request: FastifyRequest, id: string): Promise<EngagementRow> {
  const row = await getEngagement(app.deps.db, id);
  assertMayAccess(request, row);
  return row;
}

/** Brand engagements as the case-command runner sees them. */
export const BRAND_ENGAGEMENTS: CaseKind<EngagementStatus, EngagementCommand, EngagementRow> = {
  label: 'Brand engagement', receiptEntity: 'brand', workflowId: engagementWorkflowId, statusTable: ENGAGEMENT_STATUS, find: findEngagement,
};

/** Runs one command on an engagement and answers with the engagement as GET shows it. */
export async function runEngagementCommand<A>(app: FastifyInstance, request: FastifyRequest, row: EngagementRow, command: EngagementCommand, update: UpdateDefinition<void, [A]>, arg: A) {
  await runCaseCommand(app, request, BRAND_ENGAGEMENTS, row.id, command, update, arg);
  return engagementView(app.deps.db, row.id, app.deps.clock.now().getTime());
}

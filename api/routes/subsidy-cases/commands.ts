// The one way a subsidy case route runs a command: 404 for an unknown case, 409 for a case
// whose workflow has ended, else the Update (validator → handler → activity → PostgreSQL).
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { UpdateDefinition } from '@temporalio/common';
import { DomainError, notFound } from '../../../domain/errors.js';
import { assertCommandAllowed, isFinal, type CaseCommand, type CaseStatus } from '../../../domain/subsidy/status.js';
import { toJstIso } from '../../../domain/time.js';
import { caseViewText, getCaseRow, type SubsidyCaseRow } from '../../../db/repositories/subsidy-cases.js';
import type { Db } from '../../../db/database.js';
import { subsidyCaseWorkflowId, type CommandMeta } from '../../../workflows/subsidy-case-messages.js';
import { viaTemporal } from '../../temporal-errors.js';
import { actorLabel, type AppDeps } from '../../deps.js';

/** Answer with the whole case as GET shows it: the stored view, sent as it is. */
export async function sendCase(reply: FastifyReply, db: Db, caseId: string, statusCode = 200): Promise<FastifyReply> {
  const view = await caseViewText(db, caseId);
  return reply.code(statusCode).type('application/json; charset=utf-8').send(view);
}

export function metaOf(request: FastifyRequest, deps: AppDeps): CommandMeta {
  return { actor: actorLabel(request.actor), at: toJstIso(deps.clock.now()) };
}

type CaseFacts = Pick<SubsidyCaseRow, 'status' | 'received_at' | 'decided_at'>;

export async function runCaseCommand<A>(deps: AppDeps, caseId: string, command: CaseCommand, update: UpdateDefinition<void, [A]>, arg: A, check?: (row: CaseFacts) => void): Promise<void> {
  const row = await deps.db.selectFrom('subsidy_cases').select(['status', 'received_at', 'decided_at']).where('id', '=', caseId).executeTakeFirst();
  if (!row) throw notFound('Subsidy case', caseId);
  if (isFinal(row.status as CaseStatus)) assertCommandAllowed(command, row.status as CaseStatus);
  check?.(row);
  const handle = deps.temporal.workflow.getHandle(subsidyCaseWorkflowId(caseId));
  try {
    await viaTemporal(`Subsidy case ${caseId}`, () => handle.executeUpdate(update, { args: [arg] }));
  } catch (error) {
    // The workflow ended between our read and the Update (a lapse at the deadline, say).
    if (error instanceof DomainError && error.code === 'not_found') {
      const now = await getCaseRow(deps.db, caseId);
      assertCommandAllowed(command, now.status as CaseStatus);
    }
    throw error;
  }
}

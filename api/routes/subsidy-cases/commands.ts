// The one way a subsidy case route runs a command: 404 for an unknown case, 409 for a case
// whose workflow has ended, else the Update (validator → handler → activity → PostgreSQL),
// through the command log (api/command-runner.ts) so a retry never does it twice.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { UpdateDefinition } from '@temporalio/common';
import { DomainError, notFound } from '../../../domain/errors.js';
import { assertCommandAllowed, isFinal, type CaseCommand, type CaseStatus } from '../../../domain/subsidy/status.js';
import { toJstIso } from '../../../domain/time.js';
import { caseViewText, findCaseRow, getCaseRow, type SubsidyCaseRow } from '../../../db/repositories/subsidy-cases.js';
import type { Db } from '../../../db/database.js';
import { subsidyCaseWorkflowId, type CommandMeta } from '../../../workflows/subsidy-case-messages.js';
import { commandReceipt } from '../../../workflows/receipts.js';
import { commandKey, runCommand } from '../../command-runner.js';
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

export async function runCaseCommand<A>(app: FastifyInstance, request: FastifyRequest, caseId: string, command: CaseCommand, update: UpdateDefinition<void, [A]>, arg: A, check?: (row: CaseFacts) => void): Promise<void> {
  const { db } = app.deps;
  await runCommand(app, request, {
    what: `Subsidy case ${caseId}`,
    receipt: commandReceipt('subsidy-case', caseId, commandKey(request).updateId),
    build: async () => {
      const row = await findCaseRow(db, caseId);
      if (!row) throw notFound('Subsidy case', caseId);
      // A final case's workflow has ended: its status is exact, so answer without asking Temporal.
      if (isFinal(row.status as CaseStatus)) assertCommandAllowed(command, row.status as CaseStatus);
      check?.(row);
      return { workflowId: subsidyCaseWorkflowId(caseId), update: update.name, updateId: commandKey(request).updateId, args: [arg] };
    },
    // The workflow ended between our read and the Update (a lapse at the deadline, say).
    whenGone: async () => {
      const row = await getCaseRow(db, caseId);
      assertCommandAllowed(command, row.status as CaseStatus);
      return new DomainError('not_found', `Subsidy case ${caseId} has no running process`);
    },
  });
}

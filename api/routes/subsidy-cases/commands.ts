// What the subsidy case routes share: the answer with the whole case, and subsidy cases as
// the case-command runner (api/case-commands.ts) sees them.
import type { FastifyReply } from 'fastify';
import { SUBSIDY_CASE_STATUS, type CaseCommand, type CaseStatus } from '../../../domain/subsidy/status.js';
import { caseViewText, findCaseRow, type SubsidyCaseRow } from '../../../db/repositories/subsidy-cases.js';
import type { Db } from '../../../db/database.js';
import { subsidyCaseWorkflowId } from '../../../workflows/subsidy-case-messages.js';
import type { CaseKind } from '../../case-commands.js';

/** Answer with the whole case as GET shows it: the stored view, sent as it is. */
export async function sendCase(reply: FastifyReply, db: Db, caseId: string, statusCode = 200): Promise<FastifyReply> {
  const view = await caseViewText(db, caseId);
  return reply.code(statusCode).type('application/json; charset=utf-8').send(view);
}

/** Subsidy cases as the case-command runner sees them. */
export const SUBSIDY_CASES: CaseKind<CaseStatus, CaseCommand, SubsidyCaseRow> = {
  label: 'Subsidy case', receiptEntity: 'subsidy-case', workflowId: subsidyCaseWorkflowId, statusTable: SUBSIDY_CASE_STATUS, find: findCaseRow,
};

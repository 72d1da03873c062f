// Running cases keep the caps and rate of their year as received; the deadlines follow the
// year (reportDeadline, the status-report schedule). Each running case of the year is
// signalled; the case workflow re-times its waits and writes the new deadlines to its row.
import type { FastifyBaseLogger } from 'fastify';
import { WorkflowNotFoundError } from '@temporalio/client';
import type { OverseasIpYear } from '../../../domain/program-year.js';
import { deadlinesOf } from '../../../domain/subsidy/terms.js';
import { runningCaseIds } from '../../../db/repositories/subsidy-cases.js';
import { deadlinesChangedSignal, subsidyCaseWorkflowId } from '../../../workflows/subsidy-case-messages.js';
import type { AppDeps } from '../../deps.js';

const PAGE = 500;
const AT_ONCE = 16;

/** Tell running subsidy cases of this year that its deadlines moved. */
export async function tellSubsidyCases(deps: AppDeps, programYearId: string, rules: OverseasIpYear, log: FastifyBaseLogger): Promise<void> {
  const deadlines = deadlinesOf(rules);
  let after: string | null = null;
  let told = 0;
  let failed = 0;
  for (;;) {
    const ids = await runningCaseIds(deps.db, programYearId, after, PAGE);
    if (ids.length === 0) break;
    for (let i = 0; i < ids.length; i += AT_ONCE) {
      await Promise.all(ids.slice(i, i + AT_ONCE).map(async (id) => {
        try {
          await deps.temporal.workflow.getHandle(subsidyCaseWorkflowId(id)).signal(deadlinesChangedSignal, deadlines);
          told += 1;
        } catch (error) {
          if (error instanceof WorkflowNotFoundError) return; // ended meanwhile: nothing to re-time
          failed += 1;
          log.error({ err: error, caseId: id }, 'could not tell a subsidy case that its deadlines moved');
        }
      }));
    }
    after = ids[ids.length - 1]!;
  }
  log.info({ programYearId, told, failed }, 'subsidy cases told of new deadlines');
}

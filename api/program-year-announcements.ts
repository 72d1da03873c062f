// Running cases keep the caps and rate of their year as received, but a moved deadline
// (reportDeadline, supportEndsAt, sessionGraceDays) must reach them. After a PUT commits, the
// year's new revision is announced to every running case of the year; `announced_revision`
// on the year records that everyone has heard. An announcement cut short — a crash, a
// workflow that could not be reached — is taken up again by the recovery loop
// (api/plugins/recovery.ts), and workflows ignore a revision they already have, so telling
// twice is harmless. A case started while the PUT commits reads the year in its intake
// transaction (activities), so it is never missed either. Cases are told by an Update (with
// an id per revision, so a repeat is deduplicated): when the PUT answers, each case's read
// model already shows the new deadlines, and stale overdue flags are cleared.
import { WorkflowNotFoundError } from '@temporalio/client';
import type { FastifyBaseLogger } from 'fastify';
import type { DesignManagementYear, OverseasIpYear, ProgramYearRules, RegionalBrandYear } from '../domain/program-year.js';
import { deadlinesOf } from '../domain/subsidy/terms.js';
import { runningCaseIds } from '../db/repositories/subsidy-cases.js';
import { openEngagementIds } from '../db/repositories/brand-engagements.js';
import { deadlinesChangedUpdate, subsidyCaseWorkflowId } from '../workflows/subsidy-case-messages.js';
import { engagementWorkflowId, rulesChangedUpdate } from '../workflows/brand-engagement-messages.js';
import { runningEventIds } from '../db/repositories/design-events.js';
import { openDispatchIds } from '../db/repositories/design-dispatches.js';
import { eventRulesChangedUpdate, eventWorkflowId } from '../workflows/design-event-messages.js';
import { dispatchRulesChangedUpdate, dispatchRulesOf, dispatchWorkflowId } from '../workflows/design-dispatch-messages.js';
import { commandTiming } from './command-runner.js';
import type { AppDeps } from './deps.js';

const PAGE = 500;
const AT_ONCE = 16;

type Tell = (deps: AppDeps, workflowId: string) => Promise<void>;

/** Years whose latest revision some running case may not have heard of. */
export async function unannouncedYears(deps: AppDeps): Promise<string[]> {
  const rows = await deps.db.selectFrom('program_years').select('id')
    .where((eb) => eb.or([eb('announced_revision', 'is', null), eb('announced_revision', '<', eb.ref('revision'))])).execute();
  return rows.map((r) => r.id);
}

/** Tells every running case of the year its current revision; true when all have heard. */
export async function announceProgramYear(deps: AppDeps, programYearId: string, log: FastifyBaseLogger): Promise<boolean> {
  const year = await deps.db.selectFrom('program_years').select(['rules', 'revision', 'announced_revision']).where('id', '=', programYearId).executeTakeFirst();
  if (!year || (year.announced_revision ?? 0) >= year.revision) return true;
  const rules: ProgramYearRules = year.rules;
  const { ids, tell } = rules.program === 'overseas_ip_subsidy' ? subsidyCases(deps, programYearId, rules, year.revision)
    : rules.program === 'design_management' ? designCases(deps, programYearId, rules, year.revision)
      : brandEngagements(deps, programYearId, rules, year.revision);
  let told = 0;
  let failed = 0;
  for await (const page of ids) {
    for (let i = 0; i < page.length; i += AT_ONCE) {
      await Promise.all(page.slice(i, i + AT_ONCE).map(async (workflowId) => {
        try {
          await deps.temporal.withDeadline(Date.now() + commandTiming(deps).deadlineMs, () => tell(deps, workflowId));
          told += 1;
        } catch (error) {
          if (error instanceof WorkflowNotFoundError) return; // ended meanwhile: nothing to re-time
          failed += 1;
          log.warn({ err: error, workflowId, programYearId }, 'a running case has not heard of its program year\'s new revision yet; it will be told again');
        }
      }));
    }
  }
  if (failed === 0) {
    await deps.db.updateTable('program_years').set({ announced_revision: year.revision })
      .where('id', '=', programYearId).where((eb) => eb.or([eb('announced_revision', 'is', null), eb('announced_revision', '<', year.revision)])).execute();
  }
  log.info({ programYearId, revision: year.revision, told, failed }, 'program year revision announced to running cases');
  return failed === 0;
}

function subsidyCases(deps: AppDeps, programYearId: string, rules: OverseasIpYear, revision: number): { ids: AsyncIterable<string[]>; tell: Tell } {
  const deadlines = deadlinesOf(rules);
  // Cases received through a window with its own reportDeadline follow that one.
  const windowReportDeadlines = Object.fromEntries(rules.windows.filter((w) => w.reportDeadline).map((w) => [w.label, w.reportDeadline!]));
  return {
    ids: (async function* pages() {
      let after: string | null = null;
      for (;;) {
        const page = await runningCaseIds(deps.db, programYearId, after, PAGE);
        if (page.length === 0) return;
        yield page.map(subsidyCaseWorkflowId);
        after = page[page.length - 1]!;
      }
    })(),
    tell: async (d, workflowId) => { await d.temporal.workflow.getHandle(workflowId).executeUpdate(deadlinesChangedUpdate, { args: [{ deadlines, revision, windowReportDeadlines }], updateId: `program-year:${programYearId}:${revision}` }); },
  };
}

function brandEngagements(deps: AppDeps, programYearId: string, rules: RegionalBrandYear, revision: number): { ids: AsyncIterable<string[]>; tell: Tell } {
  const update = { rules: { supportEndsAt: rules.supportEndsAt, sessionGraceDays: rules.sessionGraceDays }, revision };
  return {
    ids: (async function* pages() {
      yield (await openEngagementIds(deps.db, programYearId)).map(engagementWorkflowId);
    })(),
    tell: async (d, workflowId) => { await d.temporal.workflow.getHandle(workflowId).executeUpdate(rulesChangedUpdate, { args: [update], updateId: `program-year:${programYearId}:${revision}` }); },
  };
}

/** Program C: running events hear the new reminder lead, open dispatches the new dispatch rules. */
function designCases(deps: AppDeps, programYearId: string, rules: DesignManagementYear, revision: number): { ids: AsyncIterable<string[]>; tell: Tell } {
  const eventRules = { reminderDaysBefore: rules.reminderDaysBefore };
  const dispatchRules = dispatchRulesOf(rules);
  const updateId = `program-year:${programYearId}:${revision}`;
  return {
    ids: (async function* pages() {
      yield (await runningEventIds(deps.db, programYearId)).map(eventWorkflowId);
      yield (await openDispatchIds(deps.db, programYearId)).map(dispatchWorkflowId);
    })(),
    tell: async (d, workflowId) => {
      const handle = d.temporal.workflow.getHandle(workflowId);
      if (workflowId.startsWith('design-event-')) await handle.executeUpdate(eventRulesChangedUpdate, { args: [{ rules: eventRules, revision }], updateId });
      else await handle.executeUpdate(dispatchRulesChangedUpdate, { args: [{ rules: dispatchRules, revision }], updateId });
    },
  };
}

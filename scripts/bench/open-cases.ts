// Many open cases, fast: the intake's Update-with-Start sent straight through the Temporal
// client, many at once, as the API's intake route sends it once its checks have passed (the
// same workflow input, the same intake activity writing the row), without the HTTP request,
// the command log and the eligibility reads. Each case is then a running workflow waiting for
// its decision, with its row in PostgreSQL, so commands through the API work on it.
//
// Faster still, for the worker-memory figure at tens of thousands of cases, `startCarriedCases`
// starts each case's workflow with the state a case under review carries into its next run
// (continue-as-new): one workflow task, no activity, no row. What the worker holds for such a
// case is what it holds for one opened by intake.
import { ServiceError, WithStartWorkflowOperation, WorkflowUpdateRPCTimeoutOrCancelledError, type Client } from '@temporalio/client';
import { TypedSearchAttributes } from '@temporalio/common';
import type { Db } from '../../db/database.js';
import { referencedProgramYear } from '../../db/repositories/program-years.js';
import { checkEligibility } from '../../domain/subsidy/eligibility.js';
import { baseApplicationKey, deadlinesOf, termsOf, WHOLE_SHARE } from '../../domain/subsidy/terms.js';
import { toJstIso } from '../../domain/time.js';
import { newId } from '../../runtime/ids.js';
import { ApplicantId, ProgramYearId } from '../../workflows/search-attributes.js';
import { caseStateQuery, intakeUpdate, subsidyCaseWorkflowId, type IntakeInput, type SubsidyCaseState } from '../../workflows/subsidy-case-messages.js';
import { maxGrantOf } from '../../domain/subsidy/calculation.js';
import { intakeBody } from './scenario.js';
import { fmt, runPool } from './stats.js';

export interface OpenCases {
  ids: string[];
  ms: number;
}

/** `count` cases of one applicant, `concurrency` intakes in flight; a progress line every 5 %. */
export async function openCases(options: {
  temporal: Client; db: Db; taskQueue: string; programYearId: string; applicantId: string; count: number; first: number;
  concurrency?: number; log?: (line: string) => void;
}): Promise<OpenCases> {
  const { temporal, db, taskQueue, programYearId, applicantId, count, first } = options;
  const year = await referencedProgramYear(db, programYearId, 'overseas_ip_subsidy');
  const ids: string[] = [];
  const step = Math.max(1, Math.round(count / 20));
  const started = performance.now();
  const ms = await runPool(count, options.concurrency ?? 64, async (i) => {
    const n = first + i;
    const body = intakeBody(programYearId, applicantId, n);
    const receivedAt = Date.now();
    const facts = {
      procedure: 'filing' as const, rightType: 'patent' as const, regionalCollectiveTrademark: false, jpoApplicationNumber: body.jpoApplicationNumber,
      priorCaseId: null, priorSubsidyReference: null, refusalGrounds: [], examinationRequested: false,
    };
    const { window } = checkEligibility({ year, applicantId, applicantKind: 'sme', priorCase: null, intake: { ...facts, receivedAt, targetCountries: body.targetCountries } });
    const caseId = newId('sc');
    const intake: IntakeInput = {
      ...facts, caseId, programYearId, applicantId, applicantKind: 'sme', priorCase: null,
      year: { windows: year.windows, caps: year.caps, eligibleApplicantKinds: year.eligibleApplicantKinds, regionalCollectiveTrademarkKinds: year.regionalCollectiveTrademarkKinds, rightTypes: year.rightTypes },
      terms: termsOf(year, 'filing', 'patent', 'sme', WHOLE_SHARE), deadlines: deadlinesOf(year, window.label),
      baseApplicationKey: baseApplicationKey(body.jpoApplicationNumber), baseApplicationUsedJpy: 0,
      title: body.title, targetCountries: body.targetCountries, estimatedCosts: body.estimatedCosts, receivedAt: toJstIso(receivedAt),
      meta: { actor: 'staff:bench', at: toJstIso(receivedAt) },
    };
    // A loaded server may let the call run out of time: the same Update id again attaches to it.
    for (let attempt = 1; ; attempt += 1) {
      try {
        await temporal.workflow.executeUpdateWithStart(intakeUpdate, {
          updateId: `intake-${caseId}`,
          startWorkflowOperation: new WithStartWorkflowOperation('subsidyCaseWorkflow', {
            workflowId: subsidyCaseWorkflowId(caseId), taskQueue, args: [{ intake }], workflowIdConflictPolicy: 'USE_EXISTING',
            typedSearchAttributes: new TypedSearchAttributes([{ key: ProgramYearId, value: programYearId }, { key: ApplicantId, value: applicantId }]),
          }),
        });
        break;
      } catch (error) {
        if (!(error instanceof WorkflowUpdateRPCTimeoutOrCancelledError) || attempt >= 5) throw error;
      }
    }
    ids.push(caseId);
    if (ids.length % step === 0) {
      const s = (performance.now() - started) / 1000;
      options.log?.(`opened ${ids.length}/${count} cases in ${fmt(s, 0)} s (${fmt(ids.length / s, 0)}/s)`);
    }
  });
  return { ids, ms };
}

/**
 * `count` case workflows started with the carried state of a case under review, `concurrency`
 * starts in flight; then waits until the worker has run the last ones (they answer a query).
 */
export async function startCarriedCases(options: {
  temporal: Client; db: Db; taskQueue: string; programYearId: string; applicantId: string; count: number; first: number;
  concurrency?: number; log?: (line: string) => void;
}): Promise<OpenCases> {
  const { temporal, db, taskQueue, programYearId, applicantId, count, first } = options;
  const year = await referencedProgramYear(db, programYearId, 'overseas_ip_subsidy');
  const terms = termsOf(year, 'filing', 'patent', 'sme', WHOLE_SHARE);
  const ids: string[] = [];
  const step = Math.max(1, Math.round(count / 20));
  const started = performance.now();
  const ms = await runPool(count, options.concurrency ?? 128, async (i) => {
    const body = intakeBody(programYearId, applicantId, first + i);
    const receivedAt = toJstIso(Date.now());
    const caseId = newId('sc');
    const windowLabel = year.windows[0]!.label;
    const state: SubsidyCaseState = {
      caseId, programYearId, applicantId, procedure: 'filing', rightType: 'patent', terms, deadlines: deadlinesOf(year, windowLabel),
      deadlinesRevision: 0, deadlinesVersion: 0, deadlinesRecorded: 0, status: 'under_review', receivedAt, decidedAt: null,
      maxGrantJpy: maxGrantOf(body.estimatedCosts, terms).resultJpy, grantLimitJpy: null, determinedJpy: null, paidAt: null, expenses: [], statusReportYears: [],
      windowLabel, targetCountries: body.targetCountries, approvedCountries: null, filings: [], baseApplicationKey: baseApplicationKey(body.jpoApplicationNumber),
      reportsEnded: false, remindersCheckedUntil: null, clockOffsetMs: 0, doneUpdates: [`intake-${caseId}`],
    };
    await temporal.workflow.start('subsidyCaseWorkflow', {
      workflowId: subsidyCaseWorkflowId(caseId), taskQueue, args: [{ state }],
      typedSearchAttributes: new TypedSearchAttributes([{ key: ProgramYearId, value: programYearId }, { key: ApplicantId, value: applicantId }]),
    });
    ids.push(caseId);
    if (ids.length % step === 0) {
      const s = (performance.now() - started) / 1000;
      options.log?.(`started ${ids.length}/${count} cases in ${fmt(s, 0)} s (${fmt(ids.length / s, 0)}/s)`);
    }
  });
  // The worker takes the first tasks in about the order they were started: once the last
  // ones answer, the backlog is run. A query that times out behind the backlog is sent again.
  for (const id of ids.slice(-20)) {
    for (let attempt = 1; ; attempt += 1) {
      try {
        const state = await temporal.workflow.getHandle(subsidyCaseWorkflowId(id)).query(caseStateQuery);
        if (state?.status !== 'under_review') throw new Error(`case ${id} answers ${JSON.stringify(state?.status)}, not under_review`);
        break;
      } catch (error) {
        if (!(error instanceof ServiceError) || attempt >= 60) throw error;
        options.log?.(`the worker is still running the first tasks (${fmt((performance.now() - started) / 1000, 0)} s)`);
      }
    }
  }
  const total = performance.now() - started;
  options.log?.(`${count} cases started in ${fmt(ms / 1000, 0)} s, all run by the worker after ${fmt(total / 1000, 0)} s`);
  return { ids, ms: total };
}

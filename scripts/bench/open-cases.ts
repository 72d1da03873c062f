// Many open cases, fast: the intake's Update-with-Start sent straight through the Temporal
// client, many at once, as the API's intake route sends it once its checks have passed (the
// same workflow input, the same intake activity writing the row), without the HTTP request,
// the command log and the eligibility reads. Each case is then a running workflow waiting for
// its decision, with its row in PostgreSQL, so commands through the API work on it.
import { WithStartWorkflowOperation, type Client } from '@temporalio/client';
import { TypedSearchAttributes } from '@temporalio/common';
import type { Db } from '../../db/database.js';
import { referencedProgramYear } from '../../db/repositories/program-years.js';
import { checkEligibility } from '../../domain/subsidy/eligibility.js';
import { baseApplicationKey, deadlinesOf, termsOf, WHOLE_SHARE } from '../../domain/subsidy/terms.js';
import { toJstIso } from '../../domain/time.js';
import { newId } from '../../runtime/ids.js';
import { ApplicantId, ProgramYearId } from '../../workflows/search-attributes.js';
import { intakeUpdate, subsidyCaseWorkflowId, type IntakeInput } from '../../workflows/subsidy-case-messages.js';
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
    await temporal.workflow.executeUpdateWithStart(intakeUpdate, {
      updateId: `intake-${caseId}`,
      startWorkflowOperation: new WithStartWorkflowOperation('subsidyCaseWorkflow', {
        workflowId: subsidyCaseWorkflowId(caseId), taskQueue, args: [{ intake }], workflowIdConflictPolicy: 'USE_EXISTING',
        typedSearchAttributes: new TypedSearchAttributes([{ key: ProgramYearId, value: programYearId }, { key: ApplicantId, value: applicantId }]),
      }),
    });
    ids.push(caseId);
    if (ids.length % step === 0) {
      const s = (performance.now() - started) / 1000;
      options.log?.(`opened ${ids.length}/${count} cases in ${fmt(s, 0)} s (${fmt(ids.length / s, 0)}/s)`);
    }
  });
  return { ids, ms };
}

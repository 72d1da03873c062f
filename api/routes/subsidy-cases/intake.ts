// POST /subsidy-cases: load the program year and applicant, run the same pure eligibility
// rules the workflow runs, and only then start the case's workflow with Update-with-Start.
// The Update resolves once the workflow has written the case row, so the 201 shows it. A
// refused intake is answered before anything is written or started; should the workflow
// refuse anyway, it records nothing and ends at once.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import type { Static } from '@sinclair/typebox';
import { DomainError } from '../../../domain/errors.js';
import { assertCountLimit, assertPerApplicationRemaining, checkEligibility, intakeShapeProblems } from '../../../domain/subsidy/eligibility.js';
import { baseApplicationKey, deadlinesOf, termsOf, WHOLE_SHARE } from '../../../domain/subsidy/terms.js';
import { applicationUsage } from '../../../db/repositories/application-ledger.js';
import { toJstIso } from '../../../domain/time.js';
import type { ApplicantKind, Procedure, RightType } from '../../../domain/program-year.js';
import { referencedProgramYear } from '../../../db/repositories/program-years.js';
import { referencedApplicant } from '../../../db/repositories/applicants.js';
import { findCaseRow, liveCaseCount } from '../../../db/repositories/subsidy-cases.js';
import type { StoredCommand } from '../../../db/tables/platform.js';
import { intakeReceipt, intakeUpdate, subsidyCaseWorkflowId, type IntakeInput } from '../../../workflows/subsidy-case-messages.js';
import { ApplicantId, ProgramYearId } from '../../../workflows/search-attributes.js';
import { commandKey, runCommand } from '../../command-runner.js';
import { badRequest } from '../../problem.js';
import { problemResponses } from '../../schemas/common.js';
import { SubsidyCaseCreate, SubsidyCaseView } from '../../schemas/subsidy-cases.js';
import { sendCase } from './commands.js';
import { commandMeta } from '../../case-commands.js';
import { pastInstantField } from '../../fields.js';

const routes: FastifyPluginAsyncTypebox = async (app) => {
  const { db, clock, taskQueue } = app.deps;

  app.post('/subsidy-cases', {
    config: { roles: ['staff'] },
    schema: {
      tags: ['subsidy cases'], summary: 'Intake of an application (status under_review)', body: SubsidyCaseCreate,
      response: { 201: SubsidyCaseView, ...problemResponses(404, 422) },
    },
  }, async (request, reply) => {
    // Named after the Idempotency-Key: a retried intake finds its case instead of making another.
    const caseId = commandKey(request).idFor('sc');
    await runCommand(app, request, {
      what: `Subsidy case ${caseId}`,
      receipt: intakeReceipt(caseId),
      build: () => intakeCommand(request, caseId),
      whenGone: async () => new DomainError('conflict', `The intake under this Idempotency-Key was refused earlier; send a new key`),
    });
    return sendCase(reply.header('location', `/subsidy-cases/${caseId}`), db, caseId, 201);
  });

  /** The intake's Update-with-Start, once every rule the API can check has passed. */
  async function intakeCommand(request: FastifyRequest<{ Body: Static<typeof SubsidyCaseCreate> }>, caseId: string): Promise<StoredCommand> {
    const body = request.body;
    const now = clock.now();
    const receivedAt = body.receivedAt === undefined ? now.getTime() : pastInstantField('body/receivedAt', body.receivedAt, now);
    const procedure = body.procedure as Procedure;
    const rightType = body.rightType as RightType;
    const problems = intakeShapeProblems({ procedure, targetCountries: body.targetCountries, estimatedCosts: body.estimatedCosts, ownershipShare: body.ownershipShare });
    if (problems.length > 0) throw badRequest('The intake is inconsistent', problems);

    const year = await referencedProgramYear(db, body.programYearId, 'overseas_ip_subsidy');
    const applicant = await referencedApplicant(db, body.applicantId);
    const kind = applicant.kind as ApplicantKind;
    const prior = body.priorCaseId ? await findCaseRow(db, body.priorCaseId) : undefined;
    const priorFilings = prior ? await db.selectFrom('subsidy_foreign_filings').select('country').distinct().where('case_id', '=', prior.id).orderBy('country').execute() : [];
    const priorCase = prior ? {
      id: prior.id, applicantId: prior.applicant_id, procedure: prior.procedure, rightType: prior.right_type, status: prior.status,
      filingCountries: priorFilings.map((f) => f.country),
    } : null;
    const facts = {
      procedure, rightType, regionalCollectiveTrademark: body.regionalCollectiveTrademark ?? false,
      jpoApplicationNumber: body.jpoApplicationNumber ?? null, priorCaseId: body.priorCaseId ?? null,
      priorSubsidyReference: body.priorSubsidyReference ?? null, refusalGrounds: body.refusalGrounds ?? [],
      examinationRequested: body.examinationRequested ?? false,
    };
    const { window } = checkEligibility({ year, applicantId: applicant.id, applicantKind: kind, priorCase, intake: { ...facts, receivedAt, targetCountries: body.targetCountries } });

    // The year's count limit (checked again under the applicant's lock when the case is recorded).
    if (year.perApplicantCountLimits[rightType] !== undefined) {
      assertCountLimit(year, rightType, await liveCaseCount(db, { applicantId: applicant.id, programYearId: year.id, rightType }));
    }
    const terms = termsOf(year, procedure, rightType, kind, body.ownershipShare ?? WHOLE_SHARE);
    // One application (１出願) per fiscal year: what earlier live cases on this base application used.
    const baseKey = procedure === 'filing' && facts.jpoApplicationNumber ? baseApplicationKey(facts.jpoApplicationNumber) : null;
    const usedJpy = baseKey === null ? 0 : await applicationUsage(db, { applicantId: applicant.id, programYearId: year.id, baseKey });
    if (baseKey !== null) assertPerApplicationRemaining(terms.capJpy, usedJpy);

    const intake: IntakeInput = {
      ...facts, caseId, programYearId: year.id, applicantId: applicant.id, applicantKind: kind, priorCase,
      year: { windows: year.windows, caps: year.caps, eligibleApplicantKinds: year.eligibleApplicantKinds, regionalCollectiveTrademarkKinds: year.regionalCollectiveTrademarkKinds, rightTypes: year.rightTypes },
      terms, deadlines: deadlinesOf(year, window.label), baseApplicationKey: baseKey, baseApplicationUsedJpy: usedJpy,
      title: body.title, targetCountries: body.targetCountries, estimatedCosts: body.estimatedCosts, receivedAt: toJstIso(receivedAt),
      meta: commandMeta(app, request).meta,
    };
    return {
      workflowId: subsidyCaseWorkflowId(caseId), update: intakeUpdate.name, updateId: commandKey(request).updateId, args: [],
      start: {
        workflowType: 'subsidyCaseWorkflow', taskQueue, args: [{ intake }],
        searchAttributes: { [ProgramYearId.name]: year.id, [ApplicantId.name]: applicant.id },
      },
    };
  }
};

export default routes;

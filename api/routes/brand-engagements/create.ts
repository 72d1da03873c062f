import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { DomainError } from '../../../domain/errors.js';
import { assertCallWindowOpen } from '../../../domain/brand/call-window.js';
import { assertBrandApplicantEligible } from '../../../domain/brand/applicants.js';
import { toJstIso } from '../../../domain/time.js';
import { referencedProgramYear } from '../../../db/repositories/program-years.js';
import { referencedApplicant } from '../../../db/repositories/applicants.js';
import { applyUpdate, BRAND_ENGAGEMENT_WORKFLOW, engagementWorkflowId, type BrandEngagementInput } from '../../../workflows/brand-engagement-messages.js';
import { commandReceipt } from '../../../workflows/receipts.js';
import { ApplicantId, ProgramYearId } from '../../../workflows/search-attributes.js';
import { commandKey, runCommand } from '../../command-runner.js';
import { problemResponses } from '../../schemas/common.js';
import { EngagementCreate, EngagementView } from '../../schemas/brand-engagements.js';
import { commandMeta } from '../../case-commands.js';
import { pastInstantField } from '../../fields.js';
import { engagementView } from './view.js';

const routes: FastifyPluginAsyncTypebox = async (app) => {
  const { db, taskQueue } = app.deps;

  app.post('/brand-engagements', {
    config: { roles: ['staff'] },
    schema: {
      tags: ['brand engagements'], summary: 'Receive an application (applied); 422 window_closed outside the call, applicant_not_eligible unless a group in Hokkaido',
      description: 'A body that names an unknown program year, applicant or a program year of another program is refused with 422 (`unknown_program_year`, `unknown_applicant`): the path is fine, the reference is not.',
      body: EngagementCreate, response: { 201: EngagementView, ...problemResponses(422) },
    },
  }, async (request, reply) => {
    // Named after the Idempotency-Key: a retried application finds its engagement instead of making another.
    const id = commandKey(request).idFor('be');
    await runCommand(app, request, {
      what: `Brand engagement ${id}`,
      receipt: commandReceipt('brand', id, commandKey(request).updateId),
      build: async () => {
        const body = request.body;
        const { meta, now } = commandMeta(app, request);
        // Default: received now, by the API's clock; an earlier arrival is entered as receivedAt.
        const receivedAt = body.receivedAt === undefined ? now : pastInstantField('body/receivedAt', body.receivedAt, now);
        const year = await referencedProgramYear(db, body.programYearId, 'regional_brand');
        const applicant = await referencedApplicant(db, body.applicantId);
        assertCallWindowOpen(year, receivedAt);
        assertBrandApplicantEligible(applicant);
        const intake = {
          applicantId: body.applicantId, productName: body.productName, municipality: body.municipality, goals: body.goals,
          background: body.background ?? null, issues: body.issues ?? null, receivedAt: toJstIso(receivedAt),
        };
        // Update-with-start: the workflow exists and the row is written before we answer.
        return {
          workflowId: engagementWorkflowId(id), update: applyUpdate.name, updateId: commandKey(request).updateId, args: [{ meta, intake }],
          start: {
            workflowType: BRAND_ENGAGEMENT_WORKFLOW, taskQueue,
            args: [{ engagementId: id, programYearId: year.id, rules: { supportEndsAt: year.supportEndsAt, sessionGraceDays: year.sessionGraceDays } } satisfies BrandEngagementInput],
            searchAttributes: { [ProgramYearId.name]: year.id, [ApplicantId.name]: body.applicantId },
          },
        };
      },
      whenGone: async () => new DomainError('conflict', 'The application under this Idempotency-Key was refused earlier; send a new key'),
    });
    return reply.code(201).send(await engagementView(db, id, app.deps.clock.now().getTime()));
  });
};

export default routes;

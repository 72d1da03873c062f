import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { DomainError } from '../../../domain/errors.js';
import { isWithinWindow } from '../../../domain/program-year.js';
import { unknownRegistration } from '../../../domain/design/event.js';
import { toJstIso } from '../../../domain/time.js';
import { referencedProgramYear } from '../../../db/repositories/program-years.js';
import { referencedApplicant } from '../../../db/repositories/applicants.js';
import { findRegistration } from '../../../db/repositories/design-events.js';
import { applyDispatchUpdate, DESIGN_DISPATCH_WORKFLOW, dispatchRulesOf, dispatchWorkflowId, type DesignDispatchInput } from '../../../workflows/design-dispatch-messages.js';
import { commandReceipt } from '../../../workflows/receipts.js';
import { ApplicantId, ProgramYearId } from '../../../workflows/search-attributes.js';
import { commandKey, runCommand } from '../../command-runner.js';
import { commandMeta } from '../../case-commands.js';
import { pastInstantField } from '../../fields.js';
import { problemResponses } from '../../schemas/common.js';
import { DispatchCreate, DispatchView } from '../../schemas/design.js';
import { dispatchView } from './view.js';

const routes: FastifyPluginAsyncTypebox = async (app) => {
  const { db, taskQueue } = app.deps;

  app.post('/design-dispatches', {
    config: { roles: ['staff'] },
    schema: {
      tags: ['design dispatches'], summary: 'Receive a company\'s application for an expert dispatch → 201 applied; 422 window_closed',
      description: '`receivedAt` (default now, never in the future) must fall in the year\'s `dispatch.applicationWindow` (422 `window_closed`). `sourceRegistrationId` names the event registration whose survey asked for help (422 `unknown_registration` when there is none); unknown program year or applicant: 422 `unknown_program_year`, `unknown_applicant`.',
      body: DispatchCreate, response: { 201: DispatchView, ...problemResponses(409, 422) },
    },
  }, async (request, reply) => {
    const id = commandKey(request).idFor('dd');
    await runCommand(app, request, {
      what: `Design dispatch ${id}`,
      receipt: commandReceipt('design-dispatch', id, commandKey(request).updateId),
      build: async () => {
        const b = request.body;
        const { meta, now } = commandMeta(app, request);
        const receivedAt = b.receivedAt === undefined ? now : pastInstantField('body/receivedAt', b.receivedAt, now);
        const year = await referencedProgramYear(db, b.programYearId, 'design_management');
        await referencedApplicant(db, b.applicantId);
        if (b.sourceRegistrationId !== undefined && !(await findRegistration(db, b.sourceRegistrationId))) throw unknownRegistration(b.sourceRegistrationId, 'body/sourceRegistrationId');
        const window = year.dispatch.applicationWindow;
        if (!isWithinWindow(window, receivedAt)) {
          throw new DomainError('window_closed', `Received ${toJstIso(receivedAt)}; applications are taken from ${window.opensAt} until before ${window.closesAt}`,
            [{ path: 'body/receivedAt', message: `must be within [${window.opensAt}, ${window.closesAt})` }]);
        }
        const intake = { applicantId: b.applicantId, issue: b.issue, sourceRegistrationId: b.sourceRegistrationId ?? null, receivedAt: toJstIso(receivedAt) };
        return {
          workflowId: dispatchWorkflowId(id), update: applyDispatchUpdate.name, updateId: commandKey(request).updateId, args: [{ meta, intake }],
          start: {
            workflowType: DESIGN_DISPATCH_WORKFLOW, taskQueue,
            args: [{ dispatchId: id, programYearId: year.id, rules: dispatchRulesOf(year) } satisfies DesignDispatchInput],
            searchAttributes: { [ProgramYearId.name]: year.id, [ApplicantId.name]: b.applicantId },
          },
        };
      },
      whenGone: async () => new DomainError('conflict', 'The application under this Idempotency-Key was refused earlier; send a new key'),
    });
    return reply.code(201).send(await dispatchView(db, id, app.deps.clock.now().getTime()));
  });
};

export default routes;

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { unknownExpert } from '../../../domain/design/dispatch.js';
import { assignmentUpdate, decisionUpdate, dispatchWithdrawalUpdate, reportUpdate } from '../../../workflows/design-dispatch-messages.js';
import { commandMeta } from '../../case-commands.js';
import { badRequest } from '../../problem.js';
import { problemResponses } from '../../schemas/common.js';
import { AssignmentBody, DecisionBody, DispatchParams, DispatchView, ReasonBody, ReportBody } from '../../schemas/design.js';
import { accessibleDispatch, runDispatchCommand, STAFF_AND_EXPERT } from './access.js';

const tags = ['design dispatches'];

const routes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app.deps;

  app.post('/design-dispatches/:id/decision', {
    config: { roles: ['staff'] },
    schema: {
      tags, summary: 'Accept or decline (422 capacity_reached past the year\'s companies)',
      description: 'Declining needs a `reason`. Acceptances are counted in PostgreSQL under the program year\'s row lock, so concurrent decisions never pass `dispatch.companies`; a withdrawal gives the place back.',
      params: DispatchParams, body: DecisionBody, response: { 200: DispatchView, ...problemResponses(404, 409, 422) },
    },
  }, async (request) => {
    const { accept, reason } = request.body;
    if (!accept && reason === undefined) throw badRequest('A reason is needed when the application is declined', [{ path: 'body/reason', message: 'is required when accept is false' }]);
    const row = await accessibleDispatch(app, request, request.params.id);
    const { meta } = commandMeta(app, request);
    return runDispatchCommand(app, request, row, 'decision', decisionUpdate, { meta, accept, reason: reason ?? null });
  });

  app.post('/design-dispatches/:id/assignment', {
    config: { roles: ['staff'] },
    schema: {
      tags, summary: 'Assign an expert and the number of visits → assigned',
      description: '`expertId` must be a registered expert (422 `unknown_expert`); `plannedVisits` at most the year\'s `maxVisitsPerCompany` (422 `too_many_visits`).',
      params: DispatchParams, body: AssignmentBody, response: { 200: DispatchView, ...problemResponses(404, 409, 422) },
    },
  }, async (request) => {
    const row = await accessibleDispatch(app, request, request.params.id);
    const { meta } = commandMeta(app, request);
    const { expertId, plannedVisits } = request.body;
    const expert = await db.selectFrom('experts').select('id').where('id', '=', expertId).executeTakeFirst();
    if (!expert) throw unknownExpert(expertId);
    return runDispatchCommand(app, request, row, 'assignment', assignmentUpdate, { meta, expertId, plannedVisits });
  });

  app.post('/design-dispatches/:id/report', {
    config: { roles: [...STAFF_AND_EXPERT] },
    schema: {
      tags, summary: 'The closing report (its expert; staff) → completed',
      description: 'Taken when every visit is held or cancelled and at least one was held; otherwise 409 `visits_open` and the report is not kept.',
      params: DispatchParams, body: ReportBody, response: { 200: DispatchView, ...problemResponses(404, 409) },
    },
  }, async (request) => {
    const row = await accessibleDispatch(app, request, request.params.id);
    const { meta } = commandMeta(app, request);
    return runDispatchCommand(app, request, row, 'report', reportUpdate, { meta, report: request.body });
  });

  app.post('/design-dispatches/:id/withdrawal', {
    config: { roles: ['staff'] },
    schema: { tags, summary: 'Withdraw (any status before completed); scheduled visits are cancelled', params: DispatchParams, body: ReasonBody, response: { 200: DispatchView, ...problemResponses(404, 409) } },
  }, async (request) => {
    const row = await accessibleDispatch(app, request, request.params.id);
    const { meta } = commandMeta(app, request);
    return runDispatchCommand(app, request, row, 'withdrawal', dispatchWithdrawalUpdate, { meta, reason: request.body.reason });
  });
};

export default routes;

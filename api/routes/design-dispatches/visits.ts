import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { toJstIso } from '../../../domain/time.js';
import { addVisitUpdate, cancelVisitUpdate, completeVisitUpdate, rescheduleVisitUpdate } from '../../../workflows/design-dispatch-messages.js';
import { commandKey } from '../../command-runner.js';
import { commandMeta } from '../../case-commands.js';
import { instantField, pastInstantField } from '../../fields.js';
import { problemResponses } from '../../schemas/common.js';
import { DispatchView, VisitCompletionBody, VisitCreate, VisitParams, VisitPatch, VisitView, DispatchParams } from '../../schemas/design.js';
import { accessibleDispatch, runDispatchCommand, STAFF_AND_EXPERT } from './access.js';

const tags = ['design dispatches'];
const PERIOD = 'Visits fall inside the year\'s `visitsFrom`–`visitsUntil` (JST dates; 422 `outside_dispatch_period`) and may be in the past (records entered after the fact).';

const routes: FastifyPluginAsyncTypebox = async (app) => {
  app.post('/design-dispatches/:id/visits', {
    config: { roles: [...STAFF_AND_EXPERT] },
    schema: {
      tags, summary: 'Schedule a visit (staff; its expert) → 201 with the visit',
      description: `${PERIOD} Visits not cancelled may not exceed \`plannedVisits\` (422 \`too_many_visits\`).`,
      params: DispatchParams, body: VisitCreate, response: { 201: VisitView, ...problemResponses(404, 409, 422) },
    },
  }, async (request, reply) => {
    const row = await accessibleDispatch(app, request, request.params.id);
    const { meta } = commandMeta(app, request);
    const visitId = commandKey(request).idFor('dv');
    const scheduledAt = toJstIso(instantField('body/scheduledAt', request.body.scheduledAt));
    const view = await runDispatchCommand(app, request, row, 'add visit', addVisitUpdate, { meta, visitId, scheduledAt });
    const created = view.visits.find((v) => v.id === visitId);
    if (!created) throw new Error(`visit ${visitId} was not written`);
    return reply.code(201).send(created);
  });

  app.patch('/design-dispatches/:id/visits/:visitId', {
    config: { roles: [...STAFF_AND_EXPERT] },
    schema: {
      tags, summary: 'Reschedule (`{scheduledAt}`) or cancel (`{status: "cancelled"}`) a visit',
      description: `${PERIOD} Moving a visit clears its overdue flag and moves its timers.`,
      params: VisitParams, body: VisitPatch, response: { 200: DispatchView, ...problemResponses(404, 409, 422) },
    },
  }, async (request) => {
    const row = await accessibleDispatch(app, request, request.params.id);
    const { meta } = commandMeta(app, request);
    const { visitId } = request.params;
    if (request.body.scheduledAt !== undefined) {
      const scheduledAt = toJstIso(instantField('body/scheduledAt', request.body.scheduledAt));
      return runDispatchCommand(app, request, row, 'reschedule visit', rescheduleVisitUpdate, { meta, visitId, scheduledAt });
    }
    return runDispatchCommand(app, request, row, 'cancel visit', cancelVisitUpdate, { meta, visitId });
  });

  app.post('/design-dispatches/:id/visits/:visitId/completion', {
    config: { roles: [...STAFF_AND_EXPERT] },
    schema: {
      tags, summary: 'Report a visit as held (its expert; staff)', description: '`heldAt` may not be in the future and need not match `scheduledAt`.',
      params: VisitParams, body: VisitCompletionBody, response: { 200: DispatchView, ...problemResponses(404, 409) },
    },
  }, async (request) => {
    const row = await accessibleDispatch(app, request, request.params.id);
    const { meta, now } = commandMeta(app, request);
    const b = request.body;
    const heldAt = toJstIso(pastInstantField('body/heldAt', b.heldAt, now));
    return runDispatchCommand(app, request, row, 'complete visit', completeVisitUpdate, { meta, visitId: request.params.visitId, heldAt, hours: b.hours, summary: b.summary });
  });
};

export default routes;

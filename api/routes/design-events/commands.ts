import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { attendanceUpdate, closeRegistrationUpdate, completionUpdate, eventCancellationUpdate } from '../../../workflows/design-event-messages.js';
import { commandMeta } from '../../case-commands.js';
import { problemResponses } from '../../schemas/common.js';
import { AttendanceBody, EventCompletionBody, EventParams, EventView, ReasonBody } from '../../schemas/design.js';
import { runEventCommand } from './run.js';

const tags = ['design events'];

const routes: FastifyPluginAsyncTypebox = async (app) => {
  app.post('/design-events/:id/close', {
    config: { roles: ['staff'] },
    schema: { tags, summary: 'Close registration now (open → closed)', params: EventParams, response: { 200: EventView, ...problemResponses(404, 409) } },
  }, async (request) => {
    const { meta } = commandMeta(app, request);
    return runEventCommand(app, request, request.params.id, 'close', closeRegistrationUpdate, { meta });
  });

  app.post('/design-events/:id/attendance', {
    config: { roles: ['staff'] },
    schema: {
      tags, summary: 'Record who came (allowed from startsAt on)',
      description: 'Each id must be a seated (`registered`) registration of this event: 422 `unknown_registration` otherwise. Before `startsAt`: 409 `invalid_state`.',
      params: EventParams, body: AttendanceBody, response: { 200: EventView, ...problemResponses(404, 409, 422) },
    },
  }, async (request) => {
    const { meta } = commandMeta(app, request);
    return runEventCommand(app, request, request.params.id, 'attendance', attendanceUpdate, { meta, registrationIds: request.body.registrationIds });
  });

  app.post('/design-events/:id/completion', {
    config: { roles: ['staff'] },
    schema: { tags, summary: 'The event took place → held (from startsAt on, once registration is closed)', params: EventParams, body: EventCompletionBody, response: { 200: EventView, ...problemResponses(404, 409) } },
  }, async (request) => {
    const { meta } = commandMeta(app, request);
    return runEventCommand(app, request, request.params.id, 'completion', completionUpdate, { meta, summary: request.body.summary });
  });

  app.post('/design-events/:id/cancellation', {
    config: { roles: ['staff'] },
    schema: { tags, summary: 'Cancel the event (open | closed → cancelled): every registrant is notified', params: EventParams, body: ReasonBody, response: { 200: EventView, ...problemResponses(404, 409) } },
  }, async (request) => {
    const { meta } = commandMeta(app, request);
    return runEventCommand(app, request, request.params.id, 'cancellation', eventCancellationUpdate, { meta, reason: request.body.reason });
  });
};

export default routes;

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { eventSummary, getEvent, listEvents, listRegistrations, registrationsOf, registrationView, storedEventView } from '../../../db/repositories/design-events.js';
import { listOf, problemResponses } from '../../schemas/common.js';
import { exportableList } from '../../exports/media.js';
import { listOrExport, type ExportPage } from '../../exports/send.js';
import { designEventsExport, registrationsExport } from '../../exports/lists/design-events.js';
import { EventListQuery, EventParams, EventSummary, EventView, RegistrationListQuery, RegistrationView } from '../../schemas/design.js';

const routes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app.deps;

  app.get('/design-events/:id', {
    config: { roles: ['staff'] },
    schema: { tags: ['design events'], summary: 'The whole event: registrations, counts, average satisfaction, history', params: EventParams, response: { 200: EventView, ...problemResponses(404) } },
  }, async (request) => storedEventView(db, (await getEvent(db, request.params.id)).id));

  app.get('/design-events', {
    config: { roles: ['staff'] },
    schema: { tags: ['design events'], summary: 'List events, newest first (`?programYearId=&status=&city=`)', querystring: EventListQuery, response: { 200: exportableList(listOf(EventSummary)), ...problemResponses() } },
  }, async (request, reply) => {
    const { limit = 50, cursor, programYearId, status, city } = request.query;
    const read = async (page: ExportPage) => {
      const { page: rows, nextCursor } = await listEvents(db, { programYearId, status, city, ...page });
      const registrations = await registrationsOf(db, rows.map((e) => e.id));
      return { page: rows.map((e) => eventSummary(e, registrations.filter((r) => r.event_id === e.id))), nextCursor };
    };
    return listOrExport(request, reply, designEventsExport, read, { limit: limit, cursor: cursor });
  });

  // Not in the contract's tables: an event's roster as a list of its own, so that it can be
  // exported (CSV, .xlsx) like every other list; the event's view holds the same registrations.
  app.get('/design-events/:id/registrations', {
    config: { roles: ['staff'] },
    schema: { tags: ['design events'], summary: "An event's registrations in the order they were entered (`?status=`)", params: EventParams, querystring: RegistrationListQuery, response: { 200: exportableList(listOf(RegistrationView)), ...problemResponses(404) } },
  }, async (request, reply) => {
    const event = await getEvent(db, request.params.id);
    const { limit = 50, cursor, status } = request.query;
    const read = async (page: ExportPage) => {
      const { page: rows, nextCursor } = await listRegistrations(db, event.id, { status, ...page });
      return { page: rows.map(registrationView), nextCursor };
    };
    return listOrExport(request, reply, registrationsExport, read, { limit: limit, cursor: cursor });
  });
};

export default routes;

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { decodeCursor } from '../../../db/pagination.js';
import { eventSummary, getEvent, listEvents, registrationsOf, storedEventView } from '../../../db/repositories/design-events.js';
import { listOf, problemResponses } from '../../schemas/common.js';
import { exportableList } from '../../exports/media.js';
import { exportIfAsked, type ExportPage } from '../../exports/send.js';
import { designEventsExport } from '../../exports/lists/design-events.js';
import { EventListQuery, EventParams, EventSummary, EventView } from '../../schemas/design.js';

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
    const exported = await exportIfAsked(request, reply, designEventsExport, read);
    if (exported) return exported;
    const { page, nextCursor } = await read({ limit, cursor: decodeCursor(cursor) });
    return { items: page, nextCursor };
  });
};

export default routes;

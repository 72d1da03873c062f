import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { decodeCursor } from '../../../db/pagination.js';
import { eventSummary, getEvent, listEvents, registrationsOf, storedEventView } from '../../../db/repositories/design-events.js';
import { listOf, problemResponses } from '../../schemas/common.js';
import { EventListQuery, EventParams, EventSummary, EventView } from '../../schemas/design.js';

const routes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app.deps;

  app.get('/design-events/:id', {
    config: { roles: ['staff'] },
    schema: { tags: ['design events'], summary: 'The whole event: registrations, counts, average satisfaction, history', params: EventParams, response: { 200: EventView, ...problemResponses(404) } },
  }, async (request) => storedEventView(db, (await getEvent(db, request.params.id)).id));

  app.get('/design-events', {
    config: { roles: ['staff'] },
    schema: { tags: ['design events'], summary: 'List events, newest first (`?programYearId=&status=&city=`)', querystring: EventListQuery, response: { 200: listOf(EventSummary), ...problemResponses() } },
  }, async (request) => {
    const { limit = 50, cursor, programYearId, status, city } = request.query;
    const { page, nextCursor } = await listEvents(db, { programYearId, status, city, limit, cursor: decodeCursor(cursor) });
    const registrations = await registrationsOf(db, page.map((e) => e.id));
    return { items: page.map((e) => eventSummary(e, registrations.filter((r) => r.event_id === e.id))), nextCursor };
  });
};

export default routes;

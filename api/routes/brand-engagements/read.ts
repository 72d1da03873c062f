import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { listEngagements } from '../../../db/repositories/brand-engagements.js';
import { listOf, problemResponses } from '../../schemas/common.js';
import { exportableList } from '../../exports/media.js';
import { listOrExport, type ExportPage } from '../../exports/send.js';
import { brandEngagementsExport } from '../../exports/lists/brand-engagements.js';
import { EngagementListQuery, EngagementParams, EngagementSummary, EngagementView } from '../../schemas/brand-engagements.js';
import { accessibleEngagement } from './access.js';
import { engagementView, summaries } from './view.js';

const routes: FastifyPluginAsyncTypebox = async (app) => {
  const { db, clock } = app.deps;

  app.get('/brand-engagements/:id', {
    config: { roles: ['staff', 'support_leader', 'expert'] },
    schema: { tags: ['brand engagements'], summary: 'The whole engagement (staff; its support leader)', params: EngagementParams, response: { 200: EngagementView, ...problemResponses(404) } },
  }, async (request) => engagementView(db, (await accessibleEngagement(app, request, request.params.id)).id, clock.now().getTime()));

  app.get('/brand-engagements', {
    config: { roles: ['staff'] },
    schema: { tags: ['brand engagements'], summary: 'List engagements, newest first', querystring: EngagementListQuery, response: { 200: exportableList(listOf(EngagementSummary)), ...problemResponses() } },
  }, async (request, reply) => {
    const { limit = 50, cursor, programYearId, status } = request.query;
    const now = clock.now().getTime();
    const read = async (page: ExportPage) => {
      const { page: rows, nextCursor } = await listEngagements(db, { programYearId, status, ...page });
      return { page: await summaries(db, rows, now), nextCursor };
    };
    return listOrExport(request, reply, brandEngagementsExport, read, { limit: limit, cursor: cursor });
  });
};

export default routes;

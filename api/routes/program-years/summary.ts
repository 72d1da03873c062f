// GET /program-years/{id}/summary: the year's figures for staff, read from PostgreSQL.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { getProgramYear } from '../../../db/repositories/program-years.js';
import { brandEngagementFigures, designDispatchFigures, designEventFigures, subsidyCaseFigures } from '../../../db/repositories/program-year-summary.js';
import { toJstIso } from '../../../domain/time.js';
import { problemResponses } from '../../schemas/common.js';
import { ProgramYearIdParams } from '../../schemas/program-years.js';
import { ProgramYearSummary } from '../../schemas/reports.js';

const routes: FastifyPluginAsyncTypebox = async (app) => {
  const { db, clock } = app.deps;

  app.get('/program-years/:id/summary', {
    config: { roles: ['staff'] },
    schema: { tags: ['program years'], summary: "The year's figures: cases by status, procedure and right type with their sums in yen; engagements, events and dispatches", params: ProgramYearIdParams, response: { 200: ProgramYearSummary, ...problemResponses(404) } },
  }, async (request) => {
    const year = await getProgramYear(db, request.params.id);
    const now = clock.now();
    const head = { programYearId: year.id, program: year.program, generatedAt: toJstIso(now) };
    switch (year.program) {
      case 'overseas_ip_subsidy':
        return { ...head, subsidyCases: await subsidyCaseFigures(db, year.id) };
      case 'regional_brand':
        return { ...head, brandEngagements: await brandEngagementFigures(db, year.id, year.sessionGraceDays, now) };
      case 'design_management':
        return { ...head, designEvents: await designEventFigures(db, year.id), designDispatches: await designDispatchFigures(db, year.id) };
    }
  });
};

export default routes;

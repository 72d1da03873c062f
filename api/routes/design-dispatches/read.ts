import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { decodeCursor } from '../../../db/pagination.js';
import { listDispatches, storedVisit, visitsOfExpert } from '../../../db/repositories/design-dispatches.js';
import { listOf, problemResponses } from '../../schemas/common.js';
import { exportableList } from '../../exports/media.js';
import { listOrExport, type ExportPage } from '../../exports/send.js';
import { designDispatchesExport } from '../../exports/lists/design-dispatches.js';
import { DispatchListQuery, DispatchParams, DispatchSummary, DispatchView, MyVisitsQuery, MyVisitView } from '../../schemas/design.js';
import { accessibleDispatch, STAFF_AND_EXPERT } from './access.js';
import { dispatchView, dueAtOf, rulesFor, rulesOf, summaries, visitView } from './view.js';

const tags = ['design dispatches'];

const routes: FastifyPluginAsyncTypebox = async (app) => {
  const { db, clock } = app.deps;

  app.get('/design-dispatches/:id', {
    config: { roles: [...STAFF_AND_EXPERT] },
    schema: { tags, summary: 'The whole dispatch (staff; its expert)', params: DispatchParams, response: { 200: DispatchView, ...problemResponses(404) } },
  }, async (request) => dispatchView(db, (await accessibleDispatch(app, request, request.params.id)).id, clock.now().getTime()));

  app.get('/design-dispatches', {
    config: { roles: ['staff'] },
    schema: { tags, summary: 'List dispatches, newest first (`?programYearId=&status=&expertId=`)', querystring: DispatchListQuery, response: { 200: exportableList(listOf(DispatchSummary)), ...problemResponses() } },
  }, async (request, reply) => {
    const { limit = 50, cursor, programYearId, status, expertId } = request.query;
    const now = clock.now().getTime();
    const read = async (page: ExportPage) => {
      const { page: rows, nextCursor } = await listDispatches(db, { programYearId, status, expertId, ...page });
      return { page: await summaries(db, rows, now), nextCursor };
    };
    return listOrExport(request, reply, designDispatchesExport, read, { limit: limit, cursor: cursor });
  });

  // Every visit still to be held of the dispatches the caller is assigned to: upcoming ones
  // and past ones awaiting their report (overdue once the grace period is over), soonest first.
  app.get('/me/visits', {
    config: { roles: ['expert', 'support_leader'] },
    schema: { tags, summary: "The expert's visits not yet held, soonest first, with overdue", querystring: MyVisitsQuery, response: { 200: listOf(MyVisitView), ...problemResponses() } },
  }, async (request) => {
    const { limit = 50, cursor } = request.query;
    const { page, nextCursor } = await visitsOfExpert(db, request.actor.id, { limit, cursor: decodeCursor(cursor) });
    const rules = await rulesOf(db, page.map((v) => v.program_year_id));
    const now = clock.now().getTime();
    return {
      items: page.map((v) => {
        const r = rulesFor(rules, v.program_year_id);
        return { ...visitView(storedVisit(v), r, now), dispatchId: v.dispatch_id, programYearId: v.program_year_id, applicantId: v.applicant_id, issue: v.issue, dueAt: dueAtOf(v, r) };
      }),
      nextCursor,
    };
  });
};

export default routes;

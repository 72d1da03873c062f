import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { decodeCursor } from '../../../db/pagination.js';
import { sessionsLedBy } from '../../../db/repositories/brand-engagements.js';
import { listOf, problemResponses } from '../../schemas/common.js';
import { MySessionsQuery, MySessionView } from '../../schemas/brand-engagements.js';
import { storedSession } from '../../../db/repositories/brand-engagement-view.js';
import { myDueAt, rulesFor, rulesOf, sessionView } from './view.js';

const routes: FastifyPluginAsyncTypebox = async (app) => {
  const { db, clock } = app.deps;

  // Every session still to be held of the engagements the caller leads: upcoming ones and
  // past ones awaiting their report (overdue once the grace period is over), soonest first.
  app.get('/me/sessions', {
    config: { roles: ['support_leader', 'expert'] },
    schema: { tags: ['brand engagements'], summary: "The support leader's upcoming and overdue sessions", querystring: MySessionsQuery, response: { 200: listOf(MySessionView), ...problemResponses() } },
  }, async (request) => {
    const { limit = 50, cursor } = request.query;
    const { page, nextCursor } = await sessionsLedBy(db, request.actor.id, { limit, cursor: decodeCursor(cursor) });
    const rules = await rulesOf(db, page.map((s) => s.program_year_id));
    const now = clock.now().getTime();
    return {
      items: page.map((s) => {
        const r = rulesFor(rules, s.program_year_id);
        return { ...sessionView(storedSession(s), r, now), engagementId: s.engagement_id, programYearId: s.program_year_id, productName: s.product_name, municipality: s.municipality, dueAt: myDueAt(s, r) };
      }),
      nextCursor,
    };
  });
};

export default routes;

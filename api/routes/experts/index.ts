import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { toJstIso } from '../../../domain/time.js';
import { getExpert, listExperts, type ExpertRow } from '../../../db/repositories/experts.js';
import { recordHistory } from '../../../db/history.js';
import { commandKey } from '../../command-runner.js';
import { actorLabel } from '../../deps.js';
import { IdParams, listOf, problemResponses } from '../../schemas/common.js';
import { exportableList } from '../../exports/media.js';
import { listOrExport, type ExportPage } from '../../exports/send.js';
import { expertsExport } from '../../exports/lists/experts.js';
import { ExpertCreate, ExpertListQuery, ExpertView } from '../../schemas/experts.js';

const expertView = (row: ExpertRow) => ({ id: row.id, name: row.name, organization: row.organization, title: row.title, email: row.email, createdAt: toJstIso(row.created_at) });

const routes: FastifyPluginAsyncTypebox = async (app) => {
  const { db, clock } = app.deps;

  app.post('/experts', {
    config: { roles: ['staff'] },
    schema: { tags: ['experts'], summary: 'Register an expert (a support leader or lecturer)', body: ExpertCreate, response: { 201: ExpertView, ...problemResponses() } },
  }, async (request, reply) => {
    // Named after the Idempotency-Key: a retried registration finds the expert the first one made.
    const id = commandKey(request).idFor('ex');
    const now = clock.now();
    const row = await db.transaction().execute(async (trx) => {
      const inserted = await trx.insertInto('experts').values({
        id, name: request.body.name, organization: request.body.organization, title: request.body.title ?? null, email: request.body.email ?? null, created_at: now,
      }).onConflict((oc) => oc.column('id').doNothing()).returningAll().executeTakeFirst();
      if (!inserted) return getExpert(trx, id);
      await recordHistory(trx, { entityType: 'expert', entityId: id, at: now, type: 'registered', actor: actorLabel(request.actor), detail: { name: request.body.name } });
      return inserted;
    });
    return reply.code(201).send(expertView(row));
  });

  app.get('/experts', {
    config: { roles: ['staff'] },
    schema: { tags: ['experts'], summary: 'List experts', querystring: ExpertListQuery, response: { 200: exportableList(listOf(ExpertView)), ...problemResponses() } },
  }, async (request, reply) => {
    const read = async (page: ExportPage) => {
      const { page: rows, nextCursor } = await listExperts(db, page);
      return { page: rows.map(expertView), nextCursor };
    };
    return listOrExport(request, reply, expertsExport, read, { limit: request.query.limit, cursor: request.query.cursor });
  });

  app.get('/experts/:id', {
    config: { roles: ['staff'] },
    schema: { tags: ['experts'], summary: 'One expert', params: IdParams, response: { 200: ExpertView, ...problemResponses(404) } },
  }, async (request) => expertView(await getExpert(db, request.params.id)));
};

export default routes;

// Webhook subscriptions (api.md → Notifications and webhooks): POST answers the signing secret once.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { recordHistory } from '../../../db/history.js';
import { deleteWebhook, getWebhook, listDeliveries, listWebhooks, webhookView } from '../../../db/repositories/webhooks.js';
import { DomainError } from '../../../domain/errors.js';
import { newWebhookSecret } from '../../../runtime/webhook-signature.js';
import { commandKey } from '../../command-runner.js';
import { actorLabel } from '../../deps.js';
import { IdParams, listOf, problemResponses } from '../../schemas/common.js';
import { exportableList } from '../../exports/media.js';
import { listOrExport, type ExportPage } from '../../exports/send.js';
import { webhookDeliveriesExport, webhooksExport } from '../../exports/lists/webhooks.js';
import { WebhookCreate, WebhookCreated, WebhookDeliveryView, WebhookListQuery, WebhookView } from '../../schemas/webhooks.js';

const routes: FastifyPluginAsyncTypebox = async (app) => {
  const { db, clock } = app.deps;

  app.post('/webhooks', {
    config: { roles: ['staff'] },
    schema: { tags: ['webhooks'], summary: 'Subscribe a URL to events; the answer carries its signing secret, shown once', body: WebhookCreate, response: { 201: WebhookCreated, ...problemResponses() } },
  }, async (request, reply) => {
    const { url, events, description } = request.body;
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new DomainError('bad_request', 'url is not a URL', [{ path: '/url', message: 'must be an http or https URL' }]);
    }
    if (!['http:', 'https:'].includes(parsed.protocol) || !parsed.hostname) throw new DomainError('bad_request', 'url is not an http or https URL', [{ path: '/url', message: 'must be an http or https URL' }]);
    // Named after the Idempotency-Key: a retried request finds the webhook the first one made.
    const id = commandKey(request).idFor('wh');
    const now = clock.now();
    const row = await db.transaction().execute(async (trx) => {
      const inserted = await trx.insertInto('webhooks').values({
        id, url: parsed.toString(), events: JSON.stringify(events), description: description ?? null, secret: newWebhookSecret(), created_at: now,
      }).onConflict((oc) => oc.column('id').doNothing()).returningAll().executeTakeFirst();
      if (!inserted) return getWebhook(trx, id, { deleted: true });
      await recordHistory(trx, { entityType: 'webhook', entityId: id, at: now, type: 'created', actor: actorLabel(request.actor), detail: { url: inserted.url, events } });
      return inserted;
    });
    return reply.code(201).send({ ...webhookView(row), secret: row.secret });
  });

  app.get('/webhooks', {
    config: { roles: ['staff'] },
    schema: { tags: ['webhooks'], summary: 'The webhooks (without their secrets)', querystring: WebhookListQuery, response: { 200: exportableList(listOf(WebhookView)), ...problemResponses() } },
  }, async (request, reply) => {
    const read = async (page: ExportPage) => {
      const { page: rows, nextCursor } = await listWebhooks(db, page);
      return { page: rows.map(webhookView), nextCursor };
    };
    return listOrExport(request, reply, webhooksExport, read, { limit: request.query.limit, cursor: request.query.cursor });
  });

  app.delete('/webhooks/:id', {
    config: { roles: ['staff'] },
    schema: { tags: ['webhooks'], summary: 'Delete a webhook: nothing more is sent to it', params: IdParams, response: { 204: Type.Null({ description: 'Deleted' }), ...problemResponses(404) } },
  }, async (request, reply) => {
    const now = clock.now();
    await db.transaction().execute(async (trx) => {
      await deleteWebhook(trx, request.params.id, now);
      await recordHistory(trx, { entityType: 'webhook', entityId: request.params.id, at: now, type: 'deleted', actor: actorLabel(request.actor) });
    });
    return reply.code(204).send(null);
  });

  app.get('/webhooks/:id/deliveries', {
    config: { roles: ['staff'] },
    schema: { tags: ['webhooks'], summary: 'The delivery log of a webhook, newest first (a deleted webhook is 404)', params: IdParams, querystring: WebhookListQuery, response: { 200: exportableList(listOf(WebhookDeliveryView)), ...problemResponses(404) } },
  }, async (request, reply) => {
    await getWebhook(db, request.params.id);
    const read = async (page: ExportPage) => {
      const { items, nextCursor } = await listDeliveries(db, request.params.id, page);
      return { page: items, nextCursor };
    };
    return listOrExport(request, reply, webhookDeliveriesExport, read, { limit: request.query.limit, cursor: request.query.cursor });
  });
};

export default routes;

// Webhook subscriptions and their delivery log, as the API shows them.
import type { Selectable } from 'kysely';
import type { DbOrTrx } from '../database.js';
import type { WebhooksTable } from '../tables/webhooks.js';
import { notFound } from '../../domain/errors.js';
import { toJstIso } from '../../domain/time.js';
import { olderThan, pageOf, type Cursor } from '../pagination.js';

export type WebhookRow = Selectable<WebhooksTable>;

export const webhookView = (row: WebhookRow) => ({
  id: row.id, url: row.url, events: row.events, description: row.description, createdAt: toJstIso(row.created_at),
});

/** A live webhook (a deleted one is 404; `deleted: true` finds it too, for an idempotent replay). */
export async function getWebhook(db: DbOrTrx, id: string, options: { deleted?: boolean } = {}): Promise<WebhookRow> {
  let query = db.selectFrom('webhooks').selectAll().where('id', '=', id);
  if (!options.deleted) query = query.where('deleted_at', 'is', null);
  const row = await query.executeTakeFirst();
  if (!row) throw notFound('Webhook', id);
  return row;
}

export async function listWebhooks(db: DbOrTrx, page: { limit: number; cursor: Cursor | null }) {
  let query = db.selectFrom('webhooks').selectAll().where('deleted_at', 'is', null);
  if (page.cursor) query = query.where(olderThan(page.cursor));
  const rows = await query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(page.limit + 1).execute();
  return pageOf(rows, page.limit);
}

/** Deleted: no new deliveries; the ones still waiting fail now. */
export async function deleteWebhook(db: DbOrTrx, id: string, at: Date): Promise<void> {
  const deleted = await db.updateTable('webhooks').set({ deleted_at: at }).where('id', '=', id).where('deleted_at', 'is', null).returning('id').executeTakeFirst();
  if (!deleted) throw notFound('Webhook', id);
  await db.updateTable('webhook_deliveries').set({ status: 'failed', last_error: 'the webhook was deleted', lease_until: null })
    .where('webhook_id', '=', id).where('status', '=', 'pending').execute();
}

export async function listDeliveries(db: DbOrTrx, webhookId: string, page: { limit: number; cursor: Cursor | null }) {
  let query = db.selectFrom('webhook_deliveries as d').innerJoin('webhook_events as e', 'e.id', 'd.event_id')
    .select(['d.id', 'd.event_id', 'e.type', 'd.status', 'd.attempts', 'd.last_status_code', 'd.next_attempt_at', 'd.last_error', 'd.created_at', 'd.delivered_at'])
    .where('d.webhook_id', '=', webhookId);
  if (page.cursor) query = query.where(olderThan(page.cursor, 'd.created_at', 'd.id'));
  const rows = await query.orderBy('d.created_at', 'desc').orderBy('d.id', 'desc').limit(page.limit + 1).execute();
  const { page: items, nextCursor } = pageOf(rows, page.limit);
  return {
    nextCursor,
    items: items.map((d) => {
      const status = d.status === 'sending' ? 'pending' : d.status;
      return {
        id: d.id, eventId: d.event_id, eventType: d.type, status, attempts: d.attempts, lastStatusCode: d.last_status_code,
        nextAttemptAt: status === 'pending' ? toJstIso(d.next_attempt_at) : null, lastError: d.last_error,
        createdAt: toJstIso(d.created_at), deliveredAt: d.delivered_at ? toJstIso(new Date(d.delivered_at)) : null,
      };
    }),
  };
}


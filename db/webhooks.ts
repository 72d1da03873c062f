// Webhook events, written in the transaction of what they report (the outbox pattern): a
// status change that commits has its event and one delivery per matching subscription, one
// that rolls back has none. The dispatcher (worker/notifications/webhooks.ts) delivers them.
import { sql, type RawBuilder } from 'kysely';
import type { DbOrTrx } from './database.js';
import { newId } from '../runtime/ids.js';

export const WEBHOOK_EVENT_TYPES = [
  'subsidy_case.status_changed', 'brand_engagement.status_changed', 'design_event.status_changed',
  'design_dispatch.status_changed', 'notification.failed',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** `history.entity_type` → the event its status changes raise. */
export const STATUS_CHANGE_EVENTS: Readonly<Record<string, WebhookEventType>> = {
  subsidy_case: 'subsidy_case.status_changed',
  brand_engagement: 'brand_engagement.status_changed',
  design_event: 'design_event.status_changed',
  design_dispatch: 'design_dispatch.status_changed',
};

export interface WebhookEvent {
  type: WebhookEventType;
  occurredAt: Date;
  data: Record<string, unknown>;
}

/**
 * Two CTEs, `webhook_event` and `webhook_delivery`: the event, recorded once for each row of
 * `source` (a CTE of the same statement, or a one-row select), and a pending delivery to every
 * live webhook subscribed to its type. Written into the statement of the change they report,
 * they cost it no round trip of their own.
 */
export function webhookEventCtes(id: string, event: WebhookEvent, source: RawBuilder<unknown>): RawBuilder<unknown> {
  return sql`webhook_event as (
      insert into webhook_events (id, type, occurred_at, data)
      select ${id}, ${event.type}, ${event.occurredAt}, ${JSON.stringify(event.data)}::jsonb from ${source} as source
      returning id),
    webhook_delivery as (
      insert into webhook_deliveries (id, webhook_id, event_id)
      select 'whd_' || replace(gen_random_uuid()::text, '-', ''), w.id, e.id from webhook_event e
      join webhooks w on w.deleted_at is null and w.events @> ${JSON.stringify([event.type])}::jsonb
      returning 1)`;
}

/** Records the event and a pending delivery to every live webhook subscribed to its type. Call inside the change's transaction. */
export async function emitWebhookEvent(db: DbOrTrx, event: WebhookEvent): Promise<string> {
  const id = newId('msg');
  await sql`with ${webhookEventCtes(id, event, sql`(select 1)`)} select count(*) from webhook_delivery`.execute(db);
  return id;
}

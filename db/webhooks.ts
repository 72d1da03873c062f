// Webhook events, written in the transaction of what they report (the outbox pattern): a
// status change that commits has its event and one delivery per matching subscription, one
// that rolls back has none. The dispatcher (worker/notifications/webhooks.ts) delivers them.
import { sql } from 'kysely';
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

/** Records the event and a pending delivery to every live webhook subscribed to its type. Call inside the change's transaction. */
export async function emitWebhookEvent(db: DbOrTrx, event: { type: WebhookEventType; occurredAt: Date; data: Record<string, unknown> }): Promise<string> {
  const id = newId('msg');
  await db.insertInto('webhook_events').values({ id, type: event.type, occurred_at: event.occurredAt, data: JSON.stringify(event.data) }).execute();
  await sql`insert into webhook_deliveries (id, webhook_id, event_id)
    select 'whd_' || replace(gen_random_uuid()::text, '-', ''), w.id, ${id} from webhooks w
    where w.deleted_at is null and w.events @> ${JSON.stringify([event.type])}::jsonb`.execute(db);
  return id;
}

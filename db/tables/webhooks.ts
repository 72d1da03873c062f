import type { ColumnType, JSONColumnType } from 'kysely';

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Maybe<T> = ColumnType<T | null, T | null | undefined, T | null>;

export interface WebhooksTable {
  id: string;
  url: string;
  events: JSONColumnType<string[]>;
  description: string | null;
  /** `whsec_<base64 key>`: signs every delivery; shown once, when the webhook is made. */
  secret: string;
  created_at: CreatedAt;
  deleted_at: Maybe<Date | string>;
}

export interface WebhookEventsTable {
  id: string;
  type: string;
  occurred_at: ColumnType<Date, Date | string, never>;
  data: JSONColumnType<Record<string, unknown>>;
  created_at: CreatedAt;
}

export type WebhookDeliveryStatus = 'pending' | 'sending' | 'delivered' | 'failed';

export interface WebhookDeliveriesTable {
  id: string;
  webhook_id: string;
  event_id: string;
  status: ColumnType<WebhookDeliveryStatus, WebhookDeliveryStatus | undefined, WebhookDeliveryStatus>;
  attempts: ColumnType<number, number | undefined, number>;
  next_attempt_at: ColumnType<Date, Date | string | undefined, Date | string>;
  lease_until: Maybe<Date | string>;
  /** Retried until then (24 hours after the event), then failed. */
  expires_at: ColumnType<Date, Date | string | undefined, Date | string>;
  last_status_code: Maybe<number>;
  last_error: Maybe<string>;
  delivered_at: Maybe<Date | string>;
  created_at: CreatedAt;
}

export interface WebhookTables {
  webhooks: WebhooksTable;
  webhook_events: WebhookEventsTable;
  webhook_deliveries: WebhookDeliveriesTable;
}

import type { ExpressionBuilder } from 'kysely';
import type { DbOrTrx } from './database.js';
import type { Database } from './schema.js';
import { sql } from 'kysely';
import { newId } from '../runtime/ids.js';
import { STATUS_CHANGE_EVENTS, webhookEventCtes } from './webhooks.js';

export interface HistoryEntry {
  entityType: string;
  entityId: string;
  at: Date;
  type: string;
  actor: string;
  fromStatus?: string | null;
  toStatus?: string | null;
  detail?: Record<string, unknown>;
  /** Set by activities so a retry writes nothing twice. */
  eventKey?: string;
}

/**
 * Writes the history row; a status change (toStatus set and not fromStatus) of a case type
 * with a webhook event also records that event, in the same transaction, once: a retry whose
 * event key is already recorded writes neither.
 */
export async function recordHistory(db: DbOrTrx, entry: HistoryEntry): Promise<void> {
  const eventType = STATUS_CHANGE_EVENTS[entry.entityType];
  const changed = eventType !== undefined && entry.toStatus != null && entry.fromStatus !== entry.toStatus;
  const row = sql`insert into history (entity_type, entity_id, at, type, actor, from_status, to_status, detail, event_key)
    values (${entry.entityType}, ${entry.entityId}, ${entry.at}, ${entry.type}, ${entry.actor}, ${entry.fromStatus ?? null}, ${entry.toStatus ?? null},
      ${JSON.stringify(entry.detail ?? {})}::jsonb, ${entry.eventKey ?? null})
    on conflict (event_key) do nothing`;
  if (!changed) {
    await row.execute(db);
    return;
  }
  // One statement, so the history row and its webhook event are written together or not at
  // all, with or without a transaction around them, and in one round trip: every command
  // changes a case's status, and each round trip is a share of the command's time.
  const event = { type: eventType, occurredAt: entry.at, data: { id: entry.entityId, fromStatus: entry.fromStatus ?? null, toStatus: entry.toStatus } };
  await sql`with recorded as (${row} returning id), ${webhookEventCtes(newId('msg'), event, sql`recorded`)}
    select count(*) from webhook_delivery`.execute(db);
}

/** Whether the command (or notice) with this event key has been recorded. */
export async function hasReceipt(db: DbOrTrx, eventKey: string): Promise<boolean> {
  const row = await db.selectFrom('history').select('id').where('event_key', '=', eventKey).executeTakeFirst();
  return row !== undefined;
}

/** `done`: whether the event key is recorded — selected beside a row locked for a command. */
export const receiptSelection = (eventKey: string) => (eb: ExpressionBuilder<Database, keyof Database>) =>
  eb.exists(eb.selectFrom('history').select('id').where('event_key', '=', eventKey)).as('done');

/** A locked row and its receipt, as the activities' transaction helper takes them. */
export function lockedWithReceipt<R extends { done: unknown }>(found: R | undefined): { row: Omit<R, 'done'>; done: boolean } | undefined {
  if (!found) return undefined;
  const { done, ...row } = found;
  return { row, done: Boolean(done) };
}

export interface HistoryView {
  at: string;
  type: string;
  actor: string;
  fromStatus: string | null;
  toStatus: string | null;
  detail: Record<string, unknown>;
}

export async function listHistory(db: DbOrTrx, entityType: string, entityId: string, toIso: (d: Date) => string): Promise<HistoryView[]> {
  const rows = await db.selectFrom('history').selectAll()
    .where('entity_type', '=', entityType).where('entity_id', '=', entityId)
    .orderBy('id').execute();
  return rows.map((r) => ({ at: toIso(r.at), type: r.type, actor: r.actor, fromStatus: r.from_status, toStatus: r.to_status, detail: r.detail }));
}

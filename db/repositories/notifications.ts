// The outbox as GET /notifications shows it, and the retry of a failed notice.
import { sql, type Selectable } from 'kysely';
import type { DbOrTrx } from '../database.js';
import type { OutboxTable } from '../tables/platform.js';
import { DomainError, notFound } from '../../domain/errors.js';
import { renderNotice } from '../../domain/notices.js';
import { toJstIso } from '../../domain/time.js';
import { olderThan, pageOf, type Cursor } from '../pagination.js';

export type NotificationRow = Selectable<OutboxTable>;
/** What a client sees: a notice being sent is still `pending` until it is marked. */
export type NotificationStatus = 'pending' | 'sent' | 'failed';

export const publicStatus = (status: OutboxTable['status']['__select__']): NotificationStatus => (status === 'sending' ? 'pending' : status);

export const bodyOf = (row: NotificationRow): string =>
  row.body ?? renderNotice({ kind: row.kind, subject: row.subject, caseId: row.case_id, payload: row.payload }).body;

/** Outbox ids are bigserial; any other id names no notice. */
const outboxId = (id: string): number | null => (/^\d{1,15}$/.test(id) ? Number(id) : null);

export async function getNotification(db: DbOrTrx, id: string): Promise<NotificationRow> {
  const n = outboxId(id);
  const row = n === null ? undefined : await db.selectFrom('outbox').selectAll().where('id', '=', n).executeTakeFirst();
  if (!row) throw notFound('Notification', id);
  return row;
}

export interface NotificationFilter {
  recipient?: string;
  kind?: string;
  status?: NotificationStatus;
  caseId?: string;
}

export async function listNotifications(db: DbOrTrx, filter: NotificationFilter, page: { limit: number; cursor: Cursor | null }) {
  let query = db.selectFrom('outbox').selectAll();
  if (filter.recipient !== undefined) query = query.where((eb) => eb.or([eb('recipient', '=', filter.recipient!), eb('address', '=', filter.recipient!)]));
  if (filter.kind !== undefined) query = query.where('kind', '=', filter.kind);
  if (filter.caseId !== undefined) query = query.where('case_id', '=', filter.caseId);
  if (filter.status !== undefined) query = query.where('status', 'in', filter.status === 'pending' ? ['pending', 'sending'] : [filter.status]);
  if (page.cursor) query = query.where(olderThan({ at: page.cursor.at, id: page.cursor.id }));
  const rows = await query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(page.limit + 1).execute();
  const { page: items, nextCursor } = pageOf(rows.map((r) => ({ ...r, id: String(r.id), row: r })), page.limit);
  return { page: items.map((i) => i.row), nextCursor };
}

/** A failed notice is queued again, due now, with a fresh set of attempts; anything else is 409. */
export async function retryNotification(db: DbOrTrx, id: string): Promise<NotificationRow> {
  const row = await getNotification(db, id);
  const retried = await db.updateTable('outbox')
    .set({ status: 'pending', attempts: 0, next_attempt_at: sql`now()`, lease_until: null })
    .where('id', '=', row.id).where('status', '=', 'failed').returningAll().executeTakeFirst();
  if (!retried) throw new DomainError('invalid_state', `retry is not allowed while the status is ${publicStatus(row.status)}`);
  return retried;
}

/** A notice as GET /notifications shows it (and as `notification.failed` carries it). */
export const notificationView = (row: NotificationRow) => {
  const status = publicStatus(row.status);
  return {
    id: String(row.id), kind: row.kind, caseId: row.case_id, recipient: row.recipient, address: row.address, subject: row.subject, body: bodyOf(row),
    createdAt: toJstIso(row.created_at), status, attempts: row.attempts, sentAt: row.sent_at ? toJstIso(row.sent_at) : null, lastError: row.last_error,
    nextAttemptAt: status === 'pending' ? toJstIso(row.next_attempt_at) : null,
  };
};

import { renderNotice, subjectIdOf } from '../domain/notices.js';
import type { DbOrTrx } from './database.js';

export interface Notification {
  /** Unique per notice: a retried activity or a replayed workflow sends nothing twice. */
  dedupeKey: string;
  recipient: string;
  kind: string;
  subject: string;
  payload: Record<string, unknown>;
  at?: Date;
}

/**
 * Queues a notification in the outbox, in the caller's transaction, rendered from its kind's
 * template; the dispatcher (worker/notifications/) delivers it. Answers whether it was new.
 */
export async function enqueueNotification(db: DbOrTrx, n: Notification): Promise<boolean> {
  const caseId = subjectIdOf(n.payload);
  const { body } = renderNotice({ kind: n.kind, subject: n.subject, caseId, payload: n.payload });
  const inserted = await db.insertInto('outbox').values({
    dedupe_key: n.dedupeKey, recipient: n.recipient, kind: n.kind, subject: n.subject, payload: JSON.stringify(n.payload),
    case_id: caseId, body,
    ...(n.at ? { created_at: n.at } : {}),
  }).onConflict((oc) => oc.column('dedupe_key').doNothing()).returning('id').executeTakeFirst();
  return inserted !== undefined;
}

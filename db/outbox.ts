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

/** Queues a notification in the outbox; answers whether it was new. */
export async function enqueueNotification(db: DbOrTrx, n: Notification): Promise<boolean> {
  const inserted = await db.insertInto('outbox').values({
    dedupe_key: n.dedupeKey, recipient: n.recipient, kind: n.kind, subject: n.subject, payload: JSON.stringify(n.payload),
    ...(n.at ? { created_at: n.at } : {}),
  }).onConflict((oc) => oc.column('dedupe_key').doNothing()).returning('id').executeTakeFirst();
  return inserted !== undefined;
}

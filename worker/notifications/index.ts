// Delivery of what the outbox tables hold, run beside the worker (worker/main.ts, `npm start`).
import type { Db } from '../../db/database.js';
import type { Config } from '../../runtime/config.js';
import { createMailDispatcher } from './mail.js';
import { createMailTransport } from './transport.js';
import { createWebhookDispatcher } from './webhooks.js';
import { emitWebhookEvent } from '../../db/webhooks.js';
import { notificationView, type NotificationRow } from '../../db/repositories/notifications.js';
import type { Trx } from '../../db/database.js';

/** A notice that gave up raises `notification.failed`, in the transaction that marks it failed. */
export async function onNotificationFailed(trx: Trx, row: NotificationRow): Promise<void> {
  await emitWebhookEvent(trx, { type: 'notification.failed', occurredAt: new Date(), data: notificationView(row) });
}

export interface Delivery {
  stop(): Promise<void>;
}

/** Starts the dispatcher loops; `smtp` is SMTP_URL or the local mailbox's port (null: notices stay queued, webhooks go). */
export function startDelivery(options: { db: Db; config: Config; smtp: { url: string } | { host: string; port: number } | null; log: (line: string) => void }): Delivery {
  const { db, config, log } = options;
  const transport = options.smtp ? createMailTransport(options.smtp) : null;
  const mail = transport && createMailDispatcher({
    db, transport, from: config.mail.from, staffEmail: config.mail.staffEmail, maxAttempts: config.mail.maxAttempts, log,
    onFailed: onNotificationFailed,
  });
  const webhooks = createWebhookDispatcher({ db, allowPrivate: config.webhooks.allowPrivate, log });
  mail?.start();
  webhooks.start();
  return {
    async stop() {
      await Promise.all([mail?.stop(), webhooks.stop()]);
      transport?.close();
    },
  };
}

// Delivery of what the outbox tables hold, run beside the worker (worker/main.ts, `npm start`).
import type { Db } from '../../db/database.js';
import type { Config } from '../../runtime/config.js';
import { createMailDispatcher } from './mail.js';
import { createMailTransport } from './transport.js';

export interface Delivery {
  stop(): Promise<void>;
}

/** Starts the dispatcher loops; `smtp` is SMTP_URL or the local mailbox's port. */
export function startDelivery(options: { db: Db; config: Config; smtp: { url: string } | { host: string; port: number }; log: (line: string) => void }): Delivery {
  const { db, config, log } = options;
  const transport = createMailTransport(options.smtp);
  const mail = createMailDispatcher({
    db, transport, from: config.mail.from, staffEmail: config.mail.staffEmail, maxAttempts: config.mail.maxAttempts, log,
  });
  mail.start();
  return {
    async stop() {
      await mail.stop();
      transport.close();
    },
  };
}

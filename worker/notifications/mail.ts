// E-mail delivery of the outbox: a PostgreSQL-backed queue (FOR UPDATE SKIP LOCKED), not a
// Temporal workflow, because every notice is already a row written in the transaction of the
// change it is about; a poller claims a batch, sends, marks. Exactly once per row, as far as
// SMTP allows (README → Notifications → The crash window):
//   1. claim: one transaction sets the due rows `sending` with a lease and attempts + 1, commits;
//   2. send: SMTP, with Message-ID derived from the row's dedupe key;
//   3. mark: `sent` (or `pending` with the next attempt's time, or `failed` after the last).
// A dispatcher that dies between 1 and 3 leaves the row `sending`; once the lease runs out
// another claims it. Only a death between the server's 250 and the commit of 3 (one UPDATE)
// sends the row again, and then with the same Message-ID.
import { createHash } from 'node:crypto';
import { sql, type Selectable } from 'kysely';
import type { Transporter } from 'nodemailer';
import type { Db, Trx } from '../../db/database.js';
import type { OutboxTable } from '../../db/tables/platform.js';
import { renderNotice } from '../../domain/notices.js';
import { poller, type Poller } from './poller.js';

export type OutboxRow = Selectable<OutboxTable>;

/** 10 s, 1 min, 5 min, 30 min, then hourly: an SMTP server down for a morning loses nothing. */
export const MAIL_BACKOFF_MS = [10_000, 60_000, 5 * 60_000, 30 * 60_000];
export const mailBackoff = (attempt: number): number => MAIL_BACKOFF_MS[attempt - 1] ?? 60 * 60_000;

export interface MailDispatcherOptions {
  db: Db;
  transport: Transporter;
  from: string;
  staffEmail: string;
  maxAttempts?: number;
  batchSize?: number;
  /** How long a claim holds a row; longer than the transport's timeouts. */
  leaseMs?: number;
  /** Delay before attempt n + 1 after n failed. */
  backoffMs?: (attempt: number) => number;
  idleMs?: number;
  /** Host part of Message-IDs. */
  messageIdDomain?: string;
  log?: (line: string) => void;
  /** Called in the transaction that marks a notice failed (webhooks: notification.failed). */
  onFailed?: (trx: Trx, row: OutboxRow) => Promise<void>;
}

/** `<sha256(dedupe key)@domain>`: the same notice always carries the same Message-ID. */
export const messageIdOf = (dedupeKey: string, domain = 'ip-support.local'): string =>
  `<${createHash('sha256').update(dedupeKey).digest('hex').slice(0, 40)}@${domain}>`;

const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error)).slice(0, 2000);

/** An SMTP answer that will not change by waiting (5xx): failed at once. */
const isPermanent = (error: unknown): boolean => {
  const code = (error as { responseCode?: unknown }).responseCode;
  return typeof code === 'number' && code >= 500 && code < 600;
};

export function createMailDispatcher(options: MailDispatcherOptions) {
  const { db, transport } = options;
  const maxAttempts = options.maxAttempts ?? 8;
  const batchSize = options.batchSize ?? 20;
  const leaseMs = options.leaseMs ?? 2 * 60_000;
  const backoffMs = options.backoffMs ?? mailBackoff;
  const log = options.log ?? (() => {});

  /** Step 1: the due rows, and the rows whose claim lapsed (a dispatcher died), now `sending`. */
  async function claim(limit = batchSize): Promise<OutboxRow[]> {
    const result = await sql<OutboxRow>`
      update outbox set status = 'sending', attempts = attempts + 1, lease_until = now() + ${`${leaseMs} milliseconds`}::interval
      where id in (
        select id from outbox
        where (status = 'pending' and next_attempt_at <= now()) or (status = 'sending' and lease_until < now())
        order by next_attempt_at, id limit ${limit}
        for update skip locked)
      returning *`.execute(db);
    return result.rows;
  }

  /** The address: an e-mail as queued; `applicant:<id>` / `expert:<id>` → theirs; else staff. */
  async function addressOf(recipient: string): Promise<string> {
    if (recipient.includes('@')) return recipient;
    const [type, id] = recipient.split(':', 2);
    if (type === 'applicant' && id) {
      const row = await db.selectFrom('applicants').select('contact_email').where('id', '=', id).executeTakeFirst();
      if (row?.contact_email) return row.contact_email;
    } else if (type === 'expert' && id) {
      const row = await db.selectFrom('experts').select('email').where('id', '=', id).executeTakeFirst();
      if (row?.email) return row.email;
    }
    return options.staffEmail;
  }

  async function deliver(row: OutboxRow): Promise<void> {
    let address: string | null = null;
    try {
      address = await addressOf(row.recipient);
      const body = row.body ?? renderNotice({ kind: row.kind, subject: row.subject, caseId: row.case_id, payload: row.payload }).body;
      // Step 2.
      await transport.sendMail({
        from: options.from, to: address, subject: row.subject, text: body,
        messageId: messageIdOf(row.dedupe_key, options.messageIdDomain),
        headers: { 'X-Notice-Kind': row.kind, 'X-Notice-Id': String(row.id) },
        textEncoding: 'base64',
      });
    } catch (error) {
      const final = row.attempts >= maxAttempts || isPermanent(error);
      const lastError = errorText(error);
      log(`notice ${row.id} (${row.kind}) attempt ${row.attempts} failed${final ? ', giving up' : ''}: ${lastError}`);
      await db.transaction().execute(async (trx) => {
        const marked = await trx.updateTable('outbox')
          .set(final
            ? { status: 'failed', lease_until: null, last_error: lastError, address }
            : { status: 'pending', lease_until: null, last_error: lastError, address, next_attempt_at: sql`now() + ${`${backoffMs(row.attempts)} milliseconds`}::interval` })
          // Fenced by the attempt: a claim that lapsed and was taken over marks nothing.
          .where('id', '=', row.id).where('status', '=', 'sending').where('attempts', '=', row.attempts)
          .returningAll().executeTakeFirst();
        if (marked && final && options.onFailed) await options.onFailed(trx, marked);
      });
      return;
    }
    // Step 3: sent is sent, whoever holds the claim now.
    await db.updateTable('outbox').set({ status: 'sent', sent_at: sql`now()`, lease_until: null, last_error: null, address })
      .where('id', '=', row.id).execute();
  }

  async function runOnce(): Promise<{ processed: number; full: boolean }> {
    const rows = await claim();
    await Promise.all(rows.map(deliver));
    return { processed: rows.length, full: rows.length === batchSize };
  }

  let loop: Poller | undefined;
  return {
    claim,
    runOnce,
    /** Sends until nothing is due (tests, the throughput script). */
    async drain(): Promise<number> {
      let total = 0;
      for (;;) {
        const { processed } = await runOnce();
        total += processed;
        if (processed === 0) return total;
      }
    },
    start() {
      loop = poller('mail dispatcher', runOnce, { idleMs: options.idleMs ?? 1_000, log });
      loop.start();
    },
    async stop() {
      await loop?.stop();
    },
  };
}

export type MailDispatcher = ReturnType<typeof createMailDispatcher>;

// The SMTP transport of the dispatcher: SMTP_URL, or the local mailbox of `npm start`.
import nodemailer, { type Transporter } from 'nodemailer';

/** Bounded: a server that stops answering fails the attempt well inside the claim's lease. */
const TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 };

export function createMailTransport(target: { url: string } | { host: string; port: number }): Transporter {
  const pool = { pool: true, maxConnections: 5, maxMessages: 1000 };
  if ('url' in target) {
    const url = new URL(target.url);
    url.searchParams.set('pool', 'true');
    for (const [name, ms] of Object.entries(TIMEOUTS)) if (!url.searchParams.has(name)) url.searchParams.set(name, String(ms));
    return nodemailer.createTransport(url.toString());
  }
  return nodemailer.createTransport({ host: target.host, port: target.port, secure: false, ignoreTLS: true, ...pool, ...TIMEOUTS });
}

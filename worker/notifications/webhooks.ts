// Webhook deliveries, worked like the outbox (worker/notifications/mail.ts): claim with a
// lease (FOR UPDATE SKIP LOCKED), POST the event signed as Standard Webhooks do, mark. Retried
// with backoff (5 s, 30 s, 2 min, 10 min, then hourly) until 24 hours after the event.
// SSRF-safe: the host is resolved here and every address it resolves to must be public
// (unless WEBHOOK_ALLOW_PRIVATE), the request connects to the address that was checked (no
// second lookup an attacker's DNS could answer differently), redirects are not followed and
// every attempt is bounded by a timeout.
import http from 'node:http';
import https from 'node:https';
import { lookup } from 'node:dns/promises';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import { sql } from 'kysely';
import type { Db } from '../../db/database.js';
import { webhookHeaders } from '../../runtime/webhook-signature.js';
import { poller, type Poller } from './poller.js';

export const WEBHOOK_BACKOFF_MS = [5_000, 30_000, 2 * 60_000, 10 * 60_000];
export const webhookBackoff = (attempt: number): number => WEBHOOK_BACKOFF_MS[attempt - 1] ?? 60 * 60_000;

const PRIVATE = new BlockList();
for (const [net, prefix] of [['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['224.0.0.0', 4], ['240.0.0.0', 4]] as const) PRIVATE.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8], ['64:ff9b::', 96]] as const) PRIVATE.addSubnet(net, prefix, 'ipv6');

/** Loopback, private, link-local, CGNAT, multicast, unspecified: not a place a webhook may reach by default. */
export function isPrivateAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return PRIVATE.check(mapped[1]!, 'ipv4');
  const family = isIP(address);
  if (family === 0) return true;
  return PRIVATE.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

class Refused extends Error {}

/** The address to connect to: the host's, each of whose addresses is allowed. */
async function vetHost(url: URL, allowPrivate: boolean): Promise<{ address: string; family: number }> {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Refused(`refused: ${url.protocol} is not http or https`);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const addresses = isIP(host) ? [{ address: host, family: isIP(host) }] : await lookup(host, { all: true, verbatim: true });
  if (addresses.length === 0) throw new Error(`${host} has no address`);
  if (!allowPrivate) {
    const bad = addresses.find((a) => isPrivateAddress(a.address));
    if (bad) throw new Refused(`refused: ${host} resolves to ${bad.address}, a loopback, private or link-local address`);
  }
  return addresses[0]!;
}

interface Attempt {
  statusCode: number | null;
  error: string | null;
}

/** One POST, connected to the vetted address, never following a redirect, bounded by `timeoutMs`. */
async function post(url: URL, headers: Record<string, string>, body: string, options: { allowPrivate: boolean; timeoutMs: number }): Promise<Attempt> {
  const target = await vetHost(url, options.allowPrivate);
  const pinned: LookupFunction = (_host, opts, callback) => {
    if ((opts as { all?: boolean }).all) (callback as (e: null, a: { address: string; family: number }[]) => void)(null, [target]);
    else callback(null, target.address, target.family);
  };
  const client = url.protocol === 'https:' ? https : http;
  return new Promise<Attempt>((resolve) => {
    const req = client.request(url, {
      method: 'POST', lookup: pinned, timeout: options.timeoutMs, agent: false,
      headers: { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'user-agent': 'ip-support-webhooks/1' },
    }, (res) => {
      res.resume(); // the answer's body is not read beyond draining
      res.on('end', () => resolve({ statusCode: res.statusCode ?? null, error: null }));
      res.on('error', (e) => resolve({ statusCode: res.statusCode ?? null, error: e.message }));
    });
    const overall = setTimeout(() => req.destroy(new Error(`no answer within ${options.timeoutMs} ms`)), options.timeoutMs);
    req.on('timeout', () => req.destroy(new Error(`no answer within ${options.timeoutMs} ms`)));
    req.on('error', (e) => resolve({ statusCode: null, error: e.message }));
    req.on('close', () => clearTimeout(overall));
    req.end(body);
  });
}

export interface WebhookDispatcherOptions {
  db: Db;
  allowPrivate: boolean;
  batchSize?: number;
  leaseMs?: number;
  timeoutMs?: number;
  backoffMs?: (attempt: number) => number;
  idleMs?: number;
  log?: (line: string) => void;
  now?: () => number;
}

interface Claimed {
  id: string;
  attempts: number;
  expires_at: Date;
  url: string;
  secret: string;
  deleted_at: Date | null;
  event_id: string;
  type: string;
  occurred_at: Date;
  data: Record<string, unknown>;
}

export function createWebhookDispatcher(options: WebhookDispatcherOptions) {
  const { db } = options;
  const batchSize = options.batchSize ?? 20;
  const leaseMs = options.leaseMs ?? 60_000;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const backoffMs = options.backoffMs ?? webhookBackoff;
  const now = options.now ?? Date.now;
  const log = options.log ?? (() => {});

  async function claim(limit = batchSize): Promise<Claimed[]> {
    const result = await sql<Claimed>`
      with claimed as (
        update webhook_deliveries set status = 'sending', attempts = attempts + 1, lease_until = now() + ${`${leaseMs} milliseconds`}::interval
        where id in (
          select id from webhook_deliveries
          where (status = 'pending' and next_attempt_at <= now()) or (status = 'sending' and lease_until < now())
          order by next_attempt_at, id limit ${limit}
          for update skip locked)
        returning id, attempts, expires_at, webhook_id, event_id)
      select c.id, c.attempts, c.expires_at, w.url, w.secret, w.deleted_at, e.id as event_id, e.type, e.occurred_at, e.data
      from claimed c join webhooks w on w.id = c.webhook_id join webhook_events e on e.id = c.event_id`.execute(db);
    return result.rows;
  }

  async function deliver(d: Claimed): Promise<void> {
    let outcome: Attempt;
    let final = false;
    if (d.deleted_at) {
      outcome = { statusCode: null, error: 'the webhook was deleted' };
      final = true;
    } else {
      // The event as the receiver reads it; the same id (webhook-id) on every attempt.
      const body = JSON.stringify({ id: d.event_id, type: d.type, occurredAt: d.occurred_at.toISOString(), data: d.data });
      const timestamp = Math.floor(now() / 1000);
      try {
        outcome = await post(new URL(d.url), webhookHeaders(d.secret, d.event_id, timestamp, body), body, { allowPrivate: options.allowPrivate, timeoutMs });
      } catch (error) {
        outcome = { statusCode: null, error: error instanceof Error ? error.message : String(error) };
      }
    }
    const ok = outcome.statusCode !== null && outcome.statusCode >= 200 && outcome.statusCode < 300;
    const error = ok ? null : (outcome.error ?? `answered ${outcome.statusCode}`).slice(0, 2000);
    const nextAt = now() + backoffMs(d.attempts);
    if (!ok && nextAt > d.expires_at.getTime()) final = true;
    if (!ok) log(`webhook delivery ${d.id} attempt ${d.attempts}${final ? ' (last)' : ''}: ${error}`);
    if (ok) {
      // Delivered is delivered, whoever holds the claim now.
      await db.updateTable('webhook_deliveries').set({ status: 'delivered', delivered_at: sql`now()`, lease_until: null, last_status_code: outcome.statusCode, last_error: null })
        .where('id', '=', d.id).execute();
      return;
    }
    await db.updateTable('webhook_deliveries')
      .set(final
        ? { status: 'failed', lease_until: null, last_status_code: outcome.statusCode, last_error: error }
        : { status: 'pending', lease_until: null, last_status_code: outcome.statusCode, last_error: error, next_attempt_at: new Date(nextAt) })
      // Fenced by the attempt: a claim that lapsed and was taken over marks nothing.
      .where('id', '=', d.id).where('status', '=', 'sending').where('attempts', '=', d.attempts)
      .execute();
  }

  async function runOnce(): Promise<{ processed: number; full: boolean }> {
    const claimed = await claim();
    await Promise.all(claimed.map(deliver));
    return { processed: claimed.length, full: claimed.length === batchSize };
  }

  let loop: Poller | undefined;
  return {
    claim,
    runOnce,
    start() {
      loop = poller('webhook dispatcher', runOnce, { idleMs: options.idleMs ?? 1_000, log });
      loop.start();
    },
    async stop() {
      await loop?.stop();
    },
  };
}

export type WebhookDispatcher = ReturnType<typeof createWebhookDispatcher>;

// Webhooks end to end: subscriptions through the API, events written with each status change
// of a subsidy case (commands through the real worker), delivered to a local receiver by the
// dispatcher and verified there with the Standard Webhooks algorithm; retries after 500s; the
// SSRF guard; no redirect followed; notification.failed when a notice gives up.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { useAppWithWorker } from '../helpers/app-with-worker.js';
import { expectProblem } from '../helpers/problem.js';
import { eventually } from '../helpers/eventually.js';
import { tokenFor } from '../helpers/app.js';
import { useTestSmtp } from '../helpers/smtp.js';
import { filingBody, newApplicant, openYear, putYear } from './subsidy-cases-fixtures.js';
import { enqueueNotification } from '../../db/outbox.js';
import { createWebhookDispatcher, isPrivateAddress, type WebhookDispatcherOptions } from '../../worker/notifications/webhooks.js';
import { createMailDispatcher } from '../../worker/notifications/mail.js';
import { createMailTransport } from '../../worker/notifications/transport.js';
import { onNotificationFailed } from '../../worker/notifications/index.js';

const h = useAppWithWorker();

interface Received { headers: IncomingHttpHeaders; body: string; path: string }

/** A receiver on 127.0.0.1: answers each path's queued statuses first, then 200. */
async function receiver() {
  const received: Received[] = [];
  const script = new Map<string, number[]>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '/';
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), path });
      const status = script.get(path)?.shift() ?? 200;
      if (status === 302) res.writeHead(302, { location: `${base}/elsewhere` }).end();
      else res.writeHead(status).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { base, received, answer: (path: string, statuses: number[]) => script.set(path, statuses) };
}

/** Standard Webhooks verification, written from the spec, not from our signer. */
function verify(secret: string, headers: IncomingHttpHeaders, body: string): boolean {
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
  const expected = createHmac('sha256', key).update(`${String(headers['webhook-id'])}.${String(headers['webhook-timestamp'])}.${body}`).digest();
  const ts = Number(headers['webhook-timestamp']);
  if (!Number.isInteger(ts) || Math.abs(Date.now() / 1000 - ts) > 300) return false;
  return String(headers['webhook-signature']).split(' ').some((sig) => {
    const [version, value] = sig.split(',');
    const given = Buffer.from(value ?? '', 'base64');
    return version === 'v1' && given.length === expected.length && timingSafeEqual(given, expected);
  });
}

const dispatcher = (options: Partial<WebhookDispatcherOptions> = {}) =>
  createWebhookDispatcher({ db: h.db, allowPrivate: true, backoffMs: () => 20, idleMs: 20, timeoutMs: 2_000, ...options });

async function drain(d = dispatcher()) {
  for (let i = 0; i < 200; i++) {
    const pending = await h.db.selectFrom('webhook_deliveries').select('id').where('status', 'in', ['pending', 'sending']).execute();
    if (pending.length === 0) return;
    await d.runOnce();
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

async function subscribe(url: string, events: string[]) {
  const res = await h.http.post('/webhooks', { url, events, description: 'テスト受信' });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<{ id: string; secret: string; url: string; events: string[] }>();
}

let rx: Awaited<ReturnType<typeof receiver>>;
const yearId = 'overseas-ip-hooks';
beforeAll(async () => {
  rx = await receiver();
  await putYear(h.http, yearId, openYear(new Date()));
});

describe('subsidy_case.status_changed', () => {
  it('reaches the receiver once per transition, signed as Standard Webhooks do', async () => {
    const hook = await subscribe(`${rx.base}/cases`, ['subsidy_case.status_changed']);
    expect(hook.secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    const applicantId = await newApplicant(h.http);
    const a = (await h.http.post('/subsidy-cases', filingBody(yearId, applicantId))).json<{ id: string }>();
    expect((await h.http.post(`/subsidy-cases/${a.id}/decision`, { approve: true })).statusCode).toBe(200);
    const b = (await h.http.post('/subsidy-cases', filingBody(yearId, applicantId))).json<{ id: string }>();
    expect((await h.http.post(`/subsidy-cases/${b.id}/withdrawal`, { reason: '出願を断念' })).statusCode).toBe(200);

    await drain();
    const got = rx.received.filter((r) => r.path === '/cases');
    for (const r of got) expect(verify(hook.secret, r.headers, r.body)).toBe(true);
    expect(verify('whsec_' + Buffer.from('another key').toString('base64'), got[0]!.headers, got[0]!.body)).toBe(false);
    const bodies = got.map((r) => JSON.parse(r.body) as { id: string; type: string; occurredAt: string; data: { id: string; fromStatus: string | null; toStatus: string } });
    expect(bodies.every((e) => e.type === 'subsidy_case.status_changed' && !Number.isNaN(Date.parse(e.occurredAt)))).toBe(true);
    expect(got.map((r) => r.headers['webhook-id'])).toEqual(bodies.map((e) => e.id));
    // One event per status change in the cases' history: none lost, none invented.
    const changes = await h.db.selectFrom('history').select(['entity_id', 'from_status', 'to_status'])
      .where('entity_type', '=', 'subsidy_case').where('entity_id', 'in', [a.id, b.id]).where('to_status', 'is not', null).orderBy('id').execute();
    const transitions = changes.filter((c) => c.from_status !== c.to_status).map((c) => ({ id: c.entity_id, fromStatus: c.from_status, toStatus: c.to_status }));
    expect(transitions).toEqual(expect.arrayContaining([
      { id: a.id, fromStatus: null, toStatus: 'under_review' }, { id: a.id, fromStatus: 'under_review', toStatus: 'approved' },
      { id: b.id, fromStatus: 'under_review', toStatus: 'withdrawn' },
    ]));
    const key = (t: { id: string; fromStatus: string | null; toStatus: string | null }) => `${t.id} ${t.fromStatus ?? ''} ${t.toStatus ?? ''}`;
    expect(bodies.map((e) => key(e.data)).sort()).toEqual(transitions.map(key).sort());

    const log = (await h.http.get(`/webhooks/${hook.id}/deliveries`)).json<{ items: { eventId: string; eventType: string; status: string; attempts: number; lastStatusCode: number | null; nextAttemptAt: string | null }[] }>();
    expect(log.items).toHaveLength(transitions.length);
    expect(log.items.every((d) => d.status === 'delivered' && d.attempts === 1 && d.lastStatusCode === 200 && d.nextAttemptAt === null && d.eventType === 'subsidy_case.status_changed')).toBe(true);
    await h.http.delete(`/webhooks/${hook.id}`);
  });

  it('a receiver that answers 500 three times gets the delivery on the fourth try', async () => {
    const hook = await subscribe(`${rx.base}/flaky`, ['subsidy_case.status_changed']);
    rx.answer('/flaky', [500, 500, 500]);
    const applicantId = await newApplicant(h.http);
    await h.http.post('/subsidy-cases', filingBody(yearId, applicantId));
    const d = dispatcher();
    d.start();
    const log = await eventually(async () => (await h.http.get(`/webhooks/${hook.id}/deliveries`)).json<{ items: { status: string; attempts: number; lastStatusCode: number }[] }>(),
      (l) => l.items[0]?.status === 'delivered');
    await d.stop();
    expect(log.items).toEqual([expect.objectContaining({ status: 'delivered', attempts: 4, lastStatusCode: 200 })]);
    const attempts = rx.received.filter((r) => r.path === '/flaky');
    expect(attempts).toHaveLength(4);
    expect(new Set(attempts.map((r) => r.headers['webhook-id'])).size).toBe(1);
    await h.http.delete(`/webhooks/${hook.id}`);
  });

  it('gives up when the next attempt would fall after its 24 hours', async () => {
    const hook = await subscribe(`${rx.base}/down`, ['subsidy_case.status_changed']);
    rx.answer('/down', [503, 503]);
    await h.http.post('/subsidy-cases', filingBody(yearId, await newApplicant(h.http)));
    // The first retry is due after 5 s, the next one after the event's 24 hours: the clock says so.
    let clock = Date.now();
    await drain(dispatcher({ backoffMs: () => 0, now: () => clock }));
    const pending = (await h.http.get(`/webhooks/${hook.id}/deliveries`)).json<{ items: { status: string }[] }>();
    expect(pending.items[0]!.status).toBe('delivered');
    // a second event whose receiver stays down past its window
    rx.answer('/down', [503, 503, 503]);
    await h.http.post('/subsidy-cases', filingBody(yearId, await newApplicant(h.http)));
    clock = Date.now() + 25 * 3600_000;
    await drain(dispatcher({ now: () => clock }));
    const log = (await h.http.get(`/webhooks/${hook.id}/deliveries`)).json<{ items: { status: string; attempts: number; lastStatusCode: number }[] }>();
    expect(log.items[0]).toMatchObject({ status: 'failed', attempts: 1, lastStatusCode: 503 });
    await h.http.delete(`/webhooks/${hook.id}`);
  });
});

describe('safety', () => {
  it('refuses loopback, private and link-local targets unless allowed, and follows no redirect', async () => {
    for (const ip of ['127.0.0.1', '10.1.2.3', '172.16.0.1', '192.168.1.1', '169.254.169.254', '::1', 'fe80::1', 'fd00::1', '::ffff:127.0.0.1', '0.0.0.0', '100.64.0.1']) expect(isPrivateAddress(ip), ip).toBe(true);
    for (const ip of ['8.8.8.8', '133.242.0.1', '2001:4860:4860::8888']) expect(isPrivateAddress(ip), ip).toBe(false);

    const hook = await subscribe(`${rx.base}/private`, ['subsidy_case.status_changed']);
    await h.http.post('/subsidy-cases', filingBody(yearId, await newApplicant(h.http)));
    await dispatcher({ allowPrivate: false }).runOnce();
    const refused = (await h.http.get(`/webhooks/${hook.id}/deliveries`)).json<{ items: { status: string; lastError: string; lastStatusCode: number | null }[] }>();
    expect(refused.items[0]).toMatchObject({ status: 'pending', lastStatusCode: null });
    expect(refused.items[0]!.lastError).toContain('loopback, private or link-local');
    expect(rx.received.filter((r) => r.path === '/private')).toHaveLength(0);
    await h.http.delete(`/webhooks/${hook.id}`);
    // Deleted: what was still waiting fails, and its log is gone with it.
    const left = await h.db.selectFrom('webhook_deliveries').select(['status', 'last_error']).where('webhook_id', '=', hook.id).execute();
    expect(left).toEqual([{ status: 'failed', last_error: 'the webhook was deleted' }]);
    expectProblem(await h.http.get(`/webhooks/${hook.id}/deliveries`), 404, 'not_found');

    const redirecting = await subscribe(`${rx.base}/redirect`, ['subsidy_case.status_changed']);
    rx.answer('/redirect', [302]);
    await h.http.post('/subsidy-cases', filingBody(yearId, await newApplicant(h.http)));
    await dispatcher().runOnce();
    const log = (await h.http.get(`/webhooks/${redirecting.id}/deliveries`)).json<{ items: { status: string; lastStatusCode: number }[] }>();
    expect(log.items[0]).toMatchObject({ status: 'pending', lastStatusCode: 302 });
    expect(rx.received.filter((r) => r.path === '/elsewhere')).toHaveLength(0);
    await h.http.delete(`/webhooks/${redirecting.id}`);
  });
});

describe('notification.failed', () => {
  it('is sent when a notice gives up, with the notice', async () => {
    const hook = await subscribe(`${rx.base}/failed`, ['notification.failed']);
    const smtp = await useTestSmtp();
    smtp.refuseNext(1);
    await enqueueNotification(h.db, { dedupeKey: 'hooks:fail', recipient: 'x@example.jp', kind: 'subsidy_case_lapsed', subject: '失効', payload: { caseId: 'sc_x', title: 't' } });
    const transport = createMailTransport({ host: '127.0.0.1', port: smtp.port });
    await createMailDispatcher({ db: h.db, transport, from: 'a@example.jp', staffEmail: 's@example.jp', maxAttempts: 1, onFailed: onNotificationFailed }).drain();
    transport.close();
    await drain();
    const [got] = rx.received.filter((r) => r.path === '/failed');
    expect(verify(hook.secret, got!.headers, got!.body)).toBe(true);
    expect(JSON.parse(got!.body)).toMatchObject({ type: 'notification.failed', data: { kind: 'subsidy_case_lapsed', caseId: 'sc_x', status: 'failed', attempts: 1 } });
  });
});

describe('the API', () => {
  it('creates (secret once), lists without secrets, deletes; refuses bad bodies, unknown ids and other roles', async () => {
    const hook = await subscribe('https://hooks.example.jp/ip', ['brand_engagement.status_changed', 'design_event.status_changed']);
    const list = (await h.http.get('/webhooks')).json<{ items: Record<string, unknown>[] }>();
    const listed = list.items.find((w) => w.id === hook.id);
    expect(listed).toEqual({ id: hook.id, url: 'https://hooks.example.jp/ip', events: ['brand_engagement.status_changed', 'design_event.status_changed'], description: 'テスト受信', createdAt: expect.any(String) });
    expect(JSON.stringify(list)).not.toContain('whsec_');
    const again = await h.http.post('/webhooks', { url: 'https://hooks.example.jp/ip', events: ['notification.failed'] }, { headers: { 'idempotency-key': 'wh-1' } });
    const replay = await h.http.post('/webhooks', { url: 'https://hooks.example.jp/ip', events: ['notification.failed'] }, { headers: { 'idempotency-key': 'wh-1' } });
    expect(replay.json()).toEqual(again.json());

    expectProblem(await h.http.post('/webhooks', { url: 'ftp://example.jp/x', events: ['notification.failed'] }), 400, 'bad_request');
    expectProblem(await h.http.post('/webhooks', { url: 'https://example.jp/x', events: [] }), 400, 'bad_request');
    expectProblem(await h.http.post('/webhooks', { url: 'https://example.jp/x', events: ['case.created'] }), 400, 'bad_request');
    expectProblem(await h.http.post('/webhooks', { url: 'https://example.jp/x', events: ['notification.failed'] }, { token: tokenFor({ sub: 'ex_1', role: 'support_leader' }) }), 403, 'forbidden');

    expect((await h.http.delete(`/webhooks/${hook.id}`)).statusCode).toBe(204);
    expectProblem(await h.http.delete(`/webhooks/${hook.id}`), 404, 'not_found');
    expect((await h.http.get('/webhooks')).json<{ items: { id: string }[] }>().items.map((w) => w.id)).not.toContain(hook.id);
    expectProblem(await h.http.get('/webhooks/wh_nope/deliveries'), 404, 'not_found');
  });
});

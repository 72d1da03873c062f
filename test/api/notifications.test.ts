// GET /notifications and POST /notifications/{id}/retry over the outbox the dispatcher works.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { useTestDatabase } from '../helpers/db.js';
import { devServer, type DevServerHarness } from '../helpers/temporal.js';
import { api, testApp, tokenFor, type Api } from '../helpers/app.js';
import { expectProblem } from '../helpers/problem.js';
import { useTestSmtp, type TestSmtp } from '../helpers/smtp.js';
import type { DatabaseHandle } from '../../db/database.js';
import { enqueueNotification } from '../../db/outbox.js';
import { createMailDispatcher } from '../../worker/notifications/mail.js';
import { createMailTransport } from '../../worker/notifications/transport.js';

let database: DatabaseHandle;
let temporal: DevServerHarness;
let app: FastifyInstance;
let http: Api;
let smtp: TestSmtp;

beforeAll(async () => {
  database = await useTestDatabase();
  temporal = await devServer();
  app = await testApp({ db: database.db, temporal: temporal.client, taskQueue: temporal.taskQueue });
  http = api(app);
  smtp = await useTestSmtp();
});
afterAll(async () => {
  await app?.close();
  await temporal?.close();
});

type View = { id: string; kind: string; caseId: string | null; recipient: string; subject: string; body: string; createdAt: string; status: string; attempts: number; sentAt: string | null; lastError: string | null };

async function drain(maxAttempts = 8) {
  const transport = createMailTransport({ host: '127.0.0.1', port: smtp.port });
  try {
    await createMailDispatcher({ db: database.db, transport, from: 'noreply@example.jp', staffEmail: 'staff@example.jp', maxAttempts, backoffMs: () => 0 }).drain();
  } finally {
    transport.close();
  }
}

describe('GET /notifications', () => {
  it('lists notices newest first with their delivery, filtered by recipient, kind, status and case, paged', async () => {
    await enqueueNotification(database.db, { dedupeKey: 'n:1', recipient: 'a@example.jp', kind: 'subsidy_evidence_reminder', subject: '【リマインダー】30日', payload: { caseId: 'sc_1', title: '特許出願', reportDeadline: '2025-03-31T17:00:00+09:00', daysBefore: 30 }, at: new Date('2025-03-01T08:00:00Z') });
    await enqueueNotification(database.db, { dedupeKey: 'n:2', recipient: 'staff', kind: 'brand_engagement_overdue', subject: '未完了', payload: { engagementId: 'be_1', status: 'in_progress', supportEndsAt: '2025-03-31T23:59:59+09:00' }, at: new Date('2025-03-02T08:00:00Z') });
    await enqueueNotification(database.db, { dedupeKey: 'n:3', recipient: 'a@example.jp', kind: 'subsidy_evidence_reminder', subject: '【リマインダー】7日', payload: { caseId: 'sc_1', title: '特許出願', reportDeadline: '2025-03-31T17:00:00+09:00', daysBefore: 7 }, at: new Date('2025-03-24T08:00:00Z') });

    const all = (await http.get('/notifications')).json<{ items: View[]; nextCursor: string | null }>();
    expect(all.items.map((n) => n.subject)).toEqual(['【リマインダー】7日', '未完了', '【リマインダー】30日']);
    expect(all.items[0]).toMatchObject({ kind: 'subsidy_evidence_reminder', caseId: 'sc_1', recipient: 'a@example.jp', createdAt: '2025-03-24T17:00:00+09:00', status: 'pending', attempts: 0, sentAt: null, lastError: null });
    expect(all.items[0]!.body).toContain('あと7日です');
    expect(all.items[1]!.caseId).toBe('be_1');

    const byCase = (await http.get('/notifications?caseId=sc_1&kind=subsidy_evidence_reminder')).json<{ items: View[] }>();
    expect(byCase.items).toHaveLength(2);
    expect((await http.get('/notifications?recipient=staff')).json<{ items: View[] }>().items.map((n) => n.kind)).toEqual(['brand_engagement_overdue']);

    const first = (await http.get('/notifications?limit=2')).json<{ items: View[]; nextCursor: string }>();
    expect(first.items).toHaveLength(2);
    const second = (await http.get(`/notifications?limit=2&cursor=${first.nextCursor}`)).json<{ items: View[]; nextCursor: string | null }>();
    expect(second.items.map((n) => n.subject)).toEqual(['【リマインダー】30日']);
    expect(second.nextCursor).toBeNull();

    await drain();
    const sent = (await http.get('/notifications?status=sent')).json<{ items: View[] }>();
    expect(sent.items).toHaveLength(3);
    expect(sent.items.every((n) => n.attempts === 1 && n.sentAt !== null)).toBe(true);
    // A staff notice went to the staff mailbox, and the list finds it by that address too.
    expect((await http.get('/notifications?recipient=staff@example.jp')).json<{ items: View[] }>().items.map((n) => n.caseId)).toEqual(['be_1']);
    expect((await http.get('/notifications?status=pending')).json<{ items: View[] }>().items).toEqual([]);
  });

  it('is for staff only, and refuses a bad filter or cursor with 400', async () => {
    expectProblem(await http.get('/notifications', { token: null }), 401, 'unauthorized');
    expectProblem(await http.get('/notifications', { token: tokenFor({ sub: 'ex_1', role: 'support_leader' }) }), 403, 'forbidden');
    expectProblem(await http.get('/notifications?status=sending'), 400, 'bad_request');
    expectProblem(await http.get('/notifications?cursor=nope!'), 400, 'bad_request');
  });
});

describe('POST /notifications/{id}/retry', () => {
  it('queues a failed notice again, which is then sent; anything not failed is 409; an unknown id 404', async () => {
    await enqueueNotification(database.db, { dedupeKey: 'n:fail', recipient: 'b@example.jp', kind: 'subsidy_case_lapsed', subject: '失効', payload: { caseId: 'sc_2', title: '商標出願' } });
    smtp.refuseNext(2);
    await drain(2);
    const failed = (await http.get('/notifications?caseId=sc_2')).json<{ items: View[] }>().items[0]!;
    expect(failed).toMatchObject({ status: 'failed', attempts: 2, sentAt: null });
    expect(failed.lastError).toContain('451');

    const retried = await http.post(`/notifications/${failed.id}/retry`);
    expect(retried.statusCode, retried.body).toBe(200);
    expect(retried.json()).toMatchObject({ id: failed.id, status: 'pending', attempts: 0 });
    expectProblem(await http.post(`/notifications/${failed.id}/retry`, undefined, { headers: { 'idempotency-key': 'another' } }), 409, 'invalid_state');

    await drain();
    expect((await http.get(`/notifications/${failed.id}`)).json()).toMatchObject({ status: 'sent', attempts: 1, lastError: null });
    expectProblem(await http.post(`/notifications/${failed.id}/retry`, undefined, { headers: { 'idempotency-key': 'a-third' } }), 409, 'invalid_state');
    expectProblem(await http.post('/notifications/999999/retry'), 404, 'not_found');
    expectProblem(await http.post('/notifications/not-a-number/retry'), 404, 'not_found');
    expectProblem(await http.post(`/notifications/${failed.id}/retry`, undefined, { token: tokenFor({ sub: 'ex_1', role: 'support_leader' }) }), 403, 'forbidden');
  });
});

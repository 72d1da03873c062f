// Commands are exactly once end to end: a retry with the same Idempotency-Key attaches to
// the first attempt's Update (or finds its receipt), whatever died in between — the worker,
// the API process, the answer — and the recovery loop finishes what a dead request left.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { Worker } from '@temporalio/worker';
import { useTestDatabase } from '../helpers/db.js';
import { devServer, type DevServerHarness } from '../helpers/temporal.js';
import { api, testApp, tokenFor } from '../helpers/app.js';
import { systemClock } from '../../runtime/clock.js';
import type { Db } from '../../db/database.js';
import { createActivities } from '../../activities/index.js';
import { commandKeyOf } from '../../api/plugins/idempotency.js';
import { commandReceipt } from '../../workflows/receipts.js';
import { caseStateQuery, subsidyCaseWorkflowId } from '../../workflows/subsidy-case-messages.js';
import { jstDate, toJstIso } from '../../domain/time.js';
import { filingBody, multipart, newApplicant, openYear, pdfBytes, putYear, type Api } from './subsidy-cases-fixtures.js';

const YEAR = 'overseas-ip-open';
/** Requests give up on Temporal after 5 s here (not 15), and a dead request's command is the recovery loop's after 0.5 s. */
const timing = { deadlineMs: 5_000, leaseMs: 500 };

let db: Db;
let temporal: DevServerHarness;
let worker: { worker: Worker; running: Promise<void> } | null = null;
let app: FastifyInstance;
let http: Api;

async function startWorker(): Promise<void> {
  const w = await temporal.startWorker({ db, clock: systemClock });
  worker = { worker: w, running: w.run() };
}

async function stopWorker(): Promise<void> {
  if (!worker) return;
  worker.worker.shutdown();
  await worker.running;
  worker = null;
}

/** Another API process on the same database and Temporal (the first one "died"). */
async function anotherApi(): Promise<{ app: FastifyInstance; http: Api }> {
  const next = await testApp({ db, temporal: temporal.client, taskQueue: temporal.taskQueue, commandTiming: timing });
  return { app: next, http: api(next) };
}

beforeAll(async () => {
  const database = await useTestDatabase();
  db = database.db;
  temporal = await devServer();
  await startWorker();
  app = await testApp({ db, temporal: temporal.client, taskQueue: temporal.taskQueue, commandTiming: timing });
  http = api(app);
  await putYear(http, YEAR, openYear(new Date()));
});
afterAll(async () => {
  await app.close();
  await stopWorker();
  await temporal.close();
});

const keyed = (key: string) => ({ headers: { 'idempotency-key': key } });

async function newCase(key: string): Promise<string> {
  const applicantId = await newApplicant(http);
  const res = await http.post('/subsidy-cases', filingBody(YEAR, applicantId), keyed(key));
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id;
}

const historyTypes = async (caseId: string) =>
  (await db.selectFrom('history').select('type').where('entity_id', '=', caseId).orderBy('id').execute()).map((r) => r.type);
const workflowStatus = async (caseId: string) => (await temporal.client.workflow.getHandle(subsidyCaseWorkflowId(caseId)).query(caseStateQuery))?.status;
const rowStatus = async (caseId: string) => (await db.selectFrom('subsidy_cases').select('status').where('id', '=', caseId).executeTakeFirstOrThrow()).status;
/** As if the process died after the command took effect and before its answer was stored. */
const forgetAnswer = (key: string) => db.updateTable('idempotency_keys').set({ status_code: null, response_body: null }).where('key', '=', key).execute();
const keyRow = (key: string) => db.selectFrom('idempotency_keys').selectAll().where('key', '=', key).executeTakeFirstOrThrow();

describe('a retry attaches to the first attempt', () => {
  it('answers a command whose worker was down (504) once the worker is back, from another API process, without doing it twice', async () => {
    const caseId = await newCase(`intake-${Date.now()}`);
    await stopWorker();
    const key = `decision-${caseId}`;
    const timedOut = await http.post(`/subsidy-cases/${caseId}/decision`, { approve: true }, keyed(key));
    expect(timedOut.statusCode, timedOut.body).toBe(504);
    expect(timedOut.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(timedOut.json().code).toBe('timeout');
    expect((await keyRow(key)).command_state).toBe('pending');
    await app.close(); // the API process "dies" with the command in flight
    await startWorker();
    ({ app, http } = await anotherApi());
    const retried = await http.post(`/subsidy-cases/${caseId}/decision`, { approve: true }, keyed(key));
    expect(retried.statusCode, retried.body).toBe(200);
    expect(retried.json().status).toBe('approved');
    const again = await http.post(`/subsidy-cases/${caseId}/decision`, { approve: true }, keyed(key));
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json()).toEqual(retried.json());
    expect((await historyTypes(caseId)).filter((t) => t === 'approved')).toHaveLength(1);
    expect(await workflowStatus(caseId)).toBe('approved');
    expect((await keyRow(key)).command_state).toBe('done');
  });

  it('finishes a command whose request died, with no client retry: the recovery loop sends it again', async () => {
    const caseId = await newCase(`intake-r-${Date.now()}`);
    await stopWorker();
    const key = `decision-r-${caseId}`;
    expect((await http.post(`/subsidy-cases/${caseId}/decision`, { approve: true }, keyed(key))).statusCode).toBe(504);
    await startWorker();
    await new Promise((r) => setTimeout(r, timing.leaseMs + 100));
    const { app: other } = await anotherApi();
    const pass = await other.recovery.runOnce();
    await other.close();
    expect(pass.settled).toBeGreaterThanOrEqual(1);
    expect(await rowStatus(caseId)).toBe('approved');
    expect(await workflowStatus(caseId)).toBe('approved');
    expect((await keyRow(key)).command_state).toBe('done');
    // The client's late retry gets the outcome, not a second approval.
    const late = await http.post(`/subsidy-cases/${caseId}/decision`, { approve: true }, keyed(key));
    expect(late.statusCode, late.body).toBe(200);
    expect((await historyTypes(caseId)).filter((t) => t === 'approved')).toHaveLength(1);
  });

  it('brings a workflow that missed a committed command back in step with PostgreSQL', async () => {
    // The activity committed (receipt and all) but Temporal lost the workflow task that ran it.
    const caseId = await newCase(`intake-d-${Date.now()}`);
    const key = `decision-d-${caseId}`;
    const { updateId } = commandKeyOf('staff:staff-tanaka', key);
    await createActivities({ db, clock: systemClock }).approveCase({
      caseId, eventKey: commandReceipt('subsidy-case', caseId, updateId), actor: 'staff:staff-tanaka', at: toJstIso(Date.now()),
      decidedAt: toJstIso(Date.now()), requestedGrantLimitJpy: null, reason: null, approvedCountries: null,
    });
    expect(await rowStatus(caseId)).toBe('approved');
    expect(await workflowStatus(caseId)).toBe('under_review');
    const retried = await http.post(`/subsidy-cases/${caseId}/decision`, { approve: true }, keyed(key));
    expect(retried.statusCode, retried.body).toBe(200);
    expect(await workflowStatus(caseId)).toBe('approved');
    expect((await historyTypes(caseId)).filter((t) => t === 'approved')).toHaveLength(1);
    const ledger = await db.selectFrom('subsidy_cap_entries').select('kind').where('case_id', '=', caseId).execute();
    expect(ledger.map((e) => e.kind)).toEqual(['reserve']);
  });

  it('gives a retried intake the same case, one row and one workflow', async () => {
    const applicantId = await newApplicant(http);
    const key = `intake-same-${Date.now()}`;
    const first = await http.post('/subsidy-cases', filingBody(YEAR, applicantId), keyed(key));
    expect(first.statusCode, first.body).toBe(201);
    await forgetAnswer(key);
    const second = await http.post('/subsidy-cases', filingBody(YEAR, applicantId), keyed(key));
    expect(second.statusCode, second.body).toBe(201);
    expect(second.json().id).toBe(first.json().id);
    const rows = await db.selectFrom('subsidy_cases').select('id').where('applicant_id', '=', applicantId).execute();
    expect(rows).toHaveLength(1);
    expect(await historyTypes(first.json().id)).toEqual(['received']);
  });

  it('records a retried expense once, with the id of the first attempt', async () => {
    const caseId = await newCase(`intake-e-${Date.now()}`);
    expect((await http.post(`/subsidy-cases/${caseId}/decision`, { approve: true })).statusCode).toBe(200);
    const key = `expense-${caseId}`;
    const body = { category: 'foreign_office_fee', payee: 'USPTO', country: 'US', incurredOn: jstDate(Date.now()), paidOn: jstDate(Date.now()), amountJpy: 400_000 };
    const first = await http.post(`/subsidy-cases/${caseId}/expenses`, body, keyed(key));
    expect(first.statusCode, first.body).toBe(201);
    await forgetAnswer(key);
    const second = await http.post(`/subsidy-cases/${caseId}/expenses`, body, keyed(key));
    expect(second.statusCode, second.body).toBe(201);
    expect(second.json().id).toBe(first.json().id);
    expect(await db.selectFrom('subsidy_expenses').select('id').where('case_id', '=', caseId).execute()).toHaveLength(1);
  });

  it('answers a command that was done and later refused by the workflow (the case moved on) from its receipt', async () => {
    const caseId = await newCase(`intake-w-${Date.now()}`);
    const key = `withdraw-${caseId}`;
    const first = await http.post(`/subsidy-cases/${caseId}/withdrawal`, { reason: '取り下げ' }, keyed(key));
    expect(first.statusCode, first.body).toBe(200);
    await forgetAnswer(key);
    // The case's workflow has ended (withdrawn): Temporal can no longer answer; the receipt does.
    const second = await http.post(`/subsidy-cases/${caseId}/withdrawal`, { reason: '取り下げ' }, keyed(key));
    expect(second.statusCode, second.body).toBe(200);
    expect(second.json().status).toBe('withdrawn');
    expect((await historyTypes(caseId)).filter((t) => t === 'withdrawn')).toHaveLength(1);
  });
});

describe('what a key covers', () => {
  it('hashes an upload\'s content: another file of the same size under the same key is refused, the same file replayed', async () => {
    const caseId = await newCase(`intake-u-${Date.now()}`);
    expect((await http.post(`/subsidy-cases/${caseId}/decision`, { approve: true })).statusCode).toBe(200);
    const expense = await http.post(`/subsidy-cases/${caseId}/expenses`, { category: 'foreign_office_fee', payee: 'USPTO', country: 'US', incurredOn: jstDate(Date.now()), paidOn: jstDate(Date.now()), amountJpy: 1000 });
    const url = `/subsidy-cases/${caseId}/expenses/${expense.json().id}/documents`;
    const upload = (text: string) => {
      const { payload, headers } = multipart(pdfBytes(text));
      return app.inject({ method: 'POST', url, payload, headers: { ...headers, authorization: `Bearer ${tokenFor({ sub: 'staff-tanaka', role: 'staff' })}`, 'idempotency-key': `doc-${caseId}` } });
    };
    const first = await upload('AAAA');
    expect(first.statusCode, first.body).toBe(201);
    const other = await upload('BBBB'); // same size, other bytes
    expect(other.statusCode, other.body).toBe(422);
    expect(other.json().code).toBe('idempotency_key_reused');
    const same = await upload('AAAA');
    expect(same.statusCode).toBe(201);
    expect(same.json().id).toBe(first.json().id);
    expect(await db.selectFrom('subsidy_documents').select('id').where('case_id', '=', caseId).execute()).toHaveLength(1);
  });

  it('scopes a key by role as well as by sub', () => {
    expect(commandKeyOf('staff:ex_1', 'k').updateId).not.toBe(commandKeyOf('support_leader:ex_1', 'k').updateId);
    expect(commandKeyOf('staff:ex_1', 'k').idFor('sc')).toBe(commandKeyOf('staff:ex_1', 'k').idFor('sc'));
  });

  it('gives a request without a key a key of its own, sent back so the request can be retried', async () => {
    const res = await http.post('/experts', { name: '鍵なし', organization: 'O' });
    expect(res.statusCode).toBe(201);
    const key = String(res.headers['idempotency-key']);
    expect(key).toMatch(/^generated:/);
    const retried = await http.post('/experts', { name: '鍵なし', organization: 'O' }, keyed(key));
    expect(retried.json().id).toBe(res.json().id);
  });
});

describe('program year revisions reach every running case', () => {
  it('a case whose intake commits while a PUT of its year is in progress starts with the new deadline', async () => {
    const applicantId = await newApplicant(http);
    const moved = toJstIso(Date.now() + 120 * 24 * 3600_000);
    // Hold the year's row as a PUT does while it commits; the intake's transaction waits for it.
    let release!: () => void;
    const released = new Promise<void>((r) => { release = r; });
    const put = db.transaction().execute(async (trx) => {
      await trx.selectFrom('program_years').select('id').where('id', '=', YEAR).forUpdate().execute();
      const rules = { ...openYear(new Date()), reportDeadline: moved };
      await trx.updateTable('program_years').set((eb) => ({ rules: JSON.stringify(rules), revision: eb('revision', '+', 1) })).where('id', '=', YEAR).execute();
      await released;
    });
    const intake = http.post('/subsidy-cases', filingBody(YEAR, applicantId));
    await new Promise((r) => setTimeout(r, 300));
    release();
    await put;
    const res = await intake;
    expect(res.statusCode, res.body).toBe(201);
    expect(Date.parse(res.json().reportDeadline)).toBe(Date.parse(moved));
    const state = await temporal.client.workflow.getHandle(subsidyCaseWorkflowId(res.json().id)).query(caseStateQuery);
    expect(Date.parse(state!.deadlines.reportDeadline)).toBe(Date.parse(moved));
    await putYear(http, YEAR, openYear(new Date()));
  });

  it('announces a revision again until every running case has heard', async () => {
    const caseId = await newCase(`intake-a-${Date.now()}`);
    expect((await http.post(`/subsidy-cases/${caseId}/decision`, { approve: true })).statusCode).toBe(200);
    const moved = toJstIso(Date.now() + 100 * 24 * 3600_000);
    // A PUT whose announcement was cut short (the process died after the commit).
    await db.updateTable('program_years').set((eb) => ({ rules: JSON.stringify({ ...openYear(new Date()), reportDeadline: moved }), revision: eb('revision', '+', 1) })).where('id', '=', YEAR).execute();
    const pass = await app.recovery.runOnce();
    expect(pass.years).toBeGreaterThanOrEqual(1);
    const year = await db.selectFrom('program_years').select(['revision', 'announced_revision']).where('id', '=', YEAR).executeTakeFirstOrThrow();
    expect(year.announced_revision).toBe(year.revision);
    await expect.poll(async () => Date.parse((await http.get(`/subsidy-cases/${caseId}`)).json().reportDeadline), { timeout: 10_000 }).toBe(Date.parse(moved));
  });
});

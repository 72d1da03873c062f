// A worker whose workflow cache holds two cases drives five through their lifecycle, one
// command per case in turn and then many at once: every command reaches a case that was
// evicted since its last one, so the worker replays that case's history before it runs the
// command. Each command must still answer as on a cached case, and do its work once: the
// replay rebuilds the state (the determination sums expenses recorded several evictions
// earlier) without running an activity again (one history row per command).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { Worker } from '@temporalio/worker';
import { useTestDatabase } from '../helpers/db.js';
import { devServer, type DevServerHarness } from '../helpers/temporal.js';
import { api, testApp, type Api } from '../helpers/app.js';
import { systemClock } from '../../runtime/clock.js';
import type { Db } from '../../db/database.js';
import { jstDate, toJstIso } from '../../domain/time.js';
import { caseStateQuery, subsidyCaseWorkflowId } from '../../workflows/subsidy-case-messages.js';
import { filingBody, newApplicant, openYear, putYear } from '../api/subsidy-cases-fixtures.js';

const YEAR = 'overseas-ip-open';
const CACHE = 2;
const CASES = 5;

let db: Db;
let temporal: DevServerHarness;
let worker: Worker;
let running: Promise<void>;
let app: FastifyInstance;
let http: Api;

beforeAll(async () => {
  db = (await useTestDatabase()).db;
  temporal = await devServer();
  worker = await temporal.startWorker({ db, clock: systemClock, maxCachedWorkflows: CACHE, workflowTaskConcurrency: CACHE });
  running = worker.run();
  app = await testApp({ db, temporal: temporal.client, taskQueue: temporal.taskQueue });
  http = api(app);
  await putYear(http, YEAR, openYear(new Date()));
});
afterAll(async () => {
  await app.close();
  worker.shutdown();
  await running;
  await temporal.close();
});

const keyed = (key: string) => ({ headers: { 'idempotency-key': key } });

async function command(caseId: string, path: string, body: unknown, key: string): Promise<Record<string, unknown>> {
  const res = await http.post(`/subsidy-cases/${caseId}${path}`, body, keyed(key));
  expect(res.statusCode, `${path} on ${caseId}: ${res.body}`).toBeLessThan(300);
  // However many cases have had commands, the worker keeps no more than its cache holds.
  expect(worker.getStatus().numCachedWorkflows).toBeLessThanOrEqual(CACHE);
  return res.json();
}

const expense = (country: string, category: string, amountJpy: number, n: string) => ({
  category, payee: `Agent ${country}`, country, invoiceNumber: `INV-${n}`, incurredOn: jstDate(Date.now()), paidOn: jstDate(Date.now()),
  amountJpy, consumptionTaxJpy: 0, currency: 'JPY', foreignAmount: amountJpy,
});

const historyTypes = async (caseId: string) =>
  (await db.selectFrom('history').select('type').where('entity_id', '=', caseId).orderBy('id').execute()).map((r) => r.type);

describe('a worker with a workflow cache of two', () => {
  it('answers every command on evicted cases correctly and once', async () => {
    const cases: string[] = [];
    for (let i = 0; i < CASES; i++) {
      const res = await http.post('/subsidy-cases', filingBody(YEAR, await newApplicant(http), { jpoApplicationNumber: `特願2024-0${70000 + i}` }), keyed(`intake-${i}`));
      expect(res.statusCode, res.body).toBe(201);
      cases.push(res.json().id);
    }

    // One command per case in turn: each case was evicted by the two after it.
    for (const [i, id] of cases.entries()) expect((await command(id, '/decision', { approve: true }, `decision-${i}`)).status).toBe('approved');
    for (const [i, id] of cases.entries()) await command(id, '/expenses', expense('US', 'foreign_office_fee', 1_100_000, `us-${i}`), `expense-us-${i}`);

    // Many at once: ten commands on five cases through a cache of two and two task slots.
    const cnExpenses = await Promise.all(cases.map((id, i) => command(id, '/expenses', expense('CN', 'local_agent_fee', 300_000, `cn-${i}`), `expense-cn-${i}`)));
    expect(cnExpenses.every((e) => typeof e.id === 'string')).toBe(true);
    await Promise.all(cases.map((id, i) => command(id, '/report', {}, `report-${i}`)));

    for (const [i, id] of cases.entries()) {
      const view = await http.get(`/subsidy-cases/${id}`);
      const expenseIds = (view.json().expenses as Array<{ id: string }>).map((e) => e.id);
      expect(expenseIds).toHaveLength(2);
      for (const [k, expenseId] of expenseIds.entries()) await command(id, `/expenses/${expenseId}/confirmation`, { accepted: true }, `confirm-${i}-${k}`);
    }
    // The determination is worked out in the workflow from the expenses in its state, which
    // a replay rebuilt: (1,100,000 + 300,000) × 1/2 = 700,000, under the 850,000 limit.
    for (const [i, id] of cases.entries()) expect((await command(id, '/determination', {}, `determination-${i}`)).determinedJpy).toBe(700_000);
    for (const [i, id] of cases.entries()) {
      expect((await command(id, '/disbursement', { paidAt: toJstIso(Date.now()), transferReference: `TR-${i}` }, `disbursement-${i}`)).status).toBe('disbursed');
    }

    // A retry of an early command, long evicted, is answered as before and changes nothing.
    const retried = await http.post(`/subsidy-cases/${cases[0]}/decision`, { approve: true }, keyed('decision-0'));
    expect(retried.statusCode, retried.body).toBe(200);

    for (const id of cases) {
      const types = await historyTypes(id);
      for (const type of new Set(types)) {
        const times = types.filter((t) => t === type).length;
        expect(`${type} ×${times}`).toBe(`${type} ×${type === 'expense_recorded' || type === 'expense_confirmed' ? 2 : 1}`);
      }
      const state = await temporal.client.workflow.getHandle(subsidyCaseWorkflowId(id)).query(caseStateQuery);
      expect(state).toMatchObject({ status: 'disbursed', determinedJpy: 700_000 });
      expect(state!.expenses).toHaveLength(2);
    }
    expect(worker.getStatus().numCachedWorkflows).toBeLessThanOrEqual(CACHE);
  });
});

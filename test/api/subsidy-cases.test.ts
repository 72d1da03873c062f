import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { Worker } from '@temporalio/worker';
import { useTestDatabase } from '../helpers/db.js';
import { devServer, type DevServerHarness } from '../helpers/temporal.js';
import { api, testApp } from '../helpers/app.js';
import { systemClock } from '../../runtime/clock.js';
import { jstDate } from '../../domain/time.js';
import type { DatabaseHandle } from '../../db/database.js';
import { filingBody, multipart, newApplicant, openYear, pdfBytes, putYear, type Api } from './subsidy-cases-fixtures.js';

let database: DatabaseHandle;
let temporal: DevServerHarness;
let worker: Worker;
let running: Promise<void>;
let app: FastifyInstance;
let client: Api;
const YEAR = 'overseas-ip-test';

beforeAll(async () => {
  database = await useTestDatabase();
  temporal = await devServer();
  worker = await temporal.startWorker({ db: database.db, clock: systemClock });
  running = worker.run();
  app = await testApp({ db: database.db, temporal: temporal.client, taskQueue: temporal.taskQueue });
  client = api(app);
  await putYear(client, YEAR, openYear(new Date()));
});

afterAll(async () => {
  await app?.close();
  worker?.shutdown();
  await running;
  await temporal?.close();
});

describe('a filing case from intake to disbursement', () => {
  it('goes through every step', async () => {
    const applicantId = await newApplicant(client);
    const created = await client.post('/subsidy-cases', filingBody(YEAR, applicantId));
    expect(created.statusCode, created.body).toBe(201);
    const kase = created.json();
    expect(kase.status).toBe('under_review');
    expect(kase.maxGrantJpy).toBe(850_000);
    const id = kase.id;

    const decided = await client.post(`/subsidy-cases/${id}/decision`, { approve: true });
    expect(decided.statusCode, decided.body).toBe(200);
    expect(decided.json().status).toBe('approved');
    expect(decided.json().grantLimitJpy).toBe(850_000);

    const today = jstDate(Date.now());
    const filing = await client.post(`/subsidy-cases/${id}/foreign-filings`, { country: 'US', applicationNumber: '18/123,456', filedOn: today });
    expect(filing.statusCode, filing.body).toBe(201);
    const expense = await client.post(`/subsidy-cases/${id}/expenses`, { category: 'foreign_office_fee', payee: 'USPTO', incurredOn: today, paidOn: today, amountJpy: 700_000 });
    expect(expense.statusCode, expense.body).toBe(201);
    const expenseId = expense.json().id;
    const upload = await client.post(`/subsidy-cases/${id}/expenses/${expenseId}/documents`, undefined, multipart(pdfBytes()));
    expect(upload.statusCode, upload.body).toBe(201);
    const download = await client.get(`/subsidy-cases/${id}/expenses/${expenseId}/documents/${upload.json().id}`);
    expect(download.statusCode).toBe(200);
    expect(download.rawPayload.equals(pdfBytes())).toBe(true);

    const reported = await client.post(`/subsidy-cases/${id}/report`);
    expect(reported.statusCode, reported.body).toBe(200);
    const confirmed = await client.post(`/subsidy-cases/${id}/expenses/${expenseId}/confirmation`, { accepted: true });
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    const determined = await client.post(`/subsidy-cases/${id}/determination`, {});
    expect(determined.statusCode, determined.body).toBe(200);
    expect(determined.json().determinedJpy).toBe(350_000);
    const disbursed = await client.post(`/subsidy-cases/${id}/disbursement`, { paidAt: new Date().toISOString().replace('Z', '+00:00'), transferReference: 'FURIKOMI-0001' });
    expect(disbursed.statusCode, disbursed.body).toBe(200);
    const view = disbursed.json();
    expect(view.status).toBe('disbursed');
    expect(view.nextStatusReportDue).toMatch(/-05-31$/);
    console.log(JSON.stringify(view, null, 1).slice(0, 6000));
    const applicant = await client.get(`/applicants/${applicantId}`);
    console.log(applicant.body);
  });
});

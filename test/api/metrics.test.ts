// GET /metrics: Prometheus text from the running app — request counters by route pattern,
// the process's metrics, open cases counted in PostgreSQL, the delivery queues — open by
// default, behind METRICS_TOKEN when set, and never in the OpenAPI document.
import { beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { enqueueNotification } from '../../db/outbox.js';
import { CASE_TYPES } from '../../db/repositories/operational-counts.js';
import { newId } from '../../runtime/ids.js';
import { useAppWithWorker } from '../helpers/app-with-worker.js';
import { api, staffToken, testApp, type Api } from '../helpers/app.js';
import { expectProblem } from '../helpers/problem.js';
import { filingBody, newApplicant, openYear, putYear } from './subsidy-cases-fixtures.js';

const h = useAppWithWorker();

interface Sample { name: string; labels: Record<string, string>; value: number }

function parse(text: string): Sample[] {
  return text.split('\n').filter((line) => line !== '' && !line.startsWith('#')).map((line) => {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match) throw new Error(`not a sample line: ${line}`);
    const labels = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1]!, m[2]!]));
    return { name: match[1]!, labels, value: Number(match[3]) };
  });
}

async function scrape(client: Api, token: string | null = null): Promise<Sample[]> {
  const res = await client.get('/metrics', { token });
  expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
  expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
  return parse(res.body);
}

const value = (samples: Sample[], name: string, labels: Record<string, string>): number =>
  samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v)).reduce((sum, s) => sum + s.value, 0);

/** Reads PostgreSQL afresh at every scrape, so a test sees its own changes. */
let fresh: FastifyInstance;
let freshHttp: Api;
beforeAll(async () => {
  fresh = await testApp({ db: h.db, temporal: h.temporal.client, taskQueue: h.temporal.taskQueue }, { metricsCacheMs: 0 });
  freshHttp = api(fresh);
  return () => fresh.close();
});

describe('GET /metrics', () => {
  it('is open without METRICS_TOKEN and carries the process\'s default metrics', async () => {
    const samples = await scrape(h.http);
    for (const name of ['process_cpu_user_seconds_total', 'process_resident_memory_bytes', 'nodejs_eventloop_lag_seconds', 'nodejs_heap_size_used_bytes']) {
      expect(samples.some((s) => s.name === name), name).toBe(true);
    }
  });

  it('counts requests by route pattern, method and status, with their duration', async () => {
    const year = 'overseas-ip-metrics-http';
    await putYear(h.http, year, openYear(new Date()));
    const intake = await h.http.post('/subsidy-cases', filingBody(year, await newApplicant(h.http)));
    expect(intake.statusCode, intake.body).toBe(201);
    const id = intake.json().id as string;
    const route = { route: '/subsidy-cases/:id', method: 'GET' };
    const before = await scrape(h.http);
    for (let i = 0; i < 3; i++) expect((await h.http.get(`/subsidy-cases/${id}`)).statusCode).toBe(200);
    await h.http.get('/subsidy-cases/sc_does_not_exist');
    await h.http.get(`/no-such-route/${id}`);
    const after = await scrape(h.http);
    expect(value(after, 'http_requests_total', { ...route, status_code: '200' }) - value(before, 'http_requests_total', { ...route, status_code: '200' })).toBe(3);
    expect(value(after, 'http_requests_total', { ...route, status_code: '404' }) - value(before, 'http_requests_total', { ...route, status_code: '404' })).toBe(1);
    expect(value(after, 'http_request_duration_seconds_count', { ...route, status_code: '200' }) - value(before, 'http_request_duration_seconds_count', { ...route, status_code: '200' })).toBe(3);
    expect(value(after, 'http_request_duration_seconds_sum', { ...route, status_code: '200' })).toBeGreaterThan(0);
    expect(value(after, 'http_requests_total', { route: 'unmatched', status_code: '404' })).toBeGreaterThanOrEqual(1);
    expect(value(after, 'http_requests_total', { route: '/subsidy-cases', method: 'POST', status_code: '201' })).toBeGreaterThanOrEqual(1);
    // The pattern, never the URL: no series per case.
    expect(after.some((s) => Object.values(s.labels).some((v) => v.includes(id)))).toBe(false);
  });

  it('shows the open cases PostgreSQL holds, per program, program year and status', async () => {
    const year = 'overseas-ip-metrics-gauge';
    await putYear(h.http, year, openYear(new Date()));
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await h.http.post('/subsidy-cases', filingBody(year, await newApplicant(h.http, 'sme', `株式会社メトリクス${i}`)));
      expect(res.statusCode, res.body).toBe(201);
      ids.push(res.json().id as string);
    }
    const open = { name: 'ip_support_open_cases', labels: { program: 'overseas_ip_subsidy', case_type: 'subsidy_case', program_year_id: year } };
    let samples = await scrape(freshHttp);
    expect(value(samples, open.name, { ...open.labels, status: 'under_review' })).toBe(3);
    const withdrawn = await h.http.post(`/subsidy-cases/${ids[0]}/withdrawal`, { reason: '出願取りやめ' });
    expect(withdrawn.statusCode, withdrawn.body).toBe(200);
    samples = await scrape(freshHttp);
    expect(value(samples, open.name, { ...open.labels, status: 'under_review' })).toBe(2);
    // An open status without cases is a zero, not a missing series; a final status is never shown.
    expect(samples.some((s) => s.name === open.name && s.labels.program_year_id === year && s.labels.status === 'approved' && s.value === 0)).toBe(true);
    expect(samples.some((s) => s.name === open.name && s.labels.status === 'withdrawn')).toBe(false);

    // Every gauge equals a count of its table, for every program and case type.
    for (const [caseType, { table, openStatuses }] of Object.entries(CASE_TYPES)) {
      const { rows } = await sql<{ program_year_id: string; status: string; n: string }>`select program_year_id, status, count(*) as n from ${sql.table(table)} group by 1, 2`.execute(h.db);
      for (const row of rows) {
        const shown = samples.find((s) => s.name === open.name && s.labels.case_type === caseType && s.labels.program_year_id === row.program_year_id && s.labels.status === row.status);
        if (openStatuses.includes(row.status)) expect(shown?.value, `${caseType} ${row.program_year_id} ${row.status}`).toBe(Number(row.n));
        else expect(shown).toBeUndefined();
      }
    }
    const programs = new Set(samples.filter((s) => s.name === open.name).map((s) => s.labels.program));
    // Every program with a year shows up, Program B through the seeded regional-brand-2024 year even without cases.
    expect([...programs].every((p) => ['overseas_ip_subsidy', 'regional_brand', 'design_management'].includes(p!))).toBe(true);
    expect(programs.has('regional_brand')).toBe(true);
  });

  it('shows the delivery queues', async () => {
    const before = value(await scrape(freshHttp), 'ip_support_delivery_queue', { queue: 'notifications', state: 'due' });
    for (let i = 0; i < 2; i++) {
      await enqueueNotification(h.db, { dedupeKey: newId('metrics'), recipient: 'staff', kind: 'metrics_test', subject: 'テスト', payload: {} });
    }
    const samples = await scrape(freshHttp);
    expect(value(samples, 'ip_support_delivery_queue', { queue: 'notifications', state: 'due' })).toBe(before + 2);
    for (const queue of ['notifications', 'webhooks']) {
      for (const state of ['due', 'retry_later', 'sending']) {
        expect(samples.some((s) => s.name === 'ip_support_delivery_queue' && s.labels.queue === queue && s.labels.state === state), `${queue} ${state}`).toBe(true);
      }
    }
  });

  it('asks for METRICS_TOKEN when it is set', async () => {
    const guarded = await testApp({ db: h.db, temporal: h.temporal.client, taskQueue: h.temporal.taskQueue }, { metricsToken: 'scrape-secret-0123' });
    try {
      const client = api(guarded);
      for (const token of [null, 'scrape-secret-wrong', staffToken]) {
        const res = await client.get('/metrics', { token });
        expectProblem(res, 401, 'unauthorized');
        expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
      }
      expect((await scrape(client, 'scrape-secret-0123')).length).toBeGreaterThan(0);
    } finally {
      await guarded.close();
    }
  });

  it('stays out of the OpenAPI document', async () => {
    const spec = (await h.http.get('/openapi.json', { token: null })).json();
    expect(Object.keys(spec.paths)).not.toContain('/metrics');
  });
});

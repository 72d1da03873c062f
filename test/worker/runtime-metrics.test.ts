// The worker process exports the Temporal SDK's worker metrics on WORKER_METRICS_ADDRESS.
// Runtime.install happens once per process, so the real worker/main.ts runs as a child
// process, polling this file's task queue; a case started through the API runs on it, and
// its workflow task and local activity show up in the metrics.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../scripts/lib/postgres.js';
import { useAppWithWorker } from '../helpers/app-with-worker.js';
import { eventually } from '../helpers/eventually.js';
import { filingBody, newApplicant, openYear, putYear } from '../api/subsidy-cases-fixtures.js';

const h = useAppWithWorker({ worker: false });
let child: ChildProcess;
let exited: Promise<unknown>;
let metricsUrl: string;

beforeAll(async () => {
  const address = `127.0.0.1:${await freePort()}`;
  metricsUrl = `http://${address}/metrics`;
  child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('../../worker/main.ts', import.meta.url))], {
    env: {
      ...process.env, DATABASE_URL: h.database.url, TEMPORAL_ADDRESS: inject('temporalAddress'), TEMPORAL_TASK_QUEUE: h.temporal.taskQueue,
      WORKFLOW_BUNDLE_PATH: inject('workflowBundlePath'), WORKER_METRICS_ADDRESS: address, DB_POOL_SIZE: '4', SMTP_URL: '',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  exited = new Promise((resolve) => child.once('exit', resolve));
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => { if (chunk.toString().includes('worker polling task queue')) resolve(); });
    child.once('exit', (code) => reject(new Error(`worker exited early (${code})`)));
  });
}, 60_000);

afterAll(async () => {
  child?.kill('SIGTERM');
  await exited;
});

const scrape = async (): Promise<string> => (await fetch(metricsUrl)).text();
/** Metric names in a Prometheus text answer (histograms by their `_bucket` series). */
const namesIn = (text: string): string[] => [...new Set([...text.matchAll(/^([a-zA-Z_:][\w:]*)[{ ]/gm)].map((m) => m[1]!))];

const EXPECTED = [
  'temporal_worker_task_slots_available', 'temporal_worker_task_slots_used', 'temporal_num_pollers', 'temporal_sticky_cache_size',
  'temporal_workflow_task_schedule_to_start_latency_bucket', 'temporal_workflow_task_execution_latency_bucket',
  'temporal_local_activity_execution_latency_bucket',
];

describe('the worker\'s Temporal SDK metrics', () => {
  it('serves slots, pollers, the sticky cache and the task latencies of the work it does', async () => {
    const year = 'overseas-ip-worker-metrics';
    await putYear(h.http, year, openYear(new Date()));
    const intake = await h.http.post('/subsidy-cases', filingBody(year, await newApplicant(h.http)));
    expect(intake.statusCode, intake.body).toBe(201);
    const text = await eventually(scrape, (t) => EXPECTED.every((name) => namesIn(t).includes(name)), 20_000);
    expect(namesIn(text)).toEqual(expect.arrayContaining(EXPECTED));
    expect(text).toContain(`task_queue="${h.temporal.taskQueue}"`);
  });
});

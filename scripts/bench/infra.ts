// The bench's own system, on this machine: embedded PostgreSQL (or BENCH_DATABASE_URL), a
// Temporal dev server (in-memory), and the worker and the API as separate processes, so
// the worker's memory can be read on its own.
import type { ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createDatabase, type DatabaseHandle } from '../../db/database.js';
import { migrateToLatest } from '../../db/migrate.js';
import { loadConfig } from '../../runtime/config.js';
import { mintToken } from '../../runtime/tokens.js';
import { ensureDatabase, freePort, startEmbeddedPostgres, withDatabase } from '../lib/postgres.js';
import { startDevServer } from '../lib/temporal-dev-server.js';
import { findTool, TEMPORAL_CLI } from '../lib/tools.js';
import { spawnNode, stopChild, waitFor } from '../lib/processes.js';

const ROOT = resolve(import.meta.dirname, '..', '..');

/**
 * The API's heap cap, as production starts it (Dockerfile, docker-compose.yml): without one,
 * V8 on a large machine lets an export's garbage grow the heap by ~80 MiB before collecting
 * it, and keeps the pages; with it the same export grows RSS by ~15 MiB (part (h)).
 */
const API_NODE_OPTIONS = '--max-old-space-size=256';
/**
 * The worker's heap cap, as docker-compose.yml starts it: with the workflow cache bounded the
 * live set is small, and the cap keeps V8 from letting garbage of evicted workflows grow the
 * heap toward its default 4 GB before collecting (part (e): 756 → 508 MiB highest at 10,000).
 */
const WORKER_NODE_OPTIONS = '--max-old-space-size=384';

export interface BenchSystem {
  apiUrl: string;
  /** The environment the worker and the API run with: what more processes of the same system get. */
  env: Record<string, string>;
  temporalAddress: string;
  taskQueue: string;
  databaseUrl: string;
  database: DatabaseHandle;
  staffToken: string;
  workerPid: number;
  /** The API process, whose memory part (h) reads. */
  apiPid: number;
  stop(): Promise<void>;
}

function benchNode(script: string, env: NodeJS.ProcessEnv, name: string): ChildProcess {
  return spawnNode(script, env, (code, signal, tail) => {
    if (code !== 0 && signal !== 'SIGTERM' && signal !== 'SIGINT') console.error(`[bench] ${name} exited (${code ?? signal}):\n${tail}`);
  });
}

export async function startBenchSystem(log: (line: string) => void): Promise<BenchSystem> {
  const scratch = mkdtempSync(join(tmpdir(), 'ip-support-bench-'));
  chmodSync(scratch, 0o755);
  const stops: Array<() => Promise<unknown>> = [];

  let baseUrl = loadConfig().bench.databaseUrl;
  if (!baseUrl) {
    const pg = await startEmbeddedPostgres({ dir: join(scratch, 'pg'), persistent: false, log });
    stops.push(() => pg.stop());
    baseUrl = pg.url;
  }
  const databaseUrl = withDatabase(baseUrl, `ip_support_bench_${process.pid}`);
  await ensureDatabase(databaseUrl);
  const database = createDatabase({ url: databaseUrl, poolSize: 8 });
  await migrateToLatest(database.db);

  const server = await startDevServer({ binary: findTool(TEMPORAL_CLI, log), port: await freePort() });
  stops.push(() => server.stop());

  // Production workers load a prebuilt bundle (npm run build); so does the bench's.
  const bundlePath = join(scratch, 'workflow-bundle.js');
  const { code } = await bundleWorkflowCode({ workflowsPath: join(ROOT, 'workflows', 'index.ts'), logger: new DefaultLogger('WARN') });
  writeFileSync(bundlePath, code);

  const secret = 'bench-secret';
  const port = await freePort();
  const taskQueue = 'bench';
  // The worker exports its metrics as in production, on a port of its own.
  const env = { DATABASE_URL: databaseUrl, TEMPORAL_ADDRESS: server.address, TEMPORAL_TASK_QUEUE: taskQueue, AUTH_JWT_SECRET: secret, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', WORKFLOW_BUNDLE_PATH: bundlePath, WORKER_METRICS_ADDRESS: `127.0.0.1:${await freePort()}` };
  const worker = benchNode('worker/main.ts', { ...env, NODE_OPTIONS: WORKER_NODE_OPTIONS }, 'worker');
  const api = benchNode('api/server.ts', { ...env, NODE_OPTIONS: API_NODE_OPTIONS }, 'api');
  stops.push(() => stopChild(worker), () => stopChild(api));
  const apiUrl = `http://127.0.0.1:${port}`;
  await waitFor('API', async () => (await fetch(`${apiUrl}/readyz`)).ok);
  await waitFor('worker', async () => readFileSync(`/proc/${worker.pid}/status`, 'utf8').length > 0);
  log(`system up: API ${apiUrl}, Temporal ${server.address}, worker pid ${worker.pid}`);

  return {
    apiUrl, env, temporalAddress: server.address, taskQueue, databaseUrl, database,
    staffToken: mintToken(secret, { sub: 'bench', role: 'staff' }, { expiresInSeconds: 24 * 3600 }),
    workerPid: worker.pid!,
    apiPid: api.pid!,
    stop: async () => {
      await database.close();
      for (const stop of stops.reverse()) await stop().catch(() => undefined);
      rmSync(scratch, { recursive: true, force: true });
    },
  };
}

/**
 * One more worker process of the system (another machine's, in production): the same
 * database, Temporal and task queue unless `env` says otherwise. Its metrics endpoint is off,
 * so it cannot collide with the first worker's.
 */
export async function startWorkerProcess(system: BenchSystem, env: Record<string, string> = {}, name = 'worker'): Promise<{ pid: number; stop(): Promise<void> }> {
  const child = benchNode('worker/main.ts', { ...system.env, NODE_OPTIONS: WORKER_NODE_OPTIONS, WORKER_METRICS_ADDRESS: 'off', ...env }, name);
  await waitFor(name, async () => readFileSync(`/proc/${child.pid}/status`, 'utf8').length > 0);
  return { pid: child.pid!, stop: () => stopChild(child) };
}

/** One more API process of the system, on a port of its own (stateless: any API answers any request). */
export async function startApiProcess(system: BenchSystem, env: Record<string, string> = {}, name = 'api'): Promise<{ url: string; pid: number; stop(): Promise<void> }> {
  const port = await freePort();
  const child = benchNode('api/server.ts', { ...system.env, NODE_OPTIONS: API_NODE_OPTIONS, PORT: String(port), ...env }, name);
  const url = `http://127.0.0.1:${port}`;
  await waitFor(name, async () => (await fetch(`${url}/readyz`)).ok);
  return { url, pid: child.pid!, stop: () => stopChild(child) };
}

export function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  return kb / 1024;
}

// The system under fault injection, every part a process of its own on 127.0.0.1:
// embedded PostgreSQL with persistent data, the Temporal dev server on a SQLite file (both
// survive a kill -9 and a restart), the worker on a prebuilt workflow bundle and the API.
// Worker and API that die on their own are restarted too, and counted.
import type { ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import { createDatabase } from '../../db/database.js';
import { migrateToLatest } from '../../db/migrate.js';
import { mintToken } from '../../runtime/tokens.js';
import { ensureDatabase, freePort, startEmbeddedPostgres, withDatabase, type RunningPostgres } from '../lib/postgres.js';
import { startDevServer, type RunningDevServer } from '../lib/temporal-dev-server.js';
import { findTool, TEMPORAL_CLI } from '../lib/tools.js';
import { spawnNode, stopChild, waitFor } from '../lib/processes.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
export type NodeRole = 'worker' | 'api';

export interface FaultSystem {
  apiUrl: string;
  temporalAddress: string;
  taskQueue: string;
  databaseUrl: string;
  staffToken: string;
  /** Exits of the worker or API that no fault caused (each restarted). */
  unplannedExits: string[];
  killNode(role: NodeRole): Promise<void>;
  startNode(role: NodeRole): Promise<void>;
  killTemporal(): Promise<void>;
  startTemporal(): Promise<void>;
  /** 'stop' = fast shutdown; 'kill' = SIGKILL of the postmaster. */
  downPostgres(how: 'stop' | 'kill'): Promise<void>;
  startPostgres(): Promise<void>;
  stop(): Promise<void>;
}

export async function startFaultSystem(options: { clockStart: string; clockAnchor: string; log: (line: string) => void }): Promise<FaultSystem> {
  const { log } = options;
  const scratch = mkdtempSync(join(tmpdir(), 'ip-support-faults-'));
  chmodSync(scratch, 0o755); // the embedded PostgreSQL may run as its own user
  const [pgPort, temporalPort, apiPort] = [await freePort(), await freePort(), await freePort()];
  const temporalBinary = findTool(TEMPORAL_CLI, log);
  const temporalDb = join(scratch, 'temporal.sqlite');
  let postgres: RunningPostgres | null = null;
  let temporal: RunningDevServer | null = null;
  const nodes: Record<NodeRole, ChildProcess | null> = { worker: null, api: null };
  const killedByUs = new Set<ChildProcess>();
  const unplannedExits: string[] = [];
  let stopping = false;

  const startPostgres = async () => {
    postgres = await startEmbeddedPostgres({ dir: join(scratch, 'pg'), port: pgPort, persistent: true, log });
  };
  const startTemporal = async () => {
    temporal = await startDevServer({ binary: temporalBinary, port: temporalPort, dbFile: temporalDb });
  };

  const system: Partial<FaultSystem> = { unplannedExits };
  const stop = async () => {
    stopping = true;
    for (const role of ['api', 'worker'] as const) {
      const child = nodes[role];
      if (child) await stopChild(child, 5000).catch(() => undefined);
    }
    await temporal?.stop().catch(() => undefined);
    await postgres?.stop().catch(() => undefined);
    rmSync(scratch, { recursive: true, force: true });
  };

  try {
    await Promise.all([startPostgres(), startTemporal()]);
    const databaseUrl = withDatabase(postgres!.url, 'ip_support');
    await ensureDatabase(databaseUrl);
    const migrations = createDatabase({ url: databaseUrl, poolSize: 2 });
    await migrateToLatest(migrations.db);
    await migrations.close();

    // Restarts must be quick: the worker loads a prebuilt bundle, as in production.
    const bundlePath = join(scratch, 'workflow-bundle.js');
    const { code } = await bundleWorkflowCode({ workflowsPath: join(ROOT, 'workflows', 'index.ts'), logger: new DefaultLogger('WARN') });
    writeFileSync(bundlePath, code);

    const secret = 'faults-secret';
    const taskQueue = 'faults';
    const apiUrl = `http://127.0.0.1:${apiPort}`;
    const env = {
      DATABASE_URL: databaseUrl, TEMPORAL_ADDRESS: `127.0.0.1:${temporalPort}`, TEMPORAL_TASK_QUEUE: taskQueue,
      AUTH_JWT_SECRET: secret, PORT: String(apiPort), HOST: '127.0.0.1', LOG_LEVEL: 'warn', WORKFLOW_BUNDLE_PATH: bundlePath,
      CLOCK_START: options.clockStart, CLOCK_ANCHOR: options.clockAnchor, TEMPORAL_LOG_LEVEL: 'ERROR',
      // A fixed metrics port would stop a restarted worker whenever anything else on the machine holds it.
      WORKER_METRICS_ADDRESS: 'off',
    };

    const restarts: Record<NodeRole, number> = { worker: 0, api: 0 };
    const startNode = async (role: NodeRole): Promise<void> => {
      const child = spawnNode(role === 'api' ? 'api/server.ts' : 'worker/main.ts', env, (exitCode, signal, tail) => {
        if (killedByUs.has(child) || stopping) return;
        const reason = tail.split('\n').find((l) => /error|fail/i.test(l))?.trim().slice(0, 160) ?? tail.trim().split('\n').pop()?.slice(0, 160) ?? '';
        unplannedExits.push(`${role} exited (${exitCode ?? signal}) at ${new Date().toISOString().slice(11, 19)}: ${reason}`);
        // Restarted as a supervisor would, with backoff, a bounded number of times.
        const delay = Math.min(5000, 1000 * 2 ** restarts[role]++);
        log(`${role} exited on its own (${exitCode ?? signal}); restarting in ${delay / 1000} s`);
        if (restarts[role] <= 30) setTimeout(() => void startNode(role).catch((e: unknown) => log(`restarting ${role}: ${String(e)}`)), delay);
      });
      if (role === 'worker') child.stdout?.on('data', (chunk: Buffer) => { if (chunk.toString().includes('polling')) restarts.worker = 0; });
      nodes[role] = child;
      if (role === 'api') await waitFor('API', async () => (await fetch(`${apiUrl}/healthz`)).ok, 60_000);
      else await waitFor('worker', async () => child.exitCode === null, 5000);
    };
    const killNode = async (role: NodeRole): Promise<void> => {
      const child = nodes[role];
      if (!child || child.exitCode !== null || child.signalCode !== null) return;
      killedByUs.add(child);
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGKILL');
      await exited;
    };

    await startNode('worker');
    await startNode('api');
    await waitFor('API readiness', async () => (await fetch(`${apiUrl}/readyz`)).ok, 60_000);

    Object.assign(system, {
      apiUrl, temporalAddress: env.TEMPORAL_ADDRESS, taskQueue, databaseUrl,
      staffToken: mintToken(secret, { sub: 'faults', role: 'staff' }, { expiresInSeconds: 24 * 3600 }),
      startNode, killNode,
      killTemporal: async () => {
        const server = temporal!;
        process.kill(server.pid, 'SIGKILL');
        await server.exited;
      },
      startTemporal,
      downPostgres: async (how: 'stop' | 'kill') => {
        const server = postgres!;
        if (how === 'stop') await server.stop();
        else {
          process.kill(server.pid, 'SIGKILL');
          await server.exited;
        }
      },
      startPostgres,
      stop,
    });
    log(`system up: API ${apiUrl}, Temporal ${env.TEMPORAL_ADDRESS} (SQLite ${temporalDb}), PostgreSQL 127.0.0.1:${pgPort} (${postgres!.dataDir})`);
    return system as FaultSystem;
  } catch (error) {
    await stop();
    throw error;
  }
}

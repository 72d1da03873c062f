// The HTTP app and a real worker on the shared dev server, with a database of the file's
// own: what every API test that runs commands end to end needs. Filled in by beforeAll,
// closed by afterAll (app, then worker, then connections).
import { afterAll, beforeAll } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { Worker } from '@temporalio/worker';
import type { DatabaseHandle, Db } from '../../db/database.js';
import type { Clock } from '../../domain/time.js';
import { systemClock } from '../../runtime/clock.js';
import { api, testApp, type Api } from './app.js';
import { useTestDatabase } from './db.js';
import { devServer, type DevServerHarness } from './temporal.js';

export interface AppWithWorker {
  database: DatabaseHandle & { url: string };
  db: Db;
  temporal: DevServerHarness;
  app: FastifyInstance;
  /** `inject` with a staff token by default. */
  http: Api;
}

/** `worker: false` for files that run no command through Temporal (resources, the platform). */
export function useAppWithWorker(options: { clock?: Clock; worker?: boolean; exportBatchSize?: number } = {}): AppWithWorker {
  const clock = options.clock ?? systemClock;
  const harness = {} as AppWithWorker;
  let worker: Worker | undefined;
  let running: Promise<void> | undefined;
  beforeAll(async () => {
    harness.database = await useTestDatabase();
    harness.db = harness.database.db;
    harness.temporal = await devServer();
    if (options.worker !== false) {
      worker = await harness.temporal.startWorker({ db: harness.db, clock });
      running = worker.run();
    }
    harness.app = await testApp({ db: harness.db, temporal: harness.temporal.client, taskQueue: harness.temporal.taskQueue, clock, exportBatchSize: options.exportBatchSize });
    harness.http = api(harness.app);
  });
  afterAll(async () => {
    await harness.app?.close();
    worker?.shutdown();
    await running;
    await harness.temporal?.close();
  });
  return harness;
}

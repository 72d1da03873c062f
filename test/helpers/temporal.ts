// Workers on the shared dev server (one task queue per test file) and time-skipping
// environments on the real test server binary.
import { inject } from 'vitest';
import { randomBytes } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Runtime, DefaultLogger, type Worker } from '@temporalio/worker';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Clock } from '../../domain/time.js';
import type { Db } from '../../db/database.js';
import { createWorker, type WorkerOptions } from '../../worker/worker.js';
import { SEARCH_ATTRIBUTES } from '../../workflows/search-attributes.js';

let runtimeInstalled = false;
function quietRuntime(): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  try {
    Runtime.install({ logger: new DefaultLogger('WARN'), shutdownSignals: [] });
  } catch {
    // already installed in this process
  }
}

export const uniqueTaskQueue = (prefix = 'test'): string => `${prefix}-${randomBytes(5).toString('hex')}`;

export interface DevServerHarness {
  client: Client;
  connection: NativeConnection;
  taskQueue: string;
  /** `maxCachedWorkflows` and `workflowTaskConcurrency` as the worker process takes them from its environment. */
  startWorker(deps: { db: Db; clock: Clock } & Pick<WorkerOptions, 'maxCachedWorkflows' | 'workflowTaskConcurrency'>): Promise<Worker>;
  close(): Promise<void>;
}

/** A client and a native connection to the shared dev server, with a fresh task queue. */
export async function devServer(): Promise<DevServerHarness> {
  quietRuntime();
  const address = inject('temporalAddress');
  const clientConnection = await Connection.connect({ address });
  const connection = await NativeConnection.connect({ address });
  const taskQueue = uniqueTaskQueue();
  return {
    client: new Client({ connection: clientConnection, namespace: 'default' }),
    connection,
    taskQueue,
    startWorker: (deps) => createWorker({ connection, namespace: 'default', taskQueue, ...deps, workflowBundlePath: inject('workflowBundlePath'), activityConcurrency: 16 }),
    close: async () => {
      await clientConnection.close();
      await connection.close();
    },
  };
}

const KEYWORD = 2; // temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD

/**
 * A time-skipping environment on its own test server process. That server knows no custom
 * search attributes until told, so the production list is registered, as the dev server
 * and a real cluster have it: workflows run here exactly as they do there.
 */
export async function timeSkipping(): Promise<TestWorkflowEnvironment> {
  quietRuntime();
  const env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path: inject('testServerPath') } } });
  await env.connection.operatorService.addSearchAttributes({
    namespace: env.namespace ?? 'default',
    searchAttributes: Object.fromEntries(SEARCH_ATTRIBUTES.map((sa) => [sa.name, KEYWORD])),
  });
  return env;
}

export function workerFor(env: TestWorkflowEnvironment, taskQueue: string, deps: { db: Db; clock: Clock }): Promise<Worker> {
  return createWorker({ connection: env.nativeConnection, namespace: env.namespace ?? 'default', taskQueue, ...deps, workflowBundlePath: inject('workflowBundlePath'), activityConcurrency: 16 });
}

// Builds the worker; worker/main.ts runs it as a process, tests run it in-process.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker, type NativeConnection } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../activities/index.js';

/** A prebuilt bundle (npm run build) beside the compiled worker wins over bundling at start. */
export function workflowSource(bundlePath = process.env.WORKFLOW_BUNDLE_PATH): { workflowBundle: { codePath: string } } | { workflowsPath: string } {
  const prebuilt = bundlePath ?? fileURLToPath(new URL('../workflow-bundle.js', import.meta.url));
  if (existsSync(prebuilt)) return { workflowBundle: { codePath: prebuilt } };
  const ts = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));
  return { workflowsPath: existsSync(ts) ? ts : fileURLToPath(new URL('../workflows/index.js', import.meta.url)) };
}

export interface WorkerOptions extends ActivityDeps {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  activityConcurrency?: number;
  workflowBundlePath?: string;
}

export async function createWorker(options: WorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    activities: createActivities({ db: options.db, clock: options.clock }),
    maxConcurrentActivityTaskExecutions: options.activityConcurrency ?? 32,
    ...workflowSource(options.workflowBundlePath),
  });
}

// Builds the worker; worker/main.ts runs it as a process, tests run it in-process.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker, type NativeConnection } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../activities/index.js';

/** A prebuilt bundle (WORKFLOW_BUNDLE_PATH, or npm run build's beside the compiled worker) wins over bundling at start. */
export function workflowSource(bundlePath?: string): { workflowBundle: { codePath: string } } | { workflowsPath: string } {
  const prebuilt = bundlePath ?? fileURLToPath(new URL('../workflow-bundle.js', import.meta.url));
  if (existsSync(prebuilt)) return { workflowBundle: { codePath: prebuilt } };
  const ts = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));
  return { workflowsPath: existsSync(ts) ? ts : fileURLToPath(new URL('../workflows/index.js', import.meta.url)) };
}

export interface WorkerOptions extends ActivityDeps {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  /** Activities scheduled through the server; the workflows run none today, all are local. */
  activityConcurrency?: number;
  /** Local activities: every command and every timer's work runs as one. */
  localActivityConcurrency?: number;
  workflowBundlePath?: string;
  /**
   * Workflows kept in memory between tasks. Unset, the SDK sizes the cache from the heap
   * (thousands of workflows on a 4 GB heap), so memory grew with the open cases; a case
   * evicted from it replays its history on its next task.
   */
  maxCachedWorkflows?: number;
  /** Workflow tasks at once; the SDK holds it to at most the cache size. */
  workflowTaskConcurrency?: number;
}

export async function createWorker(options: WorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    activities: createActivities({ db: options.db, clock: options.clock }),
    maxConcurrentActivityTaskExecutions: options.activityConcurrency ?? 32,
    maxConcurrentLocalActivityExecutions: options.localActivityConcurrency ?? 32,
    maxCachedWorkflows: options.maxCachedWorkflows ?? 500,
    maxConcurrentWorkflowTaskExecutions: Math.min(options.workflowTaskConcurrency ?? 40, options.maxCachedWorkflows ?? 500),
    ...workflowSource(options.workflowBundlePath),
  });
}

// A worker process for the crash test: it runs the real activities but kills itself
// (SIGKILL, no goodbye) right after the activity named DIE_AFTER has committed, before it
// can report completion to Temporal.
import { NativeConnection, Runtime, DefaultLogger, Worker } from '@temporalio/worker';
import { createDatabase } from '../../db/database.js';
import { createActivities } from '../../activities/index.js';
import { systemClock } from '../../runtime/clock.js';

const { TEMPORAL_ADDRESS, TASK_QUEUE, DATABASE_URL, WORKFLOW_BUNDLE_PATH, DIE_AFTER } = process.env;

Runtime.install({ logger: new DefaultLogger('ERROR') });
const database = createDatabase({ url: DATABASE_URL!, poolSize: 4 });
const activities = createActivities({ db: database.db, clock: systemClock }) as Record<string, (...args: unknown[]) => Promise<unknown>>;
const wrapped = Object.fromEntries(Object.entries(activities).map(([name, fn]) => [name, async (...args: unknown[]) => {
  const result = await fn(...args);
  if (name === DIE_AFTER) process.kill(process.pid, 'SIGKILL');
  return result;
}]));
const connection = await NativeConnection.connect({ address: TEMPORAL_ADDRESS! });
const worker = await Worker.create({ connection, namespace: 'default', taskQueue: TASK_QUEUE!, activities: wrapped, workflowBundle: { codePath: WORKFLOW_BUNDLE_PATH! } });
console.log('ready');
await worker.run();

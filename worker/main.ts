// The worker process: connections, Worker.create, graceful shutdown.
import { createDatabase } from '../db/database.js';
import { loadConfig, requireSetting } from '../runtime/config.js';
import { clockOf } from '../runtime/clock.js';
import { connectWorkerConnection } from '../runtime/temporal.js';
import { installTemporalRuntime } from '../runtime/temporal-runtime.js';
import { gracefulShutdown, type Shutdown } from '../runtime/shutdown.js';
import { createWorker } from './worker.js';
import { startDelivery } from './notifications/index.js';

export async function runWorker(shutdown: Shutdown): Promise<void> {
  const config = loadConfig();
  installTemporalRuntime(config);
  if (config.workerMetricsAddress) console.log(`[worker] Temporal worker metrics on http://${config.workerMetricsAddress}/metrics`);
  const database = createDatabase({ url: requireSetting(config.databaseUrl, 'DATABASE_URL'), poolSize: config.dbPoolSize, applicationName: 'ip-support-worker' });
  shutdown.add('database pool', () => database.close());
  const { connection, namespace } = await connectWorkerConnection({ retryForMs: 10 * 60_000, log: (line) => console.log(`[worker] ${line}`) });
  shutdown.add('worker connection', () => connection.close());
  const worker = await createWorker({
    connection, namespace, taskQueue: config.taskQueue, db: database.db, clock: clockOf(config.clock),
    activityConcurrency: config.activityConcurrency, localActivityConcurrency: config.localActivityConcurrency,
    maxCachedWorkflows: config.maxCachedWorkflows, workflowTaskConcurrency: config.workflowTaskConcurrency,
    workflowBundlePath: config.workflowBundlePath,
  });
  // run() returns once in-flight tasks are done, so the connections close after the drain.
  const running = worker.run();
  shutdown.add('worker', async () => { worker.shutdown(); await running; });
  // The outbox's notices and the webhooks go out from the worker process; stopped before the
  // pool closes. Without SMTP_URL notices stay queued (GET /notifications shows them pending).
  if (!config.mail.smtpUrl) console.log('[worker] SMTP_URL is not set: notices stay queued in the outbox');
  const delivery = startDelivery({ db: database.db, config, smtp: config.mail.smtpUrl ? { url: config.mail.smtpUrl } : null, log: (line) => console.log(`[delivery] ${line}`) });
  shutdown.add('notification delivery', () => delivery.stop());
  console.log(`worker polling task queue ${config.taskQueue} in namespace ${namespace} (workflow cache ${config.maxCachedWorkflows}, ${config.workflowTaskConcurrency} workflow tasks at once)`);
  running.catch((error: unknown) => shutdown.fail(error));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const shutdown = gracefulShutdown((line) => console.log(`[worker] ${line}`));
  runWorker(shutdown).catch((error: unknown) => shutdown.fail(error));
}

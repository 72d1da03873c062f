// The worker process: connections, Worker.create, graceful shutdown.
import { createDatabase } from '../db/database.js';
import { loadConfig, requireSetting } from '../runtime/config.js';
import { clockFromEnv } from '../runtime/clock.js';
import { connectWorkerConnection } from '../runtime/temporal.js';
import { createWorker } from './worker.js';

export async function runWorker(): Promise<void> {
  const config = loadConfig();
  const database = createDatabase({ url: requireSetting(config.databaseUrl, 'DATABASE_URL'), poolSize: config.dbPoolSize, applicationName: 'ip-support-worker' });
  const { connection, namespace } = await connectWorkerConnection();
  const worker = await createWorker({ connection, namespace, taskQueue: config.taskQueue, db: database.db, clock: clockFromEnv(), activityConcurrency: config.activityConcurrency });
  console.log(`worker polling task queue ${config.taskQueue} in namespace ${namespace}`);
  // Temporal's runtime turns SIGINT/SIGTERM into a graceful worker shutdown: run() returns
  // once in-flight tasks are done, and only then are the connections closed.
  await worker.run();
  await connection.close();
  await database.close();
  console.log('worker stopped');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  runWorker().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}

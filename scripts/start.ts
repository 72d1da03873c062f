// npm start: the whole system on one machine, from a fresh clone.
//   PostgreSQL: DATABASE_URL, else an embedded server with its data under DATA_DIR.
//   Temporal:   TEMPORAL_ADDRESS (+ TEMPORAL_* via envconfig), else the CLI dev server
//               (SQLite under DATA_DIR, web UI, search attributes registered).
// Then migrations, the worker and the API on PORT. Ctrl-C stops everything; the next
// start finds the same cases.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Runtime, DefaultLogger } from '@temporalio/worker';
import { createDatabase } from '../db/database.js';
import { migrateToLatest } from '../db/migrate.js';
import { loadConfig } from '../runtime/config.js';
import { systemClock } from '../runtime/clock.js';
import { connectClient, connectWorkerConnection } from '../runtime/temporal.js';
import { mintToken } from '../runtime/tokens.js';
import { buildApp } from '../api/app.js';
import { createWorker } from '../worker/worker.js';
import { ensureDatabase, startEmbeddedPostgres, withDatabase } from './lib/postgres.js';
import { startDevServer } from './lib/temporal-dev-server.js';
import { findTool, TEMPORAL_CLI } from './lib/tools.js';
import { readOrCreateDevSecret } from './lib/dev-secret.js';

const started = Date.now();
const log = (line: string) => console.log(`[start] ${line}`);
const config = loadConfig();
mkdirSync(config.dataDir, { recursive: true });
const stops: Array<{ name: string; stop: () => Promise<unknown> }> = [];

async function stopAll(): Promise<void> {
  for (const { name, stop } of stops.reverse()) {
    try {
      await Promise.race([stop(), new Promise((_, reject) => setTimeout(() => reject(new Error('gave up after 15 s')), 15_000).unref())]);
      log(`stopped ${name}`);
    } catch (error) {
      log(`stopping ${name}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

try {
  // Our own signal handling below stops the worker in order; Temporal's runtime must not race it.
  Runtime.install({ logger: new DefaultLogger((process.env.TEMPORAL_LOG_LEVEL as 'WARN') ?? 'WARN'), shutdownSignals: [] });

  let databaseUrl = config.databaseUrl;
  if (!databaseUrl) {
    const port = Number(process.env.EMBEDDED_PG_PORT ?? 54329);
    log(`starting embedded PostgreSQL on 127.0.0.1:${port} (data in ${join(config.dataDir, 'postgres')})`);
    const pg = await startEmbeddedPostgres({ dir: join(config.dataDir, 'postgres'), port, persistent: true, log });
    stops.push({ name: 'embedded PostgreSQL', stop: () => pg.stop() });
    databaseUrl = withDatabase(pg.url, 'ip_support');
  }
  await ensureDatabase(databaseUrl);

  let temporalUi: string | null = null;
  if (!process.env.TEMPORAL_ADDRESS) {
    const binary = findTool(TEMPORAL_CLI, log);
    const port = Number(process.env.TEMPORAL_DEV_PORT ?? 7233);
    const uiPort = Number(process.env.TEMPORAL_UI_PORT ?? 8233);
    log(`starting Temporal dev server on 127.0.0.1:${port} (history in ${join(config.dataDir, 'temporal.sqlite')})`);
    const server = await startDevServer({ binary, port, uiPort, dbFile: join(config.dataDir, 'temporal.sqlite'), log });
    stops.push({ name: 'Temporal dev server', stop: () => server.stop() });
    process.env.TEMPORAL_ADDRESS = server.address;
    temporalUi = server.uiUrl;
  }

  const database = createDatabase({ url: databaseUrl, poolSize: config.dbPoolSize, applicationName: 'ip-support-dev' });
  stops.push({ name: 'database pool', stop: () => database.close() });
  await migrateToLatest(database.db, log);

  let jwtSecret = config.jwtSecret;
  let printToken = false;
  if (!jwtSecret) {
    jwtSecret = readOrCreateDevSecret(config.dataDir).secret;
    printToken = true;
  }

  const workerConnection = await connectWorkerConnection();
  stops.push({ name: 'worker connection', stop: () => workerConnection.connection.close() });
  const worker = await createWorker({ connection: workerConnection.connection, namespace: workerConnection.namespace, taskQueue: config.taskQueue, db: database.db, clock: systemClock, activityConcurrency: config.activityConcurrency });
  const running = worker.run();
  stops.push({ name: 'worker', stop: async () => { worker.shutdown(); await running; } });

  const temporal = await connectClient();
  stops.push({ name: 'temporal client', stop: () => temporal.close() });
  const app = await buildApp({ db: database.db, temporal: temporal.client, clock: systemClock, jwtSecret, taskQueue: config.taskQueue, logger: { level: config.logLevel } });
  await app.listen({ port: config.port, host: config.host });
  stops.push({ name: 'API', stop: () => app.close() });

  const base = `http://localhost:${config.port}`;
  console.log(`
  ready in ${((Date.now() - started) / 1000).toFixed(1)} s
  API            ${base}            (readiness: ${base}/readyz)
  API docs       ${base}/docs
  OpenAPI        ${base}/openapi.json
  Temporal UI    ${temporalUi ?? '(external Temporal: see its own UI)'}
  Temporal       ${process.env.TEMPORAL_ADDRESS}  task queue ${config.taskQueue}
  PostgreSQL     ${databaseUrl.replace(/:[^:@/]*@/, ':***@')}
  Data           ${config.dataDir}
${printToken ? `  Staff token    (development secret in ${config.dataDir}; mint more with \`npm run token -- --role staff --sub NAME\`)
  ${mintToken(jwtSecret, { sub: 'dev-staff', role: 'staff', name: 'Development staff' })}
` : ''}  Ctrl-C stops everything.
`);

  let stoppingSince = 0;
  const shutdown = (signal: string) => {
    // npm and tsx relay the terminal's Ctrl-C too, so one press arrives more than once;
    // only a second press a while later means "stop now".
    if (stoppingSince) {
      if (Date.now() - stoppingSince > 2000) process.exit(1);
      return;
    }
    stoppingSince = Date.now();
    log(`${signal}: stopping`);
    void stopAll().then(() => process.exit(0));
  };
  // Nothing else may exit the process on a signal before our ordered shutdown (a library's
  // exit hook once did): this process owns its signals.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.removeAllListeners(signal);
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  running.catch((error: unknown) => {
    log(`worker failed: ${String(error)}`);
    shutdown('worker failure');
  });
} catch (error) {
  console.error('[start] failed:', error);
  await stopAll();
  process.exit(1);
}

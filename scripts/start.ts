// npm start: the whole system on one machine, from a fresh clone.
//   PostgreSQL: DATABASE_URL, else an embedded server with its data under DATA_DIR.
//   Temporal:   TEMPORAL_ADDRESS (+ TEMPORAL_* via envconfig), else the CLI dev server
//               (SQLite under DATA_DIR, web UI, search attributes registered).
// Then migrations, the worker and the API on PORT. Ctrl-C stops everything; the next
// start finds the same cases.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createDatabase } from '../db/database.js';
import { migrateToLatest } from '../db/migrate.js';
import { loadConfig } from '../runtime/config.js';
import { gracefulShutdown } from '../runtime/shutdown.js';
import { systemClock } from '../runtime/clock.js';
import { connectClient, connectWorkerConnection } from '../runtime/temporal.js';
import { mintToken } from '../runtime/tokens.js';
import { installTemporalRuntime } from '../runtime/temporal-runtime.js';
import { buildApp } from '../api/app.js';
import { createWorker } from '../worker/worker.js';
import { ensureDatabase, startEmbeddedPostgres, withDatabase } from './lib/postgres.js';
import { startDevServer } from './lib/temporal-dev-server.js';
import { findTool, TEMPORAL_CLI } from './lib/tools.js';
import { readOrCreateDevSecret } from './lib/dev-secret.js';
import { startLocalMailbox } from './lib/local-mailbox.js';
import { startDelivery } from '../worker/notifications/index.js';

const started = Date.now();
const log = (line: string) => console.log(`[start] ${line}`);
// First, so a Ctrl-C during the start stops what has started so far.
const shutdown = gracefulShutdown(log);
const config = loadConfig();
mkdirSync(config.dataDir, { recursive: true });

try {
  // Before any connection: the worker's metrics exporter is part of the runtime.
  installTemporalRuntime(config);

  let databaseUrl = config.databaseUrl;
  if (!databaseUrl) {
    const port = config.dev.embeddedPgPort;
    log(`starting embedded PostgreSQL on 127.0.0.1:${port} (data in ${join(config.dataDir, 'postgres')})`);
    const pg = await startEmbeddedPostgres({ dir: join(config.dataDir, 'postgres'), port, persistent: true, log });
    shutdown.add('embedded PostgreSQL', () => pg.stop());
    databaseUrl = withDatabase(pg.url, 'ip_support');
  }
  await ensureDatabase(databaseUrl);

  let temporalUi: string | null = null;
  let temporalAddress = config.temporalAddress;
  if (!temporalAddress) {
    const binary = findTool(TEMPORAL_CLI, log);
    const { temporalDevPort: port, temporalUiPort: uiPort } = config.dev;
    log(`starting Temporal dev server on 127.0.0.1:${port} (history in ${join(config.dataDir, 'temporal.sqlite')})`);
    const server = await startDevServer({ binary, port, uiPort, dbFile: join(config.dataDir, 'temporal.sqlite'), log });
    shutdown.add('Temporal dev server', () => server.stop());
    temporalAddress = server.address;
    // @temporalio/envconfig reads the address from the environment (runtime/temporal.ts).
    process.env.TEMPORAL_ADDRESS = server.address;
    temporalUi = server.uiUrl;
  }

  const database = createDatabase({ url: databaseUrl, poolSize: config.dbPoolSize, applicationName: 'ip-support-dev' });
  shutdown.add('database pool', () => database.close());
  await migrateToLatest(database.db, log);

  let jwtSecret = config.jwtSecret;
  let printToken = false;
  // A development secret only where HS256 tokens are accepted: not beside an identity provider unless AUTH_ALLOW_HS256.
  if (!jwtSecret && (!config.identityProvider || config.identityProvider.allowHs256)) {
    jwtSecret = readOrCreateDevSecret(config.dataDir).secret;
    printToken = true;
  }

  const workerConnection = await connectWorkerConnection();
  shutdown.add('worker connection', () => workerConnection.connection.close());
  const worker = await createWorker({
    connection: workerConnection.connection, namespace: workerConnection.namespace, taskQueue: config.taskQueue, db: database.db, clock: systemClock,
    activityConcurrency: config.activityConcurrency, localActivityConcurrency: config.localActivityConcurrency, workflowBundlePath: config.workflowBundlePath,
    maxCachedWorkflows: config.maxCachedWorkflows, workflowTaskConcurrency: config.workflowTaskConcurrency,
  });
  const running = worker.run();
  shutdown.add('worker', async () => { worker.shutdown(); await running; });
  running.catch((error: unknown) => shutdown.fail(error));

  // Notices: SMTP_URL, else a local mailbox that keeps each message as an .eml file.
  let mailNote = config.mail.smtpUrl ? config.mail.smtpUrl.replace(/:[^:@/]*@/, ':***@') : '';
  let smtp: { url: string } | { host: string; port: number } = { url: config.mail.smtpUrl ?? '' };
  if (!config.mail.smtpUrl) {
    const mailbox = await startLocalMailbox({ dir: join(config.dataDir, 'mail'), port: config.mail.smtpPort, log });
    shutdown.add('local mailbox', () => mailbox.stop());
    smtp = { host: '127.0.0.1', port: mailbox.port };
    mailNote = `local mailbox smtp://127.0.0.1:${mailbox.port}, each message an .eml file in ${mailbox.dir}`;
  }
  const delivery = startDelivery({ db: database.db, config, smtp, log: (line) => console.log(`[delivery] ${line}`) });
  shutdown.add('notification delivery', () => delivery.stop());

  const temporal = await connectClient();
  shutdown.add('temporal client', () => temporal.close());
  const app = await buildApp({
    db: database.db, temporal: temporal.client, clock: systemClock, jwtSecret, identityProvider: config.identityProvider, metricsToken: config.metricsToken,
    taskQueue: config.taskQueue, logger: { level: config.logLevel }, exportBatchSize: config.exportBatchSize,
  });
  await app.listen({ port: config.port, host: config.host });
  shutdown.add('API', () => app.close());

  const base = `http://localhost:${config.port}`;
  console.log(`
  ready in ${((Date.now() - started) / 1000).toFixed(1)} s
  API            ${base}            (readiness: ${base}/readyz)
  API docs       ${base}/docs
  OpenAPI        ${base}/openapi.json
  Temporal UI    ${temporalUi ?? '(external Temporal: see its own UI)'}
  Temporal       ${temporalAddress}  task queue ${config.taskQueue}
  Metrics        ${base}/metrics (API)${config.workerMetricsAddress ? `, http://${config.workerMetricsAddress}/metrics (worker)` : ''}
  Mail           ${mailNote}
  PostgreSQL     ${databaseUrl.replace(/:[^:@/]*@/, ':***@')}
  Data           ${config.dataDir}
${printToken && jwtSecret ? `  Staff token    (development secret in ${config.dataDir}; mint more with \`npm run token -- --role staff --sub NAME\`)
  ${mintToken(jwtSecret, { sub: 'dev-staff', role: 'staff', name: 'Development staff' })}
` : ''}  Ctrl-C stops everything.
`);
} catch (error) {
  shutdown.fail(error);
}

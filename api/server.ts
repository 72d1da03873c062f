// The API process: listens, owns timeouts and graceful shutdown. app.ts never listens.
import { createDatabase } from '../db/database.js';
import { loadConfig, requireSetting } from '../runtime/config.js';
import { clockOf } from '../runtime/clock.js';
import { connectClient } from '../runtime/temporal.js';
import { gracefulShutdown, type Shutdown } from '../runtime/shutdown.js';
import { buildApp } from './app.js';

export async function runApi(shutdown: Shutdown): Promise<{ url: string }> {
  const config = loadConfig();
  const database = createDatabase({ url: requireSetting(config.databaseUrl, 'DATABASE_URL'), poolSize: config.dbPoolSize, applicationName: 'ip-support-api' });
  shutdown.add('database pool', () => database.close());
  const temporal = await connectClient();
  shutdown.add('temporal client', () => temporal.close());
  const app = await buildApp({
    db: database.db, temporal: temporal.client, clock: clockOf(config.clock),
    // With an identity provider the secret is optional (HS256 is refused unless AUTH_ALLOW_HS256).
    jwtSecret: config.identityProvider ? config.jwtSecret : requireSetting(config.jwtSecret, 'AUTH_JWT_SECRET'),
    identityProvider: config.identityProvider, metricsToken: config.metricsToken, taskQueue: config.taskQueue,
    logger: { level: config.logLevel }, exportBatchSize: config.exportBatchSize,
  });
  shutdown.add('http server', () => app.close());
  app.server.requestTimeout = 30_000;
  app.server.keepAliveTimeout = 5_000;
  const url = await app.listen({ port: config.port, host: config.host });
  return { url };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const shutdown = gracefulShutdown((line) => console.log(`[api] ${line}`));
  runApi(shutdown).catch((error: unknown) => shutdown.fail(error));
}

// The API process: listens, owns timeouts and graceful shutdown. app.ts never listens.
import { createDatabase } from '../db/database.js';
import { loadConfig, requireSetting } from '../runtime/config.js';
import { clockFromEnv } from '../runtime/clock.js';
import { connectClient } from '../runtime/temporal.js';
import { onShutdown } from '../runtime/shutdown.js';
import { buildApp } from './app.js';

export async function runApi(): Promise<{ url: string }> {
  const config = loadConfig();
  const database = createDatabase({ url: requireSetting(config.databaseUrl, 'DATABASE_URL'), poolSize: config.dbPoolSize, applicationName: 'ip-support-api' });
  const temporal = await connectClient();
  const app = await buildApp({
    db: database.db, temporal: temporal.client, clock: clockFromEnv(),
    jwtSecret: requireSetting(config.jwtSecret, 'AUTH_JWT_SECRET'), taskQueue: config.taskQueue,
    logger: { level: config.logLevel },
  });
  app.server.requestTimeout = 30_000;
  app.server.keepAliveTimeout = 5_000;
  const url = await app.listen({ port: config.port, host: config.host });
  onShutdown([
    { name: 'database pool', close: () => database.close() },
    { name: 'temporal client', close: () => temporal.close() },
    { name: 'http server', close: () => app.close() },
  ], (line) => app.log.info(line));
  return { url };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  runApi().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}

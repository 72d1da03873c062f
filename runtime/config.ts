// Every setting the processes read from the environment, in one place.
import { resolve } from 'node:path';

export interface Config {
  databaseUrl: string | undefined;
  dataDir: string;
  port: number;
  host: string;
  jwtSecret: string | undefined;
  taskQueue: string;
  logLevel: string;
  /** Activities the worker runs at once; the pool is sized to match. */
  activityConcurrency: number;
  dbPoolSize: number;
}

function intFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n <= 0) throw new Error(`${name} must be a positive integer, got "${raw}"`);
  return n;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const activityConcurrency = intFromEnv(env, 'WORKER_ACTIVITY_CONCURRENCY', 32);
  return {
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: resolve(env.DATA_DIR || '.data'),
    port: intFromEnv(env, 'PORT', 3000),
    host: env.HOST || '0.0.0.0',
    jwtSecret: env.AUTH_JWT_SECRET || undefined,
    taskQueue: env.TEMPORAL_TASK_QUEUE || 'ip-support',
    logLevel: env.LOG_LEVEL || 'info',
    activityConcurrency,
    dbPoolSize: intFromEnv(env, 'DB_POOL_SIZE', activityConcurrency + 4),
  };
}

export function requireSetting<T>(value: T | undefined, name: string): T {
  if (value === undefined) throw new Error(`${name} is not set`);
  return value;
}

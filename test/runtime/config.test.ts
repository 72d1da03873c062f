// The environment schema: defaults in one place, the pool sized for every activity slot,
// and a value that does not fit named at start.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../runtime/config.js';

describe('loadConfig', () => {
  it('gives every default, and sizes the pool for local and regular activity slots', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ port: 3000, host: '0.0.0.0', taskQueue: 'ip-support', logLevel: 'info', activityConcurrency: 32, localActivityConcurrency: 32, dbPoolSize: 68, maxCachedWorkflows: 500, workflowTaskConcurrency: 40 });
    expect(loadConfig({ WORKER_ACTIVITY_CONCURRENCY: '4', WORKER_LOCAL_ACTIVITY_CONCURRENCY: '10' }).dbPoolSize).toBe(18);
    expect(loadConfig({ DB_POOL_SIZE: '7' }).dbPoolSize).toBe(7);
  });

  it('reads an empty variable as unset', () => {
    expect(loadConfig({ DATABASE_URL: '', PORT: '' })).toMatchObject({ databaseUrl: undefined, port: 3000 });
  });

  it('refuses a value that does not fit, naming the variable', () => {
    expect(() => loadConfig({ PORT: 'abc' })).toThrow(/PORT/);
    expect(() => loadConfig({ LOG_LEVEL: 'loud' })).toThrow(/LOG_LEVEL/);
    expect(() => loadConfig({ WORKER_LOCAL_ACTIVITY_CONCURRENCY: '0' })).toThrow(/WORKER_LOCAL_ACTIVITY_CONCURRENCY/);
    expect(() => loadConfig({ WORKER_MAX_CACHED_WORKFLOWS: '0' })).toThrow(/WORKER_MAX_CACHED_WORKFLOWS/);
  });
});

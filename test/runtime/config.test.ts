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

  it('reads sign-in through an identity provider, and refuses a key set without issuer and audience or a role map to unknown roles', () => {
    expect(loadConfig({}).identityProvider).toBeUndefined();
    const provider = loadConfig({
      AUTH_JWKS_URL: 'https://sso.example.jp/realms/hokkaido/protocol/openid-connect/certs', AUTH_ISSUER: 'https://sso.example.jp/realms/hokkaido',
      AUTH_AUDIENCE: 'ip-support,account', AUTH_ROLE_CLAIM: 'realm_access.roles', AUTH_ROLE_MAP: 'ip-staff=staff,ip-leader=support_leader', AUTH_MAX_TOKEN_AGE: '3600',
    }).identityProvider;
    expect(provider).toMatchObject({ audience: ['ip-support', 'account'], roleClaim: 'realm_access.roles', subjectClaim: 'sub', roleMap: { 'ip-staff': 'staff', 'ip-leader': 'support_leader' }, maxTokenAgeSeconds: 3600, allowHs256: false });
    expect(() => loadConfig({ AUTH_JWKS_URL: 'https://sso.example.jp/certs' })).toThrow(/AUTH_ISSUER, AUTH_AUDIENCE/);
    expect(() => loadConfig({ AUTH_ROLE_MAP: 'admins=admin' })).toThrow(/AUTH_ROLE_MAP/);
    expect(() => loadConfig({ AUTH_ROLE_CLAIM: 'realm_access..roles' })).toThrow(/AUTH_ROLE_CLAIM/);
  });

  it('exports worker metrics on 127.0.0.1:9464 unless told another address or off', () => {
    expect(loadConfig({}).workerMetricsAddress).toBe('127.0.0.1:9464');
    expect(loadConfig({ WORKER_METRICS_ADDRESS: '0.0.0.0:9000' }).workerMetricsAddress).toBe('0.0.0.0:9000');
    expect(loadConfig({ WORKER_METRICS_ADDRESS: 'off' }).workerMetricsAddress).toBeNull();
    expect(() => loadConfig({ WORKER_METRICS_ADDRESS: '9464' })).toThrow(/WORKER_METRICS_ADDRESS/);
  });
});

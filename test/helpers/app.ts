// The HTTP app on a test database and the shared dev server, plus tokens for each role.
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import type { Client } from '@temporalio/client';
import { buildApp } from '../../api/app.js';
import type { AppDeps } from '../../api/deps.js';
import type { Db } from '../../db/database.js';
import type { Clock } from '../../domain/time.js';
import { systemClock } from '../../runtime/clock.js';
import { mintToken, type TokenClaims } from '../../runtime/tokens.js';

export const TEST_JWT_SECRET = 'test-secret-for-vitest-only-0123456789';

export const tokenFor = (claims: TokenClaims): string => mintToken(TEST_JWT_SECRET, claims);
export const staffToken = tokenFor({ sub: 'staff-tanaka', role: 'staff', name: '田中' });

/** The app without its background recovery loop: tests that need it call `app.recovery.runOnce()`. `overrides`: other sign-in or metrics settings. */
export async function testApp(deps: { db: Db; temporal: Client; taskQueue: string; clock?: Clock; commandTiming?: { deadlineMs: number; leaseMs: number }; exportBatchSize?: number }, overrides: Partial<AppDeps> = {}): Promise<FastifyInstance> {
  const app = await buildApp({ db: deps.db, temporal: deps.temporal, clock: deps.clock ?? systemClock, jwtSecret: TEST_JWT_SECRET, taskQueue: deps.taskQueue, logger: false, recovery: false, commandTiming: deps.commandTiming, exportBatchSize: deps.exportBatchSize, ...overrides });
  await app.ready();
  return app;
}

export type Api = ReturnType<typeof api>;

type Call = Omit<InjectOptions, 'method' | 'url'> & { token?: string | null };

/** `inject` with a staff token by default; `token: null` sends none. */
export function api(app: FastifyInstance) {
  const call = (method: InjectOptions['method'], url: string, options: Call = {}): Promise<LightMyRequestResponse> => {
    const { token = staffToken, headers, ...rest } = options;
    return app.inject({ method, url, ...rest, headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers } });
  };
  return {
    get: (url: string, options?: Call) => call('GET', url, options),
    post: (url: string, payload?: unknown, options?: Call) => call('POST', url, { payload: payload as InjectOptions['payload'], ...options }),
    put: (url: string, payload?: unknown, options?: Call) => call('PUT', url, { payload: payload as InjectOptions['payload'], ...options }),
    patch: (url: string, payload?: unknown, options?: Call) => call('PATCH', url, { payload: payload as InjectOptions['payload'], ...options }),
    delete: (url: string, options?: Call) => call('DELETE', url, options),
  };
}

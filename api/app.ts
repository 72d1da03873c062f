// Builds the HTTP app and never listens: server.ts listens, tests `inject`.
import Fastify, { type FastifyInstance } from 'fastify';
import multipart from '@fastify/multipart';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { randomUUID } from 'node:crypto';
import type { AppDeps } from './deps.js';
import errors from './plugins/errors.js';
import auth from './plugins/auth.js';
import idempotency from './plugins/idempotency.js';
import openapi from './plugins/openapi.js';
import recovery from './plugins/recovery.js';
import { Problem } from './schemas/common.js';
import { OverseasIpYearSchema, RegionalBrandYearSchema } from './schemas/program-years.js';
import health from './routes/health/index.js';
import programYears from './routes/program-years/index.js';
import applicants from './routes/applicants/index.js';
import experts from './routes/experts/index.js';
import subsidyCases from './routes/subsidy-cases/index.js';
import brandEngagements from './routes/brand-engagements/index.js';

export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    logger: deps.logger ?? false,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w.-]{1,100}$/.test(given) ? given : randomUUID();
    },
    bodyLimit: 1024 * 1024,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', allErrors: true } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.decorate('deps', deps);
  app.addHook('onSend', async (request, reply, payload) => {
    reply.header('x-request-id', request.id);
    return payload;
  });

  app.addSchema(Problem);
  app.addSchema(OverseasIpYearSchema);
  app.addSchema(RegionalBrandYearSchema);
  await app.register(errors);
  await app.register(openapi);
  await app.register(auth, { secret: deps.jwtSecret });
  await app.register(idempotency, { db: deps.db });
  await app.register(multipart, { limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 10 } });
  await app.register(recovery, { enabled: deps.recovery ?? true });

  await app.register(health);
  await app.register(programYears);
  await app.register(applicants);
  await app.register(experts);
  await app.register(subsidyCases);
  await app.register(brandEngagements);
  return app;
}

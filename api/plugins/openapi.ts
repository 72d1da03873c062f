// OpenAPI 3.1 generated from the route schemas, served at /openapi.json, rendered at /docs.
import fp from 'fastify-plugin';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';

export default fp(async function openapi(app: FastifyInstance) {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Hokkaido IP support programs API',
        version: '1.0.0',
        description: 'Overseas IP rights subsidy cases, regional brand engagements, program years. Money is integer yen (`…Jpy`); instants are RFC 3339 with offset; dates are JST.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
      security: [{ bearer: [] }],
    },
    // A multipart route reads its file itself (no body schema to validate): the document
    // still says what to send, one binary `file` part.
    transform: ({ schema, url }) => {
      const consumes = (schema as { consumes?: string[] } | undefined)?.consumes;
      if (!schema || schema.body || !consumes?.includes('multipart/form-data')) return { schema, url };
      return {
        schema: { ...schema, body: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary', description: 'PDF, PNG or JPEG, at most 10 MB' } } } },
        url,
      };
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true });
  app.get('/openapi.json', { config: { public: true }, schema: { hide: true } }, async () => app.swagger());
});

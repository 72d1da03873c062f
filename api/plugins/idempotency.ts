// Idempotency-Key on POST: the first response to a key is stored in PostgreSQL and
// replayed for the same key and body; the same key with another body is refused (422).
// Keys are scoped by the caller. A request that ended in a 5xx frees its key for a retry.
import fp from 'fastify-plugin';
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { DomainError } from '../../domain/errors.js';
import { isUniqueViolation, type Db } from '../../db/database.js';

const KEY = /^[\x21-\x7e]{1,200}$/;

declare module 'fastify' {
  interface FastifyRequest {
    idempotencyKey: { actor: string; key: string } | null;
  }
}

function requestHash(request: FastifyRequest): string {
  const isMultipart = (request.headers['content-type'] ?? '').startsWith('multipart/');
  // A multipart body is streamed to its handler, never parsed here: its length stands in.
  const body = isMultipart ? `multipart:${request.headers['content-length'] ?? ''}` : JSON.stringify(request.body ?? null);
  return createHash('sha256').update(`${request.method} ${request.url}\n${body}`).digest('hex');
}

export default fp(async function idempotency(app: FastifyInstance, opts: { db: Db }) {
  const { db } = opts;
  app.decorateRequest('idempotencyKey', null);

  app.addHook('preHandler', async (request, reply) => {
    const header = request.headers['idempotency-key'];
    if (request.method !== 'POST' || header === undefined || !request.actor) return;
    const key = Array.isArray(header) ? header[0] : header;
    if (!KEY.test(key)) throw new DomainError('bad_request', 'Idempotency-Key must be 1 to 200 visible ASCII characters');
    const actor = request.actor.id;
    const hash = requestHash(request);
    try {
      await db.insertInto('idempotency_keys').values({ actor, key, method: request.method, path: request.url, request_hash: hash, status_code: null, response_body: null, content_type: null }).execute();
      request.idempotencyKey = { actor, key };
      return;
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
    }
    const stored = await db.selectFrom('idempotency_keys').selectAll().where('actor', '=', actor).where('key', '=', key).executeTakeFirst();
    if (!stored) throw new DomainError('conflict', 'The request with this Idempotency-Key just failed; retry it');
    if (stored.request_hash !== hash) throw new DomainError('idempotency_key_reused', 'This Idempotency-Key was used for a different request');
    if (stored.status_code === null) throw new DomainError('conflict', 'A request with this Idempotency-Key is still in progress');
    return reply.code(stored.status_code).header('content-type', stored.content_type ?? 'application/json')
      .header('idempotent-replayed', 'true').send(stored.response_body);
  });

  app.addHook('onSend', async (request, reply, payload) => {
    const claimed = request.idempotencyKey;
    if (!claimed) return payload;
    request.idempotencyKey = null;
    if (reply.statusCode >= 500) {
      await db.deleteFrom('idempotency_keys').where('actor', '=', claimed.actor).where('key', '=', claimed.key).execute();
    } else {
      await db.updateTable('idempotency_keys').set({
        status_code: reply.statusCode,
        response_body: typeof payload === 'string' ? payload : payload === null || payload === undefined ? '' : String(payload),
        content_type: String(reply.getHeader('content-type') ?? 'application/json'),
      }).where('actor', '=', claimed.actor).where('key', '=', claimed.key).execute();
    }
    return payload;
  });

  // A request that died before onSend (client gone, crash in a hook) must not hold its key forever.
  app.addHook('onResponse', async (request) => {
    const claimed = request.idempotencyKey;
    if (!claimed) return;
    await db.deleteFrom('idempotency_keys').where('actor', '=', claimed.actor).where('key', '=', claimed.key).where('status_code', 'is', null).execute();
  });
});

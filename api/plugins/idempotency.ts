// Every command (POST, PATCH) has an Idempotency-Key: the caller's, or one made up for the
// request (sent back in the `Idempotency-Key` header, so even that request can be retried).
// The key, scoped by the caller's role and id, names everything the command creates and the
// Update it sends (request.command), so a retry attaches to the first attempt's work instead
// of doing it again. The first answer is kept and replayed; the same key with another
// request is refused (422). A key is never "in progress": a retry whose first attempt has
// no answer yet runs the route again, which sends the logged Update again (Temporal knows it
// by its id) and answers with its outcome. 5xx answers are not kept: they are not outcomes.
import fp from 'fastify-plugin';
import { createHash, randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { DomainError } from '../../domain/errors.js';
import { claimKey, storeAnswer, type CommandKeyRef } from '../../db/repositories/command-log.js';
import type { Db } from '../../db/database.js';
import { derivedId } from '../../runtime/ids.js';
import { readUpload, type Upload } from '../upload.js';

const KEY = /^[\x21-\x7e]{1,200}$/;
const COMMAND_METHODS = new Set(['POST', 'PATCH']);

export interface CommandKey extends CommandKeyRef {
  /** This request claimed the key: no earlier attempt has logged a command under it. */
  fresh: boolean;
  /** The id of the Update this request sends (one per key, so a retry is the same Update). */
  updateId: string;
  /** The id of what this request creates, by kind: the same for every retry. */
  idFor(prefix: string): string;
}

declare module 'fastify' {
  interface FastifyRequest {
    command: CommandKey | null;
    /** The file of a route with `config.upload`, read before the key is checked. */
    upload: Upload | null;
  }
  interface FastifyContextConfig {
    /** The route takes one multipart file. */
    upload?: boolean;
  }
}

function requestHash(request: FastifyRequest, upload: Upload | null): string {
  const hash = createHash('sha256').update(`${request.method} ${request.url}\n`);
  if (upload) hash.update(`multipart:${upload.filename ?? ''}\n`).update(upload.bytes);
  else hash.update(JSON.stringify(request.body ?? null));
  return hash.digest('hex');
}

export function commandKeyOf(scope: string, key: string, fresh = false): CommandKey {
  const seed = `${scope}\u0000${key}`;
  return { scope, key, fresh, updateId: derivedId('cmd', seed), idFor: (prefix) => derivedId(prefix, seed) };
}

export default fp(async function idempotency(app: FastifyInstance, opts: { db: Db }) {
  const { db } = opts;
  app.decorateRequest('command', null);
  app.decorateRequest('upload', null);

  app.addHook('preHandler', async (request, reply) => {
    if (!COMMAND_METHODS.has(request.method) || !request.actor) return;
    const header = request.headers['idempotency-key'];
    const given = Array.isArray(header) ? header[0] : header;
    if (given !== undefined && !KEY.test(given)) throw new DomainError('bad_request', 'Idempotency-Key must be 1 to 200 visible ASCII characters');
    const key = given ?? `generated:${randomUUID()}`;
    const command = commandKeyOf(`${request.actor.role}:${request.actor.id}`, key);
    if (request.routeOptions.config?.upload && request.isMultipart()) request.upload = await readUpload(request);
    const hash = requestHash(request, request.upload);
    const claimed = await claimKey(db, command, { method: request.method, path: request.url, hash });
    reply.header('idempotency-key', key);
    if (claimed) {
      if (claimed.requestHash !== hash) throw new DomainError('idempotency_key_reused', 'This Idempotency-Key was used for a different request');
      if (claimed.statusCode !== null) {
        return reply.code(claimed.statusCode).header('content-type', claimed.contentType ?? 'application/json')
          .header('idempotent-replayed', 'true').send(claimed.responseBody);
      }
    }
    request.command = { ...command, fresh: claimed === null };
  });

  app.addHook('onSend', async (request, reply, payload) => {
    const command = request.command;
    if (!command || reply.statusCode >= 500 || reply.getHeader('idempotent-replayed')) return payload;
    await storeAnswer(db, command, {
      statusCode: reply.statusCode,
      body: typeof payload === 'string' ? payload : payload === null || payload === undefined ? '' : String(payload),
      contentType: String(reply.getHeader('content-type') ?? 'application/json'),
    });
    return payload;
  });
});

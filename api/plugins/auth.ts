// Bearer JWT (HS256, AUTH_JWT_SECRET). Every route needs a token unless its config says
// `public`; `config.roles` narrows who may call it. Runs onRequest, so 401/403 come
// before the body is even parsed.
import fp from 'fastify-plugin';
import jwt from '@fastify/jwt';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { DomainError } from '../../domain/errors.js';
import type { Actor, Role } from '../deps.js';

const ROLES: readonly Role[] = ['staff', 'support_leader', 'expert'];

function actorFromClaims(claims: unknown): Actor | null {
  const c = claims as { sub?: unknown; role?: unknown; name?: unknown };
  if (typeof c?.sub !== 'string' || c.sub === '' || !ROLES.includes(c.role as Role)) return null;
  return { id: c.sub, role: c.role as Role, ...(typeof c.name === 'string' ? { name: c.name } : {}) };
}

function isPublic(request: FastifyRequest): boolean {
  return request.routeOptions.config?.public === true || (request.routeOptions.url ?? '').startsWith('/docs')
    || request.routeOptions.url === undefined; // unknown route: let the 404 handler answer
}

export default fp(async function auth(app: FastifyInstance, opts: { secret: string }) {
  // A token without `exp` would never expire: refused like an expired one.
  await app.register(jwt, { secret: opts.secret, verify: { algorithms: ['HS256'], requiredClaims: ['exp'] }, sign: { algorithm: 'HS256' } });
  app.decorateRequest('actor', null as unknown as Actor);

  app.addHook('onRequest', async (request) => {
    if (isPublic(request)) return;
    let actor: Actor | null;
    try {
      actor = actorFromClaims(await request.jwtVerify());
    } catch {
      throw new DomainError('unauthorized', 'A valid bearer token is required');
    }
    if (!actor) throw new DomainError('unauthorized', 'The token must carry sub and role (staff, support_leader or expert)');
    request.actor = actor;
    const roles = request.routeOptions.config?.roles;
    if (roles && !roles.includes(actor.role)) throw new DomainError('forbidden', `Role ${actor.role} may not call ${request.method} ${request.routeOptions.url}`);
  });
});

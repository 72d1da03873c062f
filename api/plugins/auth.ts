// Bearer JWT (api/auth/token-verifier.ts: HS256 with AUTH_JWT_SECRET, and RS256/ES256 from
// an identity provider when AUTH_JWKS_URL is set). Every route needs a token unless its
// config says `public`; `config.roles` narrows who may call it. Runs onRequest, so 401/403
// come before the body is even parsed.
import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { DomainError } from '../../domain/errors.js';
import type { IdentityProviderConfig } from '../../runtime/config.js';
import type { Actor } from '../deps.js';
import { createTokenVerifier } from '../auth/token-verifier.js';

function isPublic(request: FastifyRequest): boolean {
  return request.routeOptions.config?.public === true || (request.routeOptions.url ?? '').startsWith('/docs')
    || request.routeOptions.url === undefined; // unknown route: let the 404 handler answer
}

/** The token of `Authorization: Bearer <token>` (the scheme in any case, as RFC 7235 has it). */
export function bearerToken(header: string | undefined): string | null {
  const match = /^bearer +([^\s]+) *$/i.exec(header ?? '');
  return match ? match[1]! : null;
}

export default fp(async function auth(app: FastifyInstance, opts: { secret?: string | undefined; identityProvider?: IdentityProviderConfig | undefined }) {
  const verify = createTokenVerifier({ hs256Secret: opts.secret, identityProvider: opts.identityProvider });
  app.decorateRequest('actor', null as unknown as Actor);

  app.addHook('onRequest', async (request) => {
    if (isPublic(request)) return;
    const token = bearerToken(request.headers.authorization);
    if (!token) throw new DomainError('unauthorized', 'A valid bearer token is required');
    const actor = await verify(token);
    request.actor = actor;
    const roles = request.routeOptions.config?.roles;
    if (roles && !roles.includes(actor.role)) throw new DomainError('forbidden', `Role ${actor.role} may not call ${request.method} ${request.routeOptions.url}`);
  });
});

// Bearer token → actor. Two kinds of token:
// - HS256 signed with AUTH_JWT_SECRET: development, tests and `npm run token`.
// - RS256 or ES256 from an identity provider, checked against its JSON Web Key Set
//   (AUTH_JWKS_URL), its issuer and our audience. Once a provider is configured, HS256 is
//   refused unless AUTH_ALLOW_HS256 says otherwise: a shared secret lets whoever holds the
//   deployment's environment mint any role for any user, which production sign-in exists to end.
// The header's `alg` picks the check, and each check allows only its own algorithms, so a
// token cannot pass one kind's check with the other's key (no algorithm confusion).
// Every token must expire (`exp`). A provider that cannot be reached is a 503 (`unavailable`),
// not a 401: the caller's token may well be good.
import { createRemoteJWKSet, decodeProtectedHeader, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { DomainError } from '../../domain/errors.js';
import type { IdentityProviderConfig } from '../../runtime/config.js';
import type { Actor } from '../deps.js';
import { actorFromClaims, OWN_CLAIMS, type ClaimRules } from './claims.js';
import { VerifiedTokens } from './verified-tokens.js';

const PROVIDER_ALGORITHMS = ['RS256', 'ES256'];
/** Provider tokens: clocks of two organisations differ by a few seconds. Our own tokens share our clock. */
const PROVIDER_CLOCK_TOLERANCE_S = 30;
const JWKS_TIMEOUT_MS = 5_000;

/** What a token itself got wrong (as against the provider being unreachable): no key with its `kid`, a header jose refuses. */
const TOKEN_PROBLEMS = new Set(['ERR_JWKS_NO_MATCHING_KEY', 'ERR_JWKS_MULTIPLE_MATCHING_KEYS', 'ERR_JOSE_NOT_SUPPORTED', 'ERR_JWS_INVALID', 'ERR_JWT_INVALID']);

class ProviderUnreachable extends Error {}

const unauthorized = (detail = 'A valid bearer token is required'): DomainError => new DomainError('unauthorized', detail);

export interface TokenVerifierOptions {
  hs256Secret?: string | undefined;
  identityProvider?: IdentityProviderConfig | undefined;
  cache?: VerifiedTokens;
}

export type TokenVerifier = (token: string) => Promise<Actor>;

interface Check {
  verify(token: string): Promise<JWTPayload>;
  claims: ClaimRules;
  maxTokenAgeSeconds?: number | undefined;
}

function ownTokens(secret: string): Check {
  const key = new TextEncoder().encode(secret);
  return { claims: OWN_CLAIMS, verify: async (token) => (await jwtVerify(token, key, { algorithms: ['HS256'], requiredClaims: ['exp'] })).payload };
}

function providerTokens(provider: IdentityProviderConfig): Check {
  const jwks = createRemoteJWKSet(new URL(provider.jwksUrl), {
    timeoutDuration: JWKS_TIMEOUT_MS,
    cacheMaxAge: provider.jwksCacheMs,
    // An unknown `kid` (the provider rotated its keys) fetches the set again, at most this often.
    cooldownDuration: provider.jwksCooldownMs,
  });
  const keys: JWTVerifyGetKey = async (header, token) => {
    try {
      return await jwks(header, token);
    } catch (error) {
      if (error instanceof errors.JOSEError && TOKEN_PROBLEMS.has(error.code)) throw error;
      // A refused connection, a timeout, a non-200 answer, a body that is no key set.
      throw new ProviderUnreachable('the identity provider\'s key set cannot be fetched', { cause: error });
    }
  };
  return {
    claims: provider,
    maxTokenAgeSeconds: provider.maxTokenAgeSeconds,
    verify: async (token) => (await jwtVerify(token, keys, {
      algorithms: PROVIDER_ALGORITHMS,
      issuer: provider.issuer,
      audience: provider.audience,
      requiredClaims: ['exp'],
      clockTolerance: PROVIDER_CLOCK_TOLERANCE_S,
      ...(provider.maxTokenAgeSeconds ? { maxTokenAge: provider.maxTokenAgeSeconds } : {}),
    })).payload,
  };
}

export function createTokenVerifier(options: TokenVerifierOptions): TokenVerifier {
  const provider = options.identityProvider;
  const checks = new Map<string, Check>();
  if (options.hs256Secret && (!provider || provider.allowHs256)) checks.set('HS256', ownTokens(options.hs256Secret));
  if (provider) {
    const check = providerTokens(provider);
    for (const alg of PROVIDER_ALGORITHMS) checks.set(alg, check);
  }
  if (checks.size === 0) throw new Error('No way to verify a token: set AUTH_JWT_SECRET or AUTH_JWKS_URL');
  const cache = options.cache ?? new VerifiedTokens();

  return async (token) => {
    const now = Date.now();
    const known = cache.get(token, now);
    if (known) return known;
    let alg: unknown;
    try {
      alg = decodeProtectedHeader(token).alg;
    } catch {
      throw unauthorized('The bearer token is not a JWT');
    }
    const check = typeof alg === 'string' ? checks.get(alg) : undefined;
    if (!check) throw unauthorized(`Tokens signed with ${String(alg).slice(0, 20)} are not accepted; use ${[...checks.keys()].join(' or ')}`);
    let payload: JWTPayload;
    try {
      payload = await check.verify(token);
    } catch (error) {
      if (error instanceof ProviderUnreachable) throw Object.assign(new DomainError('unavailable', error.message), { cause: error.cause });
      throw unauthorized();
    }
    const actor = actorFromClaims(payload, check.claims);
    if (!actor) throw unauthorized('The token must carry a user id and a role (staff, support_leader or expert)');
    const expiresAt = Math.min(payload.exp! * 1000, check.maxTokenAgeSeconds && payload.iat !== undefined ? (payload.iat + check.maxTokenAgeSeconds) * 1000 : Infinity);
    cache.set(token, actor, expiresAt, now);
    return actor;
  };
}

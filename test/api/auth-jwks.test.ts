// Production sign-in: tokens of an identity provider, checked against its JSON Web Key Set.
// The provider is a real HTTP server in this file serving a key set made with jose; the
// app verifies through its real routes. Also: our own HS256 tokens keep working without a
// provider, and are refused beside one unless allowed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { exportJWK, generateKeyPair, SignJWT, UnsecuredJWT, type CryptoKey, type JWK } from 'jose';
import { loadConfig, type IdentityProviderConfig } from '../../runtime/config.js';
import { VerifiedTokens } from '../../api/auth/verified-tokens.js';
import { actorFromClaims } from '../../api/auth/claims.js';
import { useAppWithWorker } from '../helpers/app-with-worker.js';
import { api, staffToken, testApp, type Api } from '../helpers/app.js';
import { expectProblem } from '../helpers/problem.js';

const h = useAppWithWorker({ worker: false });

const ISSUER = 'https://sso.example.jp/realms/hokkaido';
const AUDIENCE = 'ip-support';

interface SigningKey { kid: string; alg: 'RS256' | 'ES256' | 'RS384'; privateKey: CryptoKey; jwk: JWK }

async function signingKey(kid: string, alg: SigningKey['alg']): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  return { kid, alg, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' } };
}

/** A provider's JWKS endpoint: serves `keys`, or answers 500 while `failing`; counts fetches. */
interface Provider { url: string; keys: JWK[]; failing: boolean; fetches: number; server: Server }

async function startProvider(keys: JWK[]): Promise<Provider> {
  const provider = { keys, failing: false, fetches: 0 } as Provider;
  provider.server = createServer((_req, res) => {
    provider.fetches++;
    if (provider.failing) return void res.writeHead(500).end('down for maintenance');
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: provider.keys }));
  });
  await new Promise<void>((resolve) => provider.server.listen(0, '127.0.0.1', resolve));
  provider.url = `http://127.0.0.1:${(provider.server.address() as AddressInfo).port}/protocol/openid-connect/certs`;
  return provider;
}

const stop = (server: Server) => new Promise<void>((resolve) => { server.close(() => resolve()); server.closeAllConnections(); });

/** The provider as the environment would configure it (Keycloak-shaped roles); no cooldown, so a rotation is seen at once. */
function providerConfig(url: string, env: Record<string, string> = {}): IdentityProviderConfig {
  const config = loadConfig({
    AUTH_JWKS_URL: url, AUTH_ISSUER: ISSUER, AUTH_AUDIENCE: `${AUDIENCE},account`, AUTH_MAX_TOKEN_AGE: '3600',
    AUTH_ROLE_CLAIM: 'realm_access.roles', AUTH_ROLE_MAP: 'ip-staff=staff,ip-leader=support_leader,ip-expert=expert', ...env,
  }).identityProvider!;
  return { ...config, jwksCooldownMs: 0 };
}

interface Claims { sub?: string; roles?: string[]; iss?: string; aud?: string; exp?: number | null; iat?: number; extra?: Record<string, unknown> }

async function tokenOf(key: SigningKey, claims: Claims = {}, header: { alg?: string; kid?: string } = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const jwt = new SignJWT({ realm_access: { roles: claims.roles ?? ['offline_access', 'ip-staff'] }, name: '札幌 花子', ...claims.extra })
    .setProtectedHeader({ alg: header.alg ?? key.alg, kid: header.kid ?? key.kid, typ: 'JWT' })
    .setSubject(claims.sub ?? 'staff-sapporo').setIssuer(claims.iss ?? ISSUER).setAudience(claims.aud ?? AUDIENCE)
    .setIssuedAt(claims.iat ?? now);
  if (claims.exp !== null) jwt.setExpirationTime(claims.exp ?? now + 300);
  return jwt.sign(key.privateKey);
}

let rsa: SigningKey;
let ec: SigningKey;
/** In the provider's key set, but of an algorithm we do not accept. */
let rs384: SigningKey;
let provider: Provider;
let app: FastifyInstance;
let http: Api;

beforeAll(async () => {
  [rsa, ec, rs384] = await Promise.all([signingKey('rsa-1', 'RS256'), signingKey('ec-1', 'ES256'), signingKey('rsa-384', 'RS384')]);
  provider = await startProvider([rsa.jwk, ec.jwk, rs384.jwk]);
  app = await testApp({ db: h.db, temporal: h.temporal.client, taskQueue: h.temporal.taskQueue }, { identityProvider: providerConfig(provider.url) });
  http = api(app);
});
afterAll(async () => {
  await app?.close();
  if (provider) await stop(provider.server);
});

describe('identity provider tokens (JWKS)', () => {
  it('lets an RS256 staff token read and write through the real routes', async () => {
    const token = await tokenOf(rsa);
    expect((await http.get('/program-years', { token })).statusCode).toBe(200);
    const created = await http.post('/applicants', { name: '株式会社 IdP', kind: 'sme' }, { token });
    expect(created.statusCode, created.body).toBe(201);
  });

  it('lets an ES256 token in as well', async () => {
    const token = await tokenOf(ec, { sub: 'staff-obihiro' });
    const res = await http.get('/program-years/overseas-ip-2024', { token });
    expect(res.statusCode, res.body).toBe(200);
  });

  it('maps the provider\'s role names to ours, the broadest when several match', async () => {
    const leader = await tokenOf(rsa, { sub: 'ex_leader', roles: ['offline_access', 'ip-leader'] });
    expect((await http.get('/program-years', { token: leader })).statusCode).toBe(200);
    expect((await http.get('/me/sessions', { token: leader })).statusCode).toBe(200);
    expectProblem(await http.post('/applicants', { name: 'x', kind: 'sme' }, { token: leader }), 403, 'forbidden');
    const both = await tokenOf(rsa, { roles: ['ip-expert', 'ip-staff'] });
    expect((await http.get('/applicants', { token: both })).statusCode).toBe(200);
    // Our own name is not a mapped name: with a map, only the provider's names count.
    for (const roles of [['offline_access'], ['staff'], []]) {
      expectProblem(await http.get('/program-years', { token: await tokenOf(rsa, { roles }) }), 401, 'unauthorized');
    }
  });

  it('reads a role claim that is a plain string when so configured', async () => {
    const entra = await testApp({ db: h.db, temporal: h.temporal.client, taskQueue: h.temporal.taskQueue },
      { identityProvider: providerConfig(provider.url, { AUTH_ROLE_CLAIM: 'roles', AUTH_ROLE_MAP: 'IpSupport.Staff=staff' }) });
    try {
      const token = await tokenOf(rsa, { extra: { roles: 'IpSupport.Staff' } });
      expect((await api(entra).get('/applicants', { token })).statusCode).toBe(200);
    } finally {
      await entra.close();
    }
  });

  it('refuses with 401 a bad signature, an expired token, another issuer or audience, a refused algorithm, no exp, a token too old, an unknown key', async () => {
    const now = Math.floor(Date.now() / 1000);
    const impostor = { ...(await signingKey('rsa-1', 'RS256')) }; // same kid, another private key
    const tampered = (await tokenOf(rsa, { roles: ['ip-expert'] })).split('.');
    const forgedPayload = Buffer.from(JSON.stringify({ sub: 'x', realm_access: { roles: ['ip-staff'] }, iss: ISSUER, aud: AUDIENCE, exp: now + 300, iat: now })).toString('base64url');
    const cases: Record<string, string> = {
      'bad signature': await tokenOf(impostor),
      'tampered payload': [tampered[0], forgedPayload, tampered[2]].join('.'),
      expired: await tokenOf(rsa, { iat: now - 1000, exp: now - 600 }),
      'wrong issuer': await tokenOf(rsa, { iss: 'https://evil.example/realms/hokkaido' }),
      'wrong audience': await tokenOf(rsa, { aud: 'another-app' }),
      'RS384 not allowed': await tokenOf(rs384),
      'no exp': await tokenOf(rsa, { exp: null }),
      'older than AUTH_MAX_TOKEN_AGE': await tokenOf(rsa, { iat: now - 7200, exp: now + 600 }),
      'unknown kid': await tokenOf(impostor, {}, { kid: 'rsa-unknown' }),
      'alg none': new UnsecuredJWT({ sub: 'x', realm_access: { roles: ['ip-staff'] } }).setIssuer(ISSUER).setAudience(AUDIENCE).setExpirationTime('5m').encode(),
      'our HS256 token beside a provider': staffToken,
      'not a JWT': 'not-a-jwt',
    };
    for (const [name, token] of Object.entries(cases)) {
      const res = await http.get('/program-years', { token });
      expect(res.statusCode, `${name}: ${res.body}`).toBe(401);
      expectProblem(res, 401, 'unauthorized');
      expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
    }
  });

  it('accepts our HS256 tokens beside a provider when AUTH_ALLOW_HS256 is set', async () => {
    const both = await testApp({ db: h.db, temporal: h.temporal.client, taskQueue: h.temporal.taskQueue },
      { identityProvider: providerConfig(provider.url, { AUTH_ALLOW_HS256: 'true' }) });
    try {
      expect((await api(both).get('/applicants', { token: staffToken })).statusCode).toBe(200);
      expect((await api(both).get('/applicants', { token: await tokenOf(rsa) })).statusCode).toBe(200);
    } finally {
      await both.close();
    }
  });

  it('fetches the key set again when a token names a key it has not seen (rotation)', async () => {
    expect((await http.get('/program-years', { token: await tokenOf(rsa, { sub: 'before-rotation' }) })).statusCode).toBe(200);
    const next = await signingKey('rsa-2', 'RS256');
    provider.keys = [next.jwk, ec.jwk]; // rsa-1 retired
    const fetches = provider.fetches;
    const res = await http.get('/program-years', { token: await tokenOf(next) });
    expect(res.statusCode, res.body).toBe(200);
    expect(provider.fetches).toBe(fetches + 1);
    // The retired key no longer signs anything new.
    expectProblem(await http.get('/program-years', { token: await tokenOf(rsa, { sub: 'after-rotation' }) }), 401, 'unauthorized');
    provider.keys = [rsa.jwk, next.jwk, ec.jwk];
  });

  it('answers 503 unavailable, not 401, while the key set cannot be fetched', async () => {
    const down = await startProvider([rsa.jwk]);
    const fresh = await testApp({ db: h.db, temporal: h.temporal.client, taskQueue: h.temporal.taskQueue }, { identityProvider: providerConfig(down.url) });
    try {
      const token = await tokenOf(rsa);
      down.failing = true; // answers 500
      const failing = await api(fresh).get('/program-years', { token });
      expectProblem(failing, 503, 'unavailable');
      expect(failing.headers['retry-after']).toBeDefined();
      await stop(down.server); // refuses connections
      expectProblem(await api(fresh).get('/program-years', { token }), 503, 'unavailable');
      // Back (on another port, as the app sees it: the same URL answers again).
      down.failing = false;
      await new Promise<void>((resolve) => down.server.listen(Number(new URL(down.url).port), '127.0.0.1', resolve));
      expect((await api(fresh).get('/program-years', { token })).statusCode).toBe(200);
    } finally {
      await fresh.close();
      await stop(down.server);
    }
  });
});

describe('our own HS256 tokens without a provider', () => {
  it('verifies them as before, and refuses a provider\'s token', async () => {
    expect((await h.http.get('/applicants')).statusCode).toBe(200);
    expectProblem(await h.http.get('/applicants', { token: await tokenOf(rsa) }), 401, 'unauthorized');
  });
});

describe('claims to actor', () => {
  const rules = { roleClaim: 'https://ip-support.example.jp/roles', subjectClaim: 'expert_id', roleMap: { leader: 'support_leader', staff: 'staff' } as const };

  it('reads a namespaced claim whose name has dots by its whole name, and a nested one by its path', () => {
    expect(actorFromClaims({ sub: 'auth0|1', expert_id: 'ex_9', 'https://ip-support.example.jp/roles': ['leader'] }, rules)).toEqual({ id: 'ex_9', role: 'support_leader' });
    expect(actorFromClaims({ sub: 'u', resource_access: { 'ip-support': { roles: ['staff'] } } }, { ...rules, roleClaim: 'resource_access.ip-support.roles' })).toEqual({ id: 'u', role: 'staff' });
  });

  it('takes the user id from the subject claim, else from sub (staff carry no expert id)', () => {
    expect(actorFromClaims({ sub: 'auth0|staff', name: '札幌 花子', 'https://ip-support.example.jp/roles': ['staff'] }, rules)).toEqual({ id: 'auth0|staff', role: 'staff', name: '札幌 花子' });
    expect(actorFromClaims({ 'https://ip-support.example.jp/roles': ['staff'] }, rules)).toBeNull();
  });
});

describe('verified tokens cache', () => {
  it('keeps an actor until the token expires or the TTL ends, whichever is first', () => {
    const cache = new VerifiedTokens(10, 60_000);
    const actor = { id: 'a', role: 'staff' as const };
    cache.set('short', actor, 1_000 + 5_000, 1_000);
    cache.set('long', actor, 1_000 + 3_600_000, 1_000);
    expect(cache.get('short', 5_999)).toEqual(actor);
    expect(cache.get('short', 6_000)).toBeUndefined();
    expect(cache.get('long', 60_999)).toEqual(actor);
    expect(cache.get('long', 61_000)).toBeUndefined();
    cache.set('expired', actor, 500, 1_000);
    expect(cache.size).toBe(0);
  });

  it('is bounded, dropping the least recently used first', () => {
    const cache = new VerifiedTokens(2, 60_000);
    const actor = { id: 'a', role: 'staff' as const };
    cache.set('one', actor, 10_000, 0);
    cache.set('two', actor, 10_000, 0);
    expect(cache.get('one', 1)).toEqual(actor); // "two" is now the oldest use
    cache.set('three', actor, 10_000, 0);
    expect(cache.size).toBe(2);
    expect(cache.get('two', 1)).toBeUndefined();
    expect(cache.get('one', 1)).toEqual(actor);
    expect(cache.get('three', 1)).toEqual(actor);
  });
});

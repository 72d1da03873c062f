// Mints HS256 JWTs for development and tests (`npm run token`); the API verifies them
// with @fastify/jwt, so a test that uses these tokens checks the two agree.
import { createHmac } from 'node:crypto';

export interface TokenClaims {
  sub: string;
  role: 'staff' | 'support_leader' | 'expert';
  name?: string;
}

const b64url = (value: string | Buffer): string => Buffer.from(value).toString('base64url');

export function mintToken(secret: string, claims: TokenClaims, options: { expiresInSeconds?: number; now?: Date } = {}): string {
  const iat = Math.floor((options.now ?? new Date()).getTime() / 1000);
  const payload = { ...claims, iat, exp: iat + (options.expiresInSeconds ?? 12 * 3600) };
  const unsigned = `${b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))}.${b64url(JSON.stringify(payload))}`;
  return `${unsigned}.${createHmac('sha256', secret).update(unsigned).digest('base64url')}`;
}

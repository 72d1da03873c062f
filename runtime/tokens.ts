// Mints HS256 JWTs for development and tests (`npm run token`) with fast-jwt (synchronous, so
// tests mint at module level); the API verifies them with jose (api/auth/token-verifier.ts).
// Every token expires, because the API refuses one that does not.
import { createSigner } from 'fast-jwt';

export interface TokenClaims {
  sub: string;
  role: 'staff' | 'support_leader' | 'expert';
  name?: string;
}

export function mintToken(secret: string, claims: TokenClaims, options: { expiresInSeconds?: number; now?: Date } = {}): string {
  const sign = createSigner({
    key: secret,
    algorithm: 'HS256',
    expiresIn: (options.expiresInSeconds ?? 12 * 3600) * 1000,
    ...(options.now ? { clockTimestamp: options.now.getTime() } : {}),
  });
  return sign({ ...claims });
}

// Without AUTH_JWT_SECRET, development uses a generated secret kept under DATA_DIR, so
// tokens minted by `npm run token` keep working across restarts.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export function devSecretPath(dataDir: string): string {
  return join(dataDir, 'dev-jwt-secret');
}

export function readOrCreateDevSecret(dataDir: string): { secret: string; generated: boolean } {
  const path = devSecretPath(dataDir);
  if (existsSync(path)) return { secret: readFileSync(path, 'utf8').trim(), generated: false };
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(path, `${secret}\n`, { mode: 0o600 });
  return { secret, generated: true };
}

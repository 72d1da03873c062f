// npm run demo: fills a running system (npm start) with realistic sample data through its
// API. API_URL defaults to http://localhost:$PORT; tokens are signed with AUTH_JWT_SECRET or
// the development secret under DATA_DIR.
import { existsSync, readFileSync } from 'node:fs';
import { loadConfig } from '../runtime/config.js';
import { mintToken } from '../runtime/tokens.js';
import { devSecretPath } from './lib/dev-secret.js';
import { createDemoClient } from './demo/client.js';
import { loadSubsidyDemo } from './demo/subsidy.js';
import { loadBrandDemo } from './demo/brand.js';
import { loadDesignDemo } from './demo/design.js';

const config = loadConfig();
const baseUrl = config.demo.apiUrl ?? `http://localhost:${config.port}`;
const secret = config.jwtSecret ?? (existsSync(devSecretPath(config.dataDir)) ? readFileSync(devSecretPath(config.dataDir), 'utf8').trim() : undefined);
if (!secret) throw new Error('Set AUTH_JWT_SECRET, or start the system with `npm start` first (it keeps a development secret in DATA_DIR).');

const ready = await fetch(`${baseUrl}/readyz`).catch(() => null);
if (!ready?.ok) throw new Error(`No ready system at ${baseUrl}: start it with \`npm start\` (or set API_URL).`);

const client = createDemoClient({
  baseUrl,
  staffToken: mintToken(secret, { sub: 'demo-staff', role: 'staff', name: 'デモ職員' }),
  mint: (claims) => mintToken(secret, claims),
});
const started = Date.now();
await loadSubsidyDemo(client);
await loadBrandDemo(client);
await loadDesignDemo(client);
client.log(`done in ${((Date.now() - started) / 1000).toFixed(1)} s`);

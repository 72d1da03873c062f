// The one module that owns the pool, the type parsers and the transaction helper.
import pg from 'pg';
import { Kysely, PostgresDialect, type Transaction } from 'kysely';
import type { Database } from './schema.js';

// int8 (counts, sums, bigserial ids) as numbers: every yen amount and id here is far
// below 2^53, and a string would leak into yen arithmetic. `date` stays a string
// (YYYY-MM-DD, a Japan calendar date), never a local-time Date.
pg.types.setTypeParser(pg.types.builtins.INT8, (text) => {
  const n = Number(text);
  if (!Number.isSafeInteger(n)) throw new RangeError(`int8 ${text} exceeds the safe integer range`);
  return n;
});
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (text) => Number(text));
pg.types.setTypeParser(pg.types.builtins.DATE, (text) => text);

export type Db = Kysely<Database>;
export type Trx = Transaction<Database>;
export type DbOrTrx = Db | Trx;

export interface DatabaseHandle {
  db: Db;
  pool: pg.Pool;
  close(): Promise<void>;
}

export function createDatabase(options: { url: string; poolSize?: number; applicationName?: string; log?: (line: string) => void }): DatabaseHandle {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolSize ?? 10,
    application_name: options.applicationName ?? 'ip-support',
    idleTimeoutMillis: 30_000,
  });
  const log = options.log ?? ((line: string) => console.warn(line));
  const logError = (where: string) => (error: Error & { code?: string }) =>
    log(`database: ${where} connection lost (${error.code ?? 'no code'}: ${error.message}); the pool replaces it`);
  // A server restart or pg_terminate_backend ends connections. An 'error' event nobody
  // listens to would crash the process, and the pool listens only while a client is idle:
  // every client gets a listener of its own. The query in flight still fails (the caller
  // answers 503), and the pool discards a client whose connection is gone when it is released.
  pool.on('connect', (client) => client.on('error', logError('checked-out')));
  pool.on('error', logError('idle'));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, pool, close: () => db.destroy() };
}

/** PostgreSQL's SQLSTATE for a unique violation, raised by a concurrent duplicate insert. */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const e = error as { code?: string; constraint?: string };
  return e?.code === '23505' && (constraint === undefined || e.constraint === constraint);
}

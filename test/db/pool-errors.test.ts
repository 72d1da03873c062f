// A PostgreSQL restart ends every connection, including those a request holds at that
// moment. The process must live on (no unhandled 'error' event) and the pool must recover.
import { describe, expect, it } from 'vitest';
import pg from 'pg';
import { sql } from 'kysely';
import { createDatabase } from '../../db/database.js';
import { createTestDatabase } from '../helpers/db.js';

async function terminate(url: string, pid: number): Promise<void> {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query('select pg_terminate_backend($1)', [pid]);
  } finally {
    await admin.end();
  }
}

const until = async (done: () => boolean, ms = 5000) => {
  for (const deadline = Date.now() + ms; !done() && Date.now() < deadline;) await new Promise((r) => setTimeout(r, 20));
};

describe('a connection terminated while checked out', () => {
  it('is logged, fails only its own query, and the pool recovers', async () => {
    const { url, close } = await createTestDatabase({ poolSize: 1 });
    await close();
    const logged: string[] = [];
    const database = createDatabase({ url, poolSize: 2, log: (line) => logged.push(line) });
    try {
      // 1. Held by a caller between queries (inside a transaction, say).
      const held = await database.pool.connect();
      const { rows: [{ pid }] } = await held.query<{ pid: number }>('select pg_backend_pid() as pid');
      await terminate(url, pid);
      await until(() => logged.length > 0);
      expect(logged.join('\n')).toMatch(/checked-out connection lost \(57P01/);
      await expect(held.query('select 1')).rejects.toThrow();
      held.release(true);

      // 2. A query in flight when its connection goes.
      const inFlight = await database.pool.connect();
      const { rows: [{ pid: pid2 }] } = await inFlight.query<{ pid: number }>('select pg_backend_pid() as pid');
      const sleeping = inFlight.query('select pg_sleep(30)').then(() => null, (error: unknown) => error);
      await new Promise((r) => setTimeout(r, 200));
      await terminate(url, pid2);
      const ended = new Promise((r) => inFlight.once('end', r));
      expect(await sleeping).toMatchObject({ code: '57P01' });
      // The socket closes just after the error reaches the query; a caller releases the
      // client after that (a busy machine may deliver the two a moment apart).
      await Promise.race([ended, new Promise((r) => setTimeout(r, 2000))]);
      inFlight.release();

      // The pool dropped both and serves new queries on fresh connections.
      const { rows } = await sql<{ one: number }>`select 1 as one`.execute(database.db);
      expect(rows).toEqual([{ one: 1 }]);
      expect(database.pool.totalCount).toBeLessThanOrEqual(2);
      const { rows: [{ pid: pid3 }] } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(database.db);
      expect([pid, pid2]).not.toContain(pid3);
    } finally {
      await database.close();
    }
  });
});

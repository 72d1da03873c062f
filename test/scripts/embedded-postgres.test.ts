// Item 15 of the hardening review: a clone in a folder the `postgres` user cannot enter (any
// `mktemp -d`, mode 0700, or root's home) must still run embedded PostgreSQL, for `npm test`
// and for `npm start`'s persistent data alike.
import { afterAll, describe, expect, it } from 'vitest';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres, type RunningPostgres } from '../../scripts/lib/postgres.js';

const folder = mkdtempSync(join(tmpdir(), 'ip-support-closed-'));
chmodSync(folder, 0o700);
const started: RunningPostgres[] = [];
afterAll(async () => {
  for (const server of started) {
    await server.stop();
    // As root the data moved where the postgres user can reach it: not left behind either.
    if (!server.dataDir.startsWith(folder)) rmSync(dirname(server.dataDir), { recursive: true, force: true });
  }
  rmSync(folder, { recursive: true, force: true });
});

async function selectOne(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<{ one: number }>('select 1 as one')).rows[0]!.one;
  } finally {
    await client.end();
  }
}

describe('embedded PostgreSQL', () => {
  it('starts, keeps its data and starts again from a folder only its owner may enter', { timeout: 60_000 }, async () => {
    const first = await startEmbeddedPostgres({ dir: join(folder, 'pg'), persistent: true });
    started.push(first);
    expect(await selectOne(first.url)).toBe(1);
    await first.stop();
    // The same folder again (a second `npm start`): the same data directory, already initialised.
    const second = await startEmbeddedPostgres({ dir: join(folder, 'pg'), persistent: true });
    started.push(second);
    expect(second.dataDir).toBe(first.dataDir);
    expect(await selectOne(second.url)).toBe(1);
  });
});

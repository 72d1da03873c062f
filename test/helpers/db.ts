// A database of this test file's own, copied from the migrated template (fast: no migrations).
import { inject, afterAll } from 'vitest';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createDatabase, type DatabaseHandle } from '../../db/database.js';
import { withDatabase } from '../../scripts/lib/postgres.js';

export async function createTestDatabase(options: { poolSize?: number } = {}): Promise<DatabaseHandle & { url: string }> {
  const name = `ipst_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: withDatabase(inject('postgresUrl'), 'postgres') });
  await admin.connect();
  try {
    await admin.query(`create database ${name} template ${inject('templateDatabase')}`);
  } finally {
    await admin.end();
  }
  const url = withDatabase(inject('postgresUrl'), name);
  return { ...createDatabase({ url, poolSize: options.poolSize ?? 20 }), url };
}

/** A test database that is closed after the file's tests. */
export async function useTestDatabase(options: { poolSize?: number } = {}): Promise<DatabaseHandle & { url: string }> {
  const database = await createTestDatabase(options);
  afterAll(() => database.close());
  return database;
}

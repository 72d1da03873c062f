// npm run migrate: brings DATABASE_URL to the latest schema (creating the database if missing).
import { createDatabase } from '../db/database.js';
import { migrateToLatest } from '../db/migrate.js';
import { loadConfig, requireSetting } from '../runtime/config.js';
import { ensureDatabase } from './lib/postgres.js';

const url = requireSetting(loadConfig().databaseUrl, 'DATABASE_URL');
await ensureDatabase(url);
const database = createDatabase({ url, poolSize: 1 });
try {
  await migrateToLatest(database.db, console.log);
  console.log('schema is up to date');
} finally {
  await database.close();
}

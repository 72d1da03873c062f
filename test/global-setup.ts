// Starts, once for the whole run: PostgreSQL (TEST_DATABASE_URL or an embedded one) with a
// migrated template database, the Temporal dev server, and the workflow bundle. Finds the
// time-skipping test server binary. Test files get a database of their own from the template.
import type { TestProject } from 'vitest/node';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import { createDatabase } from '../db/database.js';
import { migrateToLatest } from '../db/migrate.js';
import { loadConfig } from '../runtime/config.js';
import { findTool, TEMPORAL_CLI, TEMPORAL_TEST_SERVER, checkTool } from '../scripts/lib/tools.js';
import { freePort, startEmbeddedPostgres, withDatabase } from '../scripts/lib/postgres.js';
import { startDevServer } from '../scripts/lib/temporal-dev-server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresUrl: string;
    templateDatabase: string;
    temporalAddress: string;
    testServerPath: string;
    workflowBundlePath: string;
  }
}

const log = (line: string) => console.log(`[setup] ${line}`);

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const scratch = mkdtempSync(join(tmpdir(), 'ip-support-test-'));
  chmodSync(scratch, 0o755); // the embedded PostgreSQL runs as its own user
  const stops: Array<() => Promise<void>> = [];

  try {
    return await start(project, scratch, stops);
  } catch (error) {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    rmSync(scratch, { recursive: true, force: true });
    throw error;
  }
}

async function start(project: TestProject, scratch: string, stops: Array<() => Promise<void>>): Promise<() => Promise<void>> {
  const started = Date.now();
  const temporalCli = findTool(TEMPORAL_CLI, log);
  const testServer = findTool(TEMPORAL_TEST_SERVER, log);
  checkTool(temporalCli, ['--version']);

  let postgresUrl = loadConfig().test.databaseUrl;
  const [devServer, bundlePath] = await Promise.all([
    startDevServer({ binary: temporalCli, port: await freePort() }).then((server) => {
      stops.push(() => server.stop());
      return server;
    }),
    (async () => {
      const { code } = await bundleWorkflowCode({ workflowsPath: fileURLToPath(new URL('../workflows/index.ts', import.meta.url)), logger: new DefaultLogger('WARN') });
      const path = join(scratch, 'workflow-bundle.js');
      writeFileSync(path, code);
      return path;
    })(),
    (async () => {
      if (postgresUrl) return;
      const embedded = await startEmbeddedPostgres({ dir: join(scratch, 'pg'), persistent: false, log });
      stops.push(() => embedded.stop());
      postgresUrl = embedded.url;
    })(),
  ]);

  const template = `ip_support_template_${process.pid}`;
  const admin = new pg.Client({ connectionString: withDatabase(postgresUrl!, 'postgres') });
  await admin.connect();
  await admin.query(`drop database if exists ${template}`);
  await admin.query(`create database ${template}`);
  await admin.end();
  const database = createDatabase({ url: withDatabase(postgresUrl!, template), poolSize: 2 });
  await migrateToLatest(database.db);
  await database.close();

  project.provide('postgresUrl', postgresUrl!);
  project.provide('templateDatabase', template);
  project.provide('temporalAddress', devServer.address);
  project.provide('testServerPath', testServer);
  project.provide('workflowBundlePath', bundlePath);
  log(`ready in ${Date.now() - started} ms: postgres ${new URL(postgresUrl!).host}, temporal ${devServer.address}`);

  return async () => {
    const cleanup = new pg.Client({ connectionString: withDatabase(postgresUrl!, 'postgres') });
    try {
      await cleanup.connect();
      const { rows } = await cleanup.query<{ datname: string }>(`select datname from pg_database where datname like 'ipst_%' or datname = $1`, [template]);
      for (const r of rows) await cleanup.query(`drop database if exists "${r.datname}" with (force)`);
    } catch {
      // best effort: an embedded server is thrown away anyway
    } finally {
      await cleanup.end().catch(() => undefined);
    }
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    rmSync(scratch, { recursive: true, force: true });
  };
}

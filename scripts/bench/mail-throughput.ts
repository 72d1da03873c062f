// npm run bench:mail — how many notices per second the dispatcher delivers to the local
// mailbox (`npm start`'s SMTP server writing .eml files): N notices queued, then drained by
// one dispatcher (batches of 20, a pool of 5 SMTP connections), timed from the first claim
// to the last mark. PostgreSQL: BENCH_DATABASE_URL, else an embedded server.
import { chmodSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDatabase } from '../../db/database.js';
import { migrateToLatest } from '../../db/migrate.js';
import { enqueueNotification } from '../../db/outbox.js';
import { loadConfig } from '../../runtime/config.js';
import { startLocalMailbox } from '../lib/local-mailbox.js';
import { ensureDatabase, startEmbeddedPostgres, withDatabase } from '../lib/postgres.js';
import { createMailDispatcher } from '../../worker/notifications/mail.js';
import { createMailTransport } from '../../worker/notifications/transport.js';

const log = (line: string) => console.log(`[bench:mail] ${line}`);
const N = Math.round(2000 * loadConfig().bench.scale);
const scratch = mkdtempSync(join(tmpdir(), 'ip-support-mail-bench-'));
chmodSync(scratch, 0o755);
const stops: Array<() => Promise<unknown>> = [];
try {
  let baseUrl = loadConfig().bench.databaseUrl;
  if (!baseUrl) {
    const pg = await startEmbeddedPostgres({ dir: join(scratch, 'pg'), persistent: false, log });
    stops.push(() => pg.stop());
    baseUrl = pg.url;
  }
  const url = withDatabase(baseUrl, `ip_support_mail_bench_${process.pid}`);
  await ensureDatabase(url);
  const database = createDatabase({ url, poolSize: 8 });
  stops.push(() => database.close());
  await migrateToLatest(database.db);

  const mailbox = await startLocalMailbox({ dir: join(scratch, 'mail'), port: 0 });
  stops.push(() => mailbox.stop());
  const transport = createMailTransport({ host: '127.0.0.1', port: mailbox.port });
  stops.push(async () => transport.close());

  for (let i = 0; i < N; i++) {
    await enqueueNotification(database.db, {
      dedupeKey: `bench:${i}`, recipient: `applicant${i}@example.jp`, kind: 'subsidy_evidence_reminder',
      subject: `【リマインダー】支払証憑と実績報告の提出期限まで30日 / 30 days left (${i})`,
      payload: { caseId: `sc_bench_${i}`, title: `ベンチ案件 ${i}`, reportDeadline: '2025-03-31T17:00:00+09:00', daysBefore: 30 },
    });
  }
  const dispatcher = createMailDispatcher({ db: database.db, transport, from: 'noreply@example.jp', staffEmail: 'staff@example.jp' });
  const started = performance.now();
  const sent = await dispatcher.drain();
  const seconds = (performance.now() - started) / 1000;
  const files = readdirSync(mailbox.dir).length;
  log(`${sent} notices sent in ${seconds.toFixed(2)} s: ${(sent / seconds).toFixed(0)} notices/s (${files} .eml files written)`);
} finally {
  for (const stop of stops.reverse()) await stop().catch(() => undefined);
  rmSync(scratch, { recursive: true, force: true });
}

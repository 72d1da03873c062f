// E-mail delivery of the outbox against a real SMTP server in this process: the reminders a
// subsidy case queues on the time-skipping server arrive with their Japanese subjects and
// bodies; a dispatcher that dies after its claim is taken over and nothing arrives twice; a
// server that refuses for a while gets the notice on a later attempt; the last attempt fails
// the notice with its error.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { sql } from 'kysely';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { useTestDatabase } from '../helpers/db.js';
import { useTestSmtp, type TestSmtp } from '../helpers/smtp.js';
import { eventually } from '../helpers/eventually.js';
import { timeSkipping, uniqueTaskQueue, workerFor } from '../helpers/temporal.js';
import { systemClock } from '../../runtime/clock.js';
import type { DatabaseHandle } from '../../db/database.js';
import { enqueueNotification } from '../../db/outbox.js';
import { DAY_MS, toJstIso } from '../../domain/time.js';
import type { OverseasIpYear } from '../../domain/program-year.js';
import { newId } from '../../runtime/ids.js';
import { decideUpdate } from '../../workflows/subsidy-case.js';
import { openYear } from '../api/subsidy-cases-fixtures.js';
import { intakeFor, metaAt, seedApplicant, seedYear, startCase } from '../workflows/subsidy-case-fixtures.js';
import { createMailDispatcher, messageIdOf, type MailDispatcherOptions } from '../../worker/notifications/mail.js';
import { createMailTransport } from '../../worker/notifications/transport.js';

let database: DatabaseHandle & { url: string };
let smtp: TestSmtp;
const STAFF = 'staff@test.example.jp';

beforeAll(async () => {
  database = await useTestDatabase();
  smtp = await useTestSmtp();
});

function dispatcher(options: Partial<MailDispatcherOptions> = {}) {
  const transport = createMailTransport({ host: '127.0.0.1', port: smtp.port });
  afterAll(() => transport.close());
  return createMailDispatcher({ db: database.db, transport, from: 'テスト事務局 <noreply@test.example.jp>', staffEmail: STAFF, backoffMs: () => 20, idleMs: 20, ...options });
}

const arrived = (messageId: string) => smtp.messages.filter((m) => m.messageId === messageId);

async function queue(n: number, tag: string, recipient = 'someone@example.jp') {
  const keys: string[] = [];
  for (let i = 0; i < n; i++) {
    const key = `test:${tag}:${i}`;
    keys.push(key);
    await enqueueNotification(database.db, { dedupeKey: key, recipient, kind: 'subsidy_case_lapsed', subject: `テスト通知 ${tag} ${i}`, payload: { caseId: `sc_${tag}_${i}`, title: '商標出願', reportDeadline: '2025-03-31T17:00:00+09:00' } });
  }
  return keys;
}

const rowsOf = (keys: string[]) => database.db.selectFrom('outbox').selectAll().where('dedupe_key', 'in', keys).orderBy('id').execute();

describe('a subsidy case\'s reminders by e-mail', () => {
  let env: TestWorkflowEnvironment;
  let worker: Worker;
  let running: Promise<void>;
  const taskQueue = uniqueTaskQueue('mail-ts');

  beforeAll(async () => {
    env = await timeSkipping();
    worker = await workerFor(env, taskQueue, { db: database.db, clock: systemClock });
    running = worker.run();
  });
  afterAll(async () => {
    worker?.shutdown();
    await running;
    await env?.teardown();
  });

  it('sends the 30- and 7-day reminders and the lapse to the applicant, in Japanese, once each', async () => {
    const now = await env.currentTimeMs();
    const deadline = now + 60 * DAY_MS;
    const year: OverseasIpYear & { id: string } = { ...openYear(new Date(now), { reportDeadline: toJstIso(deadline) }), id: newId('py') };
    await seedYear(database.db, year.id, year);
    const applicantId = await seedApplicant(database.db);
    const intake = intakeFor(year, applicantId, now);
    const handle = await startCase(env.client, taskQueue, intake);
    await handle.executeUpdate(decideUpdate, { args: [{ meta: metaAt(now), approve: true, grantLimitJpy: null, decidedAt: toJstIso(now), reason: null }] });
    expect(await handle.result()).toEqual({ caseId: intake.caseId, status: 'lapsed' });

    const d = dispatcher();
    await d.drain();
    await d.drain(); // nothing left: a second pass sends nothing
    const mine = smtp.messages.filter((m) => m.text?.includes(intake.caseId));
    expect(mine.map((m) => m.subject)).toEqual([
      '【リマインダー】支払証憑と実績報告の提出期限まで30日 / 30 days left to submit payment evidence and the performance report',
      '【リマインダー】支払証憑と実績報告の提出期限まで7日 / 7 days left to submit payment evidence and the performance report',
      `補助金案件が失効しました / Subsidy case lapsed: ${intake.title}`,
    ]);
    const jst = toJstIso(deadline);
    const label = `${Number(jst.slice(0, 4))}年${Number(jst.slice(5, 7))}月${Number(jst.slice(8, 10))}日 ${jst.slice(11, 16)}`;
    for (const m of mine) {
      expect(m.to && !Array.isArray(m.to) ? m.to.value[0]?.address : null).toBe(`${applicantId}@example.jp`);
      expect(m.text).toContain(`案件番号: ${intake.caseId}`);
      expect(m.text).toContain(`案件名: ${intake.title}`);
      expect(m.text).toContain(`提出期限: ${label}（日本時間）`);
    }
    expect(mine[0]!.text).toContain('あと30日です');
    expect(mine[0]!.text).toContain('実績報告書を作成し');
    expect(mine[0]!.headers.get('content-type')).toMatchObject({ params: { charset: 'utf-8' } });
    const rows = await database.db.selectFrom('outbox').selectAll().where('case_id', '=', intake.caseId).orderBy('id').execute();
    expect(rows.map((r) => [r.status, r.attempts, r.address])).toEqual(Array(3).fill(['sent', 1, `${applicantId}@example.jp`]));
    expect(new Set(mine.map((m) => m.messageId))).toEqual(new Set(rows.map((r) => messageIdOf(r.dedupe_key))));
  });
});

describe('exactly once', () => {
  it('a dispatcher that dies after its claim is taken over once the lease runs out; nothing arrives twice', async () => {
    const keys = await queue(12, 'crash');
    // The lease outlasts a drain of seven on a busy machine (300 ms did not, under load).
    const first = dispatcher({ leaseMs: 2000, batchSize: 5 });
    // Dies after claiming five (before sending them): they stay `sending` under its lease.
    const abandoned = await first.claim(5);
    expect(abandoned).toHaveLength(5);
    // Another dispatcher sends what is due, not what the dead one holds…
    const second = dispatcher({ leaseMs: 2000, batchSize: 5 });
    await second.drain();
    expect((await rowsOf(keys)).filter((r) => r.status === 'sent')).toHaveLength(7);
    // …then, the lease run out, the five too.
    await new Promise((resolve) => setTimeout(resolve, 2100));
    await second.drain();
    const rows = await rowsOf(keys);
    expect(rows.map((r) => r.status)).toEqual(Array(12).fill('sent'));
    for (const key of keys) expect(arrived(messageIdOf(key))).toHaveLength(1);
    expect(rows.filter((r) => abandoned.some((a) => a.id === r.id)).map((r) => r.attempts)).toEqual(Array(5).fill(2));
  });

  it('two dispatchers running at once never send the same notice (SKIP LOCKED)', async () => {
    const keys = await queue(40, 'race');
    const [a, b] = [dispatcher({ batchSize: 3 }), dispatcher({ batchSize: 3 })];
    await Promise.all([a.drain(), b.drain()]);
    for (const key of keys) expect(arrived(messageIdOf(key))).toHaveLength(1);
    expect((await rowsOf(keys)).every((r) => r.status === 'sent' && r.attempts === 1)).toBe(true);
  });
});

describe('a dispatcher process killed mid-batch', () => {
  it('leaves its claims to lapse; another sends them; only a notice in flight at the kill can arrive again, with the same Message-ID', async () => {
    const keys = await queue(60, 'killed');
    smtp.slow(40);
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./mail-dispatcher-child.ts', import.meta.url)), database.url, String(smtp.port)], { stdio: 'ignore' });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    await eventually(() => rowsOf(keys), (rows) => rows.filter((r) => r.status === 'sent').length >= 15, 30_000);
    child.kill('SIGKILL');
    await exited;
    const atKill = await rowsOf(keys);
    const inDoubt = new Set(atKill.filter((r) => r.status === 'sending').map((r) => r.dedupe_key));
    expect(atKill.filter((r) => r.status === 'sent').length).toBeGreaterThanOrEqual(15);
    expect(atKill.some((r) => r.status !== 'sent')).toBe(true);
    smtp.slow(0);

    await new Promise((resolve) => setTimeout(resolve, 1_100)); // the dead process's lease
    await dispatcher().drain();
    const rows = await rowsOf(keys);
    expect(rows.map((r) => r.status)).toEqual(Array(60).fill('sent'));
    for (const key of keys) {
      const copies = arrived(messageIdOf(key)).length;
      // Sent and marked, or never started: exactly once. Accepted by the server in the instant
      // between its 250 and the mark: at most once more, recognisable by its Message-ID.
      if (inDoubt.has(key)) expect(copies === 1 || copies === 2, key).toBe(true);
      else expect(copies, key).toBe(1);
    }
  });
});

describe('retries', () => {
  it('a server that refuses for a while gets the notice on a later attempt, then it is sent', async () => {
    const [key] = await queue(1, 'refused');
    smtp.refuseNext(3);
    const d = dispatcher();
    d.start();
    const row = await eventually(async () => (await rowsOf([key!]))[0]!, (r) => r.status === 'sent');
    await d.stop();
    expect(row).toMatchObject({ status: 'sent', attempts: 4, last_error: null });
    expect(arrived(messageIdOf(key!))).toHaveLength(1);
  });

  it('after the last attempt the notice is failed with the server\'s answer', async () => {
    const [key] = await queue(1, 'failing');
    smtp.refuseNext(3);
    const d = dispatcher({ maxAttempts: 3 });
    d.start();
    const row = await eventually(async () => (await rowsOf([key!]))[0]!, (r) => r.status === 'failed');
    await d.stop();
    expect(row).toMatchObject({ status: 'failed', attempts: 3, sent_at: null });
    expect(row.last_error).toContain('451');
    expect(arrived(messageIdOf(key!))).toHaveLength(0);
  });
});

describe('recipients', () => {
  it('an expert by their e-mail; staff, and anyone without an address, to the staff mailbox', async () => {
    await database.db.insertInto('experts').values({ id: 'ex_mail', name: '山田', organization: '弁理士会', email: 'yamada@example.jp' }).execute();
    await database.db.insertInto('experts').values({ id: 'ex_nomail', name: '佐藤', organization: '弁理士会' }).execute();
    const applicantId = await seedApplicant(database.db);
    await sql`update applicants set contact_email = null where id = ${applicantId}`.execute(database.db);
    const cases: [string, string][] = [['expert:ex_mail', 'yamada@example.jp'], ['expert:ex_nomail', STAFF], ['staff', STAFF], [`applicant:${applicantId}`, STAFF]];
    const keys = [];
    for (const [recipient] of cases) keys.push(...await queue(1, `to-${recipient}`, recipient));
    await dispatcher().drain();
    const rows = await rowsOf(keys);
    expect(rows.map((r) => r.address)).toEqual(cases.map(([, to]) => to));
    for (const [i, key] of keys.entries()) {
      const [m] = arrived(messageIdOf(key));
      expect(m?.to && !Array.isArray(m.to) ? m.to.value[0]?.address : null).toBe(cases[i]![1]);
    }
  });
});

// A worker killed in the middle of a case: the activity had committed but Temporal never
// heard of it, so it runs again on the next worker. The command's receipt (the history
// row's event key) turns the retry into a no-op: nothing is doubled, not even the ledger.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { useTestDatabase } from '../helpers/db.js';
import { devServer, type DevServerHarness } from '../helpers/temporal.js';
import { systemClock } from '../../runtime/clock.js';
import type { DatabaseHandle } from '../../db/database.js';
import { jstDate, toJstIso } from '../../domain/time.js';
import { newId } from '../../runtime/ids.js';
import { journalSums } from '../../db/repositories/cap-ledger.js';
import { confirmExpenseUpdate, decideUpdate, determineUpdate, recordExpenseUpdate, submitReportUpdate } from '../../workflows/subsidy-case.js';
import { openYear } from '../api/subsidy-cases-fixtures.js';
import { intakeFor, metaAt, seedApplicant, seedYear, startCase } from './subsidy-case-fixtures.js';

let database: DatabaseHandle & { url: string };
let temporal: DevServerHarness;

beforeAll(async () => {
  database = await useTestDatabase();
  temporal = await devServer();
});
afterAll(() => temporal?.close());

function doomedWorker(dieAfter: string): { child: ChildProcess; ready: Promise<void>; died: Promise<string> } {
  const tsx = fileURLToPath(new URL('../../node_modules/.bin/tsx', import.meta.url));
  const child = spawn(tsx, [fileURLToPath(new URL('./subsidy-case-crash-worker.ts', import.meta.url))], {
    env: { ...process.env, TEMPORAL_ADDRESS: inject('temporalAddress'), TASK_QUEUE: temporal.taskQueue, DATABASE_URL: database.url, WORKFLOW_BUNDLE_PATH: inject('workflowBundlePath'), DIE_AFTER: dieAfter },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => { if (chunk.toString().includes('ready')) resolve(); });
    child.once('exit', (code) => reject(new Error(`crash worker exited early (${code})`)));
  });
  // tsx runs the script in a child node process and passes its death on as exit code 137.
  const died = new Promise<string>((resolve) => child.once('exit', (code, signal) => resolve(signal === 'SIGKILL' || code === 137 ? 'killed' : `exit ${code} ${signal}`)));
  return { child, ready, died };
}

/** Run `fn` with a healthy in-process worker on the same task queue. */
async function withHealthyWorker<T>(fn: () => Promise<T>): Promise<T> {
  const worker = await temporal.startWorker({ db: database.db, clock: systemClock });
  return worker.runUntil(fn);
}

describe('a worker killed mid-case', () => {
  it('resumes on another worker with nothing doubled', { timeout: 60_000 }, async () => {
    const now = Date.now();
    const year = { ...openYear(new Date(now)), id: newId('py') };
    await seedYear(database.db, year.id, year);
    const applicantId = await seedApplicant(database.db);
    const intake = intakeFor(year, applicantId, now);
    const caseId = intake.caseId;

    // 1. Dies right after reserving the grant limit.
    const first = doomedWorker('approveCase');
    await first.ready;
    // A dead worker's workflow task is given up after this long (10 s by default).
    const handle = await startCase(temporal.client, temporal.taskQueue, intake, { workflowTaskTimeout: '3 seconds' });
    const approving = handle.executeUpdate(decideUpdate, { args: [{ meta: metaAt(now), approve: true, grantLimitJpy: null, decidedAt: toJstIso(now), reason: null }] });
    expect(await first.died).toBe('killed');
    expect((await database.db.selectFrom('subsidy_cases').select('status').where('id', '=', caseId).executeTakeFirstOrThrow()).status).toBe('approved');
    await withHealthyWorker(() => approving);

    // 2. Dies right after writing an expense.
    const second = doomedWorker('recordExpense');
    await second.ready;
    const today = jstDate(Date.now());
    const expenseId = newId('ex');
    const adding = handle.executeUpdate(recordExpenseUpdate, { args: [{ meta: metaAt(Date.now()), id: expenseId, category: 'foreign_office_fee', payee: 'USPTO', invoiceNumber: null, description: null, country: 'US', incurredOn: today, paidOn: today, amountJpy: 800_000, consumptionTaxJpy: 0, currency: null, foreignAmount: null }] });
    expect(await second.died).toBe('killed');

    // 3. A healthy worker finishes the command and the rest of the case.
    await withHealthyWorker(async () => {
      await adding;
      await handle.executeUpdate(submitReportUpdate, { args: [{ meta: metaAt(Date.now()), note: null }] });
      await handle.executeUpdate(confirmExpenseUpdate, { args: [{ meta: metaAt(Date.now()), expenseId, accepted: true, reason: null }] });
      await handle.executeUpdate(determineUpdate, { args: [{ meta: metaAt(Date.now()), note: null }] });
    });

    const row = await database.db.selectFrom('subsidy_cases').selectAll().where('id', '=', caseId).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'determined', grant_limit_jpy: 500_000, determined_jpy: 400_000 });
    const history = await database.db.selectFrom('history').select('type').where('entity_id', '=', caseId).orderBy('id').execute();
    expect(history.map((h) => h.type)).toEqual(['received', 'approved', 'expense_recorded', 'reported', 'expense_confirmed', 'determined']);
    expect(await database.db.selectFrom('subsidy_expenses').select('id').where('case_id', '=', caseId).execute()).toHaveLength(1);
    const entries = await database.db.selectFrom('subsidy_cap_entries').select(['kind', 'amount_jpy']).where('case_id', '=', caseId).orderBy('id').execute();
    expect(entries).toEqual([{ kind: 'reserve', amount_jpy: 500_000 }, { kind: 'settle', amount_jpy: 400_000 }, { kind: 'release', amount_jpy: 100_000 }]);
    const balance = await database.db.selectFrom('subsidy_cap_balances').selectAll().where('applicant_id', '=', applicantId).executeTakeFirstOrThrow();
    expect([balance.reserved_jpy, balance.settled_jpy]).toEqual([0, 400_000]);
    expect(await journalSums(database.db, applicantId)).toEqual([expect.objectContaining({ reserved_jpy: 0, settled_jpy: 400_000 })]);
  });
});

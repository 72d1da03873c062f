// Time-skipping tests of a case's own time: the evidence deadline (two reminders, then the
// lapse that releases the reservation), a deadline moved while the case runs, and five
// years of examination-status reports with continue-as-new.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { sql } from 'kysely';
import { useTestDatabase } from '../helpers/db.js';
import { timeSkipping, uniqueTaskQueue, workerFor } from '../helpers/temporal.js';
import { systemClock } from '../../runtime/clock.js';
import type { DatabaseHandle } from '../../db/database.js';
import { DAY_MS, toJstIso } from '../../domain/time.js';
import { endOfJstDay } from '../../domain/subsidy/schedule.js';
import type { OverseasIpYear } from '../../domain/program-year.js';
import { newId } from '../../runtime/ids.js';
import {
  caseStateQuery, confirmExpenseUpdate, deadlinesChangedUpdate, decideUpdate, determineUpdate, disburseUpdate, intakeUpdate, recordExpenseUpdate,
  recordForeignFilingUpdate, recordStatusReportUpdate, submitReportUpdate, subsidyCaseWorkflow, subsidyCaseWorkflowId,
} from '../../workflows/subsidy-case.js';
import { openYear } from '../api/subsidy-cases-fixtures.js';
import { WithStartWorkflowOperation, WorkflowUpdateFailedError } from '@temporalio/client';
import type { ApplicationFailure } from '@temporalio/common';
import { CaseStatus } from '../../workflows/search-attributes.js';
import { intakeFor, metaAt, seedApplicant, seedYear, startCase } from './subsidy-case-fixtures.js';

let database: DatabaseHandle;
let env: TestWorkflowEnvironment;
let worker: Worker;
let running: Promise<void>;
const taskQueue = uniqueTaskQueue('subsidy-ts');

beforeAll(async () => {
  database = await useTestDatabase();
  env = await timeSkipping();
  worker = await workerFor(env, taskQueue, { db: database.db, clock: systemClock });
  running = worker.run();
});

afterAll(async () => {
  worker?.shutdown();
  await running;
  await env?.teardown();
});

const outboxOf = (caseId: string) => database.db.selectFrom('outbox').selectAll().where(sql<string>`payload->>'caseId'`, '=', caseId).orderBy('created_at').orderBy('id').execute();
const caseRow = (caseId: string) => database.db.selectFrom('subsidy_cases').selectAll().where('id', '=', caseId).executeTakeFirstOrThrow();
const balanceOf = (applicantId: string) => database.db.selectFrom('subsidy_cap_balances').selectAll().where('applicant_id', '=', applicantId).executeTakeFirstOrThrow();

async function approvedCase(deadlineInDays: number) {
  const now = await env.currentTimeMs();
  const year: OverseasIpYear & { id: string } = { ...openYear(new Date(now), { reportDeadline: toJstIso(now + deadlineInDays * DAY_MS) }), id: newId('py') };
  await seedYear(database.db, year.id, year);
  const applicantId = await seedApplicant(database.db);
  const intake = intakeFor(year, applicantId, now);
  const handle = await startCase(env.client, taskQueue, intake);
  await handle.executeUpdate(decideUpdate, { args: [{ meta: metaAt(now), approve: true, grantLimitJpy: null, decidedAt: toJstIso(now), reason: null }] });
  return { handle, caseId: intake.caseId, applicantId, now, year };
}

describe('intake', () => {
  it('refuses an ineligible intake inside the workflow too: the Update fails with the code, nothing is written, the workflow ends', async () => {
    const now = await env.currentTimeMs();
    const year = { ...openYear(new Date(now)), id: newId('py') };
    await seedYear(database.db, year.id, year);
    const applicantId = await seedApplicant(database.db);
    const intake = { ...intakeFor(year, applicantId, now), jpoApplicationNumber: null };
    const start = new WithStartWorkflowOperation(subsidyCaseWorkflow, {
      workflowId: subsidyCaseWorkflowId(intake.caseId), taskQueue, args: [{ intake }], workflowIdConflictPolicy: 'FAIL',
      typedSearchAttributes: [{ key: CaseStatus, value: 'under_review' }],
    });
    const refused = await env.client.workflow.executeUpdateWithStart(intakeUpdate, { startWorkflowOperation: start }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(WorkflowUpdateFailedError);
    expect(((refused as WorkflowUpdateFailedError).cause as ApplicationFailure).type).toBe('jpo_basis_required');
    const handle = await start.workflowHandle();
    expect(await handle.result()).toEqual({ caseId: intake.caseId, status: 'refused', refusal: 'jpo_basis_required' });
    expect(await database.db.selectFrom('subsidy_cases').select('id').where('id', '=', intake.caseId).execute()).toEqual([]);
  });
});

describe('waiting on payment evidence', () => {
  it('reminds 30 and 7 days before the deadline, then lapses and releases the reservation', async () => {
    const { handle, caseId, applicantId, now } = await approvedCase(60);
    expect((await balanceOf(applicantId)).reserved_jpy).toBe(500_000);

    expect(await handle.result()).toEqual({ caseId, status: 'lapsed' });
    const deadline = now + 60 * DAY_MS;
    expect(await env.currentTimeMs()).toBeGreaterThanOrEqual(deadline);

    const notices = await outboxOf(caseId);
    expect(notices.map((n) => [n.kind, n.payload.daysBefore ?? null])).toEqual([
      ['subsidy_evidence_reminder', 30], ['subsidy_evidence_reminder', 7], ['subsidy_case_lapsed', null],
    ]);
    const sentAt = notices.map((n) => n.created_at.getTime());
    expect(sentAt[0]! - (deadline - 30 * DAY_MS)).toBeGreaterThanOrEqual(0);
    expect(sentAt[0]! - (deadline - 30 * DAY_MS)).toBeLessThan(60_000);
    expect(sentAt[1]! - (deadline - 7 * DAY_MS)).toBeGreaterThanOrEqual(0);
    expect(sentAt[1]! - (deadline - 7 * DAY_MS)).toBeLessThan(60_000);
    expect(notices[0]!.recipient).toBe(`${applicantId}@example.jp`);

    const row = await caseRow(caseId);
    expect(row.status).toBe('lapsed');
    const balance = await balanceOf(applicantId);
    expect([balance.reserved_jpy, balance.settled_jpy]).toEqual([0, 0]);
    const history = await database.db.selectFrom('history').select(['type', 'to_status', 'actor']).where('entity_id', '=', caseId).orderBy('id').execute();
    expect(history.map((h) => h.type)).toEqual(['received', 'approved', 'notice_sent', 'notice_sent', 'lapsed']);
  });

  it('re-times a running case when the program year moves its deadline', async () => {
    const { handle, caseId, now, year } = await approvedCase(60);
    // Brought forward to 10 days from now: the 30-day reminder of the new deadline is already
    // past (not sent late); the 7-day one and the lapse follow the new deadline.
    const moved = now + 10 * DAY_MS;
    await handle.executeUpdate(deadlinesChangedUpdate, { args: [{ deadlines: { reportDeadline: toJstIso(moved), statusReports: year.statusReports }, revision: 2 }] });
    expect((await handle.result()).status).toBe('lapsed');
    const lapsedAt = (await database.db.selectFrom('history').select('at').where('entity_id', '=', caseId).where('type', '=', 'lapsed').executeTakeFirstOrThrow()).at;
    expect(lapsedAt.getTime()).toBeGreaterThanOrEqual(moved);
    expect(lapsedAt.getTime()).toBeLessThan(now + 60 * DAY_MS - 30 * DAY_MS);
    const notices = await outboxOf(caseId);
    expect(notices.map((n) => n.kind)).toEqual(['subsidy_deadlines_changed', 'subsidy_evidence_reminder', 'subsidy_case_lapsed']);
    expect(notices[1]!.payload).toMatchObject({ daysBefore: 7, reportDeadline: toJstIso(moved) });
    expect((await caseRow(caseId)).report_deadline.getTime()).toBe(moved);
  });
});

describe('after disbursement', () => {
  it('asks for five yearly status reports, reminds, chases the overdue one, continues as new and closes after the last', async () => {
    const { handle, caseId, now } = await approvedCase(120);
    const firstRunId = (await handle.describe()).runId;
    const meta = () => env.currentTimeMs().then((ms) => metaAt(ms));
    await handle.executeUpdate(recordExpenseUpdate, { args: [{ meta: await meta(), id: newId('ex'), category: 'foreign_office_fee', payee: 'USPTO', invoiceNumber: null, description: null, country: 'US', incurredOn: toJstIso(now).slice(0, 10), paidOn: toJstIso(now).slice(0, 10), amountJpy: 600_000, consumptionTaxJpy: 0, currency: 'USD', foreignAmount: 4000 }] });
    await handle.executeUpdate(submitReportUpdate, { args: [{ meta: await meta(), note: null }] });
    const state = await handle.query(caseStateQuery);
    await handle.executeUpdate(confirmExpenseUpdate, { args: [{ meta: await meta(), expenseId: state!.expenses[0]!.id, accepted: true, reason: null }] });
    await handle.executeUpdate(determineUpdate, { args: [{ meta: await meta(), note: null }] });
    await handle.executeUpdate(disburseUpdate, { args: [{ meta: await meta(), paidAt: toJstIso(await env.currentTimeMs()), transferReference: 'T-1' }] });

    const schedule = (await caseRow(caseId)).status_report_schedule;
    expect(schedule).toHaveLength(5);
    for (const due of schedule) {
      const deadline = endOfJstDay(due.dueOn);
      const last = due.year === 5;
      // Let time run past the 7-day reminder (and for the last year past the due date).
      const until = last ? deadline + DAY_MS : deadline - 7 * DAY_MS + 60_000;
      await env.sleep(until - (await env.currentTimeMs()));
      const kinds = (await outboxOf(caseId)).filter((n) => n.payload.year === due.year).map((n) => `${n.kind}:${n.payload.daysBefore ?? ''}`);
      expect(kinds).toEqual(['subsidy_status_report_reminder:30', 'subsidy_status_report_reminder:7', ...(last ? ['subsidy_status_report_overdue:'] : [])]);
      expect((await caseRow(caseId)).next_status_report_due).toBe(due.dueOn);
      await handle.executeUpdate(recordStatusReportUpdate, { args: [{ meta: await meta(), id: newId('sr'), year: due.year, asOf: due.asOf, countries: [{ country: 'US', status: due.year < 5 ? 'pending' : 'granted' }] }] });
    }
    expect(await handle.result()).toEqual({ caseId, status: 'closed' });
    const row = await caseRow(caseId);
    expect(row.status).toBe('closed');
    expect(row.next_status_report_due).toBeNull();
    const description = await handle.describe();
    expect(description.runId).not.toBe(firstRunId);
    expect(description.historyLength).toBeLessThan(60);
    // Carried across continue-as-new; the status is not copied into them (kernel/case-entity.ts).
    expect(description.searchAttributes).toMatchObject({ ProgramYearId: [expect.any(String)] });
    expect(description.searchAttributes.CaseStatus).toBeUndefined();
  });
});

describe('a report already past due at payment', () => {
  it('is overdue at once: the completion year is the last filing\'s, and its overdue notice goes with the payment', async () => {
    const { handle, caseId, now } = await approvedCase(120);
    const meta = () => env.currentTimeMs().then((ms) => metaAt(ms));
    // Recorded late: a filing made three fiscal years ago (before the decision, so not paid for).
    const fy = Number(toJstIso(now).slice(0, 4)) - (Number(toJstIso(now).slice(5, 7)) >= 4 ? 0 : 1);
    await handle.executeUpdate(recordForeignFilingUpdate, { args: [{ meta: await meta(), id: newId('ff'), country: 'US', applicationNumber: null, filedOn: `${fy - 3}-10-01` }] });
    await handle.executeUpdate(recordExpenseUpdate, { args: [{ meta: await meta(), id: newId('ex'), category: 'domestic_agent_fee', payee: '特許事務所', invoiceNumber: null, description: null, country: null, incurredOn: toJstIso(now).slice(0, 10), paidOn: toJstIso(now).slice(0, 10), amountJpy: 110_000, consumptionTaxJpy: 10_000, currency: null, foreignAmount: null }] });
    await handle.executeUpdate(submitReportUpdate, { args: [{ meta: await meta(), note: null }] });
    const state = await handle.query(caseStateQuery);
    await handle.executeUpdate(confirmExpenseUpdate, { args: [{ meta: await meta(), expenseId: state!.expenses[0]!.id, accepted: true, reason: null }] });
    await handle.executeUpdate(determineUpdate, { args: [{ meta: await meta(), note: null }] });
    await handle.executeUpdate(disburseUpdate, { args: [{ meta: await meta(), paidAt: toJstIso(await env.currentTimeMs()), transferReference: 'T-9' }] });
    const row = await caseRow(caseId);
    // Completion FY fy-3: reports as of 31 March of fy-1 … fy+3; the first two were due before the payment.
    expect(row.status_report_schedule[0]).toEqual({ year: 1, asOf: `${fy - 1}-03-31`, dueOn: `${fy - 1}-05-31` });
    expect(row.next_status_report_due).toBe(`${fy - 1}-05-31`);
    let kinds: string[] = [];
    for (let i = 0; i < 50 && kinds.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 100));
      kinds = (await outboxOf(caseId)).filter((n) => n.payload.year === 1).map((n) => n.kind);
    }
    expect(kinds).toEqual(['subsidy_status_report_overdue']);
  });
});

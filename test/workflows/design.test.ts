// Program C workflows on the time-skipping test server: an event's registration closes by
// itself at registrationClosesAt and registrants are reminded reminderDaysBefore days before
// the start; a visit reminds its expert, turns overdue after visitGraceDays with a notice to
// staff, and a dispatch still open when its fiscal year ends is flagged with a notice.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { WithStartWorkflowOperation } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { useTestDatabase } from '../helpers/db.js';
import { timeSkipping, uniqueTaskQueue, workerFor } from '../helpers/temporal.js';
import { systemClock } from '../../runtime/clock.js';
import type { DatabaseHandle } from '../../db/database.js';
import { upsertProgramYear } from '../../db/repositories/program-years.js';
import { DAY_MS, fiscalYearBounds, fiscalYearOfInstant, toJstIso } from '../../domain/time.js';
import type { DesignManagementYear } from '../../domain/program-year.js';
import type { designEventWorkflow } from '../../workflows/design-event.js';
import type { designDispatchWorkflow } from '../../workflows/design-dispatch.js';
import { createEventUpdate, DESIGN_EVENT_WORKFLOW, eventWorkflowId, registerUpdate } from '../../workflows/design-event-messages.js';
import {
  addVisitUpdate, applyDispatchUpdate, assignmentUpdate, completeVisitUpdate, decisionUpdate, DESIGN_DISPATCH_WORKFLOW, dispatchRulesOf, dispatchWorkflowId,
} from '../../workflows/design-dispatch-messages.js';

const HOUR = 3_600_000;

let env: TestWorkflowEnvironment;
let database: DatabaseHandle;
let worker: Worker;
let running: Promise<void>;
let taskQueue: string;

beforeAll(async () => {
  database = await useTestDatabase();
  env = await timeSkipping();
  taskQueue = uniqueTaskQueue('design');
  worker = await workerFor(env, taskQueue, { db: database.db, clock: systemClock });
  running = worker.run();
  await database.db.insertInto('applicants').values({ id: 'ap_kitami', name: '株式会社北見デザイン', kind: 'sme' }).execute();
  await database.db.insertInto('experts').values({ id: 'ex_designer', name: '佐藤 デザイナー', organization: 'デザイン事務所' }).execute();
});

afterAll(async () => {
  worker?.shutdown();
  await running;
  await env?.teardown();
});

const now = () => env.currentTimeMs();
const iso = (ms: number) => toJstIso(ms);
const meta = async (actor = 'staff:test') => ({ actor, at: iso(await now()) });
const rid = (prefix: string) => `${prefix}_${randomBytes(5).toString('hex')}`;

/** A design-management year of the test server's current fiscal year: window and visits all year. */
async function year(options: { graceDays?: number; reminderDays?: number } = {}): Promise<{ id: string; rules: DesignManagementYear }> {
  const t = await now();
  const fy = fiscalYearOfInstant(t);
  const id = `design-management-ts-${randomBytes(3).toString('hex')}`;
  const rules: DesignManagementYear = {
    program: 'design_management', fiscalYear: fy, title: 'time-skipping',
    dispatch: { applicationWindow: { opensAt: iso(fiscalYearBounds(fy).startsAt), closesAt: iso(fiscalYearBounds(fy).endsBefore - 1000) }, visitsFrom: `${fy}-04-01`, visitsUntil: `${fy + 1}-03-31`, companies: 10, maxVisitsPerCompany: 3 },
    reminderDaysBefore: options.reminderDays ?? 2, visitGraceDays: options.graceDays ?? 7,
  };
  await upsertProgramYear(database.db, id, rules, new Date(t));
  return { id, rules };
}

const outbox = (kind: string, key: string, value: string) =>
  database.db.selectFrom('outbox').selectAll().where('kind', '=', kind).execute().then((rows) => rows.filter((r) => r.payload[key] === value));

async function settle<T>(read: () => Promise<T>, ok: (v: T) => boolean): Promise<T> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const v = await read();
    if (ok(v) || Date.now() > deadline) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function skipTo(target: number): Promise<void> {
  const delta = target - (await now());
  if (delta > 0) await env.sleep(delta);
}

describe('event timers', () => {
  it('closes registration by itself at registrationClosesAt and reminds seated registrants reminderDaysBefore days before the start', async () => {
    const y = await year({ reminderDays: 2 });
    const id = rid('de');
    const t = await now();
    const startsAt = t + 5 * DAY_MS;
    const closesAt = t + 2 * DAY_MS;
    const start = new WithStartWorkflowOperation<typeof designEventWorkflow>(DESIGN_EVENT_WORKFLOW, {
      workflowId: eventWorkflowId(id), taskQueue, workflowIdConflictPolicy: 'FAIL', args: [{ eventId: id, programYearId: y.id, rules: { reminderDaysBefore: 2 } }],
    });
    await env.client.workflow.executeUpdateWithStart(createEventUpdate, {
      args: [{ meta: await meta(), event: { kind: 'seminar', title: 'デザイン経営セミナー', city: '帯広市', venue: 'とかちプラザ', description: null, startsAt: iso(startsAt), endsAt: iso(startsAt + 2 * HOUR), capacity: 1, registrationClosesAt: iso(closesAt) } }],
      startWorkflowOperation: start,
    });
    const handle = await start.workflowHandle();
    const seated = rid('dr');
    const waiting = rid('dr');
    for (const [r, email] of [[seated, 'a@example.jp'], [waiting, 'b@example.jp']] as const) {
      await handle.executeUpdate(registerUpdate, { args: [{ meta: await meta(), registration: { id: r, name: r, email, organization: null, applicantId: null, registeredAt: iso(await now()) } }] });
    }
    const row = () => database.db.selectFrom('design_events').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

    await skipTo(closesAt - HOUR);
    expect((await row()).status).toBe('open');
    await skipTo(closesAt + HOUR);
    const closed = await settle(row, (e) => e.status === 'closed');
    expect(closed).toMatchObject({ status: 'closed' });
    expect(closed.closed_at?.getTime()).toBe(closesAt);
    const history = await database.db.selectFrom('history').selectAll().where('entity_id', '=', id).where('type', '=', 'registration_closed').execute();
    expect(history).toEqual([expect.objectContaining({ actor: 'system', to_status: 'closed' })]);

    await skipTo(startsAt - 2 * DAY_MS - HOUR);
    expect(await outbox('design_event_reminder', 'eventId', id)).toHaveLength(0);
    await skipTo(startsAt - 2 * DAY_MS + HOUR);
    const reminders = await settle(() => outbox('design_event_reminder', 'eventId', id), (r) => r.length > 0);
    expect(reminders).toEqual([expect.objectContaining({ recipient: 'a@example.jp' })]);
    expect(reminders[0]!.payload.registrationId).toBe(seated);
  });
});

describe('dispatch timers', () => {
  async function assignedDispatch(y: { id: string; rules: DesignManagementYear }) {
    const id = rid('dd');
    const start = new WithStartWorkflowOperation<typeof designDispatchWorkflow>(DESIGN_DISPATCH_WORKFLOW, {
      workflowId: dispatchWorkflowId(id), taskQueue, workflowIdConflictPolicy: 'FAIL', args: [{ dispatchId: id, programYearId: y.id, rules: dispatchRulesOf(y.rules) }],
    });
    await env.client.workflow.executeUpdateWithStart(applyDispatchUpdate, {
      args: [{ meta: await meta(), intake: { applicantId: 'ap_kitami', issue: 'ブランドの再構築', sourceRegistrationId: null, receivedAt: iso(await now()) } }],
      startWorkflowOperation: start,
    });
    const handle = await start.workflowHandle();
    await handle.executeUpdate(decisionUpdate, { args: [{ meta: await meta(), accept: true, reason: null }] });
    await handle.executeUpdate(assignmentUpdate, { args: [{ meta: await meta(), expertId: 'ex_designer', plannedVisits: 3 }] });
    return { id, handle };
  }
  const visitRow = (id: string) => database.db.selectFrom('design_visits').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  it('reminds the expert before each visit and flags a visit not held visitGraceDays after it, telling staff; a held visit never turns overdue', async () => {
    const y = await year({ graceDays: 7, reminderDays: 2 });
    const { id, handle } = await assignedDispatch(y);
    const t = await now();
    const [open, held] = [rid('dv'), rid('dv')];
    await handle.executeUpdate(addVisitUpdate, { args: [{ meta: await meta(), visitId: open, scheduledAt: iso(t + 5 * DAY_MS) }] });
    await handle.executeUpdate(addVisitUpdate, { args: [{ meta: await meta(), visitId: held, scheduledAt: iso(t + 6 * DAY_MS) }] });

    await skipTo(t + 3 * DAY_MS + HOUR);
    const reminders = await settle(() => outbox('design_visit_reminder', 'visitId', open), (r) => r.length === 1);
    expect(reminders).toEqual([expect.objectContaining({ recipient: 'expert:ex_designer' })]);
    await skipTo(t + 6 * DAY_MS + HOUR);
    await handle.executeUpdate(completeVisitUpdate, { args: [{ meta: await meta('expert:ex_designer'), visitId: held, heldAt: iso(await now()), hours: 2, summary: '訪問' }] });

    await skipTo(t + 12 * DAY_MS - HOUR);
    expect((await visitRow(open)).overdue_at).toBeNull();
    await skipTo(t + 14 * DAY_MS);
    const flagged = await settle(() => visitRow(open), (v) => v.overdue_at !== null);
    expect(flagged.overdue_at?.getTime()).toBe(t + 12 * DAY_MS);
    expect(await outbox('design_visit_overdue', 'visitId', open)).toEqual([expect.objectContaining({ recipient: 'staff' })]);
    expect((await visitRow(held)).overdue_at).toBeNull();
    expect(await outbox('design_visit_overdue', 'visitId', held)).toHaveLength(0);
    const history = await database.db.selectFrom('history').selectAll().where('entity_id', '=', id).where('type', '=', 'visit_overdue').execute();
    expect(history).toEqual([expect.objectContaining({ actor: 'system' })]);
  });

  it('flags a dispatch still open when its fiscal year ends and tells staff', async () => {
    const y = await year();
    const { id } = await assignedDispatch(y);
    const fyEnd = fiscalYearBounds(y.rules.fiscalYear).endsBefore;
    const row = () => database.db.selectFrom('design_dispatches').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    await skipTo(fyEnd - HOUR);
    expect((await row()).past_year_end_at).toBeNull();
    await skipTo(fyEnd + HOUR);
    const flagged = await settle(row, (d) => d.past_year_end_at !== null);
    expect(flagged.past_year_end_at?.getTime()).toBe(fyEnd);
    expect(await outbox('design_dispatch_overdue', 'dispatchId', id)).toEqual([expect.objectContaining({ recipient: 'staff' })]);
  });
});

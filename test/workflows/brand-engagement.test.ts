// The engagement workflow on the time-skipping test server: durable per-session timers
// (reminder, overdue after sessionGraceDays, moved by a reschedule, cleared by a
// cancellation), the support period's end, and completion ending the workflow.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { WithStartWorkflowOperation, type WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { useTestDatabase } from '../helpers/db.js';
import { eventually } from '../helpers/eventually.js';
import { timeSkipping, uniqueTaskQueue, workerFor } from '../helpers/temporal.js';
import { systemClock } from '../../runtime/clock.js';
import type { DatabaseHandle } from '../../db/database.js';
import { upsertProgramYear } from '../../db/repositories/program-years.js';
import { DAY_MS, toJstIso } from '../../domain/time.js';
import type { RegionalBrandYear } from '../../domain/program-year.js';
import type { brandEngagementWorkflow } from '../../workflows/brand-engagement.js';
import {
  actionPlanUpdate, applyUpdate, BRAND_ENGAGEMENT_WORKFLOW, cancelSessionUpdate, completeSessionUpdate, engagementStateQuery, engagementWorkflowId,
  hearingUpdate, planUpdate, rescheduleSessionUpdate, rulesChangedUpdate, selectionUpdate, type NewSession,
} from '../../workflows/brand-engagement-messages.js';

const HOUR = 3_600_000;

let env: TestWorkflowEnvironment;
let database: DatabaseHandle;
let worker: Worker;
let running: Promise<void>;
let taskQueue: string;

beforeAll(async () => {
  database = await useTestDatabase();
  env = await timeSkipping();
  taskQueue = uniqueTaskQueue('brand');
  worker = await workerFor(env, taskQueue, { db: database.db, clock: systemClock });
  running = worker.run();
  await database.db.insertInto('applicants').values({ id: 'ap_biei', name: '美瑛町', kind: 'municipality' }).execute();
  await database.db.insertInto('experts').values({ id: 'ex_nakayama', name: '中山 俊彦', organization: 'あさかぜ特許商標事務所' }).execute();
});

afterAll(async () => {
  worker?.shutdown();
  await running;
  await env?.teardown();
});

const now = () => env.currentTimeMs();
const iso = (ms: number) => toJstIso(ms);
const meta = async (actor = 'staff:test') => ({ actor, at: iso(await now()) });

/** A program year whose support period ends `supportEndsInDays` from now (test-server time). */
async function year(options: { supportEndsInDays?: number; graceDays?: number } = {}): Promise<{ id: string; rules: RegionalBrandYear }> {
  const t = await now();
  const id = `regional-brand-ts-${randomBytes(3).toString('hex')}`;
  const rules: RegionalBrandYear = {
    program: 'regional_brand', fiscalYear: 2099, title: 'time-skipping', callWindow: { opensAt: iso(t - 10 * DAY_MS), closesAt: iso(t + DAY_MS) },
    capacity: 10, supportEndsAt: iso(t + (options.supportEndsInDays ?? 200) * DAY_MS), sessionGraceDays: options.graceDays ?? 7,
  };
  await upsertProgramYear(database.db, id, rules, new Date(t));
  return { id, rules };
}

const session = (id: string, kind: NewSession['kind'], scheduledAt: number): NewSession =>
  ({ id, title: kind === 'lecture' ? '知的財産の保護と活用' : 'アクションプランの共有', kind, lecturerName: '熊野 彩', lecturerOrganization: null, scheduledAt: iso(scheduledAt) });

/** Start an engagement the way POST /brand-engagements does, and walk it into support. */
async function inSupport(y: { id: string; rules: RegionalBrandYear }, sessions: (start: number) => NewSession[]): Promise<{ id: string; handle: WorkflowHandle<typeof brandEngagementWorkflow>; start: number }> {
  const id = `be_${randomBytes(5).toString('hex')}`;
  const start = new WithStartWorkflowOperation<typeof brandEngagementWorkflow>(BRAND_ENGAGEMENT_WORKFLOW, {
    workflowId: engagementWorkflowId(id), taskQueue, workflowIdConflictPolicy: 'FAIL',
    args: [{ engagementId: id, programYearId: y.id, rules: { supportEndsAt: y.rules.supportEndsAt, sessionGraceDays: y.rules.sessionGraceDays } }],
  });
  const t = await now();
  await env.client.workflow.executeUpdateWithStart(applyUpdate, {
    args: [{ meta: await meta(), intake: { applicantId: 'ap_biei', productName: '美瑛小麦', municipality: '美瑛町', goals: ['branding'], background: null, issues: null, receivedAt: iso(t) } }],
    startWorkflowOperation: start,
  });
  const handle = await start.workflowHandle();
  await handle.executeUpdate(selectionUpdate, { args: [{ meta: await meta(), selected: true, reason: null }] });
  await handle.executeUpdate(hearingUpdate, { args: [{ meta: await meta(), hearing: { heldOn: iso(t).slice(0, 10), findings: ['PRの強化'], notes: null } }] });
  await handle.executeUpdate(planUpdate, { args: [{ meta: await meta(), supportLeaderId: 'ex_nakayama', direction: 'ブランド戦略', measures: ['branding'], sessions: sessions(t) }] });
  return { id, handle, start: t };
}

const sessionRow = (id: string) => database.db.selectFrom('brand_sessions').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const engagementRow = (id: string) => database.db.selectFrom('brand_engagements').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const outbox = (kind: string, key: string, value: string) =>
  database.db.selectFrom('outbox').selectAll().where('kind', '=', kind).execute().then((rows) => rows.filter((r) => r.payload[key] === value));

/**
 * The session as the workflow holds it. A query is answered after the workflow task that a
 * skipped timer started (its local activity included), so "nothing fired" is read here, not
 * from a row after a pause.
 */
async function sessionState(handle: WorkflowHandle<typeof brandEngagementWorkflow>, id: string) {
  return (await handle.query(engagementStateQuery))?.sessions.find((s) => s.id === id);
}

/** Move test-server time to `target` (ms since epoch). */
async function skipTo(target: number): Promise<void> {
  const delta = target - (await now());
  if (delta > 0) await env.sleep(delta);
}

describe('session timers', () => {
  it('flags a session overdue sessionGraceDays after its date, notifies staff, and reminds the leader 3 days ahead', async () => {
    const y = await year({ graceDays: 7 });
    const lectureId = `bs_${randomBytes(4).toString('hex')}`;
    const sharingId = `bs_${randomBytes(4).toString('hex')}`;
    const { id, handle, start } = await inSupport(y, (t) => [session(lectureId, 'lecture', t + 5 * DAY_MS), session(sharingId, 'action_plan_sharing', t + 30 * DAY_MS)]);
    const lectureAt = start + 5 * DAY_MS;

    await skipTo(lectureAt - 3 * DAY_MS + HOUR);
    const reminders = await eventually(() => outbox('brand_session_reminder', 'sessionId', lectureId), (r) => r.length === 1);
    expect(reminders).toHaveLength(1);
    expect(reminders[0]).toMatchObject({ recipient: 'expert:ex_nakayama' });
    expect(await outbox('brand_session_reminder', 'sessionId', sharingId)).toHaveLength(0);

    await skipTo(lectureAt + 7 * DAY_MS - HOUR);
    expect(await sessionState(handle, lectureId)).toMatchObject({ overdueFlag: false });
    expect((await sessionRow(lectureId)).overdue_at).toBeNull();

    await skipTo(lectureAt + 7 * DAY_MS + HOUR);
    const flagged = await eventually(() => sessionRow(lectureId), (s) => s.overdue_at !== null);
    expect(flagged.overdue_at?.getTime()).toBe(lectureAt + 7 * DAY_MS);
    expect((await sessionRow(sharingId)).overdue_at).toBeNull();
    expect(await outbox('brand_session_overdue', 'sessionId', lectureId)).toEqual([expect.objectContaining({ recipient: 'staff' })]);
    const history = await database.db.selectFrom('history').selectAll().where('entity_id', '=', id).where('type', '=', 'session_overdue').execute();
    expect(history).toEqual([expect.objectContaining({ actor: 'system', detail: expect.objectContaining({ sessionId: lectureId }) })]);
  });

  it('a reschedule clears the flag and moves the timer to the new date', async () => {
    const y = await year({ graceDays: 7 });
    const lectureId = `bs_${randomBytes(4).toString('hex')}`;
    const { handle, start } = await inSupport(y, (t) => [session(lectureId, 'lecture', t + DAY_MS), session(`bs_${randomBytes(4).toString('hex')}`, 'action_plan_sharing', t + 60 * DAY_MS)]);

    await skipTo(start + 8 * DAY_MS + HOUR);
    await eventually(() => sessionRow(lectureId), (s) => s.overdue_at !== null);
    expect((await sessionRow(lectureId)).overdue_at).not.toBeNull();

    const newDate = (await now()) + 10 * DAY_MS;
    await handle.executeUpdate(rescheduleSessionUpdate, { args: [{ meta: await meta(), sessionId: lectureId, scheduledAt: iso(newDate) }] });
    // Cleared before the Update returned: the read model is right at once.
    expect((await sessionRow(lectureId)).overdue_at).toBeNull();

    await skipTo(newDate + 7 * DAY_MS - HOUR);
    expect(await sessionState(handle, lectureId)).toMatchObject({ overdueFlag: false });
    expect((await sessionRow(lectureId)).overdue_at).toBeNull();
    await skipTo(newDate + 7 * DAY_MS + HOUR);
    const again = await eventually(() => sessionRow(lectureId), (s) => s.overdue_at !== null);
    expect(again.overdue_at?.getTime()).toBe(newDate + 7 * DAY_MS);
    // A new date is a new reminder and a new notice.
    expect(await outbox('brand_session_overdue', 'sessionId', lectureId)).toHaveLength(2);
  });

  it('a reschedule before the grace ends moves the timer: the old date never fires', async () => {
    const y = await year({ graceDays: 2 });
    const lectureId = `bs_${randomBytes(4).toString('hex')}`;
    const { handle, start } = await inSupport(y, (t) => [session(lectureId, 'lecture', t + DAY_MS), session(`bs_${randomBytes(4).toString('hex')}`, 'action_plan_sharing', t + 60 * DAY_MS)]);
    const newDate = start + 20 * DAY_MS;
    await handle.executeUpdate(rescheduleSessionUpdate, { args: [{ meta: await meta(), sessionId: lectureId, scheduledAt: iso(newDate) }] });
    // Past the old date's grace: the workflow holds the new date and no flag.
    await skipTo(start + 10 * DAY_MS);
    expect(await sessionState(handle, lectureId)).toMatchObject({ scheduledAt: newDate, overdueFlag: false });
    expect((await sessionRow(lectureId)).overdue_at).toBeNull();
    // Past the new date's grace: one flag, timed by the new date, and one notice in all.
    await skipTo(newDate + 2 * DAY_MS + HOUR);
    const row = await eventually(() => sessionRow(lectureId), (s) => s.overdue_at !== null);
    expect(row.overdue_at?.getTime()).toBe(newDate + 2 * DAY_MS);
    expect(await outbox('brand_session_overdue', 'sessionId', lectureId)).toHaveLength(1);
  });

  it('a cancelled session keeps no timer', async () => {
    const y = await year({ graceDays: 1 });
    const lectureId = `bs_${randomBytes(4).toString('hex')}`;
    const { handle, start } = await inSupport(y, (t) => [session(lectureId, 'lecture', t + DAY_MS), session(`bs_${randomBytes(4).toString('hex')}`, 'action_plan_sharing', t + 60 * DAY_MS)]);
    await handle.executeUpdate(cancelSessionUpdate, { args: [{ meta: await meta(), sessionId: lectureId }] });
    await skipTo(start + 10 * DAY_MS);
    expect(await sessionState(handle, lectureId)).toMatchObject({ status: 'cancelled', overdueFlag: false });
    expect(await sessionRow(lectureId)).toMatchObject({ status: 'cancelled', overdue_at: null });
    expect(await outbox('brand_session_overdue', 'sessionId', lectureId)).toHaveLength(0);
  });

  it('a session entered after its grace period is flagged an hour later if still unreported, without a reminder', async () => {
    const y = await year({ graceDays: 7 });
    const [late, reported] = [`bs_${randomBytes(4).toString('hex')}`, `bs_${randomBytes(4).toString('hex')}`];
    const { handle, start } = await inSupport(y, (t) => [session(late, 'lecture', t - 30 * DAY_MS), session(reported, 'lecture', t - 20 * DAY_MS),
      session(`bs_${randomBytes(4).toString('hex')}`, 'action_plan_sharing', t + 60 * DAY_MS)]);
    await handle.executeUpdate(completeSessionUpdate, { args: [{ meta: await meta(), sessionId: reported, heldAt: iso(start - 20 * DAY_MS), attendeeCount: 8, summary: '後日入力' }] });
    await skipTo(start + 50 * 60_000);
    expect(await sessionState(handle, late)).toMatchObject({ overdueFlag: false });
    expect((await sessionRow(late)).overdue_at).toBeNull();
    await skipTo(start + 70 * 60_000);
    const row = await eventually(() => sessionRow(late), (s) => s.overdue_at !== null);
    expect(row.overdue_at).not.toBeNull();
    expect(await outbox('brand_session_overdue', 'sessionId', late)).toHaveLength(1);
    expect(await outbox('brand_session_overdue', 'sessionId', reported)).toHaveLength(0);
    expect(await outbox('brand_session_reminder', 'sessionId', late)).toHaveLength(0);
  });

  it('a longer grace period clears a flag that is no longer due and re-arms the timer', async () => {
    const y = await year({ graceDays: 1 });
    const lectureId = `bs_${randomBytes(4).toString('hex')}`;
    const { handle, start } = await inSupport(y, (t) => [session(lectureId, 'lecture', t + DAY_MS), session(`bs_${randomBytes(4).toString('hex')}`, 'action_plan_sharing', t + 60 * DAY_MS)]);
    await skipTo(start + 3 * DAY_MS);
    await eventually(() => sessionRow(lectureId), (s) => s.overdue_at !== null);
    await handle.executeUpdate(rulesChangedUpdate, { args: [{ rules: { supportEndsAt: y.rules.supportEndsAt, sessionGraceDays: 5 }, revision: 2 }] });
    expect((await sessionRow(lectureId)).overdue_at).toBeNull();
    await skipTo(start + 6 * DAY_MS + HOUR);
    const row = await eventually(() => sessionRow(lectureId), (s) => s.overdue_at !== null);
    expect(row.overdue_at?.getTime()).toBe(start + 6 * DAY_MS);
  });
});

describe('continue-as-new', () => {
  it('a run started from a snapshot keeps the timers and the commands it has done', async () => {
    const y = await year({ graceDays: 7 });
    const lectureId = `bs_${randomBytes(4).toString('hex')}`;
    const { id, handle, start } = await inSupport(y, (t) => [session(lectureId, 'lecture', t + 2 * DAY_MS), session(`bs_${randomBytes(4).toString('hex')}`, 'action_plan_sharing', t + 30 * DAY_MS)]);
    // Let the first run finish its reminder (the test server keeps time still while an
    // activity of a terminated run is outstanding), then hand its snapshot to a new run, by
    // hand, as continueAsNew would.
    const snapshot = await eventually(() => handle.query(engagementStateQuery), (snap) => snap?.sessions[0]?.remindedFor !== null);
    expect(snapshot).toMatchObject({ status: 'in_support', supportLeaderId: 'ex_nakayama' });
    expect(snapshot?.doneUpdates).toHaveLength(4);
    await handle.terminate('test: stands in for continue-as-new');
    const next = await env.client.workflow.start<typeof brandEngagementWorkflow>(BRAND_ENGAGEMENT_WORKFLOW, {
      workflowId: engagementWorkflowId(id), taskQueue, args: [{ engagementId: id, programYearId: y.id, rules: { supportEndsAt: y.rules.supportEndsAt, sessionGraceDays: 7 }, snapshot: snapshot! }],
    });
    await skipTo(start + 9 * DAY_MS + HOUR);
    await eventually(() => sessionRow(lectureId), (s) => s.overdue_at !== null);
    expect((await sessionRow(lectureId)).overdue_at?.getTime()).toBe(start + 9 * DAY_MS);
    await next.executeUpdate(completeSessionUpdate, { args: [{ meta: await meta(), sessionId: lectureId, heldAt: iso(await now()), attendeeCount: 5, summary: '遅れて報告' }] });
    const types = (await database.db.selectFrom('history').select('type').where('entity_id', '=', id).orderBy('id').execute()).map((r) => r.type);
    expect(types).toEqual(['applied', 'selected', 'hearing_recorded', 'plan_set', 'session_overdue', 'session_held']);
  });
});

describe('the support period', () => {
  it('flags an engagement still open at supportEndsAt (fiscal-year end) and notifies staff', async () => {
    const y = await year({ supportEndsInDays: 40, graceDays: 7 });
    const { id, handle } = await inSupport(y, (t) => [session(`bs_${randomBytes(4).toString('hex')}`, 'action_plan_sharing', t + 20 * DAY_MS)]);
    const endsAt = Date.parse(y.rules.supportEndsAt);
    await skipTo(endsAt - HOUR);
    expect((await handle.query(engagementStateQuery))?.pastSupportEndFlag).toBe(false);
    expect((await engagementRow(id)).past_support_end_at).toBeNull();
    await skipTo(endsAt + HOUR);
    const row = await eventually(() => engagementRow(id), (e) => e.past_support_end_at !== null);
    expect(row.past_support_end_at?.getTime()).toBe(endsAt);
    expect(row.status).toBe('in_support');
    expect(await outbox('brand_engagement_overdue', 'engagementId', id)).toEqual([expect.objectContaining({ recipient: 'staff' })]);
    // Still open: the overdue engagement can be finished after the fact.
    expect((await handle.query(engagementStateQuery))?.pastSupportEndFlag).toBe(true);
  });

  it('a later supportEndsAt clears the flag; the new end is watched instead', async () => {
    const y = await year({ supportEndsInDays: 10 });
    const { id, handle } = await inSupport(y, (t) => [session(`bs_${randomBytes(4).toString('hex')}`, 'action_plan_sharing', t + 5 * DAY_MS)]);
    await skipTo(Date.parse(y.rules.supportEndsAt) + HOUR);
    await eventually(() => engagementRow(id), (e) => e.past_support_end_at !== null);
    const later = (await now()) + 10 * DAY_MS;
    await handle.executeUpdate(rulesChangedUpdate, { args: [{ rules: { supportEndsAt: iso(later), sessionGraceDays: 365 }, revision: 2 }] });
    expect((await engagementRow(id)).past_support_end_at).toBeNull();
    await skipTo(later + HOUR);
    const row = await eventually(() => engagementRow(id), (e) => e.past_support_end_at !== null);
    expect(row.past_support_end_at?.getTime()).toBe(later);
  });

  it('a completed engagement ends its workflow and is never flagged', async () => {
    const y = await year({ supportEndsInDays: 30 });
    const lectureId = `bs_${randomBytes(4).toString('hex')}`;
    const sharingId = `bs_${randomBytes(4).toString('hex')}`;
    const { id, handle } = await inSupport(y, (t) => [session(lectureId, 'lecture', t + DAY_MS), session(sharingId, 'action_plan_sharing', t + 2 * DAY_MS)]);
    const report = async (sessionId: string) => ({ meta: await meta('support_leader:ex_nakayama'), sessionId, heldAt: iso(await now()), attendeeCount: 20, summary: '共有した' });
    await handle.executeUpdate(completeSessionUpdate, { args: [await report(lectureId)] });
    await handle.executeUpdate(actionPlanUpdate, { args: [{ meta: await meta(), actionPlan: { summary: 'AP', actions: [{ title: '出願', owner: '町', dueOn: '2099-01-01' }] } }] });
    await handle.executeUpdate(completeSessionUpdate, { args: [await report(sharingId)] });
    expect(await handle.result()).toBe('completed');
    await skipTo(Date.parse(y.rules.supportEndsAt) + DAY_MS);
    expect(await engagementRow(id)).toMatchObject({ status: 'completed', past_support_end_at: null });
  });
});

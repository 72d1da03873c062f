// One regional brand engagement (Program B) from application to completion, on the case
// kernel (kernel/case-entity.ts): every command is an Update (validated synchronously, then
// written by an activity before it returns), and each scheduled session keeps one durable
// timer for its reminder and its overdue check, measured on the system's (the API's) clock.
import { allHandlersFinished, condition, continueAsNew, proxyLocalActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { createBrandActivities } from '../activities/brand-engagement.js';
import { invalidState } from '../domain/errors.js';
import { ENGAGEMENT_STATUS, statusAfter, type EngagementCommand, type EngagementStatus } from '../domain/brand/engagement.js';
import { assertPlanRules, type PlannedSession } from '../domain/brand/plan.js';
import { assertCanBeHeld, assertScheduled, findSession, isSupportComplete } from '../domain/brand/sessions.js';
import { nextSessionStep, sessionDueAt, supportEndCheckAt } from '../domain/brand/overdue.js';
import { toJstIso } from '../domain/time.js';
import { guard, refusing } from './failures.js';
import { CaseEntity, instantOf, updateId, type CommandMeta } from './kernel/case-entity.js';
import { commandReceipt } from './receipts.js';
import {
  actionPlanUpdate, addSessionUpdate, applyUpdate, cancelSessionUpdate, completeSessionUpdate, engagementStateQuery, hearingUpdate,
  planUpdate, rescheduleSessionUpdate, rulesChangedUpdate, selectionUpdate, withdrawalUpdate,
  type BrandEngagementInput, type EngagementRules, type EngagementSnapshot, type NewSession, type SessionSnapshot,
} from './brand-engagement-messages.js';

type Activities = ReturnType<typeof createBrandActivities>;

// As for subsidy cases: local activities, one PostgreSQL transaction each. A command's
// activity runs while the HTTP caller waits; database faults are retried until it is back
// (the caller's request gives up at its deadline, the command goes on and a retry with the
// same Idempotency-Key attaches to it); a refusal — of a rule, or of the database for bad
// data — fails at once (activities/failures.ts).
const commands = proxyLocalActivities<Activities>({
  startToCloseTimeout: '10 seconds', scheduleToCloseTimeout: '10 minutes',
  retry: { initialInterval: '200 ms', backoffCoefficient: 2, maximumInterval: '5 seconds' },
});
// A timer's activity has no caller: it retries until the database answers.
const timers = proxyLocalActivities<Activities>({ startToCloseTimeout: '30 seconds', retry: { initialInterval: '1 second', maximumInterval: '5 minutes' } });

/** How long a workflow started without its `apply` Update waits before giving up. */
const APPLY_TIMEOUT = '1 day';

interface Session extends SessionSnapshot {
  /** Bumped by every change that must restart the session's timer. */
  version: number;
}

class Engagement extends CaseEntity<EngagementStatus, EngagementCommand> {
  applyFailed = false;
  private supportLeaderId: string | null = null;
  private hasActionPlan = false;
  private pastSupportEndFlag = false;
  private supportEndWatchedSince = 0;
  private readonly sessions: Session[] = [];
  /** Sessions whose timer coroutine runs (one each, never two). */
  private readonly watched = new Set<string>();
  private rules: EngagementRules;
  /** The program year's revision the rules come from (older announcements are ignored). */
  private rulesRevision = 0;
  private rulesVersion = 0;

  constructor(private readonly input: BrandEngagementInput) {
    const s = input.snapshot;
    super('brand', ENGAGEMENT_STATUS, s ? { doneUpdates: s.doneUpdates ?? [], clockOffsetMs: s.clockOffsetMs ?? 0 } : undefined);
    this.rules = input.rules;
    if (s) {
      this.status = s.status;
      this.supportLeaderId = s.supportLeaderId;
      this.hasActionPlan = s.hasActionPlan;
      this.pastSupportEndFlag = s.pastSupportEndFlag;
      this.supportEndWatchedSince = s.supportEndWatchedSince;
      this.sessions.push(...s.sessions.map((x) => ({ ...x, version: 0 })));
      this.rulesRevision = s.rulesRevision ?? 0;
    }
  }

  get currentRules(): EngagementRules {
    return this.rules;
  }

  get id(): string {
    return this.input.engagementId;
  }

  snapshot(): EngagementSnapshot | null {
    if (this.status === null) return null;
    return {
      status: this.status, supportLeaderId: this.supportLeaderId, hasActionPlan: this.hasActionPlan, pastSupportEndFlag: this.pastSupportEndFlag,
      supportEndWatchedSince: this.supportEndWatchedSince, sessions: this.sessions.map(({ version: _v, ...s }) => s),
      rulesRevision: this.rulesRevision, doneUpdates: this.memory.doneUpdates, clockOffsetMs: this.memory.clockOffsetMs,
    };
  }

  /** What every command activity is given: the engagement, the receipt, who and when. */
  private keyed(meta: CommandMeta, eventKey: string) {
    return { engagementId: this.id, eventKey, actor: meta.actor, at: meta.at };
  }

  /** The sessions as the plan rules see them, with one change applied. */
  private planned(change?: { id: string; scheduledAt?: number; status?: 'cancelled' }): PlannedSession[] {
    return this.sessions.map((s) => (s.id === change?.id ? { ...s, ...change } : s));
  }

  private sessionPath(index: number, here: string): string {
    const s = this.sessions[index];
    return s ? `sessions/${s.id}` : here;
  }

  private addSessions(list: NewSession[]): void {
    for (const n of list) {
      this.sessions.push({ id: n.id, kind: n.kind, scheduledAt: instantOf(n.scheduledAt), status: 'scheduled', overdueFlag: false, remindedFor: null, datedAt: this.now(), version: 0 });
      void this.watchSession(n.id);
    }
  }

  register(): void {
    setHandler(engagementStateQuery, () => this.snapshot());

    // The first command: no status yet, so it is not in the status table.
    setHandler(applyUpdate, (a) => {
      const id = updateId();
      return refusing(() => this.exclusive(async () => {
        if (this.memory.doneUpdates.includes(id)) return;
        if (this.status !== null) throw invalidState('apply', this.status);
        this.followClock(a.meta.at);
        try {
          const year = await commands.recordApplication({ ...this.keyed(a.meta, commandReceipt('brand', this.id, id)), programYearId: this.input.programYearId, intake: a.intake });
          this.rules = year.rules;
          this.rulesRevision = year.revision;
        } catch (error) {
          this.applyFailed = true;
          throw error;
        }
        this.supportEndWatchedSince = this.now();
        this.moveTo('applied');
        this.remember(id);
      }));
    }, { validator: (_a) => guard(() => { if (this.status !== null && !this.memory.doneUpdates.includes(updateId())) throw invalidState('apply', this.status); }) });

    this.command(selectionUpdate, 'selection', () => undefined, async (a, eventKey) => {
      await commands.decideSelection({ ...this.keyed(a.meta, eventKey), programYearId: this.input.programYearId, selected: a.selected, reason: a.reason });
      this.moveTo(statusAfter('selection', a.selected));
    });

    this.command(hearingUpdate, 'hearing', () => undefined, async (a, eventKey) => {
      await commands.recordHearing({ ...this.keyed(a.meta, eventKey), hearing: a.hearing });
      this.moveTo(statusAfter('hearing'));
    });

    this.command(planUpdate, 'plan', (a) => {
      assertPlanRules(a.sessions.map((s) => ({ kind: s.kind, scheduledAt: instantOf(s.scheduledAt), status: 'scheduled' })), (i) => `body/sessions/${i}`, 'body/sessions');
    }, async (a, eventKey) => {
      await commands.recordPlan({ ...this.keyed(a.meta, eventKey), supportLeaderId: a.supportLeaderId, direction: a.direction, measures: a.measures, sessions: a.sessions });
      this.supportLeaderId = a.supportLeaderId;
      this.moveTo(statusAfter('plan'));
      this.addSessions(a.sessions);
    });

    this.command(addSessionUpdate, 'add session', (a) => {
      const next = [...this.planned(), { kind: a.session.kind, scheduledAt: instantOf(a.session.scheduledAt), status: 'scheduled' as const }];
      assertPlanRules(next, (i) => this.sessionPath(i, 'body'), 'body');
    }, async (a, eventKey) => {
      await commands.addSession({ ...this.keyed(a.meta, eventKey), session: a.session });
      this.addSessions([a.session]);
    });

    this.command(rescheduleSessionUpdate, 'reschedule session', (a) => {
      assertScheduled(findSession(this.sessions, a.sessionId), 'reschedule session');
      const change = { id: a.sessionId, scheduledAt: instantOf(a.scheduledAt) };
      assertPlanRules(this.planned(change), (i) => (this.sessions[i]?.id === a.sessionId ? 'body/scheduledAt' : this.sessionPath(i, 'body')), 'body');
    }, async (a, eventKey) => {
      await commands.rescheduleSession({ ...this.keyed(a.meta, eventKey), sessionId: a.sessionId, scheduledAt: a.scheduledAt });
      const s = findSession(this.sessions, a.sessionId);
      Object.assign(s, { scheduledAt: instantOf(a.scheduledAt), overdueFlag: false, datedAt: this.now(), version: s.version + 1 });
    });

    this.command(cancelSessionUpdate, 'cancel session', (a) => {
      assertScheduled(findSession(this.sessions, a.sessionId), 'cancel session');
      assertPlanRules(this.planned({ id: a.sessionId, status: 'cancelled' }), (i) => (this.sessions[i]?.id === a.sessionId ? 'body/status' : this.sessionPath(i, 'body')), 'body/status');
    }, async (a, eventKey) => {
      await commands.cancelSession({ ...this.keyed(a.meta, eventKey), sessionId: a.sessionId });
      const s = findSession(this.sessions, a.sessionId);
      Object.assign(s, { status: 'cancelled', overdueFlag: false, version: s.version + 1 });
    });

    this.command(completeSessionUpdate, 'complete session', (a) => {
      assertCanBeHeld(findSession(this.sessions, a.sessionId), this.hasActionPlan);
    }, async (a, eventKey) => {
      const completesEngagement = isSupportComplete(this.sessions.map((s) => ({ status: s.id === a.sessionId ? 'held' as const : s.status })));
      await commands.completeSession({ ...this.keyed(a.meta, eventKey), sessionId: a.sessionId, heldAt: a.heldAt, attendeeCount: a.attendeeCount, summary: a.summary, completesEngagement });
      const s = findSession(this.sessions, a.sessionId);
      Object.assign(s, { status: 'held', overdueFlag: false, version: s.version + 1 });
      if (completesEngagement) this.moveTo('completed');
    });

    this.command(actionPlanUpdate, 'action plan', () => undefined, async (a, eventKey) => {
      await commands.recordActionPlan({ ...this.keyed(a.meta, eventKey), actionPlan: a.actionPlan });
      this.hasActionPlan = true;
    });

    this.command(withdrawalUpdate, 'withdrawal', () => undefined, async (a, eventKey) => {
      await commands.withdraw({ ...this.keyed(a.meta, eventKey), reason: a.reason });
      for (const s of this.sessions) if (s.status === 'scheduled') Object.assign(s, { status: 'cancelled', overdueFlag: false, version: s.version + 1 });
      this.moveTo(statusAfter('withdrawal'));
    });

    // Not a client command: PUT /program-years tells running engagements their deadlines moved.
    // The fan-out is retried until every engagement has heard, so a revision may come twice or late.
    setHandler(rulesChangedUpdate, (a) => refusing(() => this.exclusive(async () => {
      if (a.revision !== null && a.revision <= this.rulesRevision) return;
      this.rulesRevision = a.revision ?? this.rulesRevision;
      if (this.status === null || this.isFinal()) {
        this.rules = a.rules;
        return;
      }
      const now = this.now();
      const { clearedSessionIds, supportEndCleared } = await commands.applyRulesChange({ engagementId: this.id, rules: a.rules, revision: a.revision, now: toJstIso(now), eventKey: `brand:${this.id}:rules:${a.revision ?? updateId()}` });
      for (const s of this.sessions) if (clearedSessionIds.includes(s.id)) s.overdueFlag = false;
      if (supportEndCleared) this.pastSupportEndFlag = false;
      this.rules = a.rules;
      this.supportEndWatchedSince = now;
      this.rulesVersion += 1;
    })));
  }

  startTimers(): void {
    void this.watchSupportEnd();
    for (const s of this.sessions) if (s.status === 'scheduled') void this.watchSession(s.id);
  }

  /** One coroutine per session: wait for its next step, restart whenever the session or the rules change. */
  private async watchSession(id: string): Promise<void> {
    if (this.watched.has(id)) return;
    this.watched.add(id);
    const s = findSession(this.sessions, id);
    for (;;) {
      if (s.status !== 'scheduled' || this.isFinal()) return;
      const seen = `${s.version}:${this.rulesVersion}`;
      const changed = () => `${s.version}:${this.rulesVersion}` !== seen || this.isFinal();
      const step = nextSessionStep(s, this.rules.sessionGraceDays, this.now());
      if (await this.waitUntil(step?.at ?? Number.POSITIVE_INFINITY, changed) || !step) continue;
      await this.exclusive(async () => {
        if (changed()) return;
        const scheduledAt = toJstIso(s.scheduledAt);
        if (step.kind === 'reminder') {
          await timers.sendSessionReminder({ engagementId: this.id, sessionId: id, scheduledAt });
          s.remindedFor = s.scheduledAt;
        } else {
          await timers.markSessionOverdue({ engagementId: this.id, sessionId: id, scheduledAt, dueAt: toJstIso(sessionDueAt(s.scheduledAt, this.rules.sessionGraceDays)) });
          s.overdueFlag = true;
        }
      });
    }
  }

  /** An engagement still open at supportEndsAt (the fiscal year's end by default) is flagged. */
  private async watchSupportEnd(): Promise<void> {
    for (;;) {
      if (this.isFinal()) return;
      const seen = this.rulesVersion;
      const changed = () => this.rulesVersion !== seen || this.isFinal();
      const at = this.pastSupportEndFlag ? Number.POSITIVE_INFINITY : supportEndCheckAt(instantOf(this.rules.supportEndsAt), this.supportEndWatchedSince);
      if (await this.waitUntil(at, changed) || this.pastSupportEndFlag) continue;
      await this.exclusive(async () => {
        if (changed()) return;
        await timers.markPastSupportEnd({ engagementId: this.id, supportEndsAt: this.rules.supportEndsAt });
        this.pastSupportEndFlag = true;
      });
    }
  }
}

export async function brandEngagementWorkflow(input: BrandEngagementInput): Promise<EngagementStatus | 'abandoned'> {
  const engagement = new Engagement(input);
  engagement.register();
  if (engagement.status === null) {
    // Started by update-with-start: `apply` writes the row. A start whose apply failed ends here.
    await condition(() => engagement.status !== null || engagement.applyFailed, APPLY_TIMEOUT);
    if (engagement.status === null) {
      await condition(allHandlersFinished);
      return 'abandoned';
    }
  }
  engagement.startTimers();
  await condition(() => engagement.isFinal() || workflowInfo().continueAsNewSuggested);
  await condition(() => allHandlersFinished() && !engagement.busy);
  const snapshot = engagement.snapshot();
  if (!engagement.isFinal() && snapshot) await continueAsNew<typeof brandEngagementWorkflow>({ ...input, rules: engagement.currentRules, snapshot });
  return engagement.status!;
}

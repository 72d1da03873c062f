// One regional brand engagement (Program B) from application to completion: every command
// is an Update (validated synchronously, then written by an activity before it returns), and
// each scheduled session keeps one durable timer for its reminder and its overdue check.
import {
  allHandlersFinished, condition, continueAsNew, currentUpdateInfo, proxyActivities, setHandler, upsertSearchAttributes, workflowInfo,
} from '@temporalio/workflow';
import type { UpdateDefinition } from '@temporalio/common';
import type { createBrandActivities } from '../activities/brand-engagement.js';
import { invalidState } from '../domain/errors.js';
import { assertAllowed, isClosed, statusAfter, type EngagementCommand, type EngagementStatus } from '../domain/brand/engagement.js';
import { assertPlanRules, type PlannedSession } from '../domain/brand/plan.js';
import { assertCanBeHeld, assertScheduled, findSession, isSupportComplete } from '../domain/brand/sessions.js';
import { nextSessionStep, sessionDueAt, supportEndCheckAt } from '../domain/brand/overdue.js';
import { toJstIso } from '../domain/time.js';
import { guard, refusing } from './failures.js';
import { commandReceipt } from './receipts.js';
import { OneAtATime } from './one-at-a-time.js';
import { CaseStatus } from './search-attributes.js';
import {
  actionPlanUpdate, addSessionUpdate, applyUpdate, cancelSessionUpdate, completeSessionUpdate, engagementStateQuery, hearingUpdate,
  planUpdate, rescheduleSessionUpdate, rulesChangedUpdate, selectionUpdate, withdrawalUpdate,
  type BrandEngagementInput, type EngagementRules, type EngagementSnapshot, type NewSession, type SessionSnapshot,
} from './brand-engagement-messages.js';

type Activities = ReturnType<typeof createBrandActivities>;

const updateId = (): string => currentUpdateInfo()?.id ?? workflowInfo().runId;

// A command's activity runs while the HTTP caller waits; database faults are retried until
// it is back (the caller's request gives up at its deadline, the command goes on and a retry
// with the same Idempotency-Key attaches to it); a refusal — of a rule, or of the database
// for bad data — fails at once (activities/failures.ts).
const commands = proxyActivities<Activities>({
  startToCloseTimeout: '10 seconds', scheduleToCloseTimeout: '10 minutes',
  retry: { initialInterval: '200 ms', backoffCoefficient: 2, maximumInterval: '5 seconds' },
});
// A timer's activity has no caller: it retries until the database answers.
const timers = proxyActivities<Activities>({ startToCloseTimeout: '30 seconds', retry: { initialInterval: '1 second', maximumInterval: '5 minutes' } });

/** How long a workflow started without its `apply` Update waits before giving up. */
const APPLY_TIMEOUT = '1 day';
/** Update ids an engagement remembers across continue-as-new, so a retried command is answered, not run again. */
const REMEMBERED_UPDATES = 100;

interface Session extends SessionSnapshot {
  /** Bumped by every change that must restart the session's timer. */
  version: number;
}

class Engagement {
  status: EngagementStatus | null = null;
  applyFailed = false;
  /** Commands and timer firings run one at a time, each re-checking its rule under the lock. */
  readonly lock = new OneAtATime();
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
  private doneUpdates: string[] = [];

  constructor(private readonly input: BrandEngagementInput) {
    this.rules = input.rules;
    const s = input.snapshot;
    if (s) {
      this.status = s.status;
      this.supportLeaderId = s.supportLeaderId;
      this.hasActionPlan = s.hasActionPlan;
      this.pastSupportEndFlag = s.pastSupportEndFlag;
      this.supportEndWatchedSince = s.supportEndWatchedSince;
      this.sessions.push(...s.sessions.map((x) => ({ ...x, version: 0 })));
      this.rulesRevision = s.rulesRevision ?? 0;
      this.doneUpdates = s.doneUpdates ?? [];
    }
  }

  get currentRules(): EngagementRules {
    return this.rules;
  }

  get id(): string {
    return this.input.engagementId;
  }

  closed(): boolean {
    return this.status !== null && isClosed(this.status);
  }

  snapshot(): EngagementSnapshot | null {
    if (this.status === null) return null;
    return {
      status: this.status, supportLeaderId: this.supportLeaderId, hasActionPlan: this.hasActionPlan, pastSupportEndFlag: this.pastSupportEndFlag,
      supportEndWatchedSince: this.supportEndWatchedSince, sessions: this.sessions.map(({ version: _v, ...s }) => s),
      rulesRevision: this.rulesRevision, doneUpdates: this.doneUpdates,
    };
  }

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    return this.lock.run(fn);
  }


  private allowed(command: EngagementCommand): void {
    if (this.status === null) throw invalidState(command, 'not yet applied');
    assertAllowed(command, this.status);
  }

  private setStatus(status: EngagementStatus): void {
    this.status = status;
    upsertSearchAttributes([{ key: CaseStatus, value: status }]);
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
      this.sessions.push({ id: n.id, kind: n.kind, scheduledAt: Date.parse(n.scheduledAt), status: 'scheduled', overdueFlag: false, remindedFor: null, datedAt: Date.now(), version: 0 });
      void this.watchSession(n.id);
    }
  }

  /**
   * Registers an Update whose validator and handler check the same rule: the validator
   * refuses early without a history event; the handler re-checks under the lock, since an
   * earlier command may have changed the engagement meanwhile. The command's receipt is its
   * Update id, which the API derives from the Idempotency-Key: a retry that reaches a later
   * run is answered from `doneUpdates`, and its activity finds the receipt and writes nothing.
   */
  private command<A>(def: UpdateDefinition<void, [A]>, check: (args: A) => void, run: (args: A, eventKey: string) => Promise<void>): void {
    const done = (id: string): boolean => this.doneUpdates.includes(id);
    setHandler(def, (args: A) => {
      const id = updateId();
      return refusing(() => this.exclusive(async () => {
        if (done(id)) return;
        check(args);
        await run(args, commandReceipt('brand', this.id, id));
        this.doneUpdates = [...this.doneUpdates, id].slice(-REMEMBERED_UPDATES);
      }));
    }, { validator: (args: A) => guard(() => { if (!done(updateId())) check(args); }) });
  }

  register(): void {
    setHandler(engagementStateQuery, () => this.snapshot());

    this.command(applyUpdate, () => {
      if (this.status !== null) throw invalidState('apply', this.status);
    }, async (a, eventKey) => {
      try {
        const year = await commands.recordApplication({ engagementId: this.id, programYearId: this.input.programYearId, intake: a.intake, actor: a.actor, at: a.at, eventKey });
        this.rules = year.rules;
        this.rulesRevision = year.revision;
      } catch (error) {
        this.applyFailed = true;
        throw error;
      }
      this.supportEndWatchedSince = Date.now();
      this.setStatus('applied');
    });

    this.command(selectionUpdate, () => this.allowed('selection'), async (a, eventKey) => {
      await commands.decideSelection({ engagementId: this.id, programYearId: this.input.programYearId, selected: a.selected, reason: a.reason, actor: a.actor, at: a.at, eventKey });
      this.setStatus(statusAfter('selection', a.selected));
    });

    this.command(hearingUpdate, () => this.allowed('hearing'), async (a, eventKey) => {
      await commands.recordHearing({ engagementId: this.id, hearing: a.hearing, actor: a.actor, at: a.at, eventKey });
      this.setStatus(statusAfter('hearing'));
    });

    this.command(planUpdate, (a) => {
      this.allowed('plan');
      assertPlanRules(a.sessions.map((s) => ({ kind: s.kind, scheduledAt: Date.parse(s.scheduledAt), status: 'scheduled' })), (i) => `body/sessions/${i}`, 'body/sessions');
    }, async (a, eventKey) => {
      await commands.recordPlan({ engagementId: this.id, supportLeaderId: a.supportLeaderId, direction: a.direction, measures: a.measures, sessions: a.sessions, actor: a.actor, at: a.at, eventKey });
      this.supportLeaderId = a.supportLeaderId;
      this.setStatus(statusAfter('plan'));
      this.addSessions(a.sessions);
    });

    this.command(addSessionUpdate, (a) => {
      this.allowed('add session');
      const next = [...this.planned(), { kind: a.session.kind, scheduledAt: Date.parse(a.session.scheduledAt), status: 'scheduled' as const }];
      assertPlanRules(next, (i) => this.sessionPath(i, 'body'), 'body');
    }, async (a, eventKey) => {
      await commands.addSession({ engagementId: this.id, session: a.session, actor: a.actor, at: a.at, eventKey });
      this.addSessions([a.session]);
    });

    this.command(rescheduleSessionUpdate, (a) => {
      this.allowed('reschedule session');
      assertScheduled(findSession(this.sessions, a.sessionId), 'reschedule session');
      const change = { id: a.sessionId, scheduledAt: Date.parse(a.scheduledAt) };
      assertPlanRules(this.planned(change), (i) => (this.sessions[i]?.id === a.sessionId ? 'body/scheduledAt' : this.sessionPath(i, 'body')), 'body');
    }, async (a, eventKey) => {
      await commands.rescheduleSession({ engagementId: this.id, sessionId: a.sessionId, scheduledAt: a.scheduledAt, actor: a.actor, at: a.at, eventKey });
      const s = findSession(this.sessions, a.sessionId);
      Object.assign(s, { scheduledAt: Date.parse(a.scheduledAt), overdueFlag: false, datedAt: Date.now(), version: s.version + 1 });
    });

    this.command(cancelSessionUpdate, (a) => {
      this.allowed('cancel session');
      assertScheduled(findSession(this.sessions, a.sessionId), 'cancel session');
      assertPlanRules(this.planned({ id: a.sessionId, status: 'cancelled' }), (i) => (this.sessions[i]?.id === a.sessionId ? 'body/status' : this.sessionPath(i, 'body')), 'body/status');
    }, async (a, eventKey) => {
      await commands.cancelSession({ engagementId: this.id, sessionId: a.sessionId, actor: a.actor, at: a.at, eventKey });
      const s = findSession(this.sessions, a.sessionId);
      Object.assign(s, { status: 'cancelled', overdueFlag: false, version: s.version + 1 });
    });

    this.command(completeSessionUpdate, (a) => {
      this.allowed('complete session');
      assertCanBeHeld(findSession(this.sessions, a.sessionId), this.hasActionPlan);
    }, async (a, eventKey) => {
      const completesEngagement = isSupportComplete(this.sessions.map((s) => ({ status: s.id === a.sessionId ? 'held' as const : s.status })));
      await commands.completeSession({ engagementId: this.id, sessionId: a.sessionId, heldAt: a.heldAt, attendeeCount: a.attendeeCount, summary: a.summary, completesEngagement, actor: a.actor, at: a.at, eventKey });
      const s = findSession(this.sessions, a.sessionId);
      Object.assign(s, { status: 'held', overdueFlag: false, version: s.version + 1 });
      if (completesEngagement) this.setStatus('completed');
    });

    this.command(actionPlanUpdate, () => this.allowed('action plan'), async (a, eventKey) => {
      await commands.recordActionPlan({ engagementId: this.id, actionPlan: a.actionPlan, actor: a.actor, at: a.at, eventKey });
      this.hasActionPlan = true;
    });

    this.command(withdrawalUpdate, () => this.allowed('withdrawal'), async (a, eventKey) => {
      await commands.withdraw({ engagementId: this.id, reason: a.reason, actor: a.actor, at: a.at, eventKey });
      for (const s of this.sessions) if (s.status === 'scheduled') Object.assign(s, { status: 'cancelled', overdueFlag: false, version: s.version + 1 });
      this.setStatus(statusAfter('withdrawal'));
    });

    // Not a client command: PUT /program-years tells running engagements their deadlines moved.
    // The fan-out is retried until every engagement has heard, so a revision may come twice or late.
    setHandler(rulesChangedUpdate, (a) => refusing(() => this.exclusive(async () => {
      if (a.revision !== null && a.revision <= this.rulesRevision) return;
      this.rulesRevision = a.revision ?? this.rulesRevision;
      if (this.status === null || this.closed()) {
        this.rules = a.rules;
        return;
      }
      const now = Date.now();
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
      if (s.status !== 'scheduled' || this.closed()) return;
      const seen = `${s.version}:${this.rulesVersion}`;
      const changed = () => `${s.version}:${this.rulesVersion}` !== seen || this.closed();
      const step = nextSessionStep(s, this.rules.sessionGraceDays, Date.now());
      if (!step) {
        await condition(changed);
        continue;
      }
      const wait = step.at - Date.now();
      if (wait > 0 && await condition(changed, wait)) continue;
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
      if (this.closed()) return;
      const seen = this.rulesVersion;
      const changed = () => this.rulesVersion !== seen || this.closed();
      if (this.pastSupportEndFlag) {
        await condition(changed);
        continue;
      }
      const wait = supportEndCheckAt(Date.parse(this.rules.supportEndsAt), this.supportEndWatchedSince) - Date.now();
      if (wait > 0 && await condition(changed, wait)) continue;
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
  await condition(() => engagement.closed() || workflowInfo().continueAsNewSuggested);
  await condition(() => allHandlersFinished() && !engagement.lock.busy);
  const snapshot = engagement.snapshot();
  if (!engagement.closed() && snapshot) await continueAsNew<typeof brandEngagementWorkflow>({ ...input, rules: engagement.currentRules, snapshot });
  return engagement.status!;
}

// One expert dispatch (専門家派遣, Program C) from application to completion, on the case
// kernel (kernel/case-entity.ts). Each scheduled visit keeps one durable timer for its
// reminder to the expert and its overdue check (a notice to staff), and the dispatch is
// chased when its fiscal year ends before it completed — all on the system's (API's) clock.
import { allHandlersFinished, condition, continueAsNew, proxyLocalActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { createDesignDispatchActivities } from '../activities/design-dispatch.js';
import { invalidState } from '../domain/errors.js';
import {
  DISPATCH_STATUS, assertInDispatchPeriod, assertPlannedVisits, assertVisitFits, assertVisitScheduled, assertVisitsClosed, findVisit,
  type DispatchCommand, type DispatchStatus,
} from '../domain/design/dispatch.js';
import { nextVisitStep, visitDueAt } from '../domain/design/timers.js';
import { LATE_ENTRY_NOTICE_DELAY_MS } from '../domain/brand/overdue.js';
import { toJstIso } from '../domain/time.js';
import { guard, refusing } from './failures.js';
import { CaseEntity, instantOf, updateId, type CommandMeta } from './kernel/case-entity.js';
import { commandReceipt } from './receipts.js';
import {
  addVisitUpdate, applyDispatchUpdate, assignmentUpdate, cancelVisitUpdate, completeVisitUpdate, decisionUpdate, dispatchRulesChangedUpdate, dispatchStateQuery,
  dispatchWithdrawalUpdate, reportUpdate, rescheduleVisitUpdate, type DesignDispatchInput, type DispatchRules, type DispatchSnapshot, type VisitSnapshot,
} from './design-dispatch-messages.js';

type Activities = ReturnType<typeof createDesignDispatchActivities>;

const commands = proxyLocalActivities<Activities>({
  startToCloseTimeout: '10 seconds', scheduleToCloseTimeout: '10 minutes',
  retry: { initialInterval: '200 ms', backoffCoefficient: 2, maximumInterval: '5 seconds' },
});
const timers = proxyLocalActivities<Activities>({ startToCloseTimeout: '30 seconds', retry: { initialInterval: '1 second', maximumInterval: '5 minutes' } });

const APPLY_TIMEOUT = '1 day';

interface Visit extends VisitSnapshot {
  version: number;
}

class Dispatch extends CaseEntity<DispatchStatus, DispatchCommand> {
  applyFailed = false;
  private expertId: string | null = null;
  private plannedVisits: number | null = null;
  private pastYearEndFlag = false;
  private yearEndWatchedSince = 0;
  private readonly visits: Visit[] = [];
  private readonly watched = new Set<string>();
  private rules: DispatchRules;
  private rulesRevision = 0;
  private rulesVersion = 0;

  constructor(private readonly input: DesignDispatchInput) {
    const s = input.snapshot;
    super('design-dispatch', DISPATCH_STATUS, s ? { doneUpdates: s.doneUpdates, clockOffsetMs: s.clockOffsetMs } : undefined);
    this.rules = input.rules;
    if (s) {
      this.status = s.status;
      this.expertId = s.expertId;
      this.plannedVisits = s.plannedVisits;
      this.pastYearEndFlag = s.pastYearEndFlag;
      this.yearEndWatchedSince = s.yearEndWatchedSince;
      this.visits.push(...s.visits.map((v) => ({ ...v, version: 0 })));
      this.rulesRevision = s.rulesRevision;
    }
  }

  get id(): string {
    return this.input.dispatchId;
  }

  get currentRules(): DispatchRules {
    return this.rules;
  }

  snapshot(): DispatchSnapshot | null {
    if (this.status === null) return null;
    return {
      status: this.status, expertId: this.expertId, plannedVisits: this.plannedVisits, visits: this.visits.map(({ version: _v, ...v }) => v),
      pastYearEndFlag: this.pastYearEndFlag, yearEndWatchedSince: this.yearEndWatchedSince, rulesRevision: this.rulesRevision,
      doneUpdates: this.memory.doneUpdates, clockOffsetMs: this.memory.clockOffsetMs,
    };
  }

  private keyed(meta: CommandMeta, eventKey: string) {
    return { dispatchId: this.id, eventKey, actor: meta.actor, at: meta.at };
  }

  private liveVisits(): number {
    return this.visits.filter((v) => v.status !== 'cancelled').length;
  }

  register(): void {
    setHandler(dispatchStateQuery, () => this.snapshot());

    setHandler(applyDispatchUpdate, (a) => {
      const id = updateId();
      return refusing(() => this.exclusive(async () => {
        if (this.memory.doneUpdates.includes(id)) return;
        if (this.status !== null) throw invalidState('apply', this.status);
        this.followClock(a.meta.at);
        try {
          const year = await commands.recordDispatchApplication({ ...this.keyed(a.meta, commandReceipt('design-dispatch', this.id, id)), programYearId: this.input.programYearId, intake: a.intake });
          this.rules = year.rules;
          this.rulesRevision = year.revision;
        } catch (error) {
          this.applyFailed = true;
          throw error;
        }
        this.yearEndWatchedSince = this.now();
        this.moveTo('applied');
        this.remember(id);
      }));
    }, { validator: (_a) => guard(() => { if (this.status !== null && !this.memory.doneUpdates.includes(updateId())) throw invalidState('apply', this.status); }) });

    this.command(decisionUpdate, 'decision', () => undefined, async (a, eventKey) => {
      await commands.decideDispatch({ ...this.keyed(a.meta, eventKey), programYearId: this.input.programYearId, accept: a.accept, reason: a.reason });
      this.moveTo(a.accept ? 'accepted' : 'declined');
    });

    this.command(assignmentUpdate, 'assignment', (a) => assertPlannedVisits(a.plannedVisits, this.rules.maxVisitsPerCompany), async (a, eventKey) => {
      await commands.assignExpert({ ...this.keyed(a.meta, eventKey), expertId: a.expertId, plannedVisits: a.plannedVisits });
      this.expertId = a.expertId;
      this.plannedVisits = a.plannedVisits;
      this.moveTo('assigned');
    });

    this.command(addVisitUpdate, 'add visit', (a) => {
      assertInDispatchPeriod(instantOf(a.scheduledAt), this.rules);
      assertVisitFits(this.liveVisits(), this.plannedVisits ?? 0);
    }, async (a, eventKey) => {
      await commands.addVisit({ ...this.keyed(a.meta, eventKey), visitId: a.visitId, scheduledAt: a.scheduledAt });
      this.visits.push({ id: a.visitId, scheduledAt: instantOf(a.scheduledAt), status: 'scheduled', overdueFlag: false, remindedFor: null, datedAt: this.now(), version: 0 });
      void this.watchVisit(a.visitId);
    });

    this.command(rescheduleVisitUpdate, 'reschedule visit', (a) => {
      assertVisitScheduled(findVisit(this.visits, a.visitId), 'reschedule visit');
      assertInDispatchPeriod(instantOf(a.scheduledAt), this.rules);
    }, async (a, eventKey) => {
      await commands.rescheduleVisit({ ...this.keyed(a.meta, eventKey), visitId: a.visitId, scheduledAt: a.scheduledAt });
      const v = findVisit(this.visits, a.visitId);
      Object.assign(v, { scheduledAt: instantOf(a.scheduledAt), overdueFlag: false, datedAt: this.now(), version: v.version + 1 });
    });

    this.command(cancelVisitUpdate, 'cancel visit', (a) => assertVisitScheduled(findVisit(this.visits, a.visitId), 'cancel visit'), async (a, eventKey) => {
      await commands.cancelVisit({ ...this.keyed(a.meta, eventKey), visitId: a.visitId });
      const v = findVisit(this.visits, a.visitId);
      Object.assign(v, { status: 'cancelled', overdueFlag: false, version: v.version + 1 });
    });

    this.command(completeVisitUpdate, 'complete visit', (a) => assertVisitScheduled(findVisit(this.visits, a.visitId), 'complete visit'), async (a, eventKey) => {
      await commands.completeVisit({ ...this.keyed(a.meta, eventKey), visitId: a.visitId, heldAt: a.heldAt, hours: a.hours, summary: a.summary });
      const v = findVisit(this.visits, a.visitId);
      Object.assign(v, { status: 'held', overdueFlag: false, version: v.version + 1 });
    });

    // A refused report is not kept: the check runs before anything is written.
    this.command(reportUpdate, 'report', () => assertVisitsClosed(this.visits), async (a, eventKey) => {
      await commands.recordReport({ ...this.keyed(a.meta, eventKey), report: a.report });
      this.moveTo('completed');
    });

    this.command(dispatchWithdrawalUpdate, 'withdrawal', () => undefined, async (a, eventKey) => {
      await commands.withdrawDispatch({ ...this.keyed(a.meta, eventKey), reason: a.reason });
      for (const v of this.visits) if (v.status === 'scheduled') Object.assign(v, { status: 'cancelled', overdueFlag: false, version: v.version + 1 });
      this.moveTo('withdrawn');
    });

    setHandler(dispatchRulesChangedUpdate, (a) => refusing(() => this.exclusive(async () => {
      if (a.revision !== null && a.revision <= this.rulesRevision) return;
      this.rulesRevision = a.revision ?? this.rulesRevision;
      if (this.status === null || this.isFinal()) {
        this.rules = a.rules;
        return;
      }
      const now = this.now();
      const { clearedVisitIds, yearEndCleared } = await commands.applyDispatchRulesChange({ dispatchId: this.id, rules: a.rules, revision: a.revision, now: toJstIso(now), eventKey: `design-dispatch:${this.id}:rules:${a.revision ?? updateId()}` });
      for (const v of this.visits) if (clearedVisitIds.includes(v.id)) v.overdueFlag = false;
      if (yearEndCleared) this.pastYearEndFlag = false;
      this.rules = a.rules;
      this.yearEndWatchedSince = now;
      this.rulesVersion += 1;
    })));
  }

  startTimers(): void {
    void this.watchYearEnd();
    for (const v of this.visits) if (v.status === 'scheduled') void this.watchVisit(v.id);
  }

  private async watchVisit(id: string): Promise<void> {
    if (this.watched.has(id)) return;
    this.watched.add(id);
    const v = findVisit(this.visits, id);
    for (;;) {
      if (v.status !== 'scheduled' || this.isFinal()) return;
      const seen = `${v.version}:${this.rulesVersion}`;
      const changed = () => `${v.version}:${this.rulesVersion}` !== seen || this.isFinal();
      const step = nextVisitStep(v, this.rules, this.now());
      if (await this.waitUntil(step?.at ?? Number.POSITIVE_INFINITY, changed) || !step) continue;
      await this.exclusive(async () => {
        if (changed()) return;
        const scheduledAt = toJstIso(v.scheduledAt);
        if (step.kind === 'reminder') {
          await timers.sendVisitReminder({ dispatchId: this.id, visitId: id, scheduledAt });
          v.remindedFor = v.scheduledAt;
        } else {
          await timers.markVisitOverdue({ dispatchId: this.id, visitId: id, scheduledAt, dueAt: toJstIso(visitDueAt(v.scheduledAt, this.rules.visitGraceDays)) });
          v.overdueFlag = true;
        }
      });
    }
  }

  /** A dispatch still open when its fiscal year ends is flagged and staff are told. */
  private async watchYearEnd(): Promise<void> {
    for (;;) {
      if (this.isFinal()) return;
      const seen = this.rulesVersion;
      const changed = () => this.rulesVersion !== seen || this.isFinal();
      const at = this.pastYearEndFlag ? Number.POSITIVE_INFINITY : Math.max(instantOf(this.rules.fiscalYearEndsAt), this.yearEndWatchedSince + LATE_ENTRY_NOTICE_DELAY_MS);
      if (await this.waitUntil(at, changed) || this.pastYearEndFlag) continue;
      await this.exclusive(async () => {
        if (changed()) return;
        await timers.markPastYearEnd({ dispatchId: this.id, fiscalYearEndsAt: this.rules.fiscalYearEndsAt });
        this.pastYearEndFlag = true;
      });
    }
  }
}

export async function designDispatchWorkflow(input: DesignDispatchInput): Promise<DispatchStatus | 'abandoned'> {
  const dispatch = new Dispatch(input);
  dispatch.register();
  if (dispatch.status === null) {
    await condition(() => dispatch.status !== null || dispatch.applyFailed, APPLY_TIMEOUT);
    if (dispatch.status === null) {
      await condition(allHandlersFinished);
      return 'abandoned';
    }
  }
  dispatch.startTimers();
  await condition(() => dispatch.isFinal() || workflowInfo().continueAsNewSuggested);
  await condition(() => allHandlersFinished() && !dispatch.busy);
  const snapshot = dispatch.snapshot();
  if (!dispatch.isFinal() && snapshot) await continueAsNew<typeof designDispatchWorkflow>({ ...input, rules: dispatch.currentRules, snapshot });
  return dispatch.status!;
}

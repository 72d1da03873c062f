// One overseas IP subsidy case (Program A) from intake to the last status report: every
// step a case can take is in this file. Commands arrive as Workflow Updates; a validator
// refuses synchronously (wrong status → invalid_state), the handler runs one idempotent
// activity that writes PostgreSQL and only then changes the workflow's state, so a GET
// right after an Update shows its effect. The workflow also keeps time: the evidence
// deadline with its reminders and lapse, and the yearly examination-status reports.
import {
  allHandlersFinished, condition, currentUpdateInfo, makeContinueAsNewFunc, proxyLocalActivities, setHandler, upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { UpdateDefinition } from '@temporalio/common';
import type { SubsidyActivities } from '../activities/subsidy-case.js';
import { DomainError, notFound } from '../domain/errors.js';
import { jstDate, parseInstant, toJstIso } from '../domain/time.js';
import { checkEligibility } from '../domain/subsidy/eligibility.js';
import { determinationOf, maxGrantOf } from '../domain/subsidy/calculation.js';
import { expenseEligibility, isEligibleCategory } from '../domain/subsidy/expenses.js';
import { endOfJstDay, nextWake, reminderDue, remindersBefore, statusReportNumber, statusReportSchedule, type Reminder, type StatusReportDue } from '../domain/subsidy/schedule.js';
import { assertCommandAllowed, isFinal, type CaseCommand, type CaseStatus } from '../domain/subsidy/status.js';
import { guard, refusing } from './failures.js';
import { commandReceipt } from './receipts.js';
import { OneAtATime } from './one-at-a-time.js';
import { ApplicantId, CaseStatus as CaseStatusKey, ProgramYearId } from './search-attributes.js';
import {
  caseStateQuery, confirmExpenseUpdate, deadlinesChangedSignal, decideUpdate, determineUpdate, disburseUpdate, intakeReceipt, intakeUpdate,
  recordExpenseUpdate, recordForeignFilingUpdate, recordStatusReportUpdate, submitReportUpdate, withdrawUpdate,
  type IntakeInput, type SubsidyCaseOutcome, type SubsidyCaseState, type SubsidyCaseWorkflowInput,
} from './subsidy-case-messages.js';

export * from './subsidy-case-messages.js';

// Each activity is one short PostgreSQL transaction, run as a local activity: inside the
// workflow task that handles the Update, so a command costs one round trip to the server
// instead of three. A worker that dies mid-activity leaves the workflow task to time out;
// the next worker replays, runs the activity again, and the activity finds the command's
// receipt and writes nothing twice. Faults of the database are retried until it is back
// (the caller's request gives up at its deadline; the command goes on and its retry attaches
// to it); a row the database refuses (bad data, a broken constraint) fails at once
// (activities/failures.ts), so no input can keep a command retrying.
const activities = proxyLocalActivities<SubsidyActivities>({
  startToCloseTimeout: '10 seconds', scheduleToCloseTimeout: '10 minutes',
  retry: { initialInterval: '200 milliseconds', backoffCoefficient: 2, maximumInterval: '5 seconds' },
});
/** What the case does on its own (reminders, lapse, close) retries until it is done. */
const ownActivities = proxyLocalActivities<SubsidyActivities>({
  startToCloseTimeout: '10 seconds', retry: { initialInterval: '200 milliseconds', backoffCoefficient: 2, maximumInterval: '30 seconds' },
});

/** Update ids a case remembers across continue-as-new, so a retried command is answered, not run again. */
const REMEMBERED_UPDATES = 100;

const instant = (text: string): number => {
  const ms = parseInstant(text);
  if (ms === null) throw new DomainError('bad_request', `${text} is not an RFC 3339 instant`);
  return ms;
};

function eligibilityOf(intake: IntakeInput) {
  return checkEligibility({
    year: intake.year, applicantId: intake.applicantId, applicantKind: intake.applicantKind, priorCase: intake.priorCase,
    intake: { ...intake, receivedAt: instant(intake.receivedAt) },
  });
}

/**
 * One clock: the API stamps each command with its clock (app.deps.clock) and a case measures
 * its deadlines on that clock, not on the Temporal server's. The workflow keeps the offset
 * between the two as of the last command (0 in production, where both read the system
 * time; years in a test whose API clock is fixed in FY2024) and times its timers by it.
 */
const SIGNIFICANT_CLOCK_SHIFT_MS = 1000;

/** How long a case started without its intake Update waits for it. */
const INTAKE_TIMEOUT = '1 day';

function remember(s: SubsidyCaseState, updateId: string): void {
  s.doneUpdates = [...s.doneUpdates, updateId].slice(-REMEMBERED_UPDATES);
}

export async function subsidyCaseWorkflow(input: SubsidyCaseWorkflowInput): Promise<SubsidyCaseOutcome> {
  // Commands on one case run one at a time: the second waits, then re-checks the status.
  const queue = new OneAtATime();
  // A state carried over from a run before these fields existed gets their empty values.
  let state: SubsidyCaseState | null = input.state ? { ...input.state, doneUpdates: input.state.doneUpdates ?? [], deadlinesRevision: input.state.deadlinesRevision ?? 0 } : null;
  const now = (): number => Date.now() + (state?.clockOffsetMs ?? 0);
  const nowIso = (): string => toJstIso(now());
  const followClock = (s: SubsidyCaseState, at: string): void => {
    s.clockOffsetMs = instant(at) - Date.now();
  };
  let refusal: DomainError | null = null;
  if (input.intake) {
    try {
      eligibilityOf(input.intake);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      refusal = error;
    }
  }

  // Intake is the first command: its activity writes the row and answers the year's deadlines
  // as they are in the same transaction, so a PUT of the year racing this intake is never missed.
  let intakeFailed = false;
  setHandler(intakeUpdate, () => refusing(() => queue.run(async () => {
    if (state !== null || !input.intake) return;
    try {
      state = await recordIntake(input.intake, currentUpdateInfo()?.id ?? workflowInfo().runId);
    } catch (error) {
      intakeFailed = true;
      throw error;
    }
  })), { validator: () => guard(() => { if (refusal) throw refusal; }) });
  setHandler(caseStateQuery, () => state);
  // A year's revisions may arrive late or twice (the fan-out is retried): only a newer one counts.
  // Before intake has recorded the case, the intake's own reading of the year decides.
  setHandler(deadlinesChangedSignal, (deadlines, revision) => {
    if (!state || (revision !== undefined && revision <= state.deadlinesRevision)) return;
    state.deadlines = deadlines;
    state.deadlinesRevision = revision ?? state.deadlinesRevision;
    state.deadlinesVersion += 1;
  });

  const caseOf = (): SubsidyCaseState => {
    if (!state) throw notFound('Subsidy case', input.intake?.caseId ?? '?');
    return state;
  };
  const receipt = (eventKey: string, meta: { actor: string; at: string }) => ({ caseId: caseOf().caseId, eventKey, actor: meta.actor, at: meta.at });
  const moveTo = (status: CaseStatus): void => {
    caseOf().status = status;
    upsertSearchAttributes([{ key: CaseStatusKey, value: status }]);
  };

  /**
   * A command: its validator guards synchronously (status, then the command's own
   * checks); its handler queues behind any command in flight, checks again (the status
   * may have moved meanwhile) and applies.
   */
  function command<A extends { meta: { at: string } }>(def: UpdateDefinition<void, [A]>, name: CaseCommand, check: (s: SubsidyCaseState, arg: A) => void, apply: (s: SubsidyCaseState, arg: A, eventKey: string) => Promise<void>): void {
    const validate = (arg: A) => {
      const s = caseOf();
      assertCommandAllowed(name, s.status);
      check(s, arg);
    };
    const updateId = (): string => currentUpdateInfo()?.id ?? workflowInfo().runId;
    const done = (): boolean => caseOf().doneUpdates.includes(updateId());
    setHandler(def, (arg: A) => {
      const id = updateId();
      return refusing(() => queue.run(async () => {
        if (done()) return;
        validate(arg);
        followClock(caseOf(), arg.meta.at);
        await apply(caseOf(), arg, commandReceipt('subsidy-case', caseOf().caseId, id));
        remember(caseOf(), id);
      }));
    }, { validator: (arg: A) => guard(() => { if (!done()) validate(arg); }) });
  }

  command(decideUpdate, 'decision', (s, cmd) => {
    if (instant(cmd.decidedAt) < instant(s.receivedAt)) throw new DomainError('bad_request', 'decidedAt may not be before receivedAt', [{ path: 'body/decidedAt', message: 'is before receivedAt' }]);
    if (cmd.approve && cmd.grantLimitJpy !== null && cmd.grantLimitJpy > s.maxGrantJpy) {
      throw new DomainError('grant_limit_too_high', `grantLimitJpy ${cmd.grantLimitJpy} exceeds the maximum grant ${s.maxGrantJpy}`, [{ path: 'body/grantLimitJpy', message: `must be at most ${s.maxGrantJpy}` }]);
    }
  }, async (s, cmd, eventKey) => {
    if (cmd.approve) {
      const { grantLimitJpy } = await activities.approveCase({ ...receipt(eventKey, cmd.meta), decidedAt: cmd.decidedAt, requestedGrantLimitJpy: cmd.grantLimitJpy, reason: cmd.reason });
      s.grantLimitJpy = grantLimitJpy;
      s.decidedAt = cmd.decidedAt;
      s.remindersCheckedUntil = now();
      moveTo('approved');
    } else {
      await activities.rejectCase({ ...receipt(eventKey, cmd.meta), decidedAt: cmd.decidedAt, reason: cmd.reason ?? '' });
      s.decidedAt = cmd.decidedAt;
      moveTo('rejected');
    }
  });

  command(recordForeignFilingUpdate, 'foreign_filing', () => undefined, async (_s, cmd, eventKey) => {
    await activities.recordForeignFiling({ ...receipt(eventKey, cmd.meta), id: cmd.id, country: cmd.country, applicationNumber: cmd.applicationNumber, filedOn: cmd.filedOn });
  });

  command(recordExpenseUpdate, 'expense', () => undefined, async (s, cmd, eventKey) => {
    const eligibility = expenseEligibility(cmd, jstDate(instant(s.decidedAt!)));
    const { meta: _meta, ...expense } = cmd;
    await activities.recordExpense({ ...receipt(eventKey, cmd.meta), ...expense, ...eligibility });
    s.expenses.push({ id: cmd.id, amountJpy: cmd.amountJpy, consumptionTaxJpy: cmd.consumptionTaxJpy, eligible: eligibility.eligible, ineligibleReason: eligibility.ineligibleReason, accepted: null });
  });

  // The performance report says all the evidence is in; it needs at least one expense.
  command(submitReportUpdate, 'report', (s) => {
    if (s.expenses.length === 0) throw new DomainError('expenses_required', 'The performance report needs at least one expense');
  }, async (_s, cmd, eventKey) => {
    await activities.submitReport({ ...receipt(eventKey, cmd.meta), note: cmd.note });
    moveTo('reported');
  });

  // Confirming again before determination replaces the earlier confirmation.
  command(confirmExpenseUpdate, 'confirmation', (s, cmd) => {
    if (!s.expenses.some((e) => e.id === cmd.expenseId)) throw notFound('Expense', cmd.expenseId);
  }, async (s, cmd, eventKey) => {
    await activities.confirmExpense({ ...receipt(eventKey, cmd.meta), expenseId: cmd.expenseId, accepted: cmd.accepted, reason: cmd.reason });
    s.expenses.find((e) => e.id === cmd.expenseId)!.accepted = cmd.accepted;
  });

  command(determineUpdate, 'determination', (s) => {
    determinationOf(s.expenses, s.terms, s.grantLimitJpy ?? 0);
  }, async (s, cmd, eventKey) => {
    const determination = determinationOf(s.expenses, s.terms, s.grantLimitJpy ?? 0);
    await activities.determineCase({ ...receipt(eventKey, cmd.meta), determination, note: cmd.note });
    s.determinedJpy = determination.resultJpy;
    moveTo('determined');
  });

  command(disburseUpdate, 'disbursement', (s, cmd) => {
    if (s.decidedAt && instant(cmd.paidAt) < instant(s.decidedAt)) throw new DomainError('bad_request', 'paidAt may not be before the decision', [{ path: 'body/paidAt', message: 'is before decidedAt' }]);
  }, async (s, cmd, eventKey) => {
    const schedule = statusReportSchedule(jstDate(instant(cmd.paidAt)), s.deadlines.statusReports);
    await activities.disburseCase({ ...receipt(eventKey, cmd.meta), paidAt: cmd.paidAt, transferReference: cmd.transferReference, disbursedJpy: s.determinedJpy ?? 0, schedule, nextStatusReportDue: schedule[0]?.dueOn ?? null });
    s.paidAt = cmd.paidAt;
    s.remindersCheckedUntil = now();
    moveTo('disbursed');
  });

  command(withdrawUpdate, 'withdrawal', () => undefined, async (_s, cmd, eventKey) => {
    await activities.withdrawCase({ ...receipt(eventKey, cmd.meta), reason: cmd.reason });
    moveTo('withdrawn');
  });

  const reportNumberOf = (s: SubsidyCaseState, year: number): number => {
    const schedule = scheduleOf(s);
    const number = statusReportNumber(schedule, year);
    if (number === null) {
      const asOfYears = schedule.map((d) => d.asOf.slice(0, 4)).join(', ');
      throw new DomainError('status_report_year_out_of_range', `This case owes status reports 1 to ${schedule.length} (as of ${asOfYears}), not ${year}`, [{ path: 'body/year', message: `must be a report number 1 to ${schedule.length} or the year of one` }]);
    }
    if (s.statusReportYears.includes(number)) throw new DomainError('conflict', `Status report ${number} is already recorded`);
    return number;
  };
  command(recordStatusReportUpdate, 'status_report', (s, cmd) => {
    reportNumberOf(s, cmd.year);
  }, async (s, cmd, eventKey) => {
    const reportNumber = reportNumberOf(s, cmd.year);
    const recorded = [...s.statusReportYears, reportNumber];
    const next = scheduleOf(s).find((d) => !recorded.includes(d.year));
    await activities.recordStatusReport({ ...receipt(eventKey, cmd.meta), id: cmd.id, year: cmd.year, reportNumber, asOf: cmd.asOf, countries: cmd.countries, closes: next === undefined, nextStatusReportDue: next?.dueOn ?? null });
    s.statusReportYears = recorded;
    if (next === undefined) moveTo('closed');
  });

  // --- intake -------------------------------------------------------------------------
  if (input.intake) {
    // A refused intake records nothing and ends here: no row, no running workflow.
    if (refusal) return { caseId: input.intake.caseId, status: 'refused', refusal: refusal.code };
    // Started by Update-with-Start: the intake Update records the case. A start whose intake
    // never came, or failed for good, ends here.
    await condition(() => state !== null || intakeFailed, INTAKE_TIMEOUT);
    if (state === null) {
      await condition(allHandlersFinished);
      return { caseId: input.intake.caseId, status: 'refused', refusal: 'intake_failed' };
    }
  }
  const kase = caseOf();
  // The API starts a case with its search attributes and continue-as-new carries them on;
  // set them here only when they are missing or behind.
  if (workflowInfo().typedSearchAttributes.get(CaseStatusKey) !== kase.status) {
    upsertSearchAttributes([{ key: CaseStatusKey, value: kase.status }, { key: ProgramYearId, value: kase.programYearId }, { key: ApplicantId, value: kase.applicantId }]);
  }

  // --- the case's own time --------------------------------------------------------------
  for (;;) {
    if (kase.deadlinesVersion !== kase.deadlinesRecorded) await recordMovedDeadlines(kase);
    if (isFinal(kase.status)) {
      await condition(allHandlersFinished);
      return { caseId: kase.caseId, status: kase.status };
    }
    if (workflowInfo().continueAsNewSuggested) return keepHistoryShort(kase);
    if (kase.status === 'approved') {
      await awaitEvidence(kase);
    } else if (kase.status === 'disbursed') {
      const reportsBefore = kase.statusReportYears.length;
      await awaitStatusReports(kase);
      // A case lives for years after payment: each recorded report starts a fresh history.
      if (kase.status === 'disbursed' && kase.statusReportYears.length > reportsBefore) return keepHistoryShort(kase);
    } else {
      const { status, deadlinesVersion } = kase;
      await condition(() => kase.status !== status || kase.deadlinesVersion !== deadlinesVersion || workflowInfo().continueAsNewSuggested);
    }
  }

  async function keepHistoryShort(s: SubsidyCaseState): Promise<never> {
    await condition(allHandlersFinished);
    return makeContinueAsNewFunc<typeof subsidyCaseWorkflow>({ typedSearchAttributes: workflowInfo().typedSearchAttributes })({ state: s });
  }

  async function recordMovedDeadlines(s: SubsidyCaseState): Promise<void> {
    await queue.run(async () => {
      const version = s.deadlinesVersion;
      const schedule = s.paidAt ? scheduleOf(s) : null;
      const next = schedule?.find((d) => !s.statusReportYears.includes(d.year));
      await ownActivities.recordDeadlines({ caseId: s.caseId, at: nowIso(), version, deadlines: s.deadlines, schedule, nextStatusReportDue: next?.dueOn ?? null });
      s.deadlinesRecorded = version;
      // Reminders of the new deadline whose moment has passed are not sent late; the
      // applicant hears of the change itself instead.
      if (s.status === 'approved' || s.status === 'disbursed') {
        await ownActivities.notify({
          caseId: s.caseId, dedupeKey: `subsidy-case:${s.caseId}:deadlines-changed:${version}`, kind: 'subsidy_deadlines_changed', at: nowIso(),
          subject: `提出期限が変更されました / A deadline of your subsidy case changed`,
          payload: s.status === 'approved' ? { reportDeadline: s.deadlines.reportDeadline } : { nextStatusReportDue: next?.dueOn ?? null },
        });
        s.remindersCheckedUntil = now();
      }
    });
  }

  /** Approved: wait for the evidence and the report until the deadline; remind; lapse. */
  async function awaitEvidence(s: SubsidyCaseState): Promise<void> {
    while (s.status === 'approved') {
      const deadline = instant(s.deadlines.reportDeadline);
      const reminders = remindersBefore(deadline);
      const reminder = reminderNowDue(s, reminders);
      if (reminder) {
        await ownActivities.notify({
          caseId: s.caseId, at: nowIso(), dedupeKey: `subsidy-case:${s.caseId}:evidence-reminder:${s.deadlines.reportDeadline}:${reminder.daysBefore}d`,
          kind: 'subsidy_evidence_reminder',
          subject: `【リマインダー】支払証憑と実績報告の提出期限まで${reminder.daysBefore}日 / ${reminder.daysBefore} days left to submit payment evidence and the performance report`,
          payload: { reportDeadline: s.deadlines.reportDeadline, daysBefore: reminder.daysBefore },
        });
      }
      if (now() >= deadline) {
        await queue.run(async () => {
          if (s.status !== 'approved' || now() < instant(s.deadlines.reportDeadline)) return;
          await ownActivities.lapseCase({ caseId: s.caseId, at: nowIso(), reportDeadline: s.deadlines.reportDeadline });
          moveTo('lapsed');
        });
        continue;
      }
      const version = s.deadlinesVersion;
      const moved = clockMoved(s);
      await condition(() => s.status !== 'approved' || s.deadlinesVersion !== version || moved() || workflowInfo().continueAsNewSuggested, nextWake(reminders, deadline, now()) - now());
      if (s.deadlinesVersion !== version || workflowInfo().continueAsNewSuggested) return;
    }
  }

  /** Disbursed: wait for the next yearly status report; remind before it is due and once when overdue. */
  async function awaitStatusReports(s: SubsidyCaseState): Promise<void> {
    const recordedBefore = s.statusReportYears.length;
    while (s.status === 'disbursed' && s.statusReportYears.length === recordedBefore) {
      const next = scheduleOf(s).find((d) => !s.statusReportYears.includes(d.year));
      if (!next) {
        await queue.run(async () => {
          if (s.status !== 'disbursed') return;
          await ownActivities.closeCase({ caseId: s.caseId, at: nowIso() });
          moveTo('closed');
        });
        return;
      }
      const due = endOfJstDay(next.dueOn);
      const moments: Reminder[] = [...remindersBefore(due), { daysBefore: 0, at: due }];
      const reminder = reminderNowDue(s, moments);
      if (reminder) await ownActivities.notify({ caseId: s.caseId, at: nowIso(), ...statusReportNotice(s, next, reminder) });
      const version = s.deadlinesVersion;
      const moved = clockMoved(s);
      const at = now();
      const wake = nextWake(moments, Number.POSITIVE_INFINITY, at);
      const changed = () => s.status !== 'disbursed' || s.statusReportYears.length !== recordedBefore || s.deadlinesVersion !== version || moved() || workflowInfo().continueAsNewSuggested;
      if (Number.isFinite(wake)) await condition(changed, wake - at);
      else await condition(changed);
      if (s.deadlinesVersion !== version || workflowInfo().continueAsNewSuggested) return;
    }
  }

  /** Whether a command has since moved the system's clock against the timers (a test's fixed clock set forward, say). */
  function clockMoved(s: SubsidyCaseState): () => boolean {
    const offset = s.clockOffsetMs;
    return () => Math.abs(s.clockOffsetMs - offset) > SIGNIFICANT_CLOCK_SHIFT_MS;
  }

  /** The reminder whose moment has come since the last look, if any (and look again from now on). */
  function reminderNowDue(s: SubsidyCaseState, reminders: Reminder[]): Reminder | undefined {
    const at = now();
    const due = reminderDue(reminders, s.remindersCheckedUntil ?? at, at);
    s.remindersCheckedUntil = at;
    return due;
  }
}

function statusReportNotice(s: SubsidyCaseState, due: StatusReportDue, r: Reminder) {
  const base = { year: due.year, asOf: due.asOf, dueOn: due.dueOn };
  if (r.daysBefore === 0) {
    return {
      dedupeKey: `subsidy-case:${s.caseId}:status-report:${due.year}:${due.dueOn}:overdue`, kind: 'subsidy_status_report_overdue',
      subject: `【督促】査定状況報告（第${due.year}回）の提出期限を過ぎています / Examination-status report ${due.year} is overdue`, payload: base,
    };
  }
  return {
    dedupeKey: `subsidy-case:${s.caseId}:status-report:${due.year}:${due.dueOn}:${r.daysBefore}d`, kind: 'subsidy_status_report_reminder',
    subject: `【リマインダー】査定状況報告（第${due.year}回、${due.asOf}時点）の提出期限まで${r.daysBefore}日 / Examination-status report ${due.year} is due in ${r.daysBefore} days`,
    payload: { ...base, daysBefore: r.daysBefore },
  };
}

function scheduleOf(s: SubsidyCaseState): StatusReportDue[] {
  return s.paidAt ? statusReportSchedule(jstDate(instant(s.paidAt)), s.deadlines.statusReports) : [];
}

async function recordIntake(intake: IntakeInput, updateId: string): Promise<SubsidyCaseState> {
  const { window } = eligibilityOf(intake);
  const maxGrant = maxGrantOf(intake.estimatedCosts, intake.terms, isEligibleCategory);
  const year = await activities.recordIntake({
    caseId: intake.caseId, eventKey: intakeReceipt(intake.caseId), actor: intake.meta.actor, at: intake.meta.at,
    programYearId: intake.programYearId, applicantId: intake.applicantId, procedure: intake.procedure, rightType: intake.rightType,
    title: intake.title, regionalCollectiveTrademark: intake.regionalCollectiveTrademark, jpoApplicationNumber: intake.jpoApplicationNumber,
    targetCountries: intake.targetCountries, priorCaseId: intake.priorCaseId, priorSubsidyReference: intake.priorSubsidyReference,
    refusalGrounds: intake.refusalGrounds, examinationRequested: intake.examinationRequested, estimatedCosts: intake.estimatedCosts,
    windowLabel: window.label, terms: intake.terms, deadlines: intake.deadlines, receivedAt: intake.receivedAt, maxGrant,
  });
  return {
    caseId: intake.caseId, programYearId: intake.programYearId, applicantId: intake.applicantId, procedure: intake.procedure,
    rightType: intake.rightType, terms: intake.terms, deadlines: year.deadlines, deadlinesRevision: year.revision, deadlinesVersion: 0, deadlinesRecorded: 0,
    status: 'under_review', receivedAt: intake.receivedAt, decidedAt: null, maxGrantJpy: maxGrant.resultJpy, grantLimitJpy: null,
    determinedJpy: null, paidAt: null, expenses: [], statusReportYears: [], remindersCheckedUntil: null,
    clockOffsetMs: instant(intake.meta.at) - Date.now(), doneUpdates: [updateId],
  };
}

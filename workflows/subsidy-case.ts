// One overseas IP subsidy case (Program A) from intake to the last status report: every
// step a case can take is in this file. Built on the case kernel (kernel/case-entity.ts):
// each command is an Update whose handler runs one idempotent activity that writes
// PostgreSQL and only then changes the state, so a GET right after an Update shows its
// effect. The case also keeps time: the evidence deadline with its reminders and lapse, and
// the yearly examination-status reports.
import {
  allHandlersFinished, condition, makeContinueAsNewFunc, proxyLocalActivities, setHandler, upsertSearchAttributes, workflowInfo,
} from '@temporalio/workflow';
import type { SubsidyActivities } from '../activities/subsidy-case.js';
import { DomainError, notFound } from '../domain/errors.js';
import { jstDate, toJstIso } from '../domain/time.js';
import { checkEligibility } from '../domain/subsidy/eligibility.js';
import { assertGrantLimitAllowed, determinationOf, maxGrantOf } from '../domain/subsidy/calculation.js';
import { expenseEligibility } from '../domain/subsidy/expenses.js';
import { completeTerms } from '../domain/subsidy/terms.js';
import { assertDecidedAfterReceipt, assertPaidAfterDecision } from '../domain/subsidy/order-of-events.js';
import {
  completionFiscalYear, endOfJstDay, endsObligation, nextWake, reminderDue, remindersBefore, statusReportNumber, statusReportSchedule, type Reminder, type StatusReportDue,
} from '../domain/subsidy/schedule.js';
import { SUBSIDY_CASE_STATUS, type CaseCommand, type CaseStatus } from '../domain/subsidy/status.js';
import { CaseEntity, instantOf, statusIsSearchAttribute, updateId } from './kernel/case-entity.js';
import { guard, refusing } from './failures.js';
import { ApplicantId, CaseStatus as CaseStatusKey, ProgramYearId } from './search-attributes.js';
import {
  caseStateQuery, confirmExpenseUpdate, deadlinesChangedUpdate, decideUpdate, determineUpdate, disburseUpdate, intakeReceipt, intakeUpdate,
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

/** How long a case started without its intake Update waits for it. */
const INTAKE_TIMEOUT = '1 day';

type CaseFacts = Omit<SubsidyCaseState, 'status' | 'doneUpdates' | 'clockOffsetMs'>;

class SubsidyCase extends CaseEntity<CaseStatus, CaseCommand> {
  private facts: CaseFacts | null = null;
  /** The intake's own refusal, found before anything is written. */
  private readonly refusal: DomainError | null;
  private intakeFailed = false;

  constructor(private readonly input: SubsidyCaseWorkflowInput) {
    const carried = input.state;
    super('subsidy-case', SUBSIDY_CASE_STATUS, carried ? { doneUpdates: carried.doneUpdates ?? [], clockOffsetMs: carried.clockOffsetMs } : undefined);
    if (carried) {
      const { status, doneUpdates: _d, clockOffsetMs: _c, ...facts } = carried;
      this.status = status;
      // A state carried over from a run before revisions were tracked starts at 0; one from
      // before v1.1 takes the FY2024 values of its new fields (see also the migration
      // 2026_11_26_0003, which does the same for the case rows).
      this.facts = {
        ...facts, deadlinesRevision: facts.deadlinesRevision ?? 0, terms: completeTerms(facts.terms),
        windowLabel: facts.windowLabel ?? null, targetCountries: facts.targetCountries ?? null, approvedCountries: facts.approvedCountries ?? null,
        filings: facts.filings ?? [], baseApplicationKey: facts.baseApplicationKey ?? null, reportsEnded: facts.reportsEnded ?? false,
      };
    }
    this.refusal = input.intake ? refusalOf(input.intake) : null;
  }

  get id(): string {
    return this.facts?.caseId ?? this.input.intake?.caseId ?? '?';
  }

  private get c(): CaseFacts {
    if (!this.facts) throw notFound('Subsidy case', this.id);
    return this.facts;
  }

  snapshot(): SubsidyCaseState | null {
    if (!this.facts || this.status === null) return null;
    return { ...this.facts, status: this.status, doneUpdates: this.memory.doneUpdates, clockOffsetMs: this.memory.clockOffsetMs };
  }

  private receipt(eventKey: string, meta: { actor: string; at: string }) {
    return { caseId: this.id, eventKey, actor: meta.actor, at: meta.at };
  }

  private nowIso(): string {
    return toJstIso(this.now());
  }

  register(): void {
    setHandler(caseStateQuery, () => this.snapshot());

    // Intake is the first command: its activity writes the row and answers the year's deadlines
    // as they are in the same transaction, so a PUT of the year racing this intake is never missed.
    setHandler(intakeUpdate, () => refusing(() => this.exclusive(async () => {
      if (this.facts !== null || !this.input.intake) return;
      try {
        await this.recordIntake(this.input.intake);
      } catch (error) {
        this.intakeFailed = true;
        throw error;
      }
    })), { validator: () => guard(() => { if (this.refusal) throw this.refusal; }) });

    // The program year changed: the deadlines follow it (the caps and rate stay as received).
    // Announcements are retried until every case has heard, so a revision may come twice or late.
    setHandler(deadlinesChangedUpdate, ({ deadlines, revision, windowReportDeadlines }) => refusing(() => this.exclusive(async () => {
      if (!this.facts || revision <= this.c.deadlinesRevision) return;
      // A case received through a window with its own reportDeadline follows that window's.
      const own = this.c.windowLabel ? windowReportDeadlines?.[this.c.windowLabel] : undefined;
      const followed = own ? { ...deadlines, reportDeadline: own } : deadlines;
      Object.assign(this.c, { deadlines: followed, deadlinesRevision: revision, deadlinesVersion: this.c.deadlinesVersion + 1 });
      if (!this.isFinal()) await this.recordMovedDeadlines();
    })));

    this.command(decideUpdate, 'decision', (cmd) => {
      assertDecidedAfterReceipt(instantOf(cmd.decidedAt), instantOf(this.c.receivedAt));
      if (cmd.approve) {
        assertGrantLimitAllowed(cmd.grantLimitJpy, this.c.maxGrantJpy);
        if (cmd.approvedCountries && this.c.targetCountries) assertApprovable(cmd.approvedCountries, this.c.targetCountries);
      }
    }, async (cmd, eventKey) => {
      const s = this.c;
      if (cmd.approve) {
        const { grantLimitJpy, approvedCountries } = await activities.approveCase({
          ...this.receipt(eventKey, cmd.meta), decidedAt: cmd.decidedAt, requestedGrantLimitJpy: cmd.grantLimitJpy, reason: cmd.reason, approvedCountries: cmd.approvedCountries ?? null,
        });
        Object.assign(s, { grantLimitJpy, approvedCountries, decidedAt: cmd.decidedAt, remindersCheckedUntil: this.now() });
        this.moveTo('approved');
      } else {
        await activities.rejectCase({ ...this.receipt(eventKey, cmd.meta), decidedAt: cmd.decidedAt, reason: cmd.reason ?? '' });
        s.decidedAt = cmd.decidedAt;
        this.moveTo('rejected');
      }
    });

    // A filing only in an approved country; one made before the decision is recorded but not
    // supported, and nothing spent in its country is paid (expenses recorded before it too).
    this.command(recordForeignFilingUpdate, 'foreign_filing', (cmd) => this.assertCountryApproved(cmd.country, 'body/country'), async (cmd, eventKey) => {
      const s = this.c;
      const eligible = cmd.filedOn >= jstDate(instantOf(s.decidedAt!));
      await activities.recordForeignFiling({ ...this.receipt(eventKey, cmd.meta), id: cmd.id, country: cmd.country, applicationNumber: cmd.applicationNumber, filedOn: cmd.filedOn, eligible });
      s.filings = [...(s.filings ?? []), { country: cmd.country, filedOn: cmd.filedOn, eligible }];
      if (!eligible) {
        for (const e of s.expenses) {
          if (e.country === cmd.country && (e.eligible || e.ineligibleReason === 'before_decision')) Object.assign(e, { eligible: false, ineligibleReason: 'filed_before_decision' });
        }
      }
    });

    this.command(recordExpenseUpdate, 'expense', () => undefined, async (cmd, eventKey) => {
      const s = this.c;
      const eligibility = expenseEligibility(cmd, {
        decidedOn: jstDate(instantOf(s.decidedAt!)), eligibleCostCategories: s.terms.eligibleCostCategories, approvedCountries: s.approvedCountries ?? null,
        filedBeforeDecision: (s.filings ?? []).filter((f) => !f.eligible).map((f) => f.country),
      });
      const { meta: _meta, ...expense } = cmd;
      await activities.recordExpense({ ...this.receipt(eventKey, cmd.meta), ...expense, ...eligibility });
      s.expenses.push({ id: cmd.id, amountJpy: cmd.amountJpy, consumptionTaxJpy: cmd.consumptionTaxJpy, eligible: eligibility.eligible, ineligibleReason: eligibility.ineligibleReason, accepted: null, country: cmd.country });
    });

    // The performance report says all the evidence is in; it needs at least one expense.
    this.command(submitReportUpdate, 'report', () => {
      if (this.c.expenses.length === 0) throw new DomainError('expenses_required', 'The performance report needs at least one expense');
    }, async (cmd, eventKey) => {
      await activities.submitReport({ ...this.receipt(eventKey, cmd.meta), note: cmd.note });
      this.moveTo('reported');
    });

    // Confirming again before determination replaces the earlier confirmation.
    this.command(confirmExpenseUpdate, 'confirmation', (cmd) => {
      if (!this.c.expenses.some((e) => e.id === cmd.expenseId)) throw notFound('Expense', cmd.expenseId);
    }, async (cmd, eventKey) => {
      await activities.confirmExpense({ ...this.receipt(eventKey, cmd.meta), expenseId: cmd.expenseId, accepted: cmd.accepted, reason: cmd.reason });
      this.c.expenses.find((e) => e.id === cmd.expenseId)!.accepted = cmd.accepted;
    });

    this.command(determineUpdate, 'determination', () => {
      determinationOf(this.c.expenses, this.c.terms, this.c.grantLimitJpy ?? 0);
    }, async (cmd, eventKey) => {
      const determination = determinationOf(this.c.expenses, this.c.terms, this.c.grantLimitJpy ?? 0);
      await activities.determineCase({ ...this.receipt(eventKey, cmd.meta), determination, note: cmd.note });
      this.c.determinedJpy = determination.resultJpy;
      this.moveTo('determined');
    });

    this.command(disburseUpdate, 'disbursement', (cmd) => {
      assertPaidAfterDecision(instantOf(cmd.paidAt), this.c.decidedAt === null ? null : instantOf(this.c.decidedAt));
    }, async (cmd, eventKey) => {
      const schedule = this.scheduleFor(cmd.paidAt);
      await activities.disburseCase({ ...this.receipt(eventKey, cmd.meta), paidAt: cmd.paidAt, transferReference: cmd.transferReference, disbursedJpy: this.c.determinedJpy ?? 0, schedule, nextStatusReportDue: schedule[0]?.dueOn ?? null });
      Object.assign(this.c, { paidAt: cmd.paidAt, remindersCheckedUntil: this.now() });
      this.moveTo('disbursed');
    });

    this.command(withdrawUpdate, 'withdrawal', () => undefined, async (cmd, eventKey) => {
      await activities.withdrawCase({ ...this.receipt(eventKey, cmd.meta), reason: cmd.reason });
      this.moveTo('withdrawn');
    });

    this.command(recordStatusReportUpdate, 'status_report', (cmd) => {
      this.reportNumberOf(cmd.year);
    }, async (cmd, eventKey) => {
      const reportNumber = this.reportNumberOf(cmd.year);
      const recorded = [...this.c.statusReportYears, reportNumber];
      // Every country final: no later report is owed and the case closes.
      const ended = endsObligation(cmd.countries);
      const next = ended ? undefined : this.schedule().find((d) => !recorded.includes(d.year));
      await activities.recordStatusReport({
        ...this.receipt(eventKey, cmd.meta), id: cmd.id, year: cmd.year, reportNumber, asOf: cmd.asOf, countries: cmd.countries, closes: next === undefined,
        nextStatusReportDue: next?.dueOn ?? null, ...(ended ? { closeReason: 'every country has a final decision' } : {}),
      });
      this.c.statusReportYears = recorded;
      if (ended) this.c.reportsEnded = true;
      if (next === undefined) this.moveTo('closed');
    });
  }

  /** The case's life after the commands are registered: intake, then its own time. */
  async run(): Promise<SubsidyCaseOutcome> {
    const intake = this.input.intake;
    if (intake) {
      // A refused intake records nothing and ends here: no row, no running workflow.
      if (this.refusal) return { caseId: intake.caseId, status: 'refused', refusal: this.refusal.code };
      // Started by Update-with-Start: the intake Update records the case. A start whose intake
      // never came, or failed for good, ends here.
      await condition(() => this.facts !== null || this.intakeFailed, INTAKE_TIMEOUT);
      if (this.facts === null) {
        await condition(allHandlersFinished);
        return { caseId: intake.caseId, status: 'refused', refusal: 'intake_failed' };
      }
    }
    // The API starts a case with its search attributes and continue-as-new carries them on;
    // a run from before the status left them sets them here when they are missing or behind.
    if (statusIsSearchAttribute() && workflowInfo().typedSearchAttributes.get(CaseStatusKey) !== this.status) {
      upsertSearchAttributes([{ key: CaseStatusKey, value: this.status! }, { key: ProgramYearId, value: this.c.programYearId }, { key: ApplicantId, value: this.c.applicantId }]);
    }

    for (;;) {
      if (this.isFinal()) {
        await condition(allHandlersFinished);
        return { caseId: this.id, status: this.status! };
      }
      if (workflowInfo().continueAsNewSuggested) return this.keepHistoryShort();
      if (this.status === 'approved') {
        await this.awaitEvidence();
      } else if (this.status === 'disbursed') {
        const reportsBefore = this.c.statusReportYears.length;
        await this.awaitStatusReports();
        // A case lives for years after payment: each recorded report starts a fresh history.
        if (this.status === 'disbursed' && this.c.statusReportYears.length > reportsBefore) return this.keepHistoryShort();
      } else {
        const { status } = this;
        const version = this.c.deadlinesVersion;
        await condition(() => this.status !== status || this.c.deadlinesVersion !== version || workflowInfo().continueAsNewSuggested);
      }
    }
  }

  private async keepHistoryShort(): Promise<never> {
    await condition(() => allHandlersFinished() && !this.busy);
    return makeContinueAsNewFunc<typeof subsidyCaseWorkflow>({ typedSearchAttributes: workflowInfo().typedSearchAttributes })({ state: this.snapshot()! });
  }

  private async recordIntake(intake: IntakeInput): Promise<void> {
    const { window } = eligibilityOf(intake);
    const terms = completeTerms(intake.terms);
    const maxGrant = maxGrantOf(intake.estimatedCosts, terms, intake.baseApplicationUsedJpy ?? 0);
    this.followClock(intake.meta.at);
    const { caseId, applicantKind: _kind, year: _rules, priorCase: _prior, baseApplicationUsedJpy: _used, meta, ...recorded } = intake;
    const year = await activities.recordIntake({ ...recorded, terms, baseApplicationKey: intake.baseApplicationKey ?? null, caseId, eventKey: intakeReceipt(caseId), actor: meta.actor, at: meta.at, windowLabel: window.label, maxGrant });
    this.facts = {
      caseId: intake.caseId, programYearId: intake.programYearId, applicantId: intake.applicantId, procedure: intake.procedure,
      rightType: intake.rightType, terms, deadlines: year.deadlines, deadlinesRevision: year.revision, deadlinesVersion: 0, deadlinesRecorded: 0,
      receivedAt: intake.receivedAt, decidedAt: null, maxGrantJpy: maxGrant.resultJpy, grantLimitJpy: null,
      determinedJpy: null, paidAt: null, expenses: [], statusReportYears: [], remindersCheckedUntil: null,
      windowLabel: window.label, targetCountries: [...intake.targetCountries], approvedCountries: null, filings: [],
      baseApplicationKey: intake.baseApplicationKey ?? null, reportsEnded: false,
    };
    this.status = 'under_review';
    this.remember(updateId());
  }

  /** The read model shows the moved deadlines; the applicant hears of the change. */
  private async recordMovedDeadlines(): Promise<void> {
    const s = this.c;
    const version = s.deadlinesVersion;
    const schedule = s.paidAt ? this.schedule() : null;
    const next = schedule?.find((d) => !s.statusReportYears.includes(d.year));
    await ownActivities.recordDeadlines({ caseId: s.caseId, at: this.nowIso(), version, deadlines: s.deadlines, schedule, nextStatusReportDue: next?.dueOn ?? null });
    s.deadlinesRecorded = version;
    // Reminders of the new deadline whose moment has passed are not sent late; the
    // applicant hears of the change itself instead.
    if (this.status === 'approved' || this.status === 'disbursed') {
      await ownActivities.notify({
        caseId: s.caseId, dedupeKey: `subsidy-case:${s.caseId}:deadlines-changed:${version}`, kind: 'subsidy_deadlines_changed', at: this.nowIso(),
        subject: `提出期限が変更されました / A deadline of your subsidy case changed`,
        payload: this.status === 'approved' ? { reportDeadline: s.deadlines.reportDeadline } : { nextStatusReportDue: next?.dueOn ?? null },
      });
      s.remindersCheckedUntil = this.now();
    }
  }

  /** Approved: wait for the evidence and the report until the deadline; remind; lapse. */
  private async awaitEvidence(): Promise<void> {
    const s = this.c;
    while (this.status === 'approved') {
      const deadline = instantOf(s.deadlines.reportDeadline);
      const reminders = remindersBefore(deadline);
      const reminder = this.reminderNowDue(reminders);
      if (reminder) {
        await ownActivities.notify({
          caseId: s.caseId, at: this.nowIso(), dedupeKey: `subsidy-case:${s.caseId}:evidence-reminder:${s.deadlines.reportDeadline}:${reminder.daysBefore}d`,
          kind: 'subsidy_evidence_reminder',
          subject: `【リマインダー】支払証憑と実績報告の提出期限まで${reminder.daysBefore}日 / ${reminder.daysBefore} days left to submit payment evidence and the performance report`,
          payload: { reportDeadline: s.deadlines.reportDeadline, daysBefore: reminder.daysBefore },
        });
      }
      if (this.now() >= deadline) {
        await this.exclusive(async () => {
          if (this.status !== 'approved' || this.now() < instantOf(s.deadlines.reportDeadline)) return;
          await ownActivities.lapseCase({ caseId: s.caseId, at: this.nowIso(), reportDeadline: s.deadlines.reportDeadline });
          this.moveTo('lapsed');
        });
        continue;
      }
      const version = s.deadlinesVersion;
      await this.waitUntil(nextWake(reminders, deadline, this.now()), () => this.status !== 'approved' || s.deadlinesVersion !== version || workflowInfo().continueAsNewSuggested);
      if (s.deadlinesVersion !== version || workflowInfo().continueAsNewSuggested) return;
    }
  }

  /** Disbursed: wait for the next yearly status report; remind before it is due and once when overdue. */
  private async awaitStatusReports(): Promise<void> {
    const s = this.c;
    const recordedBefore = s.statusReportYears.length;
    while (this.status === 'disbursed' && s.statusReportYears.length === recordedBefore) {
      const next = this.schedule().find((d) => !s.statusReportYears.includes(d.year));
      if (!next) {
        await this.exclusive(async () => {
          if (this.status !== 'disbursed') return;
          await ownActivities.closeCase({ caseId: s.caseId, at: this.nowIso() });
          this.moveTo('closed');
        });
        return;
      }
      const due = endOfJstDay(next.dueOn);
      const moments: Reminder[] = [...remindersBefore(due), { daysBefore: 0, at: due }];
      // A report whose due day passed before the wait began (a late payment) is overdue at
      // once: its notice goes now (once: the outbox dedupes it); earlier reminders are not sent late.
      const reminder = this.now() >= due ? moments[moments.length - 1] : this.reminderNowDue(moments);
      if (this.now() >= due) this.c.remindersCheckedUntil = this.now();
      if (reminder) await ownActivities.notify({ caseId: s.caseId, at: this.nowIso(), ...statusReportNotice(s.caseId, next, reminder) });
      const version = s.deadlinesVersion;
      await this.waitUntil(nextWake(moments, Number.POSITIVE_INFINITY, this.now()),
        () => this.status !== 'disbursed' || s.statusReportYears.length !== recordedBefore || s.deadlinesVersion !== version || workflowInfo().continueAsNewSuggested);
      if (s.deadlinesVersion !== version || workflowInfo().continueAsNewSuggested) return;
    }
  }

  /** The reminder whose moment has come since the last look, if any (and look again from now on). */
  private reminderNowDue(reminders: Reminder[]): Reminder | undefined {
    const at = this.now();
    const due = reminderDue(reminders, this.c.remindersCheckedUntil ?? at, at);
    this.c.remindersCheckedUntil = at;
    return due;
  }

  /** The reports owed: for the fiscal years after the completion year (the last filing's, else the payment's). */
  private scheduleFor(paidAt: string): StatusReportDue[] {
    const filings = this.c.filings ?? [];
    const lastFilingOn = filings.length === 0 ? null : filings.map((f) => f.filedOn).sort().at(-1)!;
    return statusReportSchedule(completionFiscalYear(lastFilingOn, jstDate(instantOf(paidAt))), this.c.deadlines.statusReports);
  }

  private schedule(): StatusReportDue[] {
    if (!this.c.paidAt) return [];
    const schedule = this.scheduleFor(this.c.paidAt);
    // After a report in which every country was final, nothing more is owed.
    return this.c.reportsEnded ? schedule.filter((d) => this.c.statusReportYears.includes(d.year)) : schedule;
  }

  private assertCountryApproved(country: string, path: string): void {
    const approved = this.c.approvedCountries;
    if (approved && !approved.includes(country)) {
      throw new DomainError('country_not_approved', `${country} is not among the countries approved for this case (${approved.join(', ')})`, [{ path, message: `must be one of ${approved.join(', ')}` }]);
    }
  }

  private reportNumberOf(year: number): number {
    const schedule = this.schedule();
    const number = statusReportNumber(schedule, year);
    if (number === null) {
      const asOfYears = schedule.map((d) => d.asOf.slice(0, 4)).join(', ');
      throw new DomainError('status_report_year_out_of_range', `This case owes status reports 1 to ${schedule.length} (as of ${asOfYears}), not ${year}`, [{ path: 'body/year', message: `must be a report number 1 to ${schedule.length} or the year of one` }]);
    }
    if (this.c.statusReportYears.includes(number)) throw new DomainError('conflict', `Status report ${number} is already recorded`);
    return number;
  }
}

export async function subsidyCaseWorkflow(input: SubsidyCaseWorkflowInput): Promise<SubsidyCaseOutcome> {
  const kase = new SubsidyCase(input);
  kase.register();
  return kase.run();
}

function eligibilityOf(intake: IntakeInput) {
  return checkEligibility({
    year: intake.year, applicantId: intake.applicantId, applicantKind: intake.applicantKind, priorCase: intake.priorCase,
    intake: { ...intake, receivedAt: instantOf(intake.receivedAt) },
  });
}

function refusalOf(intake: IntakeInput): DomainError | null {
  try {
    eligibilityOf(intake);
    return null;
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
}

/** The approved countries are a non-empty subset of the countries applied for (422 country_not_approved). */
function assertApprovable(approved: readonly string[], target: readonly string[]): void {
  const outside = approved.filter((c) => !target.includes(c));
  if (outside.length > 0) {
    throw new DomainError('country_not_approved', `${outside.join(', ')} not among the countries applied for (${target.join(', ')})`, [{ path: 'body/approvedCountries', message: `must be a subset of ${target.join(', ')}` }]);
  }
}

function statusReportNotice(caseId: string, due: StatusReportDue, r: Reminder) {
  const base = { year: due.year, asOf: due.asOf, dueOn: due.dueOn };
  if (r.daysBefore === 0) {
    return {
      dedupeKey: `subsidy-case:${caseId}:status-report:${due.year}:${due.dueOn}:overdue`, kind: 'subsidy_status_report_overdue',
      subject: `【督促】査定状況報告（第${due.year}回）の提出期限を過ぎています / Examination-status report ${due.year} is overdue`, payload: base,
    };
  }
  return {
    dedupeKey: `subsidy-case:${caseId}:status-report:${due.year}:${due.dueOn}:${r.daysBefore}d`, kind: 'subsidy_status_report_reminder',
    subject: `【リマインダー】査定状況報告（第${due.year}回、${due.asOf}時点）の提出期限まで${r.daysBefore}日 / Examination-status report ${due.year} is due in ${r.daysBefore} days`,
    payload: { ...base, daysBefore: r.daysBefore },
  };
}

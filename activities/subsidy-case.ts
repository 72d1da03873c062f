// The activities of a subsidy case: each one PostgreSQL transaction that locks the case
// row, writes the read model (case, expenses, filings, reports, ledger, outbox) and one
// history row whose unique event key is the command's receipt. A retried activity finds
// its receipt and changes nothing, so a worker that dies mid-command doubles nothing.
import { sql, type Updateable } from 'kysely';
import type { ActivityDeps } from './deps.js';
import { ruleRefusalsAreFinal } from './failures.js';
import { caseTransactions, type Receipt } from './kernel/case-transaction.js';
import type { Trx } from '../db/database.js';
import { enqueueNotification } from '../db/outbox.js';
import type { CaseCalculations, SubsidyCasesTable } from '../db/tables/subsidy.js';
import { liveCaseCount, refreshCaseView, SUBSIDY_CASE_TABLE, type SubsidyCaseRow } from '../db/repositories/subsidy-cases.js';
import { commitReservation, openReservation, releaseCap, settleCap } from '../db/repositories/cap-ledger.js';
import { lockApplicationBalance, releaseApplicationCap, reserveApplicationCap, settleApplicationCap } from '../db/repositories/application-ledger.js';
import { assertCountLimit } from '../domain/subsidy/eligibility.js';
import { completeRules } from '../domain/program-year.js';
import { grantLimitOf, type Calculation, type CalculationStep } from '../domain/subsidy/calculation.js';
import { deadlinesOf, type CaseDeadlines } from '../domain/subsidy/terms.js';
import type { OverseasIpYear } from '../domain/program-year.js';
import { DomainError } from '../domain/errors.js';
import { toJstIso } from '../domain/time.js';
import type { StatusReportDue } from '../domain/subsidy/schedule.js';
import type { IneligibleReason } from '../domain/subsidy/expenses.js';
import { assertCommandAllowed, type CaseStatus } from '../domain/subsidy/status.js';
import type { ExpenseCommand, IntakeInput } from '../workflows/subsidy-case-messages.js';

export type { Receipt };

/** The intake as the API gave it (less what only eligibility reads), with its window and max grant. */
export type IntakeRecord = Receipt & Omit<IntakeInput, 'caseId' | 'applicantKind' | 'year' | 'priorCase' | 'meta' | 'baseApplicationUsedJpy'> & {
  windowLabel: string;
  maxGrant: Calculation & { eligibleCostJpy: number };
};

/** An expense as the command gave it, with the eligibility the workflow judged. */
export interface ExpenseRecord extends Receipt, Omit<ExpenseCommand, 'meta'> {
  eligible: boolean;
  ineligibleReason: IneligibleReason | null;
  eligibleAmountJpy: number;
}

export interface Notice {
  caseId: string;
  /** Unique per notice: a retried activity or a replayed workflow sends nothing twice. */
  dedupeKey: string;
  kind: string;
  subject: string;
  payload: Record<string, unknown>;
  at: string;
}

const SYSTEM = 'system';

export function createSubsidyActivities(deps: ActivityDeps) {
  const { db, clock } = deps;

  const { onCase, history } = caseTransactions(db, SUBSIDY_CASE_TABLE);

  async function update(trx: Trx, caseId: string, set: Updateable<SubsidyCasesTable>, at: string | Date) {
    await trx.updateTable('subsidy_cases').set({ ...set, updated_at: new Date(at) }).where('id', '=', caseId).execute();
  }

  const withCalculation = (row: SubsidyCaseRow, name: string, c: { resultJpy: number; steps: CalculationStep[] }, at: string): string =>
    JSON.stringify({ ...row.calculations, [name]: { resultJpy: c.resultJpy, steps: c.steps, at } } satisfies CaseCalculations);

  /** Σ eligible amounts of the expenses not refused: the case's current eligible cost. */
  async function refreshEligibleCost(trx: Trx, caseId: string) {
    await sql`update subsidy_cases set eligible_cost_jpy = (select coalesce(sum(eligible_amount_jpy), 0) from subsidy_expenses
      where case_id = ${caseId} and accepted is not false) where id = ${caseId}`.execute(trx);
  }

  const accountOf = (row: SubsidyCaseRow) => ({ applicantId: row.applicant_id, programYearId: row.program_year_id, procedure: row.procedure });
  /** The per-application (１出願) account of a filing case, if it has a base application. */
  const applicationOf = (row: SubsidyCaseRow) => (row.base_application_key === null ? null : { applicantId: row.applicant_id, programYearId: row.program_year_id, baseKey: row.base_application_key });

  async function recipientOf(trx: Trx, applicantId: string): Promise<string> {
    const a = await trx.selectFrom('applicants').select('contact_email').where('id', '=', applicantId).executeTakeFirst();
    return a?.contact_email ?? `applicant:${applicantId}`;
  }

  async function outbox(trx: Trx, row: SubsidyCaseRow, notice: Notice): Promise<boolean> {
    return enqueueNotification(trx, {
      dedupeKey: notice.dedupeKey, recipient: await recipientOf(trx, row.applicant_id), kind: notice.kind, subject: notice.subject,
      payload: { caseId: row.id, title: row.title, ...notice.payload }, at: new Date(notice.at),
    });
  }

  return {
    /**
     * Writes the case and answers the program year's deadlines as they are now, read under a
     * share lock in the same transaction: a PUT of the year either commits first (and this
     * case starts with its deadlines) or waits for this row (and its fan-out finds the case).
     */
    async recordIntake(input: IntakeRecord): Promise<{ deadlines: CaseDeadlines; revision: number }> {
      return ruleRefusalsAreFinal(() => db.transaction().execute(async (trx) => {
        const year = await trx.selectFrom('program_years').select(['rules', 'revision']).where('id', '=', input.programYearId).forShare().executeTakeFirstOrThrow();
        const rules = completeRules(year.rules as OverseasIpYear);
        const current = { deadlines: deadlinesOf(rules, input.windowLabel), revision: year.revision };
        const limit = rules.perApplicantCountLimits[input.rightType];
        if (limit !== undefined) {
          // Intakes of one applicant are serialised on its row, so racing intakes never pass the limit.
          await trx.selectFrom('applicants').select('id').where('id', '=', input.applicantId).forUpdate().executeTakeFirst();
          const live = await liveCaseCount(trx, { applicantId: input.applicantId, programYearId: input.programYearId, rightType: input.rightType, except: input.caseId });
          const exists = await trx.selectFrom('subsidy_cases').select('id').where('id', '=', input.caseId).executeTakeFirst();
          if (!exists) assertCountLimit(rules, input.rightType, live);
        }
        const inserted = await trx.insertInto('subsidy_cases').values({
          id: input.caseId, program_year_id: input.programYearId, applicant_id: input.applicantId, procedure: input.procedure,
          right_type: input.rightType, title: input.title, status: 'under_review', regional_collective_trademark: input.regionalCollectiveTrademark,
          jpo_application_number: input.jpoApplicationNumber, target_countries: JSON.stringify(input.targetCountries),
          prior_case_id: input.priorCaseId, prior_subsidy_reference: input.priorSubsidyReference, refusal_grounds: JSON.stringify(input.refusalGrounds),
          examination_requested: input.examinationRequested, estimated_costs: JSON.stringify(input.estimatedCosts), window_label: input.windowLabel,
          base_application_key: input.baseApplicationKey ?? null,
          terms: JSON.stringify(input.terms), received_at: input.receivedAt, max_grant_jpy: input.maxGrant.resultJpy,
          estimated_eligible_cost_jpy: input.maxGrant.eligibleCostJpy, report_deadline: current.deadlines.reportDeadline,
          calculations: JSON.stringify({ maxGrant: { resultJpy: input.maxGrant.resultJpy, steps: input.maxGrant.steps, at: input.at } } satisfies CaseCalculations),
          created_at: clock.now(), updated_at: new Date(input.at),
        }).onConflict((oc) => oc.column('id').doNothing()).returning('id').executeTakeFirst();
        if (!inserted) {
          // A retry: the row says which deadlines the first attempt recorded.
          const row = await trx.selectFrom('subsidy_cases').select('report_deadline').where('id', '=', input.caseId).executeTakeFirstOrThrow();
          return { deadlines: { ...current.deadlines, reportDeadline: toJstIso(row.report_deadline) }, revision: current.revision };
        }
        await history(trx, input, 'received', null, 'under_review', { window: input.windowLabel, maxGrantJpy: input.maxGrant.resultJpy, receivedAt: input.receivedAt });
        await refreshCaseView(trx, input.caseId);
        return current;
      }));
    },

    /**
     * Approve: reserve the grant limit against the per-applicant cap and the per-application
     * (１出願) cap, each under its balance row's lock (per-applicant first, always).
     */
    async approveCase(input: Receipt & { decidedAt: string; requestedGrantLimitJpy: number | null; reason: string | null; approvedCountries: string[] | null }): Promise<{ grantLimitJpy: number; approvedCountries: string[] }> {
      return onCase(input, async (trx, row) => {
        assertCommandAllowed('decision', row.status as CaseStatus);
        const terms = row.terms;
        const at = new Date(input.at);
        const approvedCountries = input.approvedCountries ?? row.target_countries;
        const outside = approvedCountries.filter((c) => !row.target_countries.includes(c));
        if (outside.length > 0) throw new DomainError('country_not_approved', `${outside.join(', ')} not among the countries applied for`, [{ path: 'body/approvedCountries', message: `must be a subset of ${row.target_countries.join(', ')}` }]);
        const perApplicant = terms.perApplicantCapJpy === null ? null : await openReservation(trx, accountOf(row), row.id, terms.perApplicantCapJpy);
        const application = applicationOf(row);
        const perApplication = application === null ? null : await lockApplicationBalance(trx, application, terms.capJpy);
        const calculation = grantLimitOf({
          maxGrantJpy: row.max_grant_jpy, remainingJpy: perApplicant?.remainingJpy ?? null, requestedJpy: input.requestedGrantLimitJpy,
          perApplicantCapJpy: terms.perApplicantCapJpy, perApplication,
        });
        if (perApplicant) await commitReservation(trx, accountOf(row), row.id, calculation.resultJpy, at);
        if (application) await reserveApplicationCap(trx, { ...application, caseId: row.id, amountJpy: calculation.resultJpy, at });
        await update(trx, row.id, {
          status: 'approved', decided_at: input.decidedAt, decision_reason: input.reason, grant_limit_jpy: calculation.resultJpy,
          calculations: withCalculation(row, 'grantLimit', calculation, input.at), approved_countries: JSON.stringify(approvedCountries),
        }, input.at);
        await history(trx, input, 'approved', row.status, 'approved', { decidedAt: input.decidedAt, grantLimitJpy: calculation.resultJpy, approvedCountries, reason: input.reason });
        return { grantLimitJpy: calculation.resultJpy, approvedCountries };
      }, (_trx, row) => ({ grantLimitJpy: row.grant_limit_jpy ?? 0, approvedCountries: row.approved_countries ?? row.target_countries }));
    },

    async rejectCase(input: Receipt & { decidedAt: string; reason: string }): Promise<void> {
      await onCase(input, async (trx, row) => {
        assertCommandAllowed('decision', row.status as CaseStatus);
        await update(trx, row.id, { status: 'rejected', decided_at: input.decidedAt, decision_reason: input.reason }, input.at);
        await history(trx, input, 'rejected', row.status, 'rejected', { decidedAt: input.decidedAt, reason: input.reason });
      }, () => undefined);
    },

    /** A filing made before the decision is not supported: it and every expense in its country are marked so. */
    async recordForeignFiling(input: Receipt & { id: string; country: string; applicationNumber: string | null; filedOn: string; eligible?: boolean }): Promise<void> {
      await onCase(input, async (trx, row) => {
        assertCommandAllowed('foreign_filing', row.status as CaseStatus);
        if (row.approved_countries && !row.approved_countries.includes(input.country)) {
          throw new DomainError('country_not_approved', `${input.country} is not among the countries approved for this case`, [{ path: 'body/country', message: `must be one of ${row.approved_countries.join(', ')}` }]);
        }
        const eligible = input.eligible ?? true;
        await trx.insertInto('subsidy_foreign_filings').values({
          id: input.id, case_id: row.id, country: input.country, application_number: input.applicationNumber, filed_on: input.filedOn, created_at: new Date(input.at),
          eligible, ineligible_reason: eligible ? null : 'filed_before_decision',
        }).onConflict((oc) => oc.column('id').doNothing()).execute();
        if (!eligible) {
          await trx.updateTable('subsidy_expenses').set({ eligible: false, ineligible_reason: 'filed_before_decision', eligible_amount_jpy: 0 })
            .where('case_id', '=', row.id).where('country', '=', input.country)
            .where((eb) => eb.or([eb('eligible', '=', true), eb('ineligible_reason', '=', 'before_decision')])).execute();
          await refreshEligibleCost(trx, row.id);
        }
        await update(trx, row.id, {}, input.at);
        await history(trx, input, 'foreign_filing_recorded', null, null, {
          filingId: input.id, country: input.country, applicationNumber: input.applicationNumber, filedOn: input.filedOn,
          eligible, ...(eligible ? {} : { ineligibleReason: 'filed_before_decision' }),
        });
      }, () => undefined);
    },

    async recordExpense(input: ExpenseRecord): Promise<void> {
      await onCase(input, async (trx, row) => {
        assertCommandAllowed('expense', row.status as CaseStatus);
        await trx.insertInto('subsidy_expenses').values({
          id: input.id, case_id: row.id, category: input.category, payee: input.payee, invoice_number: input.invoiceNumber, description: input.description,
          country: input.country, incurred_on: input.incurredOn, paid_on: input.paidOn, amount_jpy: input.amountJpy, consumption_tax_jpy: input.consumptionTaxJpy,
          currency: input.currency, foreign_amount: input.foreignAmount, eligible: input.eligible, ineligible_reason: input.ineligibleReason,
          eligible_amount_jpy: input.eligibleAmountJpy, created_at: new Date(input.at),
        }).onConflict((oc) => oc.column('id').doNothing()).execute();
        await refreshEligibleCost(trx, row.id);
        await update(trx, row.id, {}, input.at);
        await history(trx, input, 'expense_recorded', null, null, {
          expenseId: input.id, category: input.category, amountJpy: input.amountJpy, consumptionTaxJpy: input.consumptionTaxJpy,
          eligible: input.eligible, ineligibleReason: input.ineligibleReason,
        });
      }, () => undefined);
    },

    async submitReport(input: Receipt & { note: string | null }): Promise<void> {
      await onCase(input, async (trx, row) => {
        assertCommandAllowed('report', row.status as CaseStatus);
        await update(trx, row.id, { status: 'reported', reported_at: input.at }, input.at);
        await history(trx, input, 'reported', row.status, 'reported', input.note ? { note: input.note } : {});
      }, () => undefined);
    },

    async confirmExpense(input: Receipt & { expenseId: string; accepted: boolean; reason: string | null }): Promise<void> {
      await onCase(input, async (trx, row) => {
        assertCommandAllowed('confirmation', row.status as CaseStatus);
        await trx.updateTable('subsidy_expenses').set({ accepted: input.accepted, confirmation_reason: input.reason, confirmed_at: input.at, confirmed_by: input.actor })
          .where('id', '=', input.expenseId).where('case_id', '=', row.id).execute();
        await refreshEligibleCost(trx, row.id);
        await update(trx, row.id, {}, input.at);
        await history(trx, input, 'expense_confirmed', null, null, { expenseId: input.expenseId, accepted: input.accepted, reason: input.reason });
      }, () => undefined);
    },

    /** Determine: settle the determined amount on the ledger and give back the rest of the reservation. */
    async determineCase(input: Receipt & { determination: Calculation & { eligibleCostJpy: number }; note: string | null }): Promise<void> {
      await onCase(input, async (trx, row) => {
        assertCommandAllowed('determination', row.status as CaseStatus);
        const { determination } = input;
        await update(trx, row.id, {
          status: 'determined', determined_jpy: determination.resultJpy, eligible_cost_jpy: determination.eligibleCostJpy, determined_at: input.at,
          calculations: withCalculation(row, 'determination', determination, input.at),
        }, input.at);
        await settleCap(trx, { ...accountOf(row), caseId: row.id, determinedJpy: determination.resultJpy, at: new Date(input.at) });
        const application = applicationOf(row);
        if (application) await settleApplicationCap(trx, { ...application, caseId: row.id, determinedJpy: determination.resultJpy, at: new Date(input.at) });
        await history(trx, input, 'determined', row.status, 'determined', {
          determinedJpy: determination.resultJpy, eligibleCostJpy: determination.eligibleCostJpy, grantLimitJpy: row.grant_limit_jpy,
          releasedJpy: (row.grant_limit_jpy ?? 0) - determination.resultJpy, ...(input.note ? { note: input.note } : {}),
        });
      }, () => undefined);
    },

    async disburseCase(input: Receipt & { paidAt: string; transferReference: string; disbursedJpy: number; schedule: StatusReportDue[]; nextStatusReportDue: string | null }): Promise<void> {
      await onCase(input, async (trx, row) => {
        assertCommandAllowed('disbursement', row.status as CaseStatus);
        await update(trx, row.id, {
          status: 'disbursed', paid_at: input.paidAt, transfer_reference: input.transferReference, disbursed_jpy: input.disbursedJpy,
          status_report_schedule: JSON.stringify(input.schedule), next_status_report_due: input.nextStatusReportDue,
        }, input.at);
        await history(trx, input, 'disbursed', row.status, 'disbursed', { paidAt: input.paidAt, transferReference: input.transferReference, disbursedJpy: input.disbursedJpy, statusReportsDue: input.schedule });
      }, () => undefined);
    },

    async withdrawCase(input: Receipt & { reason: string }): Promise<void> {
      await onCase(input, async (trx, row) => {
        assertCommandAllowed('withdrawal', row.status as CaseStatus);
        const releasedJpy = await releaseCap(trx, { ...accountOf(row), caseId: row.id, at: new Date(input.at) });
        const application = applicationOf(row);
        if (application) await releaseApplicationCap(trx, { ...application, caseId: row.id, at: new Date(input.at) });
        await update(trx, row.id, { status: 'withdrawn', withdrawal_reason: input.reason }, input.at);
        await history(trx, input, 'withdrawn', row.status, 'withdrawn', { reason: input.reason, releasedJpy });
      }, () => undefined);
    },

    /** The evidence deadline passed while still approved: lapse, release, tell the applicant. */
    async lapseCase(input: { caseId: string; at: string; reportDeadline: string }): Promise<void> {
      const receipt: Receipt = { caseId: input.caseId, eventKey: `subsidy-case:${input.caseId}:lapsed`, actor: SYSTEM, at: input.at };
      await onCase(receipt, async (trx, row) => {
        assertCommandAllowed('lapse', row.status as CaseStatus);
        const releasedJpy = await releaseCap(trx, { ...accountOf(row), caseId: row.id, at: new Date(input.at) });
        const application = applicationOf(row);
        if (application) await releaseApplicationCap(trx, { ...application, caseId: row.id, at: new Date(input.at) });
        await update(trx, row.id, { status: 'lapsed' }, input.at);
        await history(trx, receipt, 'lapsed', row.status, 'lapsed', { reportDeadline: input.reportDeadline, releasedJpy });
        await outbox(trx, row, {
          caseId: row.id, dedupeKey: `subsidy-case:${row.id}:lapsed`, kind: 'subsidy_case_lapsed', at: input.at,
          subject: `補助金案件が失効しました / Subsidy case lapsed: ${row.title}`,
          payload: { reportDeadline: input.reportDeadline, releasedJpy },
        });
      }, () => undefined);
    },

    async recordStatusReport(input: Receipt & { id: string; year: number; reportNumber: number; asOf: string; countries: { country: string; status: string; note?: string }[]; closes: boolean; nextStatusReportDue: string | null; closeReason?: string }): Promise<void> {
      await onCase(input, async (trx, row) => {
        assertCommandAllowed('status_report', row.status as CaseStatus);
        await trx.insertInto('subsidy_status_reports').values({ id: input.id, case_id: row.id, year: input.year, report_number: input.reportNumber, as_of: input.asOf, countries: JSON.stringify(input.countries), recorded_by: input.actor, created_at: new Date(input.at) })
          .onConflict((oc) => oc.column('id').doNothing()).execute();
        await update(trx, row.id, { next_status_report_due: input.nextStatusReportDue, ...(input.closes ? { status: 'closed' } : {}) }, input.at);
        await history(trx, input, 'status_report_recorded', null, null, { statusReportId: input.id, year: input.year, reportNumber: input.reportNumber, asOf: input.asOf });
        if (input.closes) {
          await history(trx, { caseId: row.id, eventKey: `subsidy-case:${row.id}:closed`, actor: SYSTEM, at: input.at }, 'closed', 'disbursed', 'closed', { reason: input.closeReason ?? 'last status report recorded' });
        }
      }, () => undefined);
    },

    /** Close a disbursed case that owes no (more) status reports. */
    async closeCase(input: { caseId: string; at: string }): Promise<void> {
      const receipt: Receipt = { caseId: input.caseId, eventKey: `subsidy-case:${input.caseId}:closed`, actor: SYSTEM, at: input.at };
      await onCase(receipt, async (trx, row) => {
        assertCommandAllowed('close', row.status as CaseStatus);
        await update(trx, row.id, { status: 'closed', next_status_report_due: null }, input.at);
        await history(trx, receipt, 'closed', row.status, 'closed', { reason: 'no status reports are owed' });
      }, () => undefined);
    },

    /** The program year's deadlines moved: the read model shows the new ones. */
    async recordDeadlines(input: { caseId: string; at: string; version: number; deadlines: CaseDeadlines; schedule: StatusReportDue[] | null; nextStatusReportDue: string | null }): Promise<void> {
      const receipt: Receipt = { caseId: input.caseId, eventKey: `subsidy-case:${input.caseId}:deadlines:${input.version}`, actor: SYSTEM, at: input.at };
      await onCase(receipt, async (trx, row) => {
        await update(trx, row.id, {
          report_deadline: input.deadlines.reportDeadline,
          ...(input.schedule ? { status_report_schedule: JSON.stringify(input.schedule), next_status_report_due: input.nextStatusReportDue } : {}),
        }, input.at);
        await history(trx, receipt, 'deadlines_changed', null, null, { reportDeadline: input.deadlines.reportDeadline, statusReports: input.deadlines.statusReports });
      }, () => undefined);
    },

    /** A reminder or notice to the applicant, through the outbox (no mail server here). */
    async notify(notice: Notice): Promise<void> {
      const receipt: Receipt = { caseId: notice.caseId, eventKey: notice.dedupeKey, actor: SYSTEM, at: notice.at };
      await onCase(receipt, async (trx, row) => {
        if (await outbox(trx, row, notice)) {
          await history(trx, receipt, 'notice_sent', null, null, { kind: notice.kind, subject: notice.subject, ...notice.payload });
        }
      }, () => undefined);
    },
  };
}

export type SubsidyActivities = ReturnType<typeof createSubsidyActivities>;

// The typed contract between the API and a subsidy case workflow: its input, its
// Updates (one per command of api.md → Subsidy cases, and the program year's changes) and query. The API
// imports these definitions, so both sides agree on names and argument types.
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { CommandMeta } from './kernel/case-entity.js';
import type { ApplicantKind, OverseasIpYear, Procedure, RightType } from '../domain/program-year.js';
import type { CaseDeadlines, CaseTerms } from '../domain/subsidy/terms.js';
import type { PriorCaseFacts } from '../domain/subsidy/eligibility.js';
import type { EstimatedCost, ExpenseForDetermination } from '../domain/subsidy/calculation.js';
import type { CaseStatus } from '../domain/subsidy/status.js';

export const subsidyCaseWorkflowId = (caseId: string): string => `subsidy-case-${caseId}`;
/** The intake's receipt: the history row written with the case row. */
export const intakeReceipt = (caseId: string): string => `subsidy-case:${caseId}:intake`;

export type { CommandMeta };

/** Everything the case needs at intake; the API has loaded it from PostgreSQL. */
export interface IntakeInput {
  caseId: string;
  programYearId: string;
  applicantId: string;
  applicantKind: ApplicantKind;
  /** The parts of the program year eligibility reads, as at receipt (the v1.1 lists absent in intakes from before it). */
  year: Pick<OverseasIpYear, 'windows' | 'caps'> & Partial<Pick<OverseasIpYear, 'eligibleApplicantKinds' | 'regionalCollectiveTrademarkKinds' | 'rightTypes'>>;
  terms: CaseTerms;
  deadlines: CaseDeadlines;
  procedure: Procedure;
  rightType: RightType;
  title: string;
  regionalCollectiveTrademark: boolean;
  jpoApplicationNumber: string | null;
  targetCountries: string[];
  priorCaseId: string | null;
  priorSubsidyReference: string | null;
  refusalGrounds: string[];
  examinationRequested: boolean;
  estimatedCosts: EstimatedCost[];
  receivedAt: string;
  priorCase: PriorCaseFacts | null;
  /** v1.1: the base application (１出願) of a filing, normalised; and what earlier live cases on it used (read by the API). */
  baseApplicationKey?: string | null;
  baseApplicationUsedJpy?: number;
  meta: CommandMeta;
}

/** A foreign filing as the case keeps it (v1.1). */
export interface FilingFact {
  country: string;
  filedOn: string;
  eligible: boolean;
}

/** What a case workflow carries across continue-as-new. */
export interface SubsidyCaseState {
  caseId: string;
  programYearId: string;
  applicantId: string;
  procedure: Procedure;
  rightType: RightType;
  terms: CaseTerms;
  deadlines: CaseDeadlines;
  /** The program year's revision these deadlines come from (older announcements are ignored). */
  deadlinesRevision: number;
  /** Bumped by every deadlines signal, so waits wake and the read model follows. */
  deadlinesVersion: number;
  deadlinesRecorded: number;
  status: CaseStatus;
  receivedAt: string;
  decidedAt: string | null;
  maxGrantJpy: number;
  grantLimitJpy: number | null;
  determinedJpy: number | null;
  paidAt: string | null;
  expenses: (ExpenseForDetermination & { country?: string | null })[];
  statusReportYears: number[];
  /** v1.1 (absent in states from before it): the window received through, countries applied for and approved, filings, base application. */
  windowLabel?: string | null;
  targetCountries?: string[] | null;
  approvedCountries?: string[] | null;
  filings?: FilingFact[];
  baseApplicationKey?: string | null;
  /** A status report in which every country was final ended the obligation. */
  reportsEnded?: boolean;
  /** Reminders whose moment fell at or before this instant (epoch ms) have been dealt with. */
  remindersCheckedUntil: number | null;
  /**
   * The system's clock (the API's, which stamps every command) less the workflow's timer
   * clock, as of the last command: deadlines are measured on the system's clock.
   */
  clockOffsetMs: number;
  /** The latest commands' Update ids: a retry of one of them is answered without running it again. */
  doneUpdates: string[];
}

export type SubsidyCaseWorkflowInput = { intake: IntakeInput; state?: undefined } | { state: SubsidyCaseState; intake?: undefined };

export interface SubsidyCaseOutcome {
  caseId: string;
  status: CaseStatus | 'refused';
  refusal?: string;
}

export interface DecisionCommand {
  meta: CommandMeta;
  approve: boolean;
  grantLimitJpy: number | null;
  /** v1.1: a non-empty subset of the target countries; null: all of them. */
  approvedCountries?: string[] | null;
  decidedAt: string;
  reason: string | null;
}

export interface ForeignFilingCommand {
  meta: CommandMeta;
  id: string;
  country: string;
  applicationNumber: string | null;
  filedOn: string;
}

export interface ExpenseCommand {
  meta: CommandMeta;
  id: string;
  category: string;
  payee: string;
  invoiceNumber: string | null;
  description: string | null;
  country: string | null;
  incurredOn: string;
  paidOn: string;
  amountJpy: number;
  consumptionTaxJpy: number;
  currency: string | null;
  foreignAmount: number | null;
}

export interface ReportCommand {
  meta: CommandMeta;
  note: string | null;
}

export interface ConfirmationCommand {
  meta: CommandMeta;
  expenseId: string;
  accepted: boolean;
  reason: string | null;
}

export interface DeterminationCommand {
  meta: CommandMeta;
  note: string | null;
}

export interface DisbursementCommand {
  meta: CommandMeta;
  paidAt: string;
  transferReference: string;
}

export interface WithdrawalCommand {
  meta: CommandMeta;
  reason: string;
}

export interface StatusReportCommand {
  meta: CommandMeta;
  id: string;
  year: number;
  asOf: string;
  countries: { country: string; status: string; note?: string }[];
}

/** Resolves once the intake is in PostgreSQL; refused (with the contract's code) if it is not eligible. */
export const intakeUpdate = defineUpdate<void>('intake');
export const decideUpdate = defineUpdate<void, [DecisionCommand]>('decide');
export const recordForeignFilingUpdate = defineUpdate<void, [ForeignFilingCommand]>('recordForeignFiling');
export const recordExpenseUpdate = defineUpdate<void, [ExpenseCommand]>('recordExpense');
export const submitReportUpdate = defineUpdate<void, [ReportCommand]>('submitReport');
export const confirmExpenseUpdate = defineUpdate<void, [ConfirmationCommand]>('confirmExpense');
export const determineUpdate = defineUpdate<void, [DeterminationCommand]>('determine');
export const disburseUpdate = defineUpdate<void, [DisbursementCommand]>('disburse');
export const withdrawUpdate = defineUpdate<void, [WithdrawalCommand]>('withdraw');
export const recordStatusReportUpdate = defineUpdate<void, [StatusReportCommand]>('recordStatusReport');

/** The program year's deadlines were replaced (PUT /program-years/{id}), as of its revision; answered once the read model shows them. */
export const deadlinesChangedUpdate = defineUpdate<void, [{ deadlines: CaseDeadlines; revision: number; windowReportDeadlines?: Record<string, string> }]>('deadlinesChanged');
export const caseStateQuery = defineQuery<SubsidyCaseState | null>('caseState');

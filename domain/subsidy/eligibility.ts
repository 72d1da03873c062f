// Who may apply for what (対象者・対象手続), decided from the intake alone: the API runs
// this before anything is written, and the case workflow runs it again on the same input
// before it records anything, so a refused intake leaves neither a row nor a workflow.
import { DomainError, type FieldProblem } from '../errors.js';
import { FY2024_ELIGIBILITY, type ApplicantKind, type ApplicationWindow, type OverseasIpYear, type Procedure, type RightType } from '../program-year.js';
import { toJstIso } from '../time.js';
import { capOf } from './terms.js';
import { windowAt } from './windows.js';
import type { CaseStatus } from './status.js';

/** An office-action response is paid only against refusal for lack of novelty or inventive step (新規性・進歩性). */
export const ELIGIBLE_REFUSAL_GROUNDS: readonly string[] = ['novelty', 'inventive_step'];
/**
 * A prior case "filed abroad with this subsidy" is a patent filing of the same applicant
 * that was approved (and not withdrawn or lapsed since): approved, reported, determined,
 * disbursed or closed.
 */
export const SUBSIDISED_STATUSES: readonly CaseStatus[] = ['approved', 'reported', 'determined', 'disbursed', 'closed'];
/** An office-action response or examination request rests on a prior case that was paid (v1.1). */
export const PAID_STATUSES: readonly CaseStatus[] = ['disbursed', 'closed'];

export interface IntakeFacts {
  procedure: Procedure;
  rightType: RightType;
  regionalCollectiveTrademark: boolean;
  jpoApplicationNumber: string | null;
  priorCaseId: string | null;
  priorSubsidyReference: string | null;
  refusalGrounds: readonly string[];
  examinationRequested: boolean;
  /** Epoch ms. */
  receivedAt: number;
  /** The countries applied for (v1.1; absent in intakes recorded before it). */
  targetCountries?: readonly string[];
}

/** What the API found under `priorCaseId` (null: no such case). */
export interface PriorCaseFacts {
  id: string;
  applicantId: string;
  procedure: string;
  rightType: string;
  status: string;
  /**
   * The countries in which the prior case recorded a foreign filing (v1.1). Absent in
   * intakes recorded before v1.1, which were judged without the v1.1 prior-case rules.
   */
  filingCountries?: string[];
}

export interface EligibilityInput {
  /** The year's windows and caps, and its eligibility lists (absent before v1.1: the FY2024 values). */
  year: Pick<OverseasIpYear, 'windows' | 'caps'> & Partial<Pick<OverseasIpYear, 'eligibleApplicantKinds' | 'regionalCollectiveTrademarkKinds' | 'rightTypes'>>;
  applicantId: string;
  applicantKind: ApplicantKind;
  intake: IntakeFacts;
  priorCase: PriorCaseFacts | null;
}

const refuse = (code: string, message: string, path?: string): DomainError =>
  new DomainError(code, message, path ? [{ path, message }] : undefined);

const present = (text: string | null | undefined): boolean => typeof text === 'string' && text.trim() !== '';

/**
 * The window the application came in through, or the contract's refusal. Checked in the
 * order an examiner would: the window, who applies, for which right, then what each
 * procedure needs.
 */
export function checkEligibility(input: EligibilityInput): { window: ApplicationWindow } {
  const { intake, applicantKind: kind } = input;
  const { procedure, rightType } = intake;

  const window = windowAt(input.year.windows, procedure, intake.receivedAt);
  if (!window) {
    throw refuse('window_closed', `No application window for ${procedure} is open at ${toJstIso(intake.receivedAt)} (windows close before their closing minute)`, 'body/receivedAt');
  }

  const eligibleKinds = input.year.eligibleApplicantKinds ?? FY2024_ELIGIBILITY.eligibleApplicantKinds;
  const collectiveKinds = input.year.regionalCollectiveTrademarkKinds ?? FY2024_ELIGIBILITY.regionalCollectiveTrademarkKinds;
  const rightTypes = input.year.rightTypes ?? FY2024_ELIGIBILITY.rightTypes;
  const collectiveTrademark = intake.regionalCollectiveTrademark && procedure === 'filing' && rightType === 'trademark';
  if (!eligibleKinds.includes(kind) && !(collectiveTrademark && collectiveKinds.includes(kind))) {
    const also = collectiveKinds.includes(kind) ? ' (this kind may apply only to file a regional collective trademark)' : '';
    throw refuse('applicant_not_eligible', `An applicant of kind ${kind} is not eligible${also}`, 'body/applicantId');
  }

  if (intake.regionalCollectiveTrademark && rightType !== 'trademark') {
    throw refuse('right_not_eligible', `A regional collective trademark (地域団体商標) is a trademark, not a ${rightType}`, 'body/rightType');
  }
  if (!(rightTypes[procedure] ?? []).includes(rightType) || capOf(input.year, procedure, rightType) === null) {
    throw refuse('right_not_eligible', `${procedure} is not supported for a ${rightType} in this program year`, 'body/rightType');
  }

  if (procedure === 'filing' && !present(intake.jpoApplicationNumber)) {
    throw refuse('jpo_basis_required', 'A filing must rest on an application already filed at the JPO (日本国特許庁): give jpoApplicationNumber', 'body/jpoApplicationNumber');
  }

  if (procedure !== 'filing') {
    if (!present(intake.priorCaseId) && !present(intake.priorSubsidyReference)) {
      throw refuse('prior_case_required', `${procedure} needs the patent to have been filed abroad with this subsidy: give priorCaseId or priorSubsidyReference`, 'body/priorCaseId');
    }
    if (present(intake.priorCaseId)) priorCaseProblem(input);
  }

  if (procedure === 'office_action_response' && !intake.refusalGrounds.some((g) => ELIGIBLE_REFUSAL_GROUNDS.includes(g))) {
    throw refuse('refusal_grounds_not_eligible', 'Only a notice of reasons for refusal citing novelty or inventive step (新規性・進歩性) is supported', 'body/refusalGrounds');
  }

  if (procedure === 'examination_request' && intake.examinationRequested) {
    throw refuse('examination_already_requested', 'Examination has already been requested for this patent', 'body/examinationRequested');
  }
  return { window };
}

function priorCaseProblem(input: EligibilityInput): void {
  const prior = input.priorCase;
  const id = input.intake.priorCaseId;
  const no = (why: string) => refuse('prior_case_required', `Prior case ${id} ${why}`, 'body/priorCaseId');
  if (!prior) throw no('does not exist');
  if (prior.applicantId !== input.applicantId) throw no('belongs to another applicant');
  if (prior.procedure !== 'filing' || prior.rightType !== 'patent') throw no('is not a patent filing');
  if (prior.filingCountries === undefined) {
    // An intake recorded before v1.1 (replayed): judged as it was then.
    if (!SUBSIDISED_STATUSES.includes(prior.status as CaseStatus)) throw no(`was not subsidised (it is ${prior.status})`);
    return;
  }
  if (!PAID_STATUSES.includes(prior.status as CaseStatus)) {
    throw refuse('prior_case_not_paid', `Prior case ${id} has not been paid (it is ${prior.status}): it must be disbursed or closed`, 'body/priorCaseId');
  }
  const outside = (input.intake.targetCountries ?? []).filter((c) => !prior.filingCountries!.includes(c));
  if (outside.length > 0) {
    throw refuse('country_not_in_prior_case', `Prior case ${id} recorded no foreign filing in ${outside.join(', ')} (it filed in ${prior.filingCountries.join(', ') || 'no country'})`, 'body/targetCountries');
  }
}

/** At most `perApplicantCountLimits[right]` live cases per applicant and year (422 count_limit_reached). */
export function assertCountLimit(year: Pick<OverseasIpYear, 'perApplicantCountLimits'>, rightType: RightType, liveCases: number): void {
  const limit = year.perApplicantCountLimits?.[rightType];
  if (limit !== undefined && liveCases >= limit) {
    throw refuse('count_limit_reached', `The applicant already has ${liveCases} live ${rightType} case(s) this program year; at most ${limit} are supported`, 'body/applicantId');
  }
}

/** Intake on a base application whose per-application cap is used up (422 per_application_cap_exhausted). */
export function assertPerApplicationRemaining(capJpy: number, usedJpy: number): void {
  if (usedJpy >= capJpy) {
    throw refuse('per_application_cap_exhausted', `Earlier cases on this base application reserved or were paid the whole cap per application (¥${capJpy.toLocaleString('en-US')}) this program year`, 'body/jpoApplicationNumber');
  }
}

/** Shape problems of an intake that the JSON schema cannot express (400, not a rule refusal). */
export function intakeShapeProblems(intake: { procedure: Procedure; targetCountries: readonly string[]; estimatedCosts: readonly { amountJpy: number; consumptionTaxJpy?: number }[]; ownershipShare?: { numerator: number; denominator: number } }): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const share = intake.ownershipShare;
  if (share && (share.numerator <= 0 || share.denominator <= 0 || share.numerator > share.denominator)) {
    problems.push({ path: 'body/ownershipShare', message: 'must be a fraction in (0, 1]: 0 < numerator ≤ denominator' });
  }
  // One office-action response or examination request is one procedure in one country.
  if (intake.procedure !== 'filing' && intake.targetCountries.length !== 1) {
    problems.push({ path: 'body/targetCountries', message: `${intake.procedure} is one procedure in one country: give exactly one` });
  }
  if (new Set(intake.targetCountries).size !== intake.targetCountries.length) problems.push({ path: 'body/targetCountries', message: 'must not repeat a country' });
  intake.estimatedCosts.forEach((c, i) => {
    if ((c.consumptionTaxJpy ?? 0) > c.amountJpy) problems.push({ path: `body/estimatedCosts/${i}/consumptionTaxJpy`, message: 'is part of amountJpy and cannot exceed it' });
  });
  return problems;
}

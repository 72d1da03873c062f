// Who may apply for what (対象者・対象手続), decided from the intake alone: the API runs
// this before anything is written, and the case workflow runs it again on the same input
// before it records anything, so a refused intake leaves neither a row nor a workflow.
import { DomainError, type FieldProblem } from '../errors.js';
import type { ApplicantKind, ApplicationWindow, OverseasIpYear, Procedure, RightType } from '../program-year.js';
import { toJstIso } from '../time.js';
import { capOf } from './terms.js';
import { windowAt } from './windows.js';
import type { CaseStatus } from './status.js';

/** SMEs, SME start-ups, small enterprises and universities (中小企業・中小スタートアップ企業・小規模企業・大学等). */
export const ELIGIBLE_KINDS: readonly ApplicantKind[] = ['sme', 'sme_startup', 'small_enterprise', 'university'];
/** Also eligible for a regional collective trademark (地域団体商標) filing. */
export const REGIONAL_COLLECTIVE_TRADEMARK_KINDS: readonly ApplicantKind[] = ['business_cooperative', 'society_of_commerce', 'chamber_of_commerce', 'npo'];
/** An office-action response is paid only against refusal for lack of novelty or inventive step (新規性・進歩性). */
export const ELIGIBLE_REFUSAL_GROUNDS: readonly string[] = ['novelty', 'inventive_step'];
/**
 * A prior case "filed abroad with this subsidy" is a patent filing of the same applicant
 * that was approved (and not withdrawn or lapsed since): approved, reported, determined,
 * disbursed or closed.
 */
export const SUBSIDISED_STATUSES: readonly CaseStatus[] = ['approved', 'reported', 'determined', 'disbursed', 'closed'];

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
}

/** What the API found under `priorCaseId` (null: no such case). */
export interface PriorCaseFacts {
  id: string;
  applicantId: string;
  procedure: string;
  rightType: string;
  status: string;
}

export interface EligibilityInput {
  year: Pick<OverseasIpYear, 'windows' | 'caps'>;
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

  const collectiveTrademark = intake.regionalCollectiveTrademark && procedure === 'filing' && rightType === 'trademark';
  if (!ELIGIBLE_KINDS.includes(kind) && !(collectiveTrademark && REGIONAL_COLLECTIVE_TRADEMARK_KINDS.includes(kind))) {
    const also = REGIONAL_COLLECTIVE_TRADEMARK_KINDS.includes(kind) ? ' (this kind may apply only to file a regional collective trademark)' : '';
    throw refuse('applicant_not_eligible', `An applicant of kind ${kind} is not eligible${also}`, 'body/applicantId');
  }

  if (intake.regionalCollectiveTrademark && rightType !== 'trademark') {
    throw refuse('right_not_eligible', `A regional collective trademark (地域団体商標) is a trademark, not a ${rightType}`, 'body/rightType');
  }
  if (capOf(input.year, procedure, rightType) === null) {
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
  if (!SUBSIDISED_STATUSES.includes(prior.status as CaseStatus)) throw no(`was not subsidised (it is ${prior.status})`);
}

/** Shape problems of an intake that the JSON schema cannot express (400, not a rule refusal). */
export function intakeShapeProblems(intake: { procedure: Procedure; targetCountries: readonly string[]; estimatedCosts: readonly { amountJpy: number; consumptionTaxJpy?: number }[] }): FieldProblem[] {
  const problems: FieldProblem[] = [];
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

// The one error type of the system. A rule that says no throws a DomainError with the
// contract's `code`; the HTTP layer renders it as problem+json, workflows carry it across
// Temporal as an ApplicationFailure whose `type` is the code.

export interface FieldProblem {
  path: string;
  message: string;
}

/** HTTP status of each kind of refusal (api.md → Conventions → Errors). */
const STATUS_OF_CODE: Record<string, number> = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  not_acceptable: 406,
  invalid_state: 409,
  conflict: 409,
  action_plan_missing: 409,
  visits_open: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  internal: 500,
  unavailable: 503,
  timeout: 504,
};

/**
 * Business rules (422): every code the code base refuses with, plus the contract's (api.md),
 * some of which belong to parts not built yet. A failure whose type is not in this registry
 * or above is not a refusal but a fault with an internal name, and is never shown as a code.
 */
const RULE_CODES: readonly string[] = [
  // Program A intake and its program year
  'window_closed', 'applicant_not_eligible', 'right_not_eligible', 'jpo_basis_required', 'prior_case_required',
  'refusal_grounds_not_eligible', 'examination_already_requested', 'unknown_program_year', 'invalid_program_year',
  'count_limit_reached', 'per_application_cap_exhausted', 'country_not_approved', 'country_not_in_prior_case', 'prior_case_not_paid',
  // Program A commands
  'per_applicant_cap_exhausted', 'grant_limit_too_high', 'expenses_required', 'expenses_not_confirmed', 'status_report_year_out_of_range',
  // applicants, experts
  'invalid_corporate_number', 'unknown_applicant', 'unknown_expert',
  // Program B
  'capacity_reached', 'session_required', 'sharing_session_required', 'one_sharing_session_only', 'sharing_session_not_last',
  // Program C
  'registration_closed', 'too_many_visits', 'outside_dispatch_period', 'unknown_registration', 'not_an_attendee',
  // platform
  'idempotency_key_reused',
];

const KNOWN_CODES: ReadonlySet<string> = new Set([...Object.keys(STATUS_OF_CODE), ...RULE_CODES]);

/** A code the contract or this code base gives out: safe to show a client. */
export function isKnownCode(code: string): boolean {
  return KNOWN_CODES.has(code);
}

/** Codes not listed with a status are business rules: 422. */
export function statusOfCode(code: string): number {
  return STATUS_OF_CODE[code] ?? 422;
}

export class DomainError extends Error {
  readonly code: string;
  readonly errors: FieldProblem[] | undefined;

  constructor(code: string, message: string, errors?: FieldProblem[]) {
    super(message);
    this.name = 'DomainError';
    this.code = code;
    this.errors = errors;
  }

  get status(): number {
    return statusOfCode(this.code);
  }
}

export const invalidState = (command: string, status: string): DomainError =>
  new DomainError('invalid_state', `${command} is not allowed while the status is ${status}`);

export const notFound = (what: string, id: string): DomainError =>
  new DomainError('not_found', `${what} ${id} does not exist`);

/**
 * A body that names something that does not exist (an applicant, an expert, a program year
 * of the right program): 422 `unknown_<kind>`, not 404 — the path is fine, the reference is not.
 */
export const unknownReference = (kind: 'applicant' | 'expert' | 'program_year', id: string, path: string, message = `is not a registered ${kind.replace('_', ' ')}`): DomainError =>
  new DomainError(`unknown_${kind}`, `${kind.replace('_', ' ')} ${id} does not exist or does not fit: ${message}`, [{ path, message }]);

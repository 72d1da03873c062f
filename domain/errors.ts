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
  invalid_state: 409,
  conflict: 409,
  action_plan_missing: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  internal: 500,
  unavailable: 503,
  timeout: 504,
};

/** Codes not listed above are business rules: 422. */
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

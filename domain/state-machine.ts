// The one shape of a case's status table: which commands each status allows. Workflows
// check it in their validators and handlers, activities again under the row lock, and the
// API before it sends a command to a case whose workflow has ended.
import { invalidState } from './errors.js';

export interface StatusTable<S extends string, C extends string> {
  /** Statuses after which nothing more happens: the case's workflow has ended. */
  readonly finalStatuses: readonly S[];
  /** The statuses still open (not final), derived from the final ones. */
  readonly openStatuses: readonly S[];
  isFinal(status: S): boolean;
  allows(command: C, status: S): boolean;
  /** 409 invalid_state unless `command` is allowed in `status`. */
  assertCommandAllowed(command: C, status: S): void;
}

export function statusTable<S extends string, C extends string>(spec: {
  statuses: readonly S[];
  finalStatuses: readonly S[];
  /** For each command, the statuses that accept it. */
  allowed: Record<C, readonly S[]>;
  /** How a refusal names the command: `Recording an expense is not allowed while …`. */
  names?: Partial<Record<C, string>>;
}): StatusTable<S, C> {
  const isFinal = (status: S): boolean => spec.finalStatuses.includes(status);
  const allows = (command: C, status: S): boolean => spec.allowed[command].includes(status);
  return {
    finalStatuses: spec.finalStatuses,
    openStatuses: spec.statuses.filter((s) => !isFinal(s)),
    isFinal,
    allows,
    assertCommandAllowed(command, status) {
      if (!allows(command, status)) throw invalidState(spec.names?.[command] ?? command, status);
    },
  };
}

// The plan rules of the contract: a plan has at least one session, exactly one
// action_plan_sharing session (アクションプランの説明・地域への共有), and that session comes
// after every lecture. They hold for the plan as submitted and keep holding for the
// sessions that are not cancelled as sessions are added, moved and cancelled, so the
// sharing session cannot be cancelled (move it instead) and a lecture cannot be put after it.
import { DomainError, type FieldProblem } from '../errors.js';

export const SESSION_KINDS = ['lecture', 'action_plan_sharing'] as const;
export type SessionKind = (typeof SESSION_KINDS)[number];

export const SESSION_STATUSES = ['scheduled', 'held', 'cancelled'] as const;
export type SessionStatus = (typeof SESSION_STATUSES)[number];

export interface PlannedSession {
  kind: SessionKind;
  /** Epoch ms. */
  scheduledAt: number;
  status: SessionStatus;
}

export type PlanRuleCode = 'session_required' | 'sharing_session_required' | 'one_sharing_session_only' | 'sharing_session_not_last';

export interface PlanViolation {
  code: PlanRuleCode;
  message: string;
  /** Indexes (into the list given) of the sessions at fault. */
  sessions: number[];
}

export function planViolations(sessions: readonly PlannedSession[]): PlanViolation[] {
  const live = sessions.map((s, index) => ({ ...s, index })).filter((s) => s.status !== 'cancelled');
  if (live.length === 0) return [{ code: 'session_required', message: 'a plan needs at least one session', sessions: [] }];
  const sharing = live.filter((s) => s.kind === 'action_plan_sharing');
  if (sharing.length === 0) {
    return [{ code: 'sharing_session_required', message: 'exactly one action_plan_sharing session is needed (the last session shares the action plan with the region)', sessions: [] }];
  }
  if (sharing.length > 1) {
    return [{ code: 'one_sharing_session_only', message: `exactly one action_plan_sharing session is allowed, found ${sharing.length}`, sessions: sharing.map((s) => s.index) }];
  }
  const last = sharing[0]!;
  const notBefore = live.filter((s) => s.kind === 'lecture' && s.scheduledAt >= last.scheduledAt);
  if (notBefore.length > 0) {
    return [{ code: 'sharing_session_not_last', message: 'the action_plan_sharing session must be scheduled after every lecture', sessions: [last.index, ...notBefore.map((s) => s.index)] }];
  }
  return [];
}

/** Throws the first violation's code; `pathOf` names the field of a session for the errors list. */
export function assertPlanRules(sessions: readonly PlannedSession[], pathOf: (index: number) => string, wholePath: string): void {
  const [violation] = planViolations(sessions);
  if (!violation) return;
  const errors: FieldProblem[] = violation.sessions.length === 0
    ? [{ path: wholePath, message: violation.message }]
    : violation.sessions.map((i) => ({ path: pathOf(i), message: violation.message }));
  throw new DomainError(violation.code, violation.message, errors);
}

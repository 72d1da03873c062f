// Expert sessions (専門家等による支援): each with a lecturer, a topic and a date. A session is
// scheduled, then held (reported with heldAt, attendees and a summary) or cancelled.
import { DomainError, notFound } from '../errors.js';
import type { SessionKind, SessionStatus } from './plan.js';

export interface SessionFacts {
  id: string;
  kind: SessionKind;
  status: SessionStatus;
}

export function findSession<S extends SessionFacts>(sessions: readonly S[], id: string): S {
  const session = sessions.find((s) => s.id === id);
  if (!session) throw notFound('Session', id);
  return session;
}

/** Only a scheduled session can be moved, cancelled or reported as held. */
export function assertScheduled(session: SessionFacts, command: string): void {
  if (session.status !== 'scheduled') {
    throw new DomainError('invalid_state', `${command} is not allowed: session ${session.id} is ${session.status}`);
  }
}

/** The sharing session presents the action plan, so it cannot be held before one exists. */
export function assertCanBeHeld(session: SessionFacts, hasActionPlan: boolean): void {
  assertScheduled(session, 'complete session');
  if (session.kind === 'action_plan_sharing' && !hasActionPlan) {
    throw new DomainError('action_plan_missing', 'The action_plan_sharing session can only be reported once an action plan has been recorded (POST …/action-plan)');
  }
}

/** Completed when every session that is not cancelled is held (there is always one: the sharing session). */
export function isSupportComplete(sessions: readonly Pick<SessionFacts, 'status'>[]): boolean {
  const live = sessions.filter((s) => s.status !== 'cancelled');
  return live.length > 0 && live.every((s) => s.status === 'held');
}

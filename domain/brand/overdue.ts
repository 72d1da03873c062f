// When sessions and engagements are overdue, and when a session's next reminder or overdue
// check falls. Pure: the workflow asks with its own (Temporal) time, a read with the API clock.
import { DAY_MS } from '../time.js';
import type { SessionStatus } from './plan.js';
import { isClosed, type EngagementStatus } from './engagement.js';

/** The support leader is reminded this long before each session. */
export const REMINDER_LEAD_MS = 3 * DAY_MS;

/**
 * Records are often entered after the fact: a session entered (or moved) when it is already
 * past its grace period, or an engagement entered after its support period, is overdue on
 * every read at once, but its flag and the notice to staff wait this long — the report
 * usually follows within minutes, and staff should not be told to chase what is being typed in.
 */
export const LATE_ENTRY_NOTICE_DELAY_MS = 60 * 60 * 1000;

/**
 * A session not reported `sessionGraceDays` × 24 h after `scheduledAt` is overdue. JST has
 * no daylight saving, so this is the same clock time that many days later.
 */
export function sessionDueAt(scheduledAt: number, graceDays: number): number {
  return scheduledAt + graceDays * DAY_MS;
}

export interface SessionClock {
  status: SessionStatus;
  scheduledAt: number;
  /** The flag the overdue timer wrote; cleared when the session moves or the grace grows. */
  overdueFlag: boolean;
}

/**
 * What a reader sees: the flag, or — between timer firings, or when the reader's clock is
 * ahead of the timer — the same rule computed now. A held or cancelled session is never overdue.
 */
export function isSessionOverdue(s: SessionClock, graceDays: number, now: number): boolean {
  return s.status === 'scheduled' && (s.overdueFlag || now >= sessionDueAt(s.scheduledAt, graceDays));
}

/** An open engagement past the end of the support period (the fiscal year, by default). */
export function isPastSupportEnd(status: EngagementStatus, supportEndsAt: number, flag: boolean, now: number): boolean {
  return !isClosed(status) && (flag || now >= supportEndsAt);
}

/**
 * An engagement is overdue when its support period ended before it completed, or when
 * any of its sessions is overdue: either way staff have something to chase.
 */
export function isEngagementOverdue(status: EngagementStatus, pastSupportEnd: boolean, sessionsOverdue: readonly boolean[]): boolean {
  return !isClosed(status) && (pastSupportEnd || sessionsOverdue.some(Boolean));
}

export interface SessionTimerState extends SessionClock {
  /** The scheduledAt the last reminder was sent for (a moved session is reminded again). */
  remindedFor: number | null;
  /** When its current date was entered (added or rescheduled). */
  datedAt: number;
}

export type SessionStep = { kind: 'reminder' | 'overdue'; at: number };

/**
 * The next thing a scheduled session's timer must do. A session entered less than three
 * days ahead is reminded at once; one entered after its date gets no reminder (it is a
 * record, not an announcement).
 */
export function nextSessionStep(s: SessionTimerState, graceDays: number, now: number): SessionStep | null {
  if (s.status !== 'scheduled') return null;
  const steps: SessionStep[] = [];
  if (s.remindedFor !== s.scheduledAt && now < s.scheduledAt) steps.push({ kind: 'reminder', at: Math.max(now, s.scheduledAt - REMINDER_LEAD_MS) });
  if (!s.overdueFlag) steps.push({ kind: 'overdue', at: Math.max(sessionDueAt(s.scheduledAt, graceDays), s.datedAt + LATE_ENTRY_NOTICE_DELAY_MS) });
  return steps.reduce<SessionStep | null>((first, step) => (first === null || step.at < first.at ? step : first), null);
}

/** When to flag an engagement still open past its support period, watched since `watchedSince`. */
export function supportEndCheckAt(supportEndsAt: number, watchedSince: number): number {
  return Math.max(supportEndsAt, watchedSince + LATE_ENTRY_NOTICE_DELAY_MS);
}

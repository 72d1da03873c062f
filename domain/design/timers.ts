// When Program C's reminders and overdue checks fall. Pure: a workflow asks with its clock,
// a read with the API's. Visits follow the shape of brand sessions (domain/brand/overdue.ts).
import { DAY_MS, fiscalYearBounds } from '../time.js';
import { LATE_ENTRY_NOTICE_DELAY_MS } from '../brand/overdue.js';
import type { VisitStatus } from './dispatch.js';

export { LATE_ENTRY_NOTICE_DELAY_MS };

/** A visit not held `visitGraceDays` × 24 h after `scheduledAt` is overdue. */
export const visitDueAt = (scheduledAt: number, graceDays: number): number => scheduledAt + graceDays * DAY_MS;

export function isVisitOverdue(v: { status: VisitStatus; scheduledAt: number; overdueFlag: boolean }, graceDays: number, now: number): boolean {
  return v.status === 'scheduled' && (v.overdueFlag || now >= visitDueAt(v.scheduledAt, graceDays));
}

export interface VisitTimerState {
  status: VisitStatus;
  scheduledAt: number;
  overdueFlag: boolean;
  /** The scheduledAt the last reminder was sent for. */
  remindedFor: number | null;
  /** When its current date was entered. */
  datedAt: number;
}

export type TimerStep = { kind: 'reminder' | 'overdue'; at: number };

/**
 * The next thing a scheduled visit's timer does: remind the expert `reminderDaysBefore` days
 * ahead (at once if entered later than that, never for a visit entered after its date), then
 * flag it overdue after the grace period (an hour after entry for one entered already late).
 */
export function nextVisitStep(v: VisitTimerState, rules: { reminderDaysBefore: number; visitGraceDays: number }, now: number): TimerStep | null {
  if (v.status !== 'scheduled') return null;
  const steps: TimerStep[] = [];
  if (v.remindedFor !== v.scheduledAt && now < v.scheduledAt) steps.push({ kind: 'reminder', at: Math.max(now, v.scheduledAt - rules.reminderDaysBefore * DAY_MS) });
  if (!v.overdueFlag) steps.push({ kind: 'overdue', at: Math.max(visitDueAt(v.scheduledAt, rules.visitGraceDays), v.datedAt + LATE_ENTRY_NOTICE_DELAY_MS) });
  return steps.reduce<TimerStep | null>((first, s) => (first === null || s.at < first.at ? s : first), null);
}

/** When registrants are reminded of an event: `reminderDaysBefore` days before it starts. */
export const eventReminderAt = (startsAt: number, reminderDaysBefore: number): number => startsAt - reminderDaysBefore * DAY_MS;

/** The end of the program year's fiscal year (31 March, 24:00 JST): open dispatches are chased then. */
export const fiscalYearEndOf = (fiscalYear: number): number => fiscalYearBounds(fiscalYear).endsBefore;

/** A dispatch still open at the end of its fiscal year is overdue. */
export function isPastFiscalYearEnd(open: boolean, fiscalYearEnd: number, flag: boolean, now: number): boolean {
  return open && (flag || now >= fiscalYearEnd);
}

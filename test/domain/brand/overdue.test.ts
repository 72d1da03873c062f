import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isEngagementOverdue, isPastSupportEnd, isSessionOverdue, LATE_ENTRY_NOTICE_DELAY_MS, nextSessionStep, REMINDER_LEAD_MS, sessionDueAt, supportEndCheckAt } from '../../../domain/brand/overdue.js';
import { DAY_MS } from '../../../domain/time.js';

const T = Date.parse('2024-09-26T14:00:00+09:00');
const scheduled = { status: 'scheduled' as const, scheduledAt: T, overdueFlag: false };

describe('session overdue (sessionGraceDays)', () => {
  it('is overdue from exactly scheduledAt + grace days while still scheduled', () => {
    expect(sessionDueAt(T, 7)).toBe(Date.parse('2024-10-03T14:00:00+09:00'));
    expect(isSessionOverdue(scheduled, 7, T + 7 * DAY_MS - 1)).toBe(false);
    expect(isSessionOverdue(scheduled, 7, T + 7 * DAY_MS)).toBe(true);
  });

  it('is never overdue once held or cancelled, flag or not', () => {
    for (const status of ['held', 'cancelled'] as const) expect(isSessionOverdue({ status, scheduledAt: T, overdueFlag: true }, 7, T + 30 * DAY_MS)).toBe(false);
  });

  it('trusts the flag the timer wrote even if the reader is behind', () => {
    expect(isSessionOverdue({ ...scheduled, overdueFlag: true }, 7, T)).toBe(true);
  });
});

describe('engagement overdue', () => {
  const ends = Date.parse('2025-03-31T23:59:59+09:00');
  it('is past its support end from supportEndsAt while open', () => {
    expect(isPastSupportEnd('in_support', ends, false, ends - 1)).toBe(false);
    expect(isPastSupportEnd('in_support', ends, false, ends)).toBe(true);
    expect(isPastSupportEnd('applied', ends, true, 0)).toBe(true);
    expect(isPastSupportEnd('completed', ends, true, ends + 1)).toBe(false);
    expect(isPastSupportEnd('withdrawn', ends, false, ends + 1)).toBe(false);
  });

  it('is overdue when past its support end or when a session is', () => {
    expect(isEngagementOverdue('in_support', false, [false, true])).toBe(true);
    expect(isEngagementOverdue('in_support', true, [])).toBe(true);
    expect(isEngagementOverdue('in_support', false, [false])).toBe(false);
    expect(isEngagementOverdue('completed', true, [true])).toBe(false);
  });
});

describe('the next step of a session timer', () => {
  const entered = { datedAt: T - 30 * DAY_MS };
  it('reminds three days ahead, then checks overdue at the end of the grace period', () => {
    const s = { ...scheduled, ...entered, remindedFor: null };
    expect(nextSessionStep(s, 7, T - 10 * DAY_MS)).toEqual({ kind: 'reminder', at: T - REMINDER_LEAD_MS });
    expect(nextSessionStep({ ...s, remindedFor: T }, 7, T - DAY_MS)).toEqual({ kind: 'overdue', at: T + 7 * DAY_MS });
  });

  it('reminds at once when less than three days are left, never for a past session', () => {
    const s = { ...scheduled, ...entered, remindedFor: null };
    expect(nextSessionStep(s, 7, T - DAY_MS)).toEqual({ kind: 'reminder', at: T - DAY_MS });
    expect(nextSessionStep(s, 7, T + 1)).toEqual({ kind: 'overdue', at: T + 7 * DAY_MS });
  });

  it('reminds again when the session moved', () => {
    expect(nextSessionStep({ ...scheduled, ...entered, remindedFor: T - DAY_MS }, 7, T - 10 * DAY_MS)?.kind).toBe('reminder');
  });

  it('has nothing to do for a flagged, held or cancelled session', () => {
    expect(nextSessionStep({ ...scheduled, ...entered, overdueFlag: true, remindedFor: T }, 7, T + 9 * DAY_MS)).toBeNull();
    expect(nextSessionStep({ ...scheduled, ...entered, status: 'held', remindedFor: null }, 7, T)).toBeNull();
  });

  it('gives a session entered after its grace period an hour before flagging it', () => {
    const now = T + 30 * DAY_MS;
    expect(isSessionOverdue(scheduled, 7, now)).toBe(true);
    expect(nextSessionStep({ ...scheduled, remindedFor: null, datedAt: now }, 7, now)).toEqual({ kind: 'overdue', at: now + LATE_ENTRY_NOTICE_DELAY_MS });
  });

  it('checks the support end when it comes, or an hour after an engagement is entered late', () => {
    expect(supportEndCheckAt(T, T - DAY_MS)).toBe(T);
    expect(supportEndCheckAt(T, T + DAY_MS)).toBe(T + DAY_MS + LATE_ENTRY_NOTICE_DELAY_MS);
  });

  it('never reminds before now, and the overdue step falls when the read rule starts saying overdue', () => {
    fc.assert(fc.property(fc.integer({ min: -30, max: 30 }), fc.integer({ min: 0, max: 30 }), fc.boolean(), (offsetDays, grace, reminded) => {
      const now = T + offsetDays * DAY_MS;
      const step = nextSessionStep({ ...scheduled, ...entered, remindedFor: reminded ? T : null }, grace, now);
      expect(step).not.toBeNull();
      if (step!.kind === 'reminder') expect(step!.at).toBeGreaterThanOrEqual(now);
      else expect(isSessionOverdue(scheduled, grace, step!.at)).toBe(true);
    }));
  });
});

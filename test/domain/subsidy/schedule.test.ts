import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { endOfJstDay, nextWake, reminderDue, remindersBefore, statusReportNumber, statusReportSchedule } from '../../../domain/subsidy/schedule.js';
import { DAY_MS } from '../../../domain/time.js';

const rules = { years: 5, asOf: '03-31', due: '05-31' };

describe('examination-status reports (査定状況報告)', () => {
  it('are owed yearly as of 31 March, due 31 May, from the first 31 March after payment', () => {
    expect(statusReportSchedule('2025-05-20', rules)).toEqual([
      { year: 1, asOf: '2026-03-31', dueOn: '2026-05-31' },
      { year: 2, asOf: '2027-03-31', dueOn: '2027-05-31' },
      { year: 3, asOf: '2028-03-31', dueOn: '2028-05-31' },
      { year: 4, asOf: '2029-03-31', dueOn: '2029-05-31' },
      { year: 5, asOf: '2030-03-31', dueOn: '2030-05-31' },
    ]);
    expect(statusReportSchedule('2025-03-30', rules)[0]).toEqual({ year: 1, asOf: '2025-03-31', dueOn: '2025-05-31' });
    // Paid on the as-of day itself: that day's status says nothing yet.
    expect(statusReportSchedule('2025-03-31', rules)[0]!.asOf).toBe('2026-03-31');
  });

  it('follow the program year: other years, dates, a due date in the next calendar year, 29 February', () => {
    expect(statusReportSchedule('2025-05-20', { years: 0, asOf: '03-31', due: '05-31' })).toEqual([]);
    expect(statusReportSchedule('2025-05-20', { years: 2, asOf: '12-31', due: '02-28' })).toEqual([
      { year: 1, asOf: '2025-12-31', dueOn: '2026-02-28' },
      { year: 2, asOf: '2026-12-31', dueOn: '2027-02-28' },
    ]);
    expect(statusReportSchedule('2025-01-01', { years: 2, asOf: '02-29', due: '03-31' }).map((d) => d.asOf)).toEqual(['2025-02-28', '2026-02-28']);
  });

  it('are named by their number, or by the calendar or fiscal year of their as-of day', () => {
    const schedule = statusReportSchedule('2025-05-20', rules); // as of 2026-03-31 … 2030-03-31
    expect(statusReportNumber(schedule, 1)).toBe(1);
    expect(statusReportNumber(schedule, 5)).toBe(5);
    expect(statusReportNumber(schedule, 2026)).toBe(1);
    expect(statusReportNumber(schedule, 2030)).toBe(5);
    expect(statusReportNumber(schedule, 2025)).toBe(1); // FY2025 closes on 2026-03-31
    expect(statusReportNumber(schedule, 6)).toBeNull();
    expect(statusReportNumber(schedule, 2031)).toBeNull();
    expect(statusReportNumber(schedule, 2024)).toBeNull();
  });

  it('are always after payment, a year apart, each due on or after its as-of day', () => {
    fc.assert(fc.property(fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2040, 0, 1) }), fc.integer({ min: 1, max: 10 }), (ms, years) => {
      const paidOn = new Date(ms).toISOString().slice(0, 10);
      const schedule = statusReportSchedule(paidOn, { ...rules, years });
      expect(schedule).toHaveLength(years);
      expect(schedule[0]!.asOf > paidOn).toBe(true);
      schedule.forEach((d, i) => {
        expect(d.dueOn >= d.asOf).toBe(true);
        if (i > 0) expect(Number(d.asOf.slice(0, 4)) - Number(schedule[i - 1]!.asOf.slice(0, 4))).toBe(1);
      });
    }));
  });
});

describe('reminders', () => {
  const deadline = Date.parse('2025-03-31T17:00:00+09:00');
  const reminders = remindersBefore(deadline);

  it('go out 30 and 7 days before a deadline', () => {
    expect(reminders.map((r) => [r.daysBefore, r.at])).toEqual([[30, deadline - 30 * DAY_MS], [7, deadline - 7 * DAY_MS]]);
    expect(endOfJstDay('2026-05-31')).toBe(Date.parse('2026-06-01T00:00:00+09:00'));
  });

  it('are sent when their moment passes during a wait, never late', () => {
    const t30 = deadline - 30 * DAY_MS;
    const t7 = deadline - 7 * DAY_MS;
    expect(reminderDue(reminders, t30 - 1, t30)?.daysBefore).toBe(30);
    expect(reminderDue(reminders, t30, t30 + DAY_MS)).toBeUndefined();
    expect(reminderDue(reminders, t30 - 1, t7)?.daysBefore).toBe(7); // both passed unseen: only the latest
    expect(nextWake(reminders, deadline, t30 - 5)).toBe(t30);
    expect(nextWake(reminders, deadline, t30)).toBe(t7);
    expect(nextWake(reminders, deadline, t7)).toBe(deadline);
  });
});

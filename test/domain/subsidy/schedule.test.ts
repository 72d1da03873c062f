import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { completionFiscalYear, endOfJstDay, endsObligation, nextWake, reminderDue, remindersBefore, statusReportNumber, statusReportSchedule } from '../../../domain/subsidy/schedule.js';
import { DAY_MS } from '../../../domain/time.js';

const rules = { years: 5, asOf: '03-31', due: '05-31' };

describe('examination-status reports (査定状況報告)', () => {
  it('are owed for the 5 fiscal years after the completion year, as of 31 March, due 31 May', () => {
    expect(statusReportSchedule(2024, rules)).toEqual([
      { year: 1, asOf: '2026-03-31', dueOn: '2026-05-31' },
      { year: 2, asOf: '2027-03-31', dueOn: '2027-05-31' },
      { year: 3, asOf: '2028-03-31', dueOn: '2028-05-31' },
      { year: 4, asOf: '2029-03-31', dueOn: '2029-05-31' },
      { year: 5, asOf: '2030-03-31', dueOn: '2030-05-31' },
    ]);
  });

  it('run from the fiscal year of the last foreign filing, else of the payment: paid 2025-03-10 or 2025-04-15, the same years', () => {
    expect(completionFiscalYear('2024-10-01', '2025-03-10')).toBe(2024);
    expect(completionFiscalYear('2024-10-01', '2025-04-15')).toBe(2024);
    expect(statusReportSchedule(completionFiscalYear('2024-10-01', '2025-03-10'), rules)).toEqual(statusReportSchedule(completionFiscalYear('2024-10-01', '2025-04-15'), rules));
    expect(completionFiscalYear(null, '2025-03-10')).toBe(2024);
    expect(completionFiscalYear(null, '2025-04-15')).toBe(2025);
  });

  it('end when every country of a report is final', () => {
    expect(endsObligation([{ status: 'granted' }, { status: 'refused' }, { status: 'abandoned' }, { status: 'withdrawn' }])).toBe(true);
    expect(endsObligation([{ status: 'granted' }, { status: 'pending' }])).toBe(false);
    expect(endsObligation([])).toBe(false);
  });

  it('follow the program year: other years, dates, a due date in the next calendar year, 29 February', () => {
    expect(statusReportSchedule(2025, { years: 0, asOf: '03-31', due: '05-31' })).toEqual([]);
    expect(statusReportSchedule(2024, { years: 2, asOf: '12-31', due: '02-28' })).toEqual([
      { year: 1, asOf: '2025-12-31', dueOn: '2026-02-28' },
      { year: 2, asOf: '2026-12-31', dueOn: '2027-02-28' },
    ]);
    expect(statusReportSchedule(2023, { years: 2, asOf: '02-29', due: '03-31' }).map((d) => d.asOf)).toEqual(['2025-02-28', '2026-02-28']);
  });

  it('are named by their number, or by the calendar or fiscal year of their as-of day', () => {
    const schedule = statusReportSchedule(2024, rules); // as of 2026-03-31 … 2030-03-31
    expect(statusReportNumber(schedule, 1)).toBe(1);
    expect(statusReportNumber(schedule, 5)).toBe(5);
    expect(statusReportNumber(schedule, 2026)).toBe(1);
    expect(statusReportNumber(schedule, 2030)).toBe(5);
    expect(statusReportNumber(schedule, 2025)).toBe(1); // FY2025 closes on 2026-03-31
    expect(statusReportNumber(schedule, 6)).toBeNull();
    expect(statusReportNumber(schedule, 2031)).toBeNull();
    expect(statusReportNumber(schedule, 2024)).toBeNull();
  });

  it('are each in a later fiscal year than the completion, a year apart, each due on or after its as-of day', () => {
    fc.assert(fc.property(fc.integer({ min: 2000, max: 2060 }), fc.integer({ min: 1, max: 10 }), fc.constantFrom('03-31', '06-30', '12-31'), (fy, years, asOf) => {
      const schedule = statusReportSchedule(fy, { ...rules, asOf, years });
      expect(schedule).toHaveLength(years);
      schedule.forEach((d, i) => {
        expect(d.dueOn >= d.asOf).toBe(true);
        const m = Number(d.asOf.slice(5, 7));
        expect(m >= 4 ? Number(d.asOf.slice(0, 4)) : Number(d.asOf.slice(0, 4)) - 1).toBe(fy + i + 1);
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

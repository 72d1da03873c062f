// When things are due: the evidence deadline's reminders and the yearly examination-status
// reports (査定状況報告). Pure: callers pass the instants in.
import { DAY_MS, fiscalYearOfDate, isValidDate, startOfJstDay } from '../time.js';
import type { StatusReportRules } from './terms.js';

/** Reminders go out this many days before a deadline. */
export const REMINDER_DAYS_BEFORE = [30, 7] as const;

export interface Reminder {
  daysBefore: number;
  at: number;
}

export function remindersBefore(deadlineMs: number): Reminder[] {
  return REMINDER_DAYS_BEFORE.map((d) => ({ daysBefore: d, at: deadlineMs - d * DAY_MS }));
}

/**
 * The reminder to send after a wait that ran from `since` (exclusive) to `now`
 * (inclusive): the latest one whose moment fell in between. A reminder whose moment had
 * passed before the wait began (a late approval, a deadline moved) is not sent late.
 */
export function reminderDue(reminders: readonly Reminder[], since: number, now: number): Reminder | undefined {
  return reminders.filter((r) => r.at > since && r.at <= now).sort((a, b) => b.at - a.at)[0];
}

/** The next moment after `now` worth waking for: a reminder or the deadline itself. */
export function nextWake(reminders: readonly Reminder[], deadlineMs: number, now: number): number {
  return Math.min(deadlineMs, ...reminders.map((r) => r.at).filter((t) => t > now));
}

export interface StatusReportDue {
  /** 1 … years. */
  year: number;
  /** The day whose status is reported (YYYY-MM-DD, JST). */
  asOf: string;
  /** Due by the end of this day (YYYY-MM-DD, JST). */
  dueOn: string;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** MM-DD in a given year; 02-29 falls back to 02-28 outside leap years. */
function onYear(year: number, monthDay: string): string {
  const date = `${year}-${monthDay}`;
  return isValidDate(date) ? date : `${year}-${monthDay.slice(0, 2)}-${pad(Number(monthDay.slice(3)) - 1)}`;
}

/**
 * The completion year (v1.1): the fiscal year (April–March, JST) of the case's last foreign
 * filing, or of its payment when it recorded none.
 */
export function completionFiscalYear(lastFilingOn: string | null, paidOn: string): number {
  return fiscalYearOfDate(lastFilingOn ?? paidOn);
}

/**
 * The yearly reports owed: one for each of the `years` fiscal years after the completion
 * year, each as of that fiscal year's `asOf` day and due on the first `due` day on or after
 * it. A report whose due day has passed (a late payment) is owed, and overdue, at once.
 */
export function statusReportSchedule(completionYear: number, rules: StatusReportRules): StatusReportDue[] {
  const schedule: StatusReportDue[] = [];
  for (let year = 1; year <= rules.years; year++) {
    const fiscalYear = completionYear + year;
    const asOf = onYear(Number(rules.asOf.slice(0, 2)) >= 4 ? fiscalYear : fiscalYear + 1, rules.asOf);
    const y = Number(asOf.slice(0, 4));
    const dueOn = onYear(y, rules.due) >= asOf ? onYear(y, rules.due) : onYear(y + 1, rules.due);
    schedule.push({ year, asOf, dueOn });
  }
  return schedule;
}

/** Every country of a status report has a final decision: no later report is owed. */
export const FINAL_COUNTRY_STATUSES: readonly string[] = ['granted', 'refused', 'abandoned', 'withdrawn'];
export const endsObligation = (countries: readonly { status: string }[]): boolean =>
  countries.length > 0 && countries.every((c) => FINAL_COUNTRY_STATUSES.includes(c.status));

/**
 * Which scheduled report a submitted one is. The contract's `year` is read as the report's
 * number (1 … years) when it is one; otherwise as a year naming it: the calendar year of
 * its as-of day (2026 for as of 2026-03-31) or the fiscal year that day closes (2025).
 */
export function statusReportNumber(schedule: readonly StatusReportDue[], year: number): number | null {
  if (schedule.some((d) => d.year === year)) return year;
  const byCalendarYear = schedule.find((d) => Number(d.asOf.slice(0, 4)) === year);
  if (byCalendarYear) return byCalendarYear.year;
  const byFiscalYear = schedule.find((d) => fiscalYearOfDate(d.asOf) === year);
  return byFiscalYear ? byFiscalYear.year : null;
}

/** The instant a report due on `dueOn` becomes overdue: the end of that day in Japan. */
export const endOfJstDay = (date: string): number => startOfJstDay(date) + DAY_MS;

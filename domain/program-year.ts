// A program year (年度) holds one program's rules for one fiscal year. Rules are data:
// next year's call is a new program year, never new code.
import type { FieldProblem } from './errors.js';
import { isValidRate, type Rate } from './money.js';
import { fiscalYearBounds, isValidDate, parseInstant, startOfJstDay } from './time.js';

export const PROCEDURES = ['filing', 'office_action_response', 'examination_request'] as const;
export type Procedure = (typeof PROCEDURES)[number];

export const RIGHT_TYPES = ['patent', 'utility_model', 'design', 'trademark', 'anti_squatting_trademark'] as const;
export type RightType = (typeof RIGHT_TYPES)[number];

export const APPLICANT_KINDS = ['sme', 'sme_startup', 'small_enterprise', 'university', 'business_cooperative',
  'society_of_commerce', 'chamber_of_commerce', 'npo', 'municipality', 'agricultural_cooperative',
  'large_enterprise', 'other_group'] as const;
export type ApplicantKind = (typeof APPLICANT_KINDS)[number];

export interface ApplicationWindow {
  label: string;
  procedures: Procedure[];
  opensAt: string;
  closesAt: string;
}

export interface OverseasIpYear {
  program: 'overseas_ip_subsidy';
  fiscalYear: number;
  title: string;
  windows: ApplicationWindow[];
  rate: Rate;
  roundingUnitJpy: number;
  /** Cap per application / per procedure (１出願あたり), by procedure then right type. */
  caps: Partial<Record<Procedure, Partial<Record<RightType, number>>>>;
  /** Cap per applicant (１法人あたり) and fiscal year, by procedure; absent = none. */
  perApplicantCaps: Partial<Record<Procedure, number>>;
  perApplicantCapExemptKinds: ApplicantKind[];
  /** Deadline for the payment evidence and performance report (step 7 of the flow). */
  reportDeadline: string;
  /** 査定状況報告: yearly for `years` years, status as of `asOf`, due by `due` (MM-DD). */
  statusReports: { years: number; asOf: string; due: string };
}

export interface RegionalBrandYear {
  program: 'regional_brand';
  fiscalYear: number;
  title: string;
  callWindow: { opensAt: string; closesAt: string };
  capacity: number;
  supportEndsAt: string;
  sessionGraceDays: number;
}

/** デザイン経営セミナー事業 (Program C): events need no rules of the year; dispatches do. */
export interface DesignManagementYear {
  program: 'design_management';
  fiscalYear: number;
  title: string;
  dispatch: {
    applicationWindow: { opensAt: string; closesAt: string };
    /** First and last day of visits (JST calendar dates, both included). */
    visitsFrom: string;
    visitsUntil: string;
    /** How many companies a year are accepted for a dispatch. */
    companies: number;
    maxVisitsPerCompany: number;
  };
  /** Registrants (events) and experts (visits) are reminded this many days ahead. */
  reminderDaysBefore: number;
  /** A visit not reported this many days after its date is overdue. */
  visitGraceDays: number;
}

export type ProgramYearRules = OverseasIpYear | RegionalBrandYear | DesignManagementYear;
export type ProgramYear = ProgramYearRules & { id: string };

const MONTH_DAY = /^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

/** Every problem with a program year's rules, beyond what the JSON schema checks. */
export function validateProgramYear(rules: ProgramYearRules): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const { startsAt, endsBefore } = fiscalYearBounds(rules.fiscalYear);
  const inFiscalYear = (path: string, text: string): number | null => {
    const ms = parseInstant(text);
    if (ms === null) {
      problems.push({ path, message: 'must be an RFC 3339 instant with an offset' });
      return null;
    }
    if (ms < startsAt || ms >= endsBefore) problems.push({ path, message: `must fall within fiscal year ${rules.fiscalYear} (April to March, JST)` });
    return ms;
  };
  const window = (path: string, w: { opensAt: string; closesAt: string }): void => {
    const opens = inFiscalYear(`${path}/opensAt`, w.opensAt);
    const closes = inFiscalYear(`${path}/closesAt`, w.closesAt);
    if (opens !== null && closes !== null && closes <= opens) problems.push({ path: `${path}/closesAt`, message: 'must be after opensAt' });
  };
  const positive = (path: string, value: number): void => {
    if (!Number.isSafeInteger(value) || value <= 0) problems.push({ path, message: 'must be a positive whole number of yen' });
  };

  if (rules.program === 'overseas_ip_subsidy') {
    if (rules.windows.length === 0) problems.push({ path: '/windows', message: 'at least one application window is needed' });
    rules.windows.forEach((w, i) => {
      window(`/windows/${i}`, w);
      if (w.procedures.length === 0) problems.push({ path: `/windows/${i}/procedures`, message: 'must name at least one procedure' });
    });
    if (!isValidRate(rules.rate)) problems.push({ path: '/rate', message: 'must be a fraction in (0, 1] of positive integers' });
    positive('/roundingUnitJpy', rules.roundingUnitJpy);
    for (const [procedure, byRight] of Object.entries(rules.caps)) {
      for (const [right, cap] of Object.entries(byRight ?? {})) positive(`/caps/${procedure}/${right}`, cap);
    }
    for (const [procedure, cap] of Object.entries(rules.perApplicantCaps)) positive(`/perApplicantCaps/${procedure}`, cap ?? 0);
    if (parseInstant(rules.reportDeadline) === null) problems.push({ path: '/reportDeadline', message: 'must be an RFC 3339 instant with an offset' });
    if (!Number.isSafeInteger(rules.statusReports.years) || rules.statusReports.years < 0) problems.push({ path: '/statusReports/years', message: 'must be a whole number ≥ 0' });
    if (!MONTH_DAY.test(rules.statusReports.asOf)) problems.push({ path: '/statusReports/asOf', message: 'must be MM-DD' });
    if (!MONTH_DAY.test(rules.statusReports.due)) problems.push({ path: '/statusReports/due', message: 'must be MM-DD' });
  } else if (rules.program === 'design_management') {
    const d = rules.dispatch;
    window('/dispatch/applicationWindow', d.applicationWindow);
    const { startsAt: fyStart, endsBefore: fyEnd } = fiscalYearBounds(rules.fiscalYear);
    const day = (path: string, text: string): boolean => {
      if (!isValidDate(text)) { problems.push({ path, message: 'must be a real calendar date YYYY-MM-DD' }); return false; }
      const ms = startOfJstDay(text);
      if (ms < fyStart || ms >= fyEnd) { problems.push({ path, message: `must fall within fiscal year ${rules.fiscalYear} (April to March, JST)` }); return false; }
      return true;
    };
    if (day('/dispatch/visitsFrom', d.visitsFrom) && day('/dispatch/visitsUntil', d.visitsUntil) && d.visitsUntil < d.visitsFrom) {
      problems.push({ path: '/dispatch/visitsUntil', message: 'must not be before visitsFrom' });
    }
    if (!Number.isSafeInteger(d.companies) || d.companies <= 0) problems.push({ path: '/dispatch/companies', message: 'must be a positive whole number' });
    if (!Number.isSafeInteger(d.maxVisitsPerCompany) || d.maxVisitsPerCompany <= 0) problems.push({ path: '/dispatch/maxVisitsPerCompany', message: 'must be a positive whole number' });
    if (!Number.isSafeInteger(rules.reminderDaysBefore) || rules.reminderDaysBefore < 0) problems.push({ path: '/reminderDaysBefore', message: 'must be a whole number of days ≥ 0' });
    if (!Number.isSafeInteger(rules.visitGraceDays) || rules.visitGraceDays < 0) problems.push({ path: '/visitGraceDays', message: 'must be a whole number of days ≥ 0' });
  } else {
    window('/callWindow', rules.callWindow);
    if (!Number.isSafeInteger(rules.capacity) || rules.capacity <= 0) problems.push({ path: '/capacity', message: 'must be a positive whole number' });
    if (parseInstant(rules.supportEndsAt) === null) problems.push({ path: '/supportEndsAt', message: 'must be an RFC 3339 instant with an offset' });
    if (!Number.isSafeInteger(rules.sessionGraceDays) || rules.sessionGraceDays < 0) problems.push({ path: '/sessionGraceDays', message: 'must be a whole number of days ≥ 0' });
  }
  return problems;
}

/**
 * Is `at` inside [opensAt, closesAt)? A window closing at 12:00 refuses 12:00:00 (締切
 * 12:00 means the application must be in before noon).
 */
export function isWithinWindow(window: { opensAt: string; closesAt: string }, at: number): boolean {
  const opens = parseInstant(window.opensAt);
  const closes = parseInstant(window.closesAt);
  return opens !== null && closes !== null && at >= opens && at < closes;
}

// A program year (年度) holds one program's rules for one fiscal year. Rules are data:
// next year's call is a new program year, never new code.
import type { FieldProblem } from './errors.js';
import { isValidRate, type Rate } from './money.js';
import { fiscalYearBounds, isValidDate, parseInstant, startOfJstDay } from './time.js';
import { EXPENSE_CATEGORIES } from './subsidy/expenses.js';

export const PROCEDURES = ['filing', 'office_action_response', 'examination_request'] as const;
export type Procedure = (typeof PROCEDURES)[number];

export const RIGHT_TYPES = ['patent', 'utility_model', 'design', 'trademark', 'anti_squatting_trademark'] as const;
export type RightType = (typeof RIGHT_TYPES)[number];

export const APPLICANT_KINDS = ['sme', 'sme_startup', 'small_enterprise', 'university', 'business_cooperative',
  'society_of_commerce', 'chamber_of_commerce', 'npo', 'municipality', 'agricultural_cooperative',
  'large_enterprise', 'other_group', 'fishery_cooperative', 'public_research_institute', 'individual_business'] as const;
export type ApplicantKind = (typeof APPLICANT_KINDS)[number];

export interface ApplicationWindow {
  label: string;
  procedures: Procedure[];
  opensAt: string;
  closesAt: string;
  /** Overrides the year's reportDeadline for cases received in this window. */
  reportDeadline?: string;
}

/**
 * Who may apply for what, and which costs count (v1.1): data of the year. A PUT may leave any
 * of them out; it then takes the FY2024 value (FY2024_ELIGIBILITY), so v1 bodies stay valid.
 */
export interface OverseasIpEligibility {
  eligibleApplicantKinds: ApplicantKind[];
  /** Kinds that may apply only to file a regional collective trademark (地域団体商標). */
  regionalCollectiveTrademarkKinds: ApplicantKind[];
  rightTypes: Record<Procedure, RightType[]>;
  eligibleCostCategories: string[];
  perApplicantCapExemptKinds: ApplicantKind[];
  /** At most this many live cases per applicant, right type and year (counted at intake). */
  perApplicantCountLimits: Partial<Record<RightType, number>>;
}

/** The FY2024 (令和6年度) values of the v1.1 fields, from the seed and public guidance (shared/domain.md). */
export const FY2024_ELIGIBILITY: OverseasIpEligibility = {
  eligibleApplicantKinds: ['sme', 'sme_startup', 'small_enterprise', 'university', 'individual_business', 'public_research_institute'],
  regionalCollectiveTrademarkKinds: ['business_cooperative', 'society_of_commerce', 'chamber_of_commerce', 'npo', 'agricultural_cooperative', 'fishery_cooperative'],
  rightTypes: {
    filing: ['patent', 'utility_model', 'design', 'trademark', 'anti_squatting_trademark'],
    office_action_response: ['patent'],
    examination_request: ['patent'],
  },
  eligibleCostCategories: ['foreign_office_fee', 'domestic_agent_fee', 'local_agent_fee', 'translation_fee'],
  perApplicantCapExemptKinds: ['university'],
  perApplicantCountLimits: {},
};

/** A year as a PUT may send it: the v1.1 fields optional. */
export type OverseasIpYearBody = Omit<OverseasIpYear, keyof OverseasIpEligibility> & Partial<OverseasIpEligibility>;

/** The year with every v1.1 field, a missing one taking its FY2024 value. */
export function completeOverseasIpYear<Y extends OverseasIpYearBody>(body: Y): Y & OverseasIpEligibility {
  const d = FY2024_ELIGIBILITY;
  return {
    ...body,
    eligibleApplicantKinds: body.eligibleApplicantKinds ?? [...d.eligibleApplicantKinds],
    regionalCollectiveTrademarkKinds: body.regionalCollectiveTrademarkKinds ?? [...d.regionalCollectiveTrademarkKinds],
    rightTypes: body.rightTypes ?? structuredClone(d.rightTypes),
    eligibleCostCategories: body.eligibleCostCategories ?? [...d.eligibleCostCategories],
    perApplicantCapExemptKinds: body.perApplicantCapExemptKinds ?? [...d.perApplicantCapExemptKinds],
    perApplicantCountLimits: body.perApplicantCountLimits ?? {},
  };
}

/** Any year's rules with the v1.1 fields filled in (other programs unchanged). */
export function completeRules<R extends ProgramYearRules | (OverseasIpYearBody & { id?: string })>(rules: R): R {
  return rules.program === 'overseas_ip_subsidy' ? completeOverseasIpYear(rules as OverseasIpYearBody) as R : rules;
}

export interface OverseasIpYear extends OverseasIpEligibility {
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
      if (w.reportDeadline !== undefined && parseInstant(w.reportDeadline) === null) problems.push({ path: `/windows/${i}/reportDeadline`, message: 'must be an RFC 3339 instant with an offset' });
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
    problems.push(...eligibilityProblems(rules));
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

const known = (list: readonly string[]) => (value: string): boolean => list.includes(value);

/** The v1.1 lists: every kind, right type and category known; a kind in at most one of the two kind lists. */
function eligibilityProblems(rules: OverseasIpYear): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const listOf = (path: string, values: readonly string[], isKnown: (v: string) => boolean, what: string): void => {
    values.forEach((v, i) => { if (!isKnown(v)) problems.push({ path: `${path}/${i}`, message: `${v} is not a known ${what}` }); });
    if (new Set(values).size !== values.length) problems.push({ path, message: 'must not repeat a value' });
  };
  listOf('/eligibleApplicantKinds', rules.eligibleApplicantKinds, known(APPLICANT_KINDS), 'applicant kind');
  listOf('/regionalCollectiveTrademarkKinds', rules.regionalCollectiveTrademarkKinds, known(APPLICANT_KINDS), 'applicant kind');
  listOf('/perApplicantCapExemptKinds', rules.perApplicantCapExemptKinds, known(APPLICANT_KINDS), 'applicant kind');
  rules.regionalCollectiveTrademarkKinds.forEach((k, i) => {
    if (rules.eligibleApplicantKinds.includes(k)) problems.push({ path: `/regionalCollectiveTrademarkKinds/${i}`, message: `${k} is already in eligibleApplicantKinds: a kind is in at most one of the two lists` });
  });
  listOf('/eligibleCostCategories', rules.eligibleCostCategories, (c) => c !== 'other' && known(EXPENSE_CATEGORIES)(c), 'cost category the program may pay');
  for (const [procedure, rights] of Object.entries(rules.rightTypes)) {
    const path = `/rightTypes/${procedure}`;
    if (!known(PROCEDURES)(procedure)) { problems.push({ path, message: `${procedure} is not a known procedure` }); continue; }
    listOf(path, rights, known(RIGHT_TYPES), 'right type');
    rights.forEach((r, i) => {
      if (known(RIGHT_TYPES)(r) && rules.caps[procedure as Procedure]?.[r as RightType] === undefined) problems.push({ path: `${path}/${i}`, message: `${r} has no cap under caps/${procedure}` });
    });
  }
  for (const [right, limit] of Object.entries(rules.perApplicantCountLimits)) {
    const path = `/perApplicantCountLimits/${right}`;
    if (!known(RIGHT_TYPES)(right)) problems.push({ path, message: `${right} is not a known right type` });
    else if (!Number.isSafeInteger(limit) || (limit ?? 0) <= 0) problems.push({ path, message: 'must be a positive whole number of cases' });
  }
  return problems;
}

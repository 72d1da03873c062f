// What a case keeps of its program year. Caps, rate and rounding are frozen as they were
// when the case was received (api.md: "A case keeps the caps and rate of its program year
// as they were when it was received"); the deadlines (reportDeadline, the status-report
// schedule) follow the program year, so a moved deadline reaches running cases.
import type { Rate } from '../money.js';
import { FY2024_ELIGIBILITY, type ApplicantKind, type OverseasIpYear, type Procedure, type RightType } from '../program-year.js';

export interface StatusReportRules {
  years: number;
  /** MM-DD: the status is reported as of this day each year (31 March). */
  asOf: string;
  /** MM-DD: the report is due by this day (31 May). */
  due: string;
}

/** The frozen money rules of one case. */
export interface CaseTerms {
  fiscalYear: number;
  rate: Rate;
  roundingUnitJpy: number;
  /** Cap per application for this procedure and right (１出願あたり上限). */
  capJpy: number;
  /** Cap per applicant and fiscal year for this procedure; null = none (exempt kind or uncapped procedure). */
  perApplicantCapJpy: number | null;
  applicantKind: ApplicantKind;
  /** The cost categories the program year paid at receipt (v1.1). */
  eligibleCostCategories: string[];
  /** The applicant's share of a co-owned right (持分比率); 1/1 when not co-owned (v1.1). */
  ownershipShare: Rate;
}

export const WHOLE_SHARE: Rate = { numerator: 1, denominator: 1 };

/** Terms frozen before v1.1 lack its fields: they take the FY2024 values. */
export function completeTerms(terms: Omit<CaseTerms, 'eligibleCostCategories' | 'ownershipShare'> & Partial<CaseTerms>): CaseTerms {
  return {
    ...terms,
    eligibleCostCategories: terms.eligibleCostCategories ?? [...FY2024_ELIGIBILITY.eligibleCostCategories],
    ownershipShare: terms.ownershipShare ?? { ...WHOLE_SHARE },
  };
}

/** The deadlines of a case: these follow the program year while the case runs. */
export interface CaseDeadlines {
  reportDeadline: string;
  statusReports: StatusReportRules;
}

/** The per-applicant cap that applies to `kind` for `procedure`, or null when none does. */
export function perApplicantCapOf(year: Pick<OverseasIpYear, 'perApplicantCaps' | 'perApplicantCapExemptKinds'>, procedure: Procedure, kind: ApplicantKind): number | null {
  if (year.perApplicantCapExemptKinds.includes(kind)) return null;
  return year.perApplicantCaps[procedure] ?? null;
}

/** What remains of a cap after what is reserved and settled against it (never below 0). */
export function remainingOfCap(capJpy: number, usedJpy: { reservedJpy: number; settledJpy: number }): number {
  return Math.max(0, capJpy - usedJpy.reservedJpy - usedJpy.settledJpy);
}

export function capOf(year: Pick<OverseasIpYear, 'caps'>, procedure: Procedure, right: RightType): number | null {
  return year.caps[procedure]?.[right] ?? null;
}

/** Freeze the terms for a case that eligibility has accepted (so the cap exists). */
export function termsOf(year: OverseasIpYear, procedure: Procedure, right: RightType, kind: ApplicantKind, ownershipShare: Rate = WHOLE_SHARE): CaseTerms {
  const capJpy = capOf(year, procedure, right);
  if (capJpy === null) throw new RangeError(`no cap for ${procedure}/${right}: check eligibility first`);
  return {
    fiscalYear: year.fiscalYear,
    rate: { ...year.rate },
    roundingUnitJpy: year.roundingUnitJpy,
    capJpy,
    perApplicantCapJpy: perApplicantCapOf(year, procedure, kind),
    applicantKind: kind,
    eligibleCostCategories: [...(year.eligibleCostCategories ?? FY2024_ELIGIBILITY.eligibleCostCategories)],
    ownershipShare: { ...ownershipShare },
  };
}

/**
 * The deadlines of a case received through the window labelled `windowLabel`: that
 * window's own reportDeadline when it has one, else the year's.
 */
export function deadlinesOf(year: Pick<OverseasIpYear, 'reportDeadline' | 'statusReports'> & { windows?: OverseasIpYear['windows'] }, windowLabel?: string | null): CaseDeadlines {
  const window = windowLabel ? year.windows?.find((w) => w.label === windowLabel) : undefined;
  return { reportDeadline: window?.reportDeadline ?? year.reportDeadline, statusReports: { ...year.statusReports } };
}

/** The per-application (１出願) key of a base application number: NFKC, then no spaces, hyphens or dashes. */
export function baseApplicationKey(jpoApplicationNumber: string): string {
  return jpoApplicationNumber.normalize('NFKC').replace(/[\s\-\u2010-\u2015\u2212\u30fc\uff70]/gu, '').toUpperCase();
}

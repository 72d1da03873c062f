// What a case keeps of its program year. Caps, rate and rounding are frozen as they were
// when the case was received (api.md: "A case keeps the caps and rate of its program year
// as they were when it was received"); the deadlines (reportDeadline, the status-report
// schedule) follow the program year, so a moved deadline reaches running cases.
import type { Rate } from '../money.js';
import type { ApplicantKind, OverseasIpYear, Procedure, RightType } from '../program-year.js';

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
export function termsOf(year: OverseasIpYear, procedure: Procedure, right: RightType, kind: ApplicantKind): CaseTerms {
  const capJpy = capOf(year, procedure, right);
  if (capJpy === null) throw new RangeError(`no cap for ${procedure}/${right}: check eligibility first`);
  return {
    fiscalYear: year.fiscalYear,
    rate: { ...year.rate },
    roundingUnitJpy: year.roundingUnitJpy,
    capJpy,
    perApplicantCapJpy: perApplicantCapOf(year, procedure, kind),
    applicantKind: kind,
  };
}

export function deadlinesOf(year: Pick<OverseasIpYear, 'reportDeadline' | 'statusReports'>): CaseDeadlines {
  return { reportDeadline: year.reportDeadline, statusReports: { ...year.statusReports } };
}

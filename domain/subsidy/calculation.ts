// The money of a case, each calculation with the steps that produced it (the trace the
// case view shows). Integer yen only; every division floors (domain/money.ts).
//
// Costs are recorded as invoiced, tax included: `amountJpy` is what was invoiced or paid
// and `consumptionTaxJpy` the consumption tax or foreign VAT inside it, which is never
// eligible. The program's own worked example reads that way: ¥1,394,000 invoiced,
// ¥1,330,000 eligible once tax is stripped, ¥665,000 subsidy at 1/2.
import { DomainError } from '../errors.js';
import { applyRate, floorToUnit, minYen, sumYen, type Rate } from '../money.js';
import type { CaseTerms } from './terms.js';
import type { IneligibleReason } from './expenses.js';

export interface CalculationStep {
  /** Machine name of the step: `invoiced`, `less_tax`, `times_rate`, … */
  step: string;
  description: string;
  /** The value this step produces; deductions (`less_…`) are negative. */
  amountJpy: number;
}

export interface Calculation {
  resultJpy: number;
  steps: CalculationStep[];
}

const yen = (n: number): string => `¥${n.toLocaleString('en-US')}`;
const rateText = (rate: Rate): string => `${rate.numerator}/${rate.denominator}`;

const isWhole = (share: Rate): boolean => share.numerator === share.denominator;

/**
 * eligible × the applicant's share (when co-owned), × rate, rounded down to the unit,
 * capped: the common tail of both calculations. Each product floors.
 */
function grantOf(eligibleJpy: number, share: Rate, rate: Rate, unitJpy: number, cap: { jpy: number; label: string }): Calculation {
  const shared = applyRate(eligibleJpy, share);
  const timesRate = applyRate(shared, rate);
  const rounded = floorToUnit(timesRate, unitJpy);
  const capped = minYen(rounded, cap.jpy);
  return {
    resultJpy: capped,
    steps: [
      ...(isWhole(share) ? [] : [{ step: 'times_share', description: `× the applicant's share ${rateText(share)} of the co-owned right (持分比率)`, amountJpy: shared }]),
      { step: 'times_rate', description: `× rate ${rateText(rate)} (補助率)`, amountJpy: timesRate },
      { step: 'rounded_down', description: `rounded down to a multiple of ${yen(unitJpy)}`, amountJpy: rounded },
      { step: 'capped', description: `at most ${cap.label} ${yen(cap.jpy)}`, amountJpy: capped },
    ],
  };
}

export interface EstimatedCost {
  category: string;
  amountJpy: number;
  consumptionTaxJpy?: number;
  country?: string;
}

/**
 * maxGrantJpy at intake = min(what remains of the per-application cap, eligible estimate ×
 * share × rate rounded down). Costs of a category the program does not pay (`other`) and
 * all tax drop out first. `usedJpy`: what earlier live cases on the same base application
 * (１出願, this fiscal year) reserved or were paid.
 */
export function maxGrantOf(costs: readonly EstimatedCost[], terms: Pick<CaseTerms, 'rate' | 'roundingUnitJpy' | 'capJpy' | 'eligibleCostCategories'> & Partial<Pick<CaseTerms, 'ownershipShare'>>, usedJpy = 0): Calculation & { eligibleCostJpy: number } {
  const isEligibleCategory = (category: string) => terms.eligibleCostCategories.includes(category);
  const remaining = Math.max(0, terms.capJpy - usedJpy);
  const invoiced = sumYen(costs.map((c) => c.amountJpy));
  const notEligible = costs.filter((c) => !isEligibleCategory(c.category));
  const eligibleItems = costs.filter((c) => isEligibleCategory(c.category));
  const lessCategory = sumYen(notEligible.map((c) => c.amountJpy));
  const lessTax = sumYen(eligibleItems.map((c) => c.consumptionTaxJpy ?? 0));
  const eligible = invoiced - lessCategory - lessTax;
  const tail = grantOf(eligible, terms.ownershipShare ?? { numerator: 1, denominator: 1 }, terms.rate, terms.roundingUnitJpy, usedJpy > 0
    ? { jpy: remaining, label: `what remains of the cap per application (１出願あたり上限 ${yen(terms.capJpy)}, of which earlier cases on the same base application used ${yen(usedJpy)})` }
    : { jpy: terms.capJpy, label: 'the cap per application (１出願あたり上限)' });
  return {
    resultJpy: tail.resultJpy,
    eligibleCostJpy: eligible,
    steps: [
      { step: 'invoiced', description: `estimated costs as invoiced, tax included (${costs.length} item${costs.length === 1 ? '' : 's'})`, amountJpy: invoiced },
      { step: 'less_category_not_eligible', description: 'less costs of a category the program does not pay', amountJpy: -lessCategory },
      { step: 'less_tax', description: 'less consumption tax and foreign VAT (never eligible)', amountJpy: -lessTax },
      { step: 'eligible_cost', description: 'eligible estimate (補助対象経費)', amountJpy: eligible },
      ...tail.steps,
      { step: 'max_grant', description: 'maximum grant for this application', amountJpy: tail.resultJpy },
    ],
  };
}

export interface ExpenseForDetermination {
  id: string;
  amountJpy: number;
  consumptionTaxJpy: number;
  eligible: boolean;
  ineligibleReason: IneligibleReason | null;
  /** The confirmation: true accepted, false refused, null not yet confirmed. */
  accepted: boolean | null;
}

/**
 * determinedJpy = min(grantLimitJpy, Σ accepted eligible amounts (tax stripped) × rate,
 * rounded down). Every expense must be confirmed first.
 */
export function determinationOf(expenses: readonly ExpenseForDetermination[], terms: Pick<CaseTerms, 'rate' | 'roundingUnitJpy'> & Partial<Pick<CaseTerms, 'ownershipShare'>>, grantLimitJpy: number): Calculation & { eligibleCostJpy: number } {
  const unconfirmed = expenses.filter((e) => e.accepted === null);
  if (unconfirmed.length > 0) {
    throw new DomainError('expenses_not_confirmed', `${unconfirmed.length} expense(s) are not confirmed yet: ${unconfirmed.map((e) => e.id).join(', ')}`);
  }
  const invoiced = sumYen(expenses.map((e) => e.amountJpy));
  const refused = expenses.filter((e) => e.accepted === false);
  const ineligible = expenses.filter((e) => e.accepted === true && !e.eligible);
  const counted = expenses.filter((e) => e.accepted === true && e.eligible);
  const lessRefused = sumYen(refused.map((e) => e.amountJpy));
  const lessIneligible = sumYen(ineligible.map((e) => e.amountJpy));
  const lessTax = sumYen(counted.map((e) => e.consumptionTaxJpy));
  const eligible = invoiced - lessRefused - lessIneligible - lessTax;
  const tail = grantOf(eligible, terms.ownershipShare ?? { numerator: 1, denominator: 1 }, terms.rate, terms.roundingUnitJpy, { jpy: grantLimitJpy, label: 'the grant limit (交付決定額)' });
  const ids = (list: readonly ExpenseForDetermination[]) => (list.length ? `: ${list.map((e) => e.id).join(', ')}` : '');
  return {
    resultJpy: tail.resultJpy,
    eligibleCostJpy: eligible,
    steps: [
      { step: 'invoiced', description: `expenses as paid, tax included (${expenses.length})`, amountJpy: invoiced },
      { step: 'less_not_accepted', description: `less expenses not accepted in confirmation${ids(refused)}`, amountJpy: -lessRefused },
      { step: 'less_not_eligible', description: `less expenses that are not eligible (before the decision, a category the program does not pay, a country not approved or filed before the decision)${ids(ineligible)}`, amountJpy: -lessIneligible },
      { step: 'less_tax', description: 'less consumption tax and foreign VAT (never eligible)', amountJpy: -lessTax },
      { step: 'eligible_cost', description: 'accepted eligible cost (補助対象経費)', amountJpy: eligible },
      ...tail.steps,
      { step: 'determined', description: 'determined amount (確定額)', amountJpy: tail.resultJpy },
    ],
  };
}

/** A grant limit asked for may be lower than what is allowed, never higher (422 grant_limit_too_high). */
export function assertGrantLimitAllowed(requestedJpy: number | null, allowedJpy: number, why = `max grant ${yen(allowedJpy)}`): void {
  if (requestedJpy !== null && requestedJpy > allowedJpy) {
    throw new DomainError('grant_limit_too_high', `grantLimitJpy ${yen(requestedJpy)} exceeds the ${yen(allowedJpy)} allowed (${why})`,
      [{ path: 'body/grantLimitJpy', message: `must be at most ${allowedJpy}` }]);
  }
}

/**
 * The grant limit (交付決定額) of an approval: by default min(maxGrantJpy, what remains of
 * the per-applicant cap); a limit asked for may be lower, never higher. `remainingJpy` is
 * null when no per-applicant cap applies.
 */
export function grantLimitOf(input: {
  maxGrantJpy: number; remainingJpy: number | null; requestedJpy?: number | null; perApplicantCapJpy?: number | null;
  /** What remains of the per-application cap (１出願, this fiscal year); absent when none is kept. */
  perApplication?: { capJpy: number; remainingJpy: number } | null;
}): Calculation {
  const { maxGrantJpy, remainingJpy } = input;
  const perApplication = input.perApplication ?? null;
  if (perApplication !== null && perApplication.remainingJpy <= 0) {
    throw new DomainError('per_application_cap_exhausted', `Nothing remains of the cap per application of ${yen(perApplication.capJpy)} for this base application and year: earlier cases on it reserved or were paid all of it`);
  }
  if (remainingJpy !== null && remainingJpy <= 0) {
    throw new DomainError('per_applicant_cap_exhausted', `Nothing remains of the applicant's per-applicant cap${input.perApplicantCapJpy ? ` of ${yen(input.perApplicantCapJpy)}` : ''} for this procedure and year`);
  }
  const allowed = minYen(maxGrantJpy, ...(remainingJpy === null ? [] : [remainingJpy]), ...(perApplication === null ? [] : [perApplication.remainingJpy]));
  const requested = input.requestedJpy ?? null;
  if (allowed <= 0) {
    throw new DomainError('grant_limit_too_high', 'The maximum grant of this case is ¥0: no grant limit is allowed', [{ path: 'body/grantLimitJpy', message: 'at most ¥0 is allowed' }]);
  }
  assertGrantLimitAllowed(requested, allowed, `max grant ${yen(maxGrantJpy)}${remainingJpy === null ? '' : `, per-applicant cap remaining ${yen(remainingJpy)}`}${perApplication === null ? '' : `, per-application cap remaining ${yen(perApplication.remainingJpy)}`}`);
  const limit = requested ?? allowed;
  return {
    resultJpy: limit,
    steps: [
      { step: 'max_grant', description: 'maximum grant of the application', amountJpy: maxGrantJpy },
      ...(remainingJpy === null
        ? [{ step: 'no_per_applicant_cap', description: 'no per-applicant cap applies (procedure or applicant kind exempt)', amountJpy: maxGrantJpy }]
        : [{ step: 'per_applicant_remaining', description: 'remaining of the per-applicant cap (１法人あたり上限)', amountJpy: remainingJpy }]),
      ...(perApplication === null ? [] : [{ step: 'per_application_remaining', description: 'remaining of the cap per application (１出願あたり上限) after earlier cases on the same base application this year', amountJpy: perApplication.remainingJpy }]),
      { step: 'allowed', description: 'the most that may be granted', amountJpy: allowed },
      { step: 'grant_limit', description: requested === null ? 'grant limit (交付決定額), the most allowed' : 'grant limit (交付決定額) as decided', amountJpy: limit },
    ],
  };
}

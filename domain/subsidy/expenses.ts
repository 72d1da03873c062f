// Payment evidence (expenses) and which of it the program pays (補助対象経費). Which
// categories count is data of the program year, frozen into the case's terms at intake.
export const EXPENSE_CATEGORIES = ['foreign_office_fee', 'domestic_agent_fee', 'local_agent_fee', 'translation_fee', 'other'] as const;
export type ExpenseCategory = (typeof EXPENSE_CATEGORIES)[number];

/** The one category whose cost is not tied to a country (the domestic agent's fee). */
export const COUNTRYLESS_CATEGORIES: readonly string[] = ['domestic_agent_fee'];
export const needsCountry = (category: string): boolean => !COUNTRYLESS_CATEGORIES.includes(category);

export type IneligibleReason = 'before_decision' | 'category_not_eligible' | 'country_not_approved' | 'filed_before_decision';

export interface ExpenseEligibility {
  eligible: boolean;
  ineligibleReason: IneligibleReason | null;
  /** amountJpy less tax when eligible, else 0. */
  eligibleAmountJpy: number;
}

/** What the case knows when it judges an expense. */
export interface ExpenseRules {
  /** The JST date of the support decision. */
  decidedOn: string;
  eligibleCostCategories: readonly string[];
  /** null: no restriction (a case from before countries were approved). */
  approvedCountries: readonly string[] | null;
  /** Countries whose foreign filing was made before the decision: nothing there is paid. */
  filedBeforeDecision: readonly string[];
}

/**
 * Only costs incurred after the support decision count (支援決定後に発生した費用). The
 * decision is an instant; a cost carries a Japan calendar date, so a cost incurred on a
 * day before the decision's JST date is `before_decision` and one on the decision day
 * counts. In order of precedence: a category the program does not pay
 * (`category_not_eligible`), a country not approved (`country_not_approved`), a country
 * whose filing came before the decision (`filed_before_decision`), then the date.
 */
export function expenseEligibility(expense: { category: string; country?: string | null; incurredOn: string; amountJpy: number; consumptionTaxJpy: number }, rules: ExpenseRules): ExpenseEligibility {
  const no = (reason: IneligibleReason): ExpenseEligibility => ({ eligible: false, ineligibleReason: reason, eligibleAmountJpy: 0 });
  if (!rules.eligibleCostCategories.includes(expense.category)) return no('category_not_eligible');
  const country = expense.country ?? null;
  if (country !== null && rules.approvedCountries !== null && !rules.approvedCountries.includes(country)) return no('country_not_approved');
  if (country !== null && rules.filedBeforeDecision.includes(country)) return no('filed_before_decision');
  if (expense.incurredOn < rules.decidedOn) return no('before_decision');
  return { eligible: true, ineligibleReason: null, eligibleAmountJpy: expense.amountJpy - expense.consumptionTaxJpy };
}

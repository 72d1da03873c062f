// Payment evidence (expenses) and which of it the program pays (補助対象経費).
export const EXPENSE_CATEGORIES = ['foreign_office_fee', 'domestic_agent_fee', 'local_agent_fee', 'translation_fee', 'other'] as const;
export type ExpenseCategory = (typeof EXPENSE_CATEGORIES)[number];

/** (1) fees to foreign patent offices, (2) domestic and local agents for (1), (3) translation for (1). */
export const ELIGIBLE_CATEGORIES: readonly string[] = ['foreign_office_fee', 'domestic_agent_fee', 'local_agent_fee', 'translation_fee'];
export const isEligibleCategory = (category: string): boolean => ELIGIBLE_CATEGORIES.includes(category);

export type IneligibleReason = 'before_decision' | 'category_not_eligible';

export interface ExpenseEligibility {
  eligible: boolean;
  ineligibleReason: IneligibleReason | null;
  /** amountJpy less tax when eligible, else 0. */
  eligibleAmountJpy: number;
}

/**
 * Only costs incurred after the support decision count (支援決定後に発生した費用). The
 * decision is an instant; a cost carries a Japan calendar date, so a cost incurred on a
 * day before the decision's JST date is `before_decision` and one on the decision day
 * counts. A category the program does not pay (`other`) is `category_not_eligible`,
 * which wins when both apply.
 */
export function expenseEligibility(expense: { category: string; incurredOn: string; amountJpy: number; consumptionTaxJpy: number }, decidedOn: string): ExpenseEligibility {
  if (!isEligibleCategory(expense.category)) return { eligible: false, ineligibleReason: 'category_not_eligible', eligibleAmountJpy: 0 };
  if (expense.incurredOn < decidedOn) return { eligible: false, ineligibleReason: 'before_decision', eligibleAmountJpy: 0 };
  return { eligible: true, ineligibleReason: null, eligibleAmountJpy: expense.amountJpy - expense.consumptionTaxJpy };
}

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { determinationOf, grantLimitOf, maxGrantOf, type ExpenseForDetermination } from '../../../domain/subsidy/calculation.js';
import { expenseEligibility, EXPENSE_CATEGORIES, type ExpenseRules } from '../../../domain/subsidy/expenses.js';
import { FY2024_ELIGIBILITY } from '../../../domain/program-year.js';
import { DomainError } from '../../../domain/errors.js';

const eligibleCostCategories = FY2024_ELIGIBILITY.eligibleCostCategories;
const terms = { rate: { numerator: 1, denominator: 2 }, roundingUnitJpy: 1000, capJpy: 1_500_000, eligibleCostCategories };
/** The expense rules of a case decided on `decidedOn` (every country approved, none filed before the decision). */
const decided = (decidedOn: string, more: Partial<ExpenseRules> = {}): ExpenseRules => ({ decidedOn, eligibleCostCategories, approvedCountries: null, filedBeforeDecision: [], ...more });
const codeOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (error) {
    if (error instanceof DomainError) return error.code;
    throw error;
  }
  return undefined;
};

describe("the program's worked example (sample form)", () => {
  // ¥1,394,000 invoiced; the domestic agent's invoice carries ¥64,000 consumption tax
  // (foreign fees carry none); ¥1,330,000 eligible; subsidy ¥665,000.
  const decidedOn = '2024-09-02';
  const paid = [
    { id: 'e1', category: 'foreign_office_fee', amountJpy: 450_000, consumptionTaxJpy: 0 },
    { id: 'e2', category: 'local_agent_fee', amountJpy: 240_000, consumptionTaxJpy: 0 },
    { id: 'e3', category: 'domestic_agent_fee', amountJpy: 704_000, consumptionTaxJpy: 64_000 },
  ];

  it('determines ¥665,000 from ¥1,394,000 invoiced, step by step', () => {
    const expenses: ExpenseForDetermination[] = paid.map((e) => {
      const eligibility = expenseEligibility({ ...e, incurredOn: '2024-09-10' }, decided(decidedOn));
      return { id: e.id, amountJpy: e.amountJpy, consumptionTaxJpy: e.consumptionTaxJpy, eligible: eligibility.eligible, ineligibleReason: eligibility.ineligibleReason, accepted: true };
    });
    const result = determinationOf(expenses, terms, 1_500_000);
    expect(result.resultJpy).toBe(665_000);
    expect(result.eligibleCostJpy).toBe(1_330_000);
    const step = (name: string) => result.steps.find((s) => s.step === name)?.amountJpy;
    expect(step('invoiced')).toBe(1_394_000);
    expect(step('less_tax')).toBe(-64_000);
    expect(step('eligible_cost')).toBe(1_330_000);
    expect(step('times_rate')).toBe(665_000);
    expect(step('rounded_down')).toBe(665_000);
    expect(step('determined')).toBe(665_000);
  });

  it('gives the same maximum grant from the same figures as an estimate', () => {
    const result = maxGrantOf(paid, terms);
    expect(result.resultJpy).toBe(665_000);
    expect(result.eligibleCostJpy).toBe(1_330_000);
    expect(result.steps.map((s) => s.step)).toEqual(['invoiced', 'less_category_not_eligible', 'less_tax', 'eligible_cost', 'times_rate', 'rounded_down', 'capped', 'max_grant']);
  });
});

describe('maximum grant at intake', () => {
  it('rounds down to the unit, then caps', () => {
    expect(maxGrantOf([{ category: 'translation_fee', amountJpy: 1_999 }], terms).resultJpy).toBe(0);
    expect(maxGrantOf([{ category: 'translation_fee', amountJpy: 333_333 }], terms).resultJpy).toBe(166_000);
    expect(maxGrantOf([{ category: 'foreign_office_fee', amountJpy: 5_000_000 }], terms).resultJpy).toBe(1_500_000);
  });

  it('never counts tax or the `other` category', () => {
    const result = maxGrantOf([
      { category: 'foreign_office_fee', amountJpy: 100_000, consumptionTaxJpy: 10_000 },
      { category: 'other', amountJpy: 900_000 },
    ], terms);
    expect(result.eligibleCostJpy).toBe(90_000);
    expect(result.resultJpy).toBe(45_000);
  });
});

describe('expense eligibility', () => {
  it('counts costs from the decision day (JST) on, of the four eligible categories', () => {
    const base = { category: 'foreign_office_fee', amountJpy: 110_000, consumptionTaxJpy: 10_000 };
    expect(expenseEligibility({ ...base, incurredOn: '2024-09-01' }, decided('2024-09-02'))).toEqual({ eligible: false, ineligibleReason: 'before_decision', eligibleAmountJpy: 0 });
    expect(expenseEligibility({ ...base, incurredOn: '2024-09-02' }, decided('2024-09-02'))).toEqual({ eligible: true, ineligibleReason: null, eligibleAmountJpy: 100_000 });
    expect(expenseEligibility({ ...base, category: 'other', incurredOn: '2024-09-01' }, decided('2024-09-02')).ineligibleReason).toBe('category_not_eligible');
  });
});

describe('determination', () => {
  it('needs every expense confirmed', () => {
    const e: ExpenseForDetermination = { id: 'e1', amountJpy: 1000, consumptionTaxJpy: 0, eligible: true, ineligibleReason: null, accepted: null };
    expect(codeOf(() => determinationOf([e], terms, 1000))).toBe('expenses_not_confirmed');
  });

  it('counts only accepted eligible expenses, never above the grant limit', () => {
    const expenses: ExpenseForDetermination[] = [
      { id: 'a', amountJpy: 400_000, consumptionTaxJpy: 0, eligible: true, ineligibleReason: null, accepted: true },
      { id: 'b', amountJpy: 300_000, consumptionTaxJpy: 0, eligible: true, ineligibleReason: null, accepted: false },
      { id: 'c', amountJpy: 200_000, consumptionTaxJpy: 0, eligible: false, ineligibleReason: 'before_decision', accepted: true },
    ];
    expect(determinationOf(expenses, terms, 1_000_000).resultJpy).toBe(200_000);
    expect(determinationOf(expenses, terms, 150_000).resultJpy).toBe(150_000);
  });
});

describe('grant limit at approval', () => {
  it('defaults to min(max grant, remaining per-applicant cap)', () => {
    expect(grantLimitOf({ maxGrantJpy: 850_000, remainingJpy: 3_000_000 }).resultJpy).toBe(850_000);
    expect(grantLimitOf({ maxGrantJpy: 850_000, remainingJpy: 400_000 }).resultJpy).toBe(400_000);
    expect(grantLimitOf({ maxGrantJpy: 850_000, remainingJpy: null }).resultJpy).toBe(850_000);
    expect(grantLimitOf({ maxGrantJpy: 850_000, remainingJpy: 3_000_000, requestedJpy: 500_000 }).resultJpy).toBe(500_000);
  });

  it('refuses with the contract codes', () => {
    expect(codeOf(() => grantLimitOf({ maxGrantJpy: 850_000, remainingJpy: 0 }))).toBe('per_applicant_cap_exhausted');
    expect(codeOf(() => grantLimitOf({ maxGrantJpy: 850_000, remainingJpy: 400_000, requestedJpy: 400_001 }))).toBe('grant_limit_too_high');
    expect(codeOf(() => grantLimitOf({ maxGrantJpy: 850_000, remainingJpy: null, requestedJpy: 850_001 }))).toBe('grant_limit_too_high');
  });
});

describe('properties over random cases', () => {
  const rate = fc.integer({ min: 1, max: 10 }).chain((d) => fc.record({ numerator: fc.integer({ min: 1, max: d }), denominator: fc.constant(d) }));
  const unit = fc.constantFrom(1, 100, 1000, 10_000);
  const expense = fc.record({
    category: fc.constantFrom(...EXPENSE_CATEGORIES),
    amountJpy: fc.integer({ min: 1, max: 5_000_000 }),
    taxShare: fc.double({ min: 0, max: 0.2, noNaN: true }),
    incurredOn: fc.constantFrom('2024-08-30', '2024-09-01', '2024-09-02', '2024-12-24'),
    accepted: fc.boolean(),
  }).map((e) => ({ ...e, consumptionTaxJpy: Math.floor(e.amountJpy * e.taxShare) }));
  const decidedOn = '2024-09-01';

  type RandomExpense = { category: string; amountJpy: number; consumptionTaxJpy: number; incurredOn: string; accepted: boolean };
  const determine = (list: RandomExpense[], r: { numerator: number; denominator: number }, u: number, limit: number) =>
    determinationOf(list.map((e, i) => {
      const el = expenseEligibility(e, decided(decidedOn));
      return { id: `e${i}`, amountJpy: e.amountJpy, consumptionTaxJpy: e.consumptionTaxJpy, eligible: el.eligible, ineligibleReason: el.ineligibleReason, accepted: e.accepted };
    }), { rate: r, roundingUnitJpy: u }, limit);

  it('the determined amount is a whole-yen multiple of the unit (or the limit), within the limit and the rate', () => {
    fc.assert(fc.property(fc.array(expense, { maxLength: 12 }), rate, unit, fc.integer({ min: 1, max: 3_000_000 }), (list, r, u, limit) => {
      const result = determine(list, r, u, limit);
      expect(Number.isSafeInteger(result.resultJpy)).toBe(true);
      expect(result.resultJpy).toBeGreaterThanOrEqual(0);
      expect(result.resultJpy).toBeLessThanOrEqual(limit);
      expect(result.resultJpy * r.denominator).toBeLessThanOrEqual(result.eligibleCostJpy * r.numerator);
      expect(result.resultJpy === limit || result.resultJpy % u === 0).toBe(true);
      // The trace adds up: invoiced less the deductions is the eligible cost.
      const step = (n: string) => result.steps.find((s) => s.step === n)!.amountJpy;
      expect(step('invoiced') + step('less_not_accepted') + step('less_not_eligible') + step('less_tax')).toBe(step('eligible_cost'));
    }));
  });

  it('tax, refused expenses and costs before the decision never change the amount', () => {
    fc.assert(fc.property(fc.array(expense, { maxLength: 12 }), rate, unit, (list, r, u) => {
      const base = determine(list, r, u, 10_000_000).resultJpy;
      const noise = [
        { category: 'foreign_office_fee' as const, amountJpy: 123_456, taxShare: 0, consumptionTaxJpy: 0, incurredOn: '2024-08-31', accepted: true },
        { category: 'translation_fee' as const, amountJpy: 654_321, taxShare: 0, consumptionTaxJpy: 0, incurredOn: '2024-09-05', accepted: false },
        { category: 'other' as const, amountJpy: 99_999, taxShare: 0, consumptionTaxJpy: 0, incurredOn: '2024-09-05', accepted: true },
      ];
      expect(determine([...list, ...noise], r, u, 10_000_000).resultJpy).toBe(base);
      // Adding tax on top of a cost (the net unchanged) changes nothing either.
      const taxed = list.map((e) => ({ ...e, amountJpy: e.amountJpy + 1000, consumptionTaxJpy: e.consumptionTaxJpy + 1000 }));
      expect(determine(taxed, r, u, 10_000_000).resultJpy).toBe(base);
    }));
  });

  it('the maximum grant never exceeds the cap and grows with the estimate', () => {
    fc.assert(fc.property(fc.array(expense, { minLength: 1, maxLength: 10 }), rate, unit, fc.integer({ min: 1000, max: 2_000_000 }), fc.integer({ min: 0, max: 1_000_000 }), (list, r, u, cap, more) => {
      const t = { rate: r, roundingUnitJpy: u, capJpy: cap, eligibleCostCategories };
      const a = maxGrantOf(list, t);
      const b = maxGrantOf([...list, { category: 'foreign_office_fee', amountJpy: more }], t);
      expect(a.resultJpy).toBeLessThanOrEqual(cap);
      expect(b.resultJpy).toBeGreaterThanOrEqual(a.resultJpy);
    }));
  });

  it('a grant limit is never above the max grant nor the remaining cap', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 1_500_000 }), fc.option(fc.integer({ min: 0, max: 3_000_000 })), fc.option(fc.integer({ min: 1, max: 3_000_000 })), (maxGrantJpy, remainingJpy, requestedJpy) => {
      let limit: number;
      try {
        limit = grantLimitOf({ maxGrantJpy, remainingJpy, requestedJpy }).resultJpy;
      } catch (error) {
        expect(error).toBeInstanceOf(DomainError);
        expect(['per_applicant_cap_exhausted', 'grant_limit_too_high']).toContain((error as DomainError).code);
        return;
      }
      expect(limit).toBeGreaterThan(0);
      expect(limit).toBeLessThanOrEqual(maxGrantJpy);
      if (remainingJpy !== null) expect(limit).toBeLessThanOrEqual(remainingJpy);
    }));
  });
});

describe('v1.1: ownership share, countries, the per-application cap (properties)', () => {
  const rate = fc.record({ denominator: fc.integer({ min: 1, max: 10 }) }).chain(({ denominator }) => fc.record({ numerator: fc.integer({ min: 1, max: denominator }), denominator: fc.constant(denominator) }));
  const share = rate;
  const unit = fc.constantFrom(1, 100, 1000, 10_000);
  const COUNTRIES = ['US', 'EP', 'CN', 'KR'] as const;
  const expense = fc.record({
    category: fc.constantFrom(...EXPENSE_CATEGORIES),
    country: fc.constantFrom(...COUNTRIES),
    amountJpy: fc.integer({ min: 1, max: 3_000_000 }),
    consumptionTaxJpy: fc.integer({ min: 0, max: 0 }),
    incurredOn: fc.constantFrom('2024-08-30', '2024-09-02', '2024-12-24'),
    accepted: fc.boolean(),
  });
  const determineWith = (list: { category: string; country: string; amountJpy: number; consumptionTaxJpy: number; incurredOn: string; accepted: boolean }[], rules: ExpenseRules, t: { rate: { numerator: number; denominator: number }; roundingUnitJpy: number; ownershipShare: { numerator: number; denominator: number } }, limit: number) =>
    determinationOf(list.map((e, i) => ({ id: `e${i}`, ...e, ...expenseEligibility(e, rules) })), t, limit);

  it('is floor(floor(floor(eligible × share) × rate) to the unit), capped: each step floors', () => {
    fc.assert(fc.property(fc.array(expense, { maxLength: 10 }), share, rate, unit, fc.integer({ min: 1, max: 5_000_000 }), (list, sh, r, u, limit) => {
      const rules = decided('2024-09-01', { approvedCountries: ['US', 'EP'] });
      const result = determineWith(list, rules, { rate: r, roundingUnitJpy: u, ownershipShare: sh }, limit);
      const eligible = list.filter((e) => e.accepted && e.category !== 'other' && ['US', 'EP'].includes(e.country) && e.incurredOn >= '2024-09-01').reduce((a, e) => a + e.amountJpy, 0);
      const shared = Math.floor((eligible * sh.numerator) / sh.denominator);
      const expected = Math.min(limit, Math.floor(Math.floor((shared * r.numerator) / r.denominator) / u) * u);
      expect(result.eligibleCostJpy).toBe(eligible);
      expect(result.resultJpy).toBe(expected);
      expect(result.resultJpy % u === 0 || result.resultJpy === limit).toBe(true);
      if (sh.numerator !== sh.denominator) expect(result.steps.find((s) => s.step === 'times_share')?.amountJpy).toBe(shared);
      else expect(result.steps.some((s) => s.step === 'times_share')).toBe(false);
    }));
  });

  it('a smaller share never gives more; costs in a country not approved never count', () => {
    fc.assert(fc.property(fc.array(expense, { maxLength: 10 }), share, rate, unit, (list, sh, r, u) => {
      const rules = decided('2024-09-01', { approvedCountries: ['US', 'EP'] });
      const whole = determineWith(list, rules, { rate: r, roundingUnitJpy: u, ownershipShare: { numerator: 1, denominator: 1 } }, 10_000_000).resultJpy;
      const part = determineWith(list, rules, { rate: r, roundingUnitJpy: u, ownershipShare: sh }, 10_000_000).resultJpy;
      expect(part).toBeLessThanOrEqual(whole);
      const elsewhere = list.map((e) => ({ ...e, country: e.country === 'US' || e.country === 'EP' ? 'CN' : e.country }));
      expect(determineWith(elsewhere, rules, { rate: r, roundingUnitJpy: u, ownershipShare: sh }, 10_000_000).resultJpy).toBe(0);
      // A filing before the decision makes its country's costs ineligible, whatever else they are.
      for (const e of list) {
        const el = expenseEligibility(e, { ...rules, filedBeforeDecision: ['US'] });
        if (e.country === 'US' && e.category !== 'other') expect(el.ineligibleReason).toBe('filed_before_decision');
      }
    }));
  });

  it('the maximum grant never exceeds what remains of the per-application cap', () => {
    fc.assert(fc.property(fc.array(expense, { minLength: 1, maxLength: 8 }), share, fc.integer({ min: 0, max: 1_500_000 }), (list, sh, used) => {
      const t = { ...terms, ownershipShare: sh };
      const result = maxGrantOf(list, t, used);
      expect(result.resultJpy).toBeLessThanOrEqual(Math.max(0, 1_500_000 - used));
      expect(result.resultJpy).toBeLessThanOrEqual(maxGrantOf(list, t).resultJpy);
    }));
  });

  it('a co-owned right at 50/50 halves the golden example: ¥1,330,000 eligible → ¥665,000 → half of it shared → ¥332,000', () => {
    const result = maxGrantOf([
      { category: 'foreign_office_fee', amountJpy: 450_000 }, { category: 'local_agent_fee', amountJpy: 240_000 },
      { category: 'domestic_agent_fee', amountJpy: 704_000, consumptionTaxJpy: 64_000 },
    ], { ...terms, ownershipShare: { numerator: 1, denominator: 2 } });
    expect(result.steps.find((s) => s.step === 'times_share')?.amountJpy).toBe(665_000);
    expect(result.resultJpy).toBe(332_000);
  });

  it('the per-application cap: round 2 US/EP ¥3.0M then round 3 CN/KR ¥1.2M on one base application gives ¥1,500,000 in all', () => {
    const round2 = maxGrantOf([{ category: 'foreign_office_fee', amountJpy: 3_000_000, country: 'US' }], terms);
    expect(round2.resultJpy).toBe(1_500_000);
    expect(maxGrantOf([{ category: 'foreign_office_fee', amountJpy: 1_200_000, country: 'CN' }], terms, round2.resultJpy).resultJpy).toBe(0);
    expect(() => grantLimitOf({ maxGrantJpy: 600_000, remainingJpy: null, perApplication: { capJpy: 1_500_000, remainingJpy: 0 } })).toThrow(/cap per application/);
  });
});

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { applyRate, floorToUnit, isValidRate, sumYen } from '../../domain/money.js';

describe('yen arithmetic', () => {
  it('applies a rate by flooring, exactly', () => {
    expect(applyRate(1_330_000, { numerator: 1, denominator: 2 })).toBe(665_000);
    expect(applyRate(1_331_001, { numerator: 1, denominator: 2 })).toBe(665_500);
    expect(applyRate(999, { numerator: 2, denominator: 3 })).toBe(666);
    expect(applyRate(1, { numerator: 1, denominator: 3 })).toBe(0);
  });

  it('never exceeds amount × rate and is within one yen of it', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 2 ** 40 }), fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 1, max: 1000 }), (amount, a, b) => {
      const [numerator, denominator] = a <= b ? [a, b] : [b, a];
      const result = applyRate(amount, { numerator, denominator });
      expect(Number.isSafeInteger(result)).toBe(true);
      expect(BigInt(result) * BigInt(denominator)).toBeLessThanOrEqual(BigInt(amount) * BigInt(numerator));
      expect(BigInt(result + 1) * BigInt(denominator)).toBeGreaterThan(BigInt(amount) * BigInt(numerator));
    }));
  });

  it('rounds down to the unit (千円未満切り捨て)', () => {
    expect(floorToUnit(665_999, 1000)).toBe(665_000);
    expect(floorToUnit(1000, 1000)).toBe(1000);
    fc.assert(fc.property(fc.integer({ min: 0, max: 2 ** 45 }), fc.integer({ min: 1, max: 100_000 }), (amount, unit) => {
      const r = floorToUnit(amount, unit);
      expect(r % unit).toBe(0);
      expect(r).toBeLessThanOrEqual(amount);
      expect(amount - r).toBeLessThan(unit);
    }));
  });

  it('refuses fractions of a yen', () => {
    expect(() => applyRate(10.5, { numerator: 1, denominator: 2 })).toThrow(RangeError);
    expect(() => sumYen([1, 0.1])).toThrow(RangeError);
    expect(() => floorToUnit(1000, 0)).toThrow(RangeError);
  });

  it('accepts only rates in (0, 1]', () => {
    expect(isValidRate({ numerator: 1, denominator: 2 })).toBe(true);
    expect(isValidRate({ numerator: 1, denominator: 1 })).toBe(true);
    expect(isValidRate({ numerator: 0, denominator: 2 })).toBe(false);
    expect(isValidRate({ numerator: 3, denominator: 2 })).toBe(false);
    expect(isValidRate({ numerator: 1.5, denominator: 2 })).toBe(false);
  });
});

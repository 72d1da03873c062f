import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { corporateNumberCheckDigit, isValidCorporateNumber } from '../../domain/corporate-number.js';

describe('法人番号 check digit', () => {
  it('accepts published numbers', () => {
    expect(isValidCorporateNumber('7000012050002')).toBe(true); // 国税庁
    expect(isValidCorporateNumber('5000012010024')).toBe(true); // 総務省... per the 国税庁 example list
  });

  it('refuses a wrong check digit, wrong length or letters', () => {
    expect(isValidCorporateNumber('8000012050002')).toBe(false);
    expect(isValidCorporateNumber('700001205000')).toBe(false);
    expect(isValidCorporateNumber('70000120500a2')).toBe(false);
  });

  it('detects every single-digit change of the base', () => {
    fc.assert(fc.property(fc.stringMatching(/^\d{12}$/), fc.integer({ min: 0, max: 11 }), fc.integer({ min: 1, max: 9 }), (base, pos, delta) => {
      const valid = `${corporateNumberCheckDigit(base)}${base}`;
      expect(isValidCorporateNumber(valid)).toBe(true);
      const changed = base.slice(0, pos) + String((Number(base[pos]) + delta) % 10) + base.slice(pos + 1);
      // A digit weighted 1 or 2 changes the sum mod 9 unless the change is a multiple of 9.
      const weight = (12 - pos) % 2 === 1 ? 1 : 2;
      const diff = ((Number(changed[pos]) - Number(base[pos])) * weight) % 9;
      if (diff !== 0) expect(isValidCorporateNumber(`${valid[0]}${changed}`)).toBe(false);
    }));
  });
});

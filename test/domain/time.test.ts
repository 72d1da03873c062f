import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { fiscalYearOfDate, isValidDate, jstDate, parseInstant, toJstIso } from '../../domain/time.js';

describe('time in Japan', () => {
  it('parses only instants that carry an offset', () => {
    expect(parseInstant('2024-08-20T10:00:00+09:00')).toBe(Date.UTC(2024, 7, 20, 1));
    expect(parseInstant('2024-08-20T01:00:00Z')).toBe(Date.UTC(2024, 7, 20, 1));
    expect(parseInstant('2024-08-20T10:00:00')).toBeNull();
    expect(parseInstant('2024-02-30T10:00:00+09:00')).toBeNull();
    expect(parseInstant('2024-08-20T24:00:00+09:00')).toBeNull();
  });

  it('shows instants in JST and round-trips them', () => {
    expect(toJstIso(Date.UTC(2024, 7, 20, 1))).toBe('2024-08-20T10:00:00+09:00');
    expect(jstDate(Date.parse('2024-03-31T15:00:00Z'))).toBe('2024-04-01');
    fc.assert(fc.property(fc.integer({ min: 0, max: 4_000_000_000_000 }), (ms) => {
      expect(parseInstant(toJstIso(ms))).toBe(ms);
    }));
  });

  it('knows the fiscal year (April to March)', () => {
    expect(fiscalYearOfDate('2024-04-01')).toBe(2024);
    expect(fiscalYearOfDate('2025-03-31')).toBe(2024);
    expect(fiscalYearOfDate('2025-01-15')).toBe(2024);
    expect(isValidDate('2024-02-29')).toBe(true);
    expect(isValidDate('2023-02-29')).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { assertCallWindowOpen } from '../../../domain/brand/call-window.js';
import { DomainError } from '../../../domain/errors.js';

const year2024 = { callWindow: { opensAt: '2024-07-01T00:00:00+09:00', closesAt: '2024-07-31T17:00:00+09:00' } };
const refusal = (at: string) => {
  try {
    assertCallWindowOpen(year2024, Date.parse(at));
    return null;
  } catch (error) {
    return (error as DomainError).code;
  }
};

describe('the call window (公募期間, 17:00 必着)', () => {
  it('is open from 00:00 JST on the first day until just before 17:00 JST on the last', () => {
    expect(refusal('2024-07-01T00:00:00+09:00')).toBeNull();
    expect(refusal('2024-07-15T12:00:00+09:00')).toBeNull();
    expect(refusal('2024-07-31T16:59:59.999+09:00')).toBeNull();
  });

  it('refuses 17:00:00 itself: must arrive means before the hour', () => {
    expect(refusal('2024-07-31T17:00:00+09:00')).toBe('window_closed');
    expect(refusal('2024-07-31T08:00:00Z')).toBe('window_closed');
  });

  it('refuses before the opening, in any offset', () => {
    expect(refusal('2024-06-30T23:59:59+09:00')).toBe('window_closed');
    expect(refusal('2024-06-30T14:59:59Z')).toBe('window_closed');
    expect(refusal('2024-06-30T15:00:00Z')).toBeNull();
  });

  it('says where the problem is', () => {
    expect(() => assertCallWindowOpen(year2024, Date.parse('2024-08-01T09:00:00+09:00'))).toThrow(expect.objectContaining({ errors: [expect.objectContaining({ path: 'body/receivedAt' })] }));
  });
});

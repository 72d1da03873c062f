import { describe, expect, it } from 'vitest';
import { DomainError } from '../../domain/errors.js';
import { dateField, instantField, pastDateField, pastInstantField } from '../../api/fields.js';

const refusal = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return error as DomainError;
  }
  return null;
};

describe('body fields checked beyond the schema', () => {
  const now = Date.parse('2024-08-20T10:00:00+09:00');

  it('accepts real instants with an offset, refuses others with the field path', () => {
    expect(instantField('body/at', '2024-08-20T10:00:00+09:00')).toBe(now);
    const bad = refusal(() => instantField('body/at', '2024-02-30T10:00:00+09:00'));
    expect(bad?.code).toBe('bad_request');
    expect(bad?.errors?.[0]?.path).toBe('body/at');
  });

  it('takes now or earlier for what happened, never later', () => {
    expect(pastInstantField('body/heldAt', '2024-08-20T10:00:00+09:00', now)).toBe(now);
    expect(pastInstantField('body/heldAt', '2024-08-20T09:59:59+09:00', new Date(now))).toBe(now - 1000);
    expect(refusal(() => pastInstantField('body/heldAt', '2024-08-20T10:00:01+09:00', now))?.status).toBe(400);
  });

  it('judges dates on the Japan calendar', () => {
    // 2024-08-20T16:00Z is already the 21st in Japan.
    const evening = Date.parse('2024-08-20T16:00:00Z');
    expect(pastDateField('body/paidOn', '2024-08-21', evening)).toBe('2024-08-21');
    expect(refusal(() => pastDateField('body/paidOn', '2024-08-22', evening))?.errors?.[0]?.path).toBe('body/paidOn');
    expect(dateField('body/dueOn', '2030-01-31')).toBe('2030-01-31');
    expect(refusal(() => dateField('body/dueOn', '2023-02-29'))?.status).toBe(400);
  });
});

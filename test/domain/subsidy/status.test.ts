import { describe, expect, it } from 'vitest';
import { assertCommandAllowed, canMove, CASE_STATUSES, COMMAND_STATUSES, FINAL_STATUSES, TRANSITIONS } from '../../../domain/subsidy/status.js';
import { DomainError } from '../../../domain/errors.js';
import { evidenceTypeOf } from '../../../domain/subsidy/evidence-files.js';

describe('case statuses', () => {
  it('move as the contract says', () => {
    expect(TRANSITIONS.under_review).toEqual(['approved', 'rejected', 'withdrawn']);
    expect(TRANSITIONS.approved).toEqual(['reported', 'withdrawn', 'lapsed']);
    expect(canMove('reported', 'determined')).toBe(true);
    expect(canMove('determined', 'disbursed')).toBe(true);
    expect(canMove('disbursed', 'closed')).toBe(true);
    expect(canMove('reported', 'withdrawn')).toBe(false);
    for (const s of FINAL_STATUSES) expect(TRANSITIONS[s]).toEqual([]);
  });

  it('refuse a command in the wrong status with invalid_state', () => {
    for (const [command, allowed] of Object.entries(COMMAND_STATUSES)) {
      for (const status of CASE_STATUSES) {
        const run = () => assertCommandAllowed(command as keyof typeof COMMAND_STATUSES, status);
        if (allowed.includes(status)) expect(run).not.toThrow();
        else expect(run).toThrow(DomainError);
      }
    }
  });
});

describe('evidence files', () => {
  it('are typed from their bytes', () => {
    expect(evidenceTypeOf(Buffer.from('%PDF-1.7\n…'))).toBe('application/pdf');
    expect(evidenceTypeOf(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]))).toBe('image/png');
    expect(evidenceTypeOf(Buffer.from([0xff, 0xd8, 0xff, 0xe0]))).toBe('image/jpeg');
    expect(evidenceTypeOf(Buffer.from('GIF89a'))).toBeNull();
    expect(evidenceTypeOf(Buffer.from('<html>%PDF-'))).toBeNull();
    expect(evidenceTypeOf(Buffer.alloc(0))).toBeNull();
  });
});

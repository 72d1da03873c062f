import { describe, expect, it } from 'vitest';
import { assertCommandAllowed as assertAllowed, ENGAGEMENT_STATUSES, isClosed, statusAfter, type EngagementCommand, type EngagementStatus } from '../../../domain/brand/engagement.js';
import { assertCanBeHeld, assertScheduled, findSession, isSupportComplete } from '../../../domain/brand/sessions.js';
import { DomainError } from '../../../domain/errors.js';

const allowedIn = (command: EngagementCommand): EngagementStatus[] => ENGAGEMENT_STATUSES.filter((s) => {
  try {
    assertAllowed(command, s);
    return true;
  } catch (error) {
    expect((error as DomainError).code).toBe('invalid_state');
    return false;
  }
});

describe('the engagement state machine', () => {
  it('allows each command in exactly the statuses of the contract', () => {
    expect(allowedIn('selection')).toEqual(['applied']);
    expect(allowedIn('hearing')).toEqual(['selected']);
    expect(allowedIn('plan')).toEqual(['hearing_done']);
    for (const c of ['add session', 'reschedule session', 'cancel session', 'complete session', 'action plan'] as const) expect(allowedIn(c)).toEqual(['in_support']);
    expect(allowedIn('withdrawal')).toEqual(['applied', 'selected', 'hearing_done', 'in_support']);
  });

  it('leads to the contract statuses', () => {
    expect(statusAfter('selection', true)).toBe('selected');
    expect(statusAfter('selection', false)).toBe('not_selected');
    expect(statusAfter('hearing')).toBe('hearing_done');
    expect(statusAfter('plan')).toBe('in_support');
    expect(statusAfter('withdrawal')).toBe('withdrawn');
  });

  it('closes with not_selected, completed and withdrawn', () => {
    expect(ENGAGEMENT_STATUSES.filter(isClosed)).toEqual(['not_selected', 'completed', 'withdrawn']);
  });
});

describe('sessions', () => {
  const lecture = { id: 'a', kind: 'lecture' as const, status: 'scheduled' as const };
  const sharing = { id: 'b', kind: 'action_plan_sharing' as const, status: 'scheduled' as const };

  it('finds a session or answers not_found', () => {
    expect(findSession([lecture, sharing], 'b')).toBe(sharing);
    expect(() => findSession([lecture], 'zz')).toThrow(expect.objectContaining({ code: 'not_found' }));
  });

  it('acts only on scheduled sessions', () => {
    expect(() => assertScheduled({ ...lecture, status: 'held' }, 'cancel session')).toThrow(expect.objectContaining({ code: 'invalid_state' }));
    expect(() => assertScheduled({ ...lecture, status: 'cancelled' }, 'reschedule session')).toThrow(expect.objectContaining({ code: 'invalid_state' }));
  });

  it('holds the sharing session only once an action plan exists', () => {
    expect(() => assertCanBeHeld(sharing, false)).toThrow(expect.objectContaining({ code: 'action_plan_missing' }));
    expect(() => assertCanBeHeld(sharing, true)).not.toThrow();
    expect(() => assertCanBeHeld(lecture, false)).not.toThrow();
  });

  it('completes when every session not cancelled is held', () => {
    expect(isSupportComplete([{ status: 'held' }, { status: 'cancelled' }, { status: 'held' }])).toBe(true);
    expect(isSupportComplete([{ status: 'held' }, { status: 'scheduled' }])).toBe(false);
    expect(isSupportComplete([{ status: 'cancelled' }])).toBe(false);
  });
});

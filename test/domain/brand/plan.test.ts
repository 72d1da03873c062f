import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { assertPlanRules, planViolations, type PlannedSession } from '../../../domain/brand/plan.js';

const lecture = (scheduledAt: number, status: PlannedSession['status'] = 'scheduled'): PlannedSession => ({ kind: 'lecture', scheduledAt, status });
const sharing = (scheduledAt: number, status: PlannedSession['status'] = 'scheduled'): PlannedSession => ({ kind: 'action_plan_sharing', scheduledAt, status });
const codes = (sessions: PlannedSession[]) => planViolations(sessions).map((v) => v.code);

describe('plan rules', () => {
  it('accepts one sharing session after every lecture, and a sharing session alone', () => {
    expect(codes([lecture(1), lecture(2), sharing(3)])).toEqual([]);
    expect(codes([sharing(3), lecture(1)])).toEqual([]);
    expect(codes([sharing(3)])).toEqual([]);
  });

  it('needs at least one session', () => {
    expect(codes([])).toEqual(['session_required']);
    expect(codes([sharing(1, 'cancelled')])).toEqual(['session_required']);
  });

  it('needs exactly one sharing session', () => {
    expect(codes([lecture(1)])).toEqual(['sharing_session_required']);
    expect(codes([lecture(1), sharing(2), sharing(3)])).toEqual(['one_sharing_session_only']);
    expect(planViolations([lecture(1), sharing(2), sharing(3)])[0]!.sessions).toEqual([1, 2]);
  });

  it('puts the sharing session strictly after every lecture', () => {
    expect(codes([lecture(5), sharing(4)])).toEqual(['sharing_session_not_last']);
    expect(codes([lecture(4), sharing(4)])).toEqual(['sharing_session_not_last']);
    expect(planViolations([lecture(1), sharing(4), lecture(9)])[0]!.sessions).toEqual([1, 2]);
  });

  it('ignores cancelled sessions', () => {
    expect(codes([lecture(9, 'cancelled'), sharing(4)])).toEqual([]);
    expect(codes([lecture(1), sharing(2), sharing(3, 'cancelled')])).toEqual([]);
    expect(codes([lecture(1), sharing(2, 'cancelled')])).toEqual(['sharing_session_required']);
  });

  it('counts held sessions like scheduled ones', () => {
    expect(codes([lecture(1, 'held'), sharing(2, 'held')])).toEqual([]);
    expect(codes([lecture(3, 'held'), sharing(2)])).toEqual(['sharing_session_not_last']);
  });

  it('does not depend on the order sessions are listed in', () => {
    const session = fc.record({ kind: fc.constantFrom('lecture' as const, 'action_plan_sharing' as const), scheduledAt: fc.integer({ min: 0, max: 20 }), status: fc.constantFrom('scheduled' as const, 'held' as const, 'cancelled' as const) });
    fc.assert(fc.property(fc.array(session, { maxLength: 8 }), fc.integer(), (sessions, seed) => {
      const shuffled = [...sessions].sort((a, b) => ((a.scheduledAt * 31 + seed) % 7) - ((b.scheduledAt * 31 + seed) % 7));
      expect(codes(shuffled)).toEqual(codes(sessions));
    }));
  });

  it('a valid plan stays valid when a lecture before the sharing session is added', () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: 1000 }), { maxLength: 6 }), fc.integer({ min: 0, max: 1000 }), (lectures, extra) => {
      const last = Math.max(...lectures, extra) + 1;
      const plan = [...lectures.map((t) => lecture(t)), sharing(last)];
      expect(codes(plan)).toEqual([]);
      expect(codes([...plan, lecture(extra)])).toEqual([]);
    }));
  });

  it('throws the first violation with a path per session at fault', () => {
    expect(() => assertPlanRules([lecture(5), sharing(4)], (i) => `body/sessions/${i}`, 'body/sessions')).toThrow(expect.objectContaining({
      code: 'sharing_session_not_last', errors: [{ path: 'body/sessions/1', message: expect.any(String) }, { path: 'body/sessions/0', message: expect.any(String) }],
    }));
    expect(() => assertPlanRules([], (i) => `body/sessions/${i}`, 'body/sessions')).toThrow(expect.objectContaining({ code: 'session_required', errors: [{ path: 'body/sessions', message: expect.any(String) }] }));
  });
});

import type { Clock } from '../domain/time.js';

export const systemClock: Clock = { now: () => new Date() };

/** A clock tests can set and move. */
export function fixedClock(start: Date | string): Clock & { set(to: Date | string): void; advance(ms: number): void } {
  let current = new Date(start);
  return {
    now: () => new Date(current),
    set: (to) => { current = new Date(to); },
    advance: (ms) => { current = new Date(current.getTime() + ms); },
  };
}

/**
 * The processes' clock: real time, unless CLOCK_START sets it to another instant (a demo or
 * a fault test drives the seeded FY2024 year in 2026). It reads CLOCK_START at CLOCK_ANCHOR
 * (a real instant; default: when the process read its config) and advances in real time,
 * so processes started, killed and restarted with the same pair share one clock.
 */
export function clockFromEnv(env: NodeJS.ProcessEnv = process.env, startedAt = Date.now()): Clock {
  if (!env.CLOCK_START) return systemClock;
  const start = Date.parse(env.CLOCK_START);
  const anchor = env.CLOCK_ANCHOR ? Date.parse(env.CLOCK_ANCHOR) : startedAt;
  if (Number.isNaN(start)) throw new Error(`CLOCK_START must be an RFC 3339 instant, got "${env.CLOCK_START}"`);
  if (Number.isNaN(anchor)) throw new Error(`CLOCK_ANCHOR must be an RFC 3339 instant, got "${env.CLOCK_ANCHOR}"`);
  const offset = start - anchor;
  return { now: () => new Date(Date.now() + offset) };
}

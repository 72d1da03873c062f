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
export function clockOf(setting: { start: string | undefined; anchor: string | undefined }, startedAt = Date.now()): Clock {
  if (!setting.start) return systemClock;
  const start = Date.parse(setting.start);
  const anchor = setting.anchor ? Date.parse(setting.anchor) : startedAt;
  if (Number.isNaN(start)) throw new Error(`CLOCK_START must be an RFC 3339 instant, got "${setting.start}"`);
  if (Number.isNaN(anchor)) throw new Error(`CLOCK_ANCHOR must be an RFC 3339 instant, got "${setting.anchor}"`);
  const offset = start - anchor;
  return { now: () => new Date(Date.now() + offset) };
}

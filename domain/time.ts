// Instants are RFC 3339 with an explicit offset; program dates are Japan time (+09:00,
// no daylight saving). Nothing here reads a clock: callers pass `now` in.

export interface Clock {
  now(): Date;
}

const JST_OFFSET_MS = 9 * 60 * 60 * 1000;
const INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Epoch ms of an RFC 3339 instant that carries an offset, or null if it is not one. */
export function parseInstant(text: string): number | null {
  const m = INSTANT.exec(text);
  if (!m) return null;
  const [, y, mo, d, h, mi, s] = m;
  if (!isValidDate(`${y}-${mo}-${d}`) || Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return null;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? null : ms;
}

export function isValidDate(text: string): boolean {
  const m = DATE.exec(text);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const probe = new Date(Date.UTC(y, mo - 1, d));
  return probe.getUTCFullYear() === y && probe.getUTCMonth() === mo - 1 && probe.getUTCDate() === d;
}

/** `2024-08-20T10:00:00+09:00`: how the API shows every instant. */
export function toJstIso(instant: Date | number): string {
  const ms = typeof instant === 'number' ? instant : instant.getTime();
  const shifted = new Date(ms + JST_OFFSET_MS).toISOString(); // YYYY-MM-DDTHH:mm:ss.sssZ
  const millis = shifted.slice(20, 23);
  return `${shifted.slice(0, 19)}${millis === '000' ? '' : `.${millis}`}+09:00`;
}

/** The Japan calendar date of an instant. */
export function jstDate(instant: Date | number): string {
  return toJstIso(instant).slice(0, 10);
}

/** Epoch ms of 00:00 JST on a calendar date. */
export function startOfJstDay(date: string): number {
  return Date.parse(`${date}T00:00:00+09:00`);
}

/** The fiscal year (年度, April to March) a Japan calendar date belongs to. */
export function fiscalYearOfDate(date: string): number {
  const [y, m] = [Number(date.slice(0, 4)), Number(date.slice(5, 7))];
  return m >= 4 ? y : y - 1;
}

export function fiscalYearOfInstant(instant: Date | number): number {
  return fiscalYearOfDate(jstDate(instant));
}

/** [start, end) of a fiscal year in epoch ms, JST. */
export function fiscalYearBounds(fiscalYear: number): { startsAt: number; endsBefore: number } {
  return { startsAt: startOfJstDay(`${fiscalYear}-04-01`), endsBefore: startOfJstDay(`${fiscalYear + 1}-04-01`) };
}

export const DAY_MS = 24 * 60 * 60 * 1000;

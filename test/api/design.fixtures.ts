// Builders for the Program C tests: a design-management year for the current fiscal year
// (its application window and dispatch period run all year), events and dispatches walked
// to the status a test needs. Everything goes through HTTP, as a client would.
import { expect } from 'vitest';
import { randomBytes } from 'node:crypto';
import { DAY_MS, fiscalYearOfInstant, toJstIso } from '../../domain/time.js';
import type { BrandHarness } from './brand-engagements.fixtures.js';

export { useBrandHarness as useDesignHarness, eventually } from './brand-engagements.fixtures.js';

export const at = (offsetMs: number): string => toJstIso(Date.now() + offsetMs);
export const days = (n: number): number => n * DAY_MS;
export const HOUR = 3_600_000;
const suffix = () => randomBytes(3).toString('hex');

export async function designYear(h: BrandHarness, overrides: { companies?: number; maxVisitsPerCompany?: number; visitGraceDays?: number; reminderDaysBefore?: number; window?: { opensAt: string; closesAt: string } } = {}) {
  const fy = fiscalYearOfInstant(Date.now());
  const id = `design-management-t${suffix()}`;
  const body = {
    program: 'design_management', fiscalYear: fy, title: `デザイン経営 テスト ${fy}`,
    dispatch: {
      applicationWindow: overrides.window ?? { opensAt: `${fy}-04-01T00:00:00+09:00`, closesAt: `${fy + 1}-03-31T17:00:00+09:00` },
      visitsFrom: `${fy}-04-01`, visitsUntil: `${fy + 1}-03-31`, companies: overrides.companies ?? 6, maxVisitsPerCompany: overrides.maxVisitsPerCompany ?? 3,
    },
    reminderDaysBefore: overrides.reminderDaysBefore ?? 2, visitGraceDays: overrides.visitGraceDays ?? 7,
  };
  const res = await h.http.put(`/program-years/${id}`, body);
  expect(res.statusCode, res.body).toBe(201);
  return { id, body };
}

export const eventBody = (programYearId: string, extra: Record<string, unknown> = {}) => ({
  programYearId, kind: 'seminar', title: 'デザイン経営セミナー in 札幌', city: '札幌市', venue: '札幌市産業振興センター',
  startsAt: at(days(20)), endsAt: at(days(20) + 2 * HOUR), capacity: 3, registrationClosesAt: at(days(18)), ...extra,
});

export async function event(h: BrandHarness, programYearId: string, extra: Record<string, unknown> = {}) {
  const res = await h.http.post('/design-events', eventBody(programYearId, extra));
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; status: string };
}

/** An event that already began: registration closed at its creation, records back-dated before that. */
export const pastEvent = (h: BrandHarness, programYearId: string, extra: Record<string, unknown> = {}) =>
  event(h, programYearId, { startsAt: at(-HOUR), endsAt: at(HOUR), registrationClosesAt: at(-days(2)), ...extra });

export const person = (n: string | number, extra: Record<string, unknown> = {}) =>
  ({ name: `参加者 ${n}`, email: `p${n}-${suffix()}@example.jp`, organization: '株式会社テスト', ...extra });

export async function registration(h: BrandHarness, eventId: string, body: Record<string, unknown>) {
  const res = await h.http.post(`/design-events/${eventId}/registrations`, body);
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; status: string };
}

export async function ok(h: BrandHarness, path: string, body?: unknown, token?: string) {
  const res = await h.http.post(path, body, token ? { token } : {});
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}


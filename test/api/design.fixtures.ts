// Builders for the Program C tests: a design-management year for the current fiscal year
// (its application window and dispatch period run all year), events and dispatches walked
// to the status a test needs. Everything goes through HTTP, as a client would.
import { expect } from 'vitest';
import { randomBytes } from 'node:crypto';
import { tokenFor } from '../helpers/app.js';
import { DAY_MS, fiscalYearOfInstant, toJstIso } from '../../domain/time.js';
import { applicant, type BrandHarness } from './brand-engagements.fixtures.js';

export { useAppWithWorker as useDesignHarness } from '../helpers/app-with-worker.js';
export { eventually } from '../helpers/eventually.js';

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

export async function newExpert(h: BrandHarness, name = '佐藤 デザイナー', role: 'expert' | 'support_leader' = 'expert') {
  const res = await h.http.post('/experts', { name, organization: 'デザイン事務所', title: 'デザイナー' });
  expect(res.statusCode, res.body).toBe(201);
  const id = res.json().id as string;
  return { id, token: tokenFor({ sub: id, role, name }) };
}

export async function company(h: BrandHarness): Promise<string> {
  return applicant(h, '株式会社ほっかいどう');
}

export async function dispatch(h: BrandHarness, programYearId: string, extra: Record<string, unknown> = {}) {
  const res = await h.http.post('/design-dispatches', { programYearId, applicantId: await company(h), issue: '新商品のパッケージとブランドの方向性', ...extra });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; status: string; sourceRegistrationId: string | null };
}

/** A dispatch accepted and assigned to a fresh expert. */
export async function assigned(h: BrandHarness, programYearId: string, plannedVisits = 2) {
  const { id } = await dispatch(h, programYearId);
  await ok(h, `/design-dispatches/${id}/decision`, { accept: true });
  const expert = await newExpert(h);
  const view = await ok(h, `/design-dispatches/${id}/assignment`, { expertId: expert.id, plannedVisits });
  return { id, expert, view };
}

export async function visit(h: BrandHarness, dispatchId: string, scheduledAt: string, token?: string) {
  const res = await h.http.post(`/design-dispatches/${dispatchId}/visits`, { scheduledAt }, token ? { token } : {});
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; status: string; overdue: boolean };
}

export const visitReport = (heldAt = at(-60_000)) => ({ heldAt, hours: 2, summary: '経営者とブランドの課題を整理した' });
export const closingReport = { summary: 'ブランドの方向性とパッケージ案をまとめた', outcomes: ['ブランドコンセプトの策定'], ipFollowUp: ['意匠登録出願の検討'] };

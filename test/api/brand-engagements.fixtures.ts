// Builders that walk a brand engagement to the status a test needs, on the app with a
// worker (test/helpers/app-with-worker.ts). Everything goes through
// HTTP, as a client would; times are relative to the real clock, which the worker's
// Temporal timers also follow.
import { expect } from 'vitest';
import { randomBytes } from 'node:crypto';
import { tokenFor } from '../helpers/app.js';
import type { AppWithWorker } from '../helpers/app-with-worker.js';
import { DAY_MS, fiscalYearOfInstant, toJstIso } from '../../domain/time.js';

/** What the builders need: the app with a worker (`useAppWithWorker`). */
export type BrandHarness = Pick<AppWithWorker, 'http'>;

export const at = (offsetMs: number): string => toJstIso(Date.now() + offsetMs);
export const days = (n: number): number => n * DAY_MS;
const suffix = () => randomBytes(3).toString('hex');

/** A regional brand year for the current fiscal year: its call and support run all year. */
export async function currentYear(h: BrandHarness, overrides: Record<string, unknown> = {}): Promise<{ id: string; body: Record<string, unknown> }> {
  const fy = fiscalYearOfInstant(Date.now());
  const id = `regional-brand-t${suffix()}`;
  const body = {
    program: 'regional_brand', fiscalYear: fy, title: `テスト ${fy}`,
    callWindow: { opensAt: `${fy}-04-01T00:00:00+09:00`, closesAt: `${fy + 1}-03-31T17:00:00+09:00` },
    capacity: 4, supportEndsAt: `${fy + 1}-03-31T23:59:59+09:00`, sessionGraceDays: 7, ...overrides,
  };
  const res = await h.http.put(`/program-years/${id}`, body);
  expect(res.statusCode, res.body).toBe(201);
  return { id, body };
}

/** An instant inside the current fiscal year's call, safely in the past. */
export const receivedInCurrentYear = (): string => `${fiscalYearOfInstant(Date.now())}-04-02T10:00:00+09:00`;

export async function applicant(h: BrandHarness, name = '美瑛小麦ブランド推進協議会'): Promise<string> {
  const res = await h.http.post('/applicants', { name: `${name} ${suffix()}`, kind: 'other_group', prefecture: '北海道' });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id;
}

export async function expert(h: BrandHarness, name = '中山 俊彦'): Promise<{ id: string; token: string }> {
  const res = await h.http.post('/experts', { name, organization: 'あさかぜ特許商標事務所', title: '弁理士' });
  expect(res.statusCode, res.body).toBe(201);
  const id = res.json().id as string;
  return { id, token: tokenFor({ sub: id, role: 'support_leader', name }) };
}

export async function applied(h: BrandHarness, programYearId: string, extra: Record<string, unknown> = {}): Promise<string> {
  const res = await h.http.post('/brand-engagements', {
    programYearId, applicantId: await applicant(h), productName: '美瑛小麦', municipality: '美瑛町', goals: ['regional_collective_trademark', 'branding'],
    receivedAt: receivedInCurrentYear(), ...extra,
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id;
}

export const lecture = (scheduledAt: string, title = '知的財産の保護と活用') =>
  ({ title, lecturerName: '熊野 彩', lecturerOrganization: 'あさかぜ特許商標事務所', scheduledAt, kind: 'lecture' as const });
export const sharing = (scheduledAt: string) =>
  ({ title: 'アクションプランの説明・地域への共有', lecturerName: '支援リーダー、事務局', scheduledAt, kind: 'action_plan_sharing' as const });

export async function command(h: BrandHarness, path: string, body: unknown, token?: string) {
  const res = await h.http.post(path, body, token ? { token } : {});
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

/** An engagement in support, led by a fresh expert, with the given sessions. */
export async function inSupport(h: BrandHarness, programYearId: string, sessions = [lecture(at(days(10))), sharing(at(days(20)))]) {
  const id = await applied(h, programYearId);
  await command(h, `/brand-engagements/${id}/selection`, { selected: true });
  await command(h, `/brand-engagements/${id}/hearing`, { heldOn: toJstIso(Date.now()).slice(0, 10), findings: ['地域団体商標の取得が必要'] });
  const leader = await expert(h);
  const view = await command(h, `/brand-engagements/${id}/plan`, { supportLeaderId: leader.id, direction: 'ブランド戦略の再構築', measures: ['regional_collective_trademark'], sessions });
  return { id, leader, view, sessionIds: (view.sessions as { id: string }[]).map((s) => s.id) };
}

export const actionPlan = { summary: '販路拡大に向けたアクションプラン', actions: [{ title: '地域団体商標の出願', owner: '美瑛町', dueOn: '2025-06-30' }] };
export const report = (heldAt = at(-60_000)) => ({ heldAt, attendeeCount: 12, summary: '先行事例を共有した' });

// `npm run demo` loads the seed's FY2023 engagements through the API: run the loader against
// the app in-process and check what it leaves behind.
import { describe, expect, it } from 'vitest';
import { loadBrandDemo } from '../../scripts/demo/brand.js';
import type { DemoClient } from '../../scripts/demo/client.js';
import { tokenFor } from '../helpers/app.js';
import { useAppWithWorker } from '../helpers/app-with-worker.js';

const h = useAppWithWorker();

function inProcessClient(lines: string[]): DemoClient {
  return {
    baseUrl: 'inject://',
    tokenFor,
    log: (line) => lines.push(line),
    async request<T>(method: string, path: string, body?: unknown, token?: string): Promise<T> {
      const res = await h.app.inject({ method: method as 'GET', url: path, payload: body as object, headers: { authorization: `Bearer ${token ?? tokenFor({ sub: 'demo-staff', role: 'staff' })}` } });
      if (res.statusCode >= 300) throw new Error(`${method} ${path} → ${res.statusCode}: ${res.body}`);
      return (res.body ? res.json() : undefined) as T;
    },
  };
}

describe('the brand demo', () => {
  it('loads Biei, Asahikawa and Atsuma with their leaders, sessions and dates, once', async () => {
    const lines: string[] = [];
    await loadBrandDemo(inProcessClient(lines));
    const list = (await h.http.get('/brand-engagements?programYearId=regional-brand-2023')).json();
    const byProduct = Object.fromEntries(list.items.map((e: { productName: string; id: string }) => [e.productName, e.id]));
    expect(Object.keys(byProduct).sort()).toEqual(['あさひかわ産さつまいも', '厚真産ハスカップ', '美瑛小麦'].sort());

    const biei = (await h.http.get(`/brand-engagements/${byProduct['美瑛小麦']}`)).json();
    expect(biei).toMatchObject({ status: 'completed', municipality: '美瑛町', receivedAt: '2023-07-20T10:00:00+09:00', overdue: false });
    expect(biei.sessions.map((s: { scheduledAt: string }) => s.scheduledAt.slice(0, 10))).toEqual(['2023-09-26', '2023-10-11', '2023-11-13', '2023-12-13', '2024-01-24']);
    expect(biei.sessions.at(-1)).toMatchObject({ kind: 'action_plan_sharing', status: 'held' });
    const leader = (await h.http.get(`/experts/${biei.supportLeaderId}`)).json();
    expect(leader).toMatchObject({ name: '中山 俊彦', organization: 'あさかぜ特許商標事務所' });

    const asahikawa = (await h.http.get(`/brand-engagements/${byProduct['あさひかわ産さつまいも']}`)).json();
    expect(asahikawa.status).toBe('completed');
    expect(asahikawa.sessions[0]).toMatchObject({ title: '知的財産経営の理解', lecturerName: '中山 俊彦', scheduledAt: '2023-09-21T14:00:00+09:00' });

    const atsuma = (await h.http.get(`/brand-engagements/${byProduct['厚真産ハスカップ']}`)).json();
    expect(atsuma).toMatchObject({ status: 'in_support', overdue: true, pastSupportEnd: true });
    expect(atsuma.actionPlan).not.toBeNull();
    expect(atsuma.sessions.map((s: { status: string; overdue: boolean }) => [s.status, s.overdue])).toEqual([
      ['held', false], ['held', false], ['held', false], ['held', false], ['scheduled', true]]);
    const cogito = tokenFor({ sub: atsuma.supportLeaderId, role: 'support_leader' });
    const mine = (await h.http.get('/me/sessions', { token: cogito })).json();
    expect(mine.items).toEqual([expect.objectContaining({ engagementId: atsuma.id, kind: 'action_plan_sharing', overdue: true, scheduledAt: '2024-02-22T14:00:00+09:00' })]);

    await loadBrandDemo(inProcessClient(lines));
    expect((await h.http.get('/brand-engagements?programYearId=regional-brand-2023')).json().items).toHaveLength(3);
    expect(lines.at(-1)).toMatch(/already loaded/);
  });
});

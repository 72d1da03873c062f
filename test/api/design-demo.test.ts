// `npm run demo` loads Program C through the API: the FY2023 seminars, workshop and dispatches
// and the FY2024 seminars open for registration. Run the loader in-process and check the result.
import { describe, expect, it } from 'vitest';
import { loadDesignDemo } from '../../scripts/demo/design.js';
import type { DemoClient } from '../../scripts/demo/client.js';
import { tokenFor } from '../helpers/app.js';
import { useDesignHarness } from './design.fixtures.js';

const h = useDesignHarness();

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

describe('the design-management demo', () => {
  it('loads the FY2023 programme and the FY2024 seminars, once', async () => {
    const lines: string[] = [];
    await loadDesignDemo(inProcessClient(lines));
    const fy2023 = (await h.http.get('/design-events?programYearId=design-management-2023')).json().items as { id: string; city: string; kind: string; startsAt: string; status: string }[];
    expect(fy2023.map((e) => `${e.startsAt.slice(0, 10)} ${e.kind} ${e.city} ${e.status}`).sort()).toEqual([
      '2023-10-13 seminar 札幌市 held', '2023-10-21 seminar 函館市 held', '2023-12-19 workshop 札幌市 held',
    ]);
    const sapporo = (await h.http.get(`/design-events/${fy2023.find((e) => e.startsAt.startsWith('2023-10-13'))!.id}`)).json();
    expect(sapporo.counts).toMatchObject({ registered: 5, attended: 4, surveys: 4, wantsDispatch: 2 });
    expect(sapporo.averageSatisfaction).toBe(4);

    const dispatches = (await h.http.get('/design-dispatches?programYearId=design-management-2023')).json().items as { id: string; status: string; sourceRegistrationId: string | null }[];
    expect(dispatches).toHaveLength(3);
    expect(dispatches.every((d) => d.status === 'completed' && d.sourceRegistrationId !== null)).toBe(true);
    const one = (await h.http.get(`/design-dispatches/${dispatches[0]!.id}`)).json();
    expect(one.visits.every((v: { status: string; scheduledAt: string }) => v.status === 'held' && v.scheduledAt >= '2024-01' && v.scheduledAt < '2024-04')).toBe(true);
    expect(one.report).not.toBeNull();

    const fy2024 = (await h.http.get('/design-events?programYearId=design-management-2024')).json().items as { city: string; status: string; counts: { registered: number } }[];
    expect(fy2024.map((e) => `${e.city} ${e.status}`).sort()).toEqual(['帯広市 open', '札幌市 open']);

    const again: string[] = [];
    await loadDesignDemo(inProcessClient(again));
    expect(again).toEqual([expect.stringContaining('already loaded')]);
  });
});

// Who may do what: staff, the engagement's support leader, another support leader and no
// token, on every brand engagement endpoint. Each cell runs on a fresh engagement so that a
// success cannot hide a refusal elsewhere.
import { describe, expect, it } from 'vitest';
import { tokenFor } from '../helpers/app.js';
import { actionPlan, applied, at, command, currentYear, days, expert, inSupport, lecture, receivedInCurrentYear, report, applicant } from './brand-engagements.fixtures.js';
import { useAppWithWorker } from '../helpers/app-with-worker.js';

const h = useAppWithWorker();

type Role = 'staff' | 'leader' | 'other' | 'none';
interface Call { method: 'GET' | 'POST' | 'PATCH'; url: string; body?: unknown }
interface Row { name: string; prepare(year: string): Promise<{ call: Call; leaderToken: string }>; expect: Record<Role, number> }

const led = async (year: string) => inSupport(h, year, [lecture(at(days(-1))), lecture(at(days(5))), { ...lecture(at(days(9))), kind: 'action_plan_sharing' as const }]);

const rows: Row[] = [
  { name: 'POST /brand-engagements', expect: { staff: 201, leader: 403, other: 403, none: 401 },
    prepare: async (year) => ({ leaderToken: (await led(year)).leader.token,
      call: { method: 'POST', url: '/brand-engagements', body: { programYearId: year, applicantId: await applicant(h), productName: '厚真産ハスカップ', municipality: '厚真町', goals: ['gi'], receivedAt: receivedInCurrentYear() } } }) },
  { name: 'GET /brand-engagements/{id}', expect: { staff: 200, leader: 200, other: 403, none: 401 },
    prepare: async (year) => { const e = await led(year); return { leaderToken: e.leader.token, call: { method: 'GET', url: `/brand-engagements/${e.id}` } }; } },
  { name: 'GET /brand-engagements', expect: { staff: 200, leader: 403, other: 403, none: 401 },
    prepare: async (year) => ({ leaderToken: (await led(year)).leader.token, call: { method: 'GET', url: `/brand-engagements?programYearId=${year}` } }) },
  { name: 'POST …/selection', expect: { staff: 200, leader: 403, other: 403, none: 401 },
    prepare: async (year) => { const e = await led(year); const id = await applied(h, year); return { leaderToken: e.leader.token, call: { method: 'POST', url: `/brand-engagements/${id}/selection`, body: { selected: true } } }; } },
  { name: 'POST …/hearing', expect: { staff: 200, leader: 403, other: 403, none: 401 },
    prepare: async (year) => {
      const e = await led(year);
      const id = await applied(h, year);
      await command(h, `/brand-engagements/${id}/selection`, { selected: true });
      return { leaderToken: e.leader.token, call: { method: 'POST', url: `/brand-engagements/${id}/hearing`, body: { heldOn: at(0).slice(0, 10), findings: ['x'] } } };
    } },
  { name: 'POST …/plan', expect: { staff: 200, leader: 403, other: 403, none: 401 },
    prepare: async (year) => {
      const leader = await expert(h);
      const id = await applied(h, year);
      await command(h, `/brand-engagements/${id}/selection`, { selected: true });
      await command(h, `/brand-engagements/${id}/hearing`, { heldOn: at(0).slice(0, 10), findings: ['x'] });
      return { leaderToken: leader.token, call: { method: 'POST', url: `/brand-engagements/${id}/plan`,
        body: { supportLeaderId: leader.id, direction: 'x', measures: ['branding'], sessions: [{ ...lecture(at(days(3))), kind: 'action_plan_sharing' }] } } };
    } },
  { name: 'POST …/sessions', expect: { staff: 201, leader: 201, other: 403, none: 401 },
    prepare: async (year) => { const e = await led(year); return { leaderToken: e.leader.token, call: { method: 'POST', url: `/brand-engagements/${e.id}/sessions`, body: lecture(at(days(2))) } }; } },
  { name: 'PATCH …/sessions/{sessionId} (reschedule)', expect: { staff: 200, leader: 200, other: 403, none: 401 },
    prepare: async (year) => { const e = await led(year); return { leaderToken: e.leader.token, call: { method: 'PATCH', url: `/brand-engagements/${e.id}/sessions/${e.sessionIds[1]}`, body: { scheduledAt: at(days(6)) } } }; } },
  { name: 'PATCH …/sessions/{sessionId} (cancel)', expect: { staff: 200, leader: 200, other: 403, none: 401 },
    prepare: async (year) => { const e = await led(year); return { leaderToken: e.leader.token, call: { method: 'PATCH', url: `/brand-engagements/${e.id}/sessions/${e.sessionIds[1]}`, body: { status: 'cancelled' } } }; } },
  { name: 'POST …/sessions/{sessionId}/completion', expect: { staff: 200, leader: 200, other: 403, none: 401 },
    prepare: async (year) => { const e = await led(year); return { leaderToken: e.leader.token, call: { method: 'POST', url: `/brand-engagements/${e.id}/sessions/${e.sessionIds[0]}/completion`, body: report() } }; } },
  { name: 'POST …/action-plan', expect: { staff: 200, leader: 200, other: 403, none: 401 },
    prepare: async (year) => { const e = await led(year); return { leaderToken: e.leader.token, call: { method: 'POST', url: `/brand-engagements/${e.id}/action-plan`, body: actionPlan } }; } },
  { name: 'POST …/withdrawal', expect: { staff: 200, leader: 403, other: 403, none: 401 },
    prepare: async (year) => { const e = await led(year); return { leaderToken: e.leader.token, call: { method: 'POST', url: `/brand-engagements/${e.id}/withdrawal`, body: { reason: '辞退' } } }; } },
  { name: 'GET /me/sessions', expect: { staff: 403, leader: 200, other: 200, none: 401 },
    prepare: async (year) => ({ leaderToken: (await led(year)).leader.token, call: { method: 'GET', url: '/me/sessions' } }) },
];

describe('authorisation matrix', () => {
  const otherLeader = tokenFor({ sub: 'ex_someone_else', role: 'support_leader', name: '別のリーダー' });

  it.each(rows)('$name', async (row) => {
    const year = (await currentYear(h, { capacity: 100 })).id;
    const send = async ({ call, leaderToken }: { call: Call; leaderToken: string }, role: Role) => {
      const token = { staff: undefined, leader: leaderToken, other: otherLeader, none: null }[role];
      const res = call.method === 'GET' ? await h.http.get(call.url, { token })
        : call.method === 'POST' ? await h.http.post(call.url, call.body, { token }) : await h.http.patch(call.url, call.body, { token });
      expect(res.statusCode, `${role}: ${res.body}`).toBe(row.expect[role]);
      if (res.statusCode === 403) expect(res.json().code).toBe('forbidden');
    };
    // Refusals change nothing, so they share the engagement staff then act on; a leader who
    // may act gets an engagement of their own.
    const shared = await row.prepare(year);
    const leaderMayAct = row.expect.leader < 300;
    for (const role of ['none', 'other', ...(leaderMayAct ? [] : ['leader'] as const), 'staff'] as const) await send(shared, role);
    if (leaderMayAct) await send(await row.prepare(year), 'leader');
  });

  it('a leader cannot read an engagement before it names them, nor after another leader is named', async () => {
    const year = (await currentYear(h, { capacity: 100 })).id;
    const leader = await expert(h);
    const id = await applied(h, year);
    const mine = tokenFor({ sub: leader.id, role: 'support_leader' });
    expect((await h.http.get(`/brand-engagements/${id}`, { token: mine })).statusCode).toBe(403);
    const other = await led(year);
    expect((await h.http.get(`/brand-engagements/${other.id}`, { token: mine })).statusCode).toBe(403);
    expect((await h.http.get('/brand-engagements/be_missing', { token: mine })).statusCode).toBe(404);
  });
});

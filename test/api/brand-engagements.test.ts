// The brand engagement contract over HTTP: every status, every code, the overdue rule as a
// reader sees it, and history with the actor of each command.
import { describe, expect, it } from 'vitest';
import { tokenFor } from '../helpers/app.js';
import { useAppWithWorker } from '../helpers/app-with-worker.js';
import { eventually } from '../helpers/eventually.js';
import {
  actionPlan, applicant, applied, at, command, currentYear, days, expert, inSupport, lecture, receivedInCurrentYear, report, sharing,
} from './brand-engagements.fixtures.js';
import { expectProblem } from '../helpers/problem.js';

const h = useAppWithWorker();

describe('POST /brand-engagements', () => {
  const intake = async (extra: Record<string, unknown> = {}) => ({
    programYearId: 'regional-brand-2024', applicantId: await applicant(h), productName: 'あさひかわ産さつまいも', municipality: '旭川市', goals: ['branding'], ...extra,
  });

  it('receives an application inside the call window (17:00 must arrive: 16:59:59 is in time)', async () => {
    const res = await h.http.post('/brand-engagements', await intake({ receivedAt: '2024-07-31T16:59:59+09:00', background: '背景', issues: '課題' }));
    expect(res.statusCode, res.body).toBe(201);
    const e = res.json();
    expect(e).toMatchObject({ status: 'applied', programYearId: 'regional-brand-2024', productName: 'あさひかわ産さつまいも', goals: ['branding'],
      receivedAt: '2024-07-31T16:59:59+09:00', background: '背景', supportLeaderId: null, sessions: [], actionPlan: null, hearing: null });
    expect(e.history[0]).toMatchObject({ type: 'applied', actor: 'staff:staff-tanaka', fromStatus: null, toStatus: 'applied' });
    // FY2024's support period is over: an application still open then is overdue.
    expect(e.overdue).toBe(true);
    expect(e.pastSupportEnd).toBe(true);
    const read = await h.http.get(`/brand-engagements/${e.id}`);
    expect(read.json().status).toBe('applied');
  });

  it('refuses 17:00:00 on the closing day and anything before the opening: 422 window_closed', async () => {
    for (const receivedAt of ['2024-07-31T17:00:00+09:00', '2024-07-31T08:00:00Z', '2024-06-30T23:59:59+09:00']) {
      const res = await h.http.post('/brand-engagements', await intake({ receivedAt }));
      expect(res.statusCode, receivedAt).toBe(422);
      expect(res.json()).toMatchObject({ code: 'window_closed', errors: [{ path: 'body/receivedAt' }] });
    }
  });

  it('defaults receivedAt to now: the 2024 call is over', async () => {
    const res = await h.http.post('/brand-engagements', await intake());
    expectProblem(res, 422, 'window_closed');
  });

  it('400s a receivedAt in the future, a date that does not exist, an unknown field, an unknown goal', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ receivedAt: at(days(1)) }, 'body/receivedAt'],
      [{ receivedAt: '2024-02-30T10:00:00+09:00' }, 'body/receivedAt'],
      [{ receivedAt: '2024-07-10T10:00:00' }, 'body/receivedAt'],
      [{ nickname: 'x' }, 'body/nickname'],
      [{ goals: ['world_peace'] }, 'body/goals/0'],
      [{ goals: [] }, 'body/goals'],
    ];
    for (const [extra, path] of cases) {
      const res = await h.http.post('/brand-engagements', await intake(extra));
      expectProblem(res, 400, 'bad_request');
      expect(res.json().errors.map((e: { path: string }) => e.path)).toContain(path);
    }
  });

  it('422s an unknown program year, a program year of the other program and an unknown applicant', async () => {
    expect((await h.http.post('/brand-engagements', await intake({ programYearId: 'nope' }))).json().code).toBe('unknown_program_year');
    expect((await h.http.post('/brand-engagements', await intake({ programYearId: 'overseas-ip-2024' }))).json().code).toBe('unknown_program_year');
    const res = await h.http.post('/brand-engagements', { ...(await intake({ receivedAt: '2024-07-10T10:00:00+09:00' })), applicantId: 'ap_missing' });
    expectProblem(res, 422, 'unknown_applicant');
  });

  it('replays an Idempotency-Key instead of applying twice', async () => {
    const body = await intake({ receivedAt: '2024-07-10T10:00:00+09:00' });
    const first = await h.http.post('/brand-engagements', body, { headers: { 'idempotency-key': 'brand-apply-1' } });
    const again = await h.http.post('/brand-engagements', body, { headers: { 'idempotency-key': 'brand-apply-1' } });
    expect(first.statusCode).toBe(201);
    expect(again.statusCode).toBe(201);
    expect(again.json().id).toBe(first.json().id);
  });
});

describe('the state machine', () => {
  it('walks applied → selected → hearing_done → in_support → completed, recording every command with its actor', async () => {
    const year = await currentYear(h);
    const { id, leader, sessionIds, view } = await inSupport(h, year.id);
    expect(view).toMatchObject({ status: 'in_support', supportLeaderId: leader.id, direction: 'ブランド戦略の再構築', measures: ['regional_collective_trademark'],
      hearing: { findings: ['地域団体商標の取得が必要'], notes: null }, selection: { selected: true, reason: null } });
    expect(view.sessions.map((s: { kind: string; status: string; overdue: boolean }) => [s.kind, s.status, s.overdue])).toEqual([['lecture', 'scheduled', false], ['action_plan_sharing', 'scheduled', false]]);

    // The leader reports the lecture (held earlier than planned: records need not match the plan).
    const afterLecture = await command(h, `/brand-engagements/${id}/sessions/${sessionIds[0]}/completion`, report(), leader.token);
    expect(afterLecture.sessions[0]).toMatchObject({ status: 'held', attendeeCount: 12, summary: '先行事例を共有した' });
    expect(afterLecture.status).toBe('in_support');

    const missing = await h.http.post(`/brand-engagements/${id}/sessions/${sessionIds[1]}/completion`, report(), { token: leader.token });
    expectProblem(missing, 409, 'action_plan_missing');

    const withPlan = await command(h, `/brand-engagements/${id}/action-plan`, actionPlan, leader.token);
    expect(withPlan.actionPlan).toMatchObject({ ...actionPlan, revision: 1, recordedBy: `support_leader:${leader.id}` });
    const done = await command(h, `/brand-engagements/${id}/sessions/${sessionIds[1]}/completion`, report(), leader.token);
    expect(done.status).toBe('completed');
    expect(done.overdue).toBe(false);
    expect(done.history.map((e: { type: string }) => e.type)).toEqual(['applied', 'selected', 'hearing_recorded', 'plan_set', 'session_held', 'action_plan_recorded', 'session_held']);
    expect(done.history.at(-1)).toMatchObject({ actor: `support_leader:${leader.id}`, fromStatus: 'in_support', toStatus: 'completed', detail: expect.objectContaining({ engagementCompleted: true }) });
    expect(done.history[1]).toMatchObject({ actor: 'staff:staff-tanaka', fromStatus: 'applied', toStatus: 'selected' });

    // A completed engagement takes no more commands.
    for (const [path, body] of [[`/brand-engagements/${id}/withdrawal`, { reason: 'x' }], [`/brand-engagements/${id}/action-plan`, actionPlan], [`/brand-engagements/${id}/sessions`, lecture(at(days(1)))]] as const) {
      const res = await h.http.post(path, body);
      expect(res.statusCode, path).toBe(409);
      expect(res.json().code).toBe('invalid_state');
    }
  });

  it('completes when every session that is not cancelled is held', async () => {
    const year = await currentYear(h);
    const { id, sessionIds } = await inSupport(h, year.id, [lecture(at(days(-5))), lecture(at(days(3)), '知的財産経営の理解'), sharing(at(days(9)))]);
    await command(h, `/brand-engagements/${id}/action-plan`, actionPlan);
    await command(h, `/brand-engagements/${id}/sessions/${sessionIds[0]}/completion`, report());
    const cancelled = await h.http.patch(`/brand-engagements/${id}/sessions/${sessionIds[1]}`, { status: 'cancelled' });
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    expect(cancelled.json().sessions[1]).toMatchObject({ status: 'cancelled', overdue: false });
    const done = await command(h, `/brand-engagements/${id}/sessions/${sessionIds[2]}/completion`, report());
    expect(done.status).toBe('completed');
  });

  it('409s a command its status does not allow', async () => {
    const year = await currentYear(h);
    const id = await applied(h, year.id);
    const cases: [string, unknown][] = [
      [`/brand-engagements/${id}/hearing`, { heldOn: '2024-08-01', findings: ['x'] }],
      [`/brand-engagements/${id}/plan`, { supportLeaderId: (await expert(h)).id, direction: 'x', measures: ['gi'], sessions: [sharing(at(days(1)))] }],
      [`/brand-engagements/${id}/sessions`, lecture(at(days(1)))],
      [`/brand-engagements/${id}/action-plan`, actionPlan],
    ];
    for (const [path, body] of cases) {
      const res = await h.http.post(path, body);
      expect(res.statusCode, path).toBe(409);
      expect(res.json().code).toBe('invalid_state');
    }
    await command(h, `/brand-engagements/${id}/selection`, { selected: false, reason: '商品の生産量が少ない' });
    const again = await h.http.post(`/brand-engagements/${id}/selection`, { selected: true });
    expect(again.statusCode).toBe(409);
    const withdraw = await h.http.post(`/brand-engagements/${id}/withdrawal`, { reason: 'x' });
    expectProblem(withdraw, 409, 'invalid_state');
  });

  it('needs a reason to not select (400) and records it', async () => {
    const year = await currentYear(h);
    const id = await applied(h, year.id);
    const res = await h.http.post(`/brand-engagements/${id}/selection`, { selected: false });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toEqual([{ path: 'body/reason', message: expect.any(String) }]);
    const view = await command(h, `/brand-engagements/${id}/selection`, { selected: false, reason: '対象外の品目' });
    expect(view).toMatchObject({ status: 'not_selected', selection: { selected: false, reason: '対象外の品目' } });
  });

  it('withdraws from any open status, cancelling the sessions still scheduled', async () => {
    const year = await currentYear(h);
    const fresh = await applied(h, year.id);
    expect((await command(h, `/brand-engagements/${fresh}/withdrawal`, { reason: '辞退' })).status).toBe('withdrawn');
    const { id } = await inSupport(h, year.id);
    const view = await command(h, `/brand-engagements/${id}/withdrawal`, { reason: '体制が整わない' });
    expect(view).toMatchObject({ status: 'withdrawn', withdrawalReason: '体制が整わない', overdue: false });
    expect(view.sessions.map((s: { status: string }) => s.status)).toEqual(['cancelled', 'cancelled']);
    expect(view.history.at(-1)).toMatchObject({ type: 'withdrawn', fromStatus: 'in_support', toStatus: 'withdrawn' });
  });

  it('400s a hearing held in the future or on a date that does not exist', async () => {
    const year = await currentYear(h);
    const id = await applied(h, year.id);
    await command(h, `/brand-engagements/${id}/selection`, { selected: true });
    for (const heldOn of [at(days(2)).slice(0, 10), '2024-02-30']) {
      const res = await h.http.post(`/brand-engagements/${id}/hearing`, { heldOn, findings: ['x'] });
      expect(res.statusCode, heldOn).toBe(400);
      expect(res.json().errors[0].path).toBe('body/heldOn');
    }
  });

  it('404s an unknown engagement and an unknown session', async () => {
    expect((await h.http.get('/brand-engagements/be_missing')).statusCode).toBe(404);
    expect((await h.http.post('/brand-engagements/be_missing/selection', { selected: true })).statusCode).toBe(404);
    const year = await currentYear(h);
    const { id } = await inSupport(h, year.id);
    const res = await h.http.patch(`/brand-engagements/${id}/sessions/bs_missing`, { scheduledAt: at(days(3)) });
    expectProblem(res, 404, 'not_found');
    expect((await h.http.post(`/brand-engagements/${id}/sessions/bs_missing/completion`, report())).statusCode).toBe(404);
  });
});

describe('plan rules', () => {
  async function hearingDone(): Promise<{ id: string; leaderId: string }> {
    const year = await currentYear(h);
    const id = await applied(h, year.id);
    await command(h, `/brand-engagements/${id}/selection`, { selected: true });
    await command(h, `/brand-engagements/${id}/hearing`, { heldOn: at(0).slice(0, 10), findings: ['x'] });
    return { id, leaderId: (await expert(h)).id };
  }
  const plan = (leaderId: string, sessions: unknown[]) => ({ supportLeaderId: leaderId, direction: '方向性', measures: ['gi', 'branding'], sessions });

  it('refuses a plan without sessions, without or with two sharing sessions, or with a lecture after sharing', async () => {
    const { id, leaderId } = await hearingDone();
    const cases: [unknown[], string][] = [
      [[], 'session_required'],
      [[lecture(at(days(1)))], 'sharing_session_required'],
      [[lecture(at(days(1))), sharing(at(days(2))), sharing(at(days(3)))], 'one_sharing_session_only'],
      [[sharing(at(days(2))), lecture(at(days(3)))], 'sharing_session_not_last'],
      [[lecture(at(days(2))), sharing(at(days(2)))], 'sharing_session_not_last'],
    ];
    for (const [sessions, code] of cases) {
      const res = await h.http.post(`/brand-engagements/${id}/plan`, plan(leaderId, sessions));
      expect(res.statusCode, code).toBe(422);
      expect(res.json().code).toBe(code);
      expect(res.json().errors.length).toBeGreaterThan(0);
    }
    expect((await h.http.get(`/brand-engagements/${id}`)).json()).toMatchObject({ status: 'hearing_done', sessions: [] });
  });

  it('422s a support leader who is not a registered expert', async () => {
    const { id } = await hearingDone();
    const res = await h.http.post(`/brand-engagements/${id}/plan`, plan('ex_missing', [sharing(at(days(1)))]));
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ code: 'unknown_expert', errors: [{ path: 'body/supportLeaderId' }] });
  });

  it('keeps the rules as sessions are added, moved and cancelled', async () => {
    const year = await currentYear(h);
    const { id, leader, sessionIds } = await inSupport(h, year.id);
    const added = await h.http.post(`/brand-engagements/${id}/sessions`, lecture(at(days(15)), 'デザインの役割'), { token: leader.token });
    expect(added.statusCode, added.body).toBe(201);
    expect(added.json()).toMatchObject({ title: 'デザインの役割', kind: 'lecture', status: 'scheduled', overdue: false, lecturerOrganization: 'あさかぜ特許商標事務所' });

    const codeOf = async (res: Promise<{ statusCode: number; json(): { code: string } }>) => {
      const r = await res;
      return [r.statusCode, r.json().code];
    };
    expect(await codeOf(h.http.post(`/brand-engagements/${id}/sessions`, lecture(at(days(25)))))).toEqual([422, 'sharing_session_not_last']);
    expect(await codeOf(h.http.post(`/brand-engagements/${id}/sessions`, sharing(at(days(30)))))).toEqual([422, 'one_sharing_session_only']);
    expect(await codeOf(h.http.patch(`/brand-engagements/${id}/sessions/${sessionIds[0]}`, { scheduledAt: at(days(21)) }))).toEqual([422, 'sharing_session_not_last']);
    expect(await codeOf(h.http.patch(`/brand-engagements/${id}/sessions/${sessionIds[1]}`, { scheduledAt: at(days(12)) }))).toEqual([422, 'sharing_session_not_last']);
    expect(await codeOf(h.http.patch(`/brand-engagements/${id}/sessions/${sessionIds[1]}`, { status: 'cancelled' }))).toEqual([422, 'sharing_session_required']);
    // A session in the past is fine: records are often entered after the fact.
    expect((await h.http.post(`/brand-engagements/${id}/sessions`, lecture(at(days(-40))))).statusCode).toBe(201);
  });

  it('400s a patch that is neither a reschedule nor a cancellation', async () => {
    const year = await currentYear(h);
    const { id, sessionIds } = await inSupport(h, year.id);
    for (const body of [{}, { status: 'held' }, { scheduledAt: at(days(1)), status: 'cancelled' }, { scheduledAt: 'tomorrow' }]) {
      const res = await h.http.patch(`/brand-engagements/${id}/sessions/${sessionIds[0]}`, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
    }
  });

  it('409s moving, cancelling or reporting a session that is no longer scheduled', async () => {
    const year = await currentYear(h);
    const { id, sessionIds } = await inSupport(h, year.id, [lecture(at(days(-3))), lecture(at(days(2))), sharing(at(days(8)))]);
    await command(h, `/brand-engagements/${id}/sessions/${sessionIds[0]}/completion`, report());
    for (const res of [
      await h.http.patch(`/brand-engagements/${id}/sessions/${sessionIds[0]}`, { scheduledAt: at(days(1)) }),
      await h.http.patch(`/brand-engagements/${id}/sessions/${sessionIds[0]}`, { status: 'cancelled' }),
      await h.http.post(`/brand-engagements/${id}/sessions/${sessionIds[0]}/completion`, report()),
    ]) {
      expectProblem(res, 409, 'invalid_state');
    }
  });

  it('400s a completion held in the future', async () => {
    const year = await currentYear(h);
    const { id, sessionIds } = await inSupport(h, year.id);
    const res = await h.http.post(`/brand-engagements/${id}/sessions/${sessionIds[0]}/completion`, report(at(days(1))));
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].path).toBe('body/heldAt');
  });
});

describe('overdue', () => {
  it('shows a session overdue once sessionGraceDays passed unreported; moving or reporting it ends that', async () => {
    const year = await currentYear(h, { sessionGraceDays: 7 });
    const { id, view } = await inSupport(h, year.id, [lecture(at(days(-8)), 'A'), lecture(at(days(-6)), 'B'), lecture(at(days(-9)), 'C'), sharing(at(days(5)))]);
    const idOf = (title: string) => view.sessions.find((s: { title: string }) => s.title === title).id as string;
    const overdueOf = (v: { sessions: { title: string; overdue: boolean }[] }) => Object.fromEntries(v.sessions.map((s) => [s.title, s.overdue]));
    // A and C are 8 and 9 days past: overdue; B, 6 days past, is within the grace period.
    // Reads say so at once; the timers flag PostgreSQL and tell staff an hour after a late entry.
    const read = (await h.http.get(`/brand-engagements/${id}`)).json();
    expect(overdueOf(read)).toEqual({ A: true, B: false, C: true, 'アクションプランの説明・地域への共有': false });
    expect(read.overdue).toBe(true);

    const moved = await h.http.patch(`/brand-engagements/${id}/sessions/${idOf('A')}`, { scheduledAt: at(days(2)) });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(overdueOf(moved.json()).A).toBe(false);
    const reported = await command(h, `/brand-engagements/${id}/sessions/${idOf('C')}/completion`, report(at(days(-9))));
    expect(overdueOf(reported).C).toBe(false);
    expect(reported.overdue).toBe(false);
  });

  it('a longer grace period (PUT /program-years) clears flags that are no longer due', async () => {
    const year = await currentYear(h, { sessionGraceDays: 3 });
    const { id } = await inSupport(h, year.id, [lecture(at(days(-5))), sharing(at(days(5)))]);
    expect((await h.http.get(`/brand-engagements/${id}`)).json().sessions[0].overdue).toBe(true);
    const put = await h.http.put(`/program-years/${year.id}`, { ...year.body, sessionGraceDays: 10 });
    expect(put.statusCode, put.body).toBe(200);
    const view = (await h.http.get(`/brand-engagements/${id}`)).json();
    expect(view.sessions[0].overdue).toBe(false);
    expect(view.history.at(-1)).toMatchObject({ type: 'program_year_changed', actor: 'system', detail: expect.objectContaining({ sessionGraceDays: 10 }) });
  });

  it('reminds the leader of a session less than three days ahead', async () => {
    const year = await currentYear(h);
    const { leader, sessionIds } = await inSupport(h, year.id, [lecture(at(days(2))), sharing(at(days(20)))]);
    const reminders = await eventually(
      () => h.database.db.selectFrom('outbox').selectAll().where('kind', '=', 'brand_session_reminder').where('recipient', '=', `expert:${leader.id}`).execute(),
      (rows) => rows.length > 0);
    expect(reminders.map((r) => r.payload.sessionId)).toEqual([sessionIds[0]]);
  });
});

describe('lists', () => {
  it('lists engagements of a year by status from PostgreSQL, newest first, page by page', async () => {
    const year = await currentYear(h);
    const ids = [await applied(h, year.id), await applied(h, year.id), await applied(h, year.id)];
    await command(h, `/brand-engagements/${ids[1]}/selection`, { selected: true });
    const all = (await h.http.get(`/brand-engagements?programYearId=${year.id}`)).json();
    expect(all.items.map((e: { id: string }) => e.id)).toEqual([...ids].reverse());
    expect(all.items[0]).toMatchObject({ programYearId: year.id, status: 'applied', overdue: false, goals: ['regional_collective_trademark', 'branding'] });
    const selected = (await h.http.get(`/brand-engagements?programYearId=${year.id}&status=selected`)).json();
    expect(selected.items.map((e: { id: string }) => e.id)).toEqual([ids[1]]);
    const first = (await h.http.get(`/brand-engagements?programYearId=${year.id}&limit=2`)).json();
    expect(first.items).toHaveLength(2);
    const second = (await h.http.get(`/brand-engagements?programYearId=${year.id}&limit=2&cursor=${first.nextCursor}`)).json();
    expect(second).toEqual({ items: [expect.objectContaining({ id: ids[0] })], nextCursor: null });
    expect((await h.http.get('/brand-engagements?status=done')).statusCode).toBe(400);
    expect((await h.http.get('/brand-engagements?cursor=garbage')).statusCode).toBe(400);
  });

  it("lists a leader's upcoming and overdue sessions, and only theirs", async () => {
    const year = await currentYear(h);
    const mine = await inSupport(h, year.id, [lecture(at(days(-9))), lecture(at(days(4))), sharing(at(days(12)))]);
    await inSupport(h, year.id);
    await command(h, `/brand-engagements/${mine.id}/sessions/${mine.sessionIds[1]}/completion`, report());
    const res = await h.http.get('/me/sessions', { token: mine.leader.token });
    expect(res.statusCode, res.body).toBe(200);
    const items = res.json().items;
    expect(items.map((s: { id: string }) => s.id)).toEqual([mine.sessionIds[0], mine.sessionIds[2]]);
    expect(items.map((s: { overdue: boolean }) => s.overdue)).toEqual([true, false]);
    expect(items[0]).toMatchObject({ engagementId: mine.id, productName: '美瑛小麦', programYearId: year.id });
    const first = (await h.http.get('/me/sessions?limit=1', { token: mine.leader.token })).json();
    const second = (await h.http.get(`/me/sessions?limit=1&cursor=${first.nextCursor}`, { token: mine.leader.token })).json();
    expect([...first.items, ...second.items].map((s: { id: string }) => s.id)).toEqual([mine.sessionIds[0], mine.sessionIds[2]]);
    expect(second.nextCursor).toBeNull();
    expect((await h.http.get('/me/sessions')).statusCode).toBe(403);
    const stranger = tokenFor({ sub: 'ex_nobody', role: 'support_leader' });
    expect((await h.http.get('/me/sessions', { token: stranger })).json()).toEqual({ items: [], nextCursor: null });
  });
});

it('uses receivedInCurrentYear inside the call of the current year', () => {
  expect(receivedInCurrentYear()).toMatch(/-04-02T10:00:00\+09:00$/);
});

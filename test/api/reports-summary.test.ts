// GET /program-years/{id}/summary: each program's figures equal what the cases created
// through the API show, summed here from their own GETs, to the yen.
import { describe, expect, it } from 'vitest';
import { jstDate, toJstIso } from '../../domain/time.js';
import { tokenFor } from '../helpers/app.js';
import { expectProblem } from '../helpers/problem.js';
import { filingBody, newApplicant, openYear, putYear } from './subsidy-cases-fixtures.js';
import { at, command, currentYear, days, inSupport, lecture, report, sharing, applied, actionPlan } from './brand-engagements.fixtures.js';
import { designYear, ok, pastEvent, person, registration, assigned, visit, visitReport, HOUR, dispatch } from './design.fixtures.js';
import { useAppWithWorker } from '../helpers/app-with-worker.js';

const ctx = useAppWithWorker();
const leader = tokenFor({ sub: 'ex_someone', role: 'support_leader' });

type Figures = { count: number; maxGrantJpy: number; grantLimitJpy: number; determinedJpy: number; disbursedJpy: number };
const zero = (): Figures => ({ count: 0, maxGrantJpy: 0, grantLimitJpy: 0, determinedJpy: 0, disbursedJpy: 0 });
const add = (f: Figures, c: Record<string, number | null>) => {
  f.count += 1;
  f.maxGrantJpy += c.maxGrantJpy ?? 0;
  f.grantLimitJpy += c.grantLimitJpy ?? 0;
  f.determinedJpy += c.determinedJpy ?? 0;
  f.disbursedJpy += c.disbursedJpy ?? 0;
};

describe('Program A', () => {
  const yearId = 'overseas-ip-summary';

  async function intake(overrides: Record<string, unknown> = {}, kind = 'sme') {
    const res = await ctx.http.post('/subsidy-cases', filingBody(yearId, await newApplicant(ctx.http, kind), overrides));
    expect(res.statusCode, res.body).toBe(201);
    return res.json().id as string;
  }
  const post = async (path: string, body?: unknown, status = 200) => {
    const res = await ctx.http.post(path, body);
    expect(res.statusCode, res.body).toBe(status);
    return res.json();
  };

  it('counts and sums by status × procedure × right type equal the cases, to the yen', async () => {
    await putYear(ctx.http, yearId, openYear(new Date()));
    const today = jstDate(Date.now());
    const ids: string[] = [];
    ids.push(await intake());
    ids.push(await intake({ rightType: 'trademark', jpoApplicationNumber: '商願2024-000777', estimatedCosts: [{ category: 'foreign_office_fee', amountJpy: 333_333, country: 'US' }] }));
    const approved = await intake({ estimatedCosts: [{ category: 'foreign_office_fee', amountJpy: 1_234_567, country: 'US' }] });
    await post(`/subsidy-cases/${approved}/decision`, { approve: true, grantLimitJpy: 456_000 });
    ids.push(approved);
    const rejected = await intake({ rightType: 'design', jpoApplicationNumber: '意願2024-000001' });
    await post(`/subsidy-cases/${rejected}/decision`, { approve: false, reason: '要件を満たさない' });
    ids.push(rejected);
    // One paid to the yen: ¥777,777 accepted × 1/2, rounded down to ¥1,000 → ¥388,000.
    const paid = await intake({ targetCountries: ['US'] });
    await post(`/subsidy-cases/${paid}/decision`, { approve: true });
    await post(`/subsidy-cases/${paid}/foreign-filings`, { country: 'US', filedOn: today }, 201);
    const e = await post(`/subsidy-cases/${paid}/expenses`, { category: 'foreign_office_fee', payee: 'USPTO', country: 'US', incurredOn: today, paidOn: today, amountJpy: 777_777 }, 201);
    await post(`/subsidy-cases/${paid}/report`);
    await post(`/subsidy-cases/${paid}/expenses/${e.id}/confirmation`, { accepted: true });
    await post(`/subsidy-cases/${paid}/determination`);
    await post(`/subsidy-cases/${paid}/disbursement`, { paidAt: toJstIso(Date.now()), transferReference: '振込' });
    ids.push(paid);

    const expected = new Map<string, Figures>();
    const totals = zero();
    const byStatus: Record<string, number> = {};
    for (const id of ids) {
      const c = (await ctx.http.get(`/subsidy-cases/${id}`)).json();
      const key = `${c.status}/${c.procedure}/${c.rightType}`;
      if (!expected.has(key)) expected.set(key, zero());
      add(expected.get(key)!, c);
      add(totals, c);
      byStatus[c.status] = (byStatus[c.status] ?? 0) + 1;
    }
    expect(totals.disbursedJpy).toBe(388_000);

    const res = await ctx.http.get(`/program-years/${yearId}/summary`);
    expect(res.statusCode, res.body).toBe(200);
    const summary = res.json();
    expect(summary).toMatchObject({ programYearId: yearId, program: 'overseas_ip_subsidy', generatedAt: expect.any(String) });
    expect(summary.brandEngagements).toBeUndefined();
    expect(summary.subsidyCases.totals).toEqual(totals);
    expect(summary.subsidyCases.byStatus).toEqual(byStatus);
    const rows = Object.fromEntries((summary.subsidyCases.rows as ({ status: string; procedure: string; rightType: string } & Figures)[])
      .map(({ status, procedure, rightType, ...f }) => [`${status}/${procedure}/${rightType}`, f]));
    expect(rows).toEqual(Object.fromEntries(expected));

    // The cap ledger: the approved case's grant limit is reserved, the paid one's determination settled.
    const approvedView = (await ctx.http.get(`/subsidy-cases/${approved}`)).json();
    expect(summary.subsidyCases.capUsage).toEqual({ reservedJpy: approvedView.grantLimitJpy, settledJpy: 388_000 });
  });

  it('a year without cases has zero figures', async () => {
    await putYear(ctx.http, 'overseas-ip-empty', openYear(new Date()));
    const summary = (await ctx.http.get('/program-years/overseas-ip-empty/summary')).json();
    expect(summary.subsidyCases).toEqual({ totals: zero(), byStatus: {}, rows: [], capUsage: { reservedJpy: 0, settledJpy: 0 } });
  });
});

describe('Program B', () => {
  it('engagements by status, sessions held, attendees and overdue sessions equal the engagements', async () => {
    const year = await currentYear(ctx);
    await applied(ctx, year.id);
    // A lecture 10 days ago (past the 7-day grace: overdue), one held yesterday, the sharing session ahead.
    const e = await inSupport(ctx, year.id, [lecture(at(-days(10)), '過去の講義'), lecture(at(-days(1))), sharing(at(days(20)))]);
    await command(ctx, `/brand-engagements/${e.id}/sessions/${e.sessionIds[1]}/completion`, { ...report(at(-days(1))), attendeeCount: 17 }, e.leader.token);
    await command(ctx, `/brand-engagements/${e.id}/action-plan`, actionPlan, e.leader.token);

    const list = (await ctx.http.get(`/brand-engagements?programYearId=${year.id}`)).json().items as { id: string; status: string }[];
    const byStatus: Record<string, number> = {};
    let held = 0, attendees = 0, overdue = 0;
    for (const item of list) {
      byStatus[item.status] = (byStatus[item.status] ?? 0) + 1;
      for (const s of (await ctx.http.get(`/brand-engagements/${item.id}`)).json().sessions) {
        if (s.status === 'held') { held += 1; attendees += s.attendeeCount; }
        if (s.overdue) overdue += 1;
      }
    }
    expect([held, attendees, overdue]).toEqual([1, 17, 1]);
    const summary = (await ctx.http.get(`/program-years/${year.id}/summary`)).json();
    expect(summary).toMatchObject({ programYearId: year.id, program: 'regional_brand' });
    expect(summary.brandEngagements).toEqual({ byStatus, sessionsHeld: held, attendees, overdueSessions: overdue });
    expect(summary.subsidyCases).toBeUndefined();
  });
});

describe('Program C', () => {
  it('events, registrations, attendance, satisfaction, dispatches, visits and hours equal the views', async () => {
    const year = await designYear(ctx);
    const held = await pastEvent(ctx, year.id, { capacity: 2 });
    const regs = [];
    for (const n of ['a', 'b', 'c']) regs.push(await registration(ctx, held.id, person(n, { registeredAt: at(-days(3)) })));
    await ok(ctx, `/design-events/${held.id}/attendance`, { registrationIds: [regs[0]!.id, regs[1]!.id] });
    await ok(ctx, `/design-events/${held.id}/completion`, { summary: '開催した' });
    await ok(ctx, `/design-events/${held.id}/registrations/${regs[0]!.id}/survey`, { satisfaction: 5, wantsDispatch: true });
    await ok(ctx, `/design-events/${held.id}/registrations/${regs[1]!.id}/survey`, { satisfaction: 2, wantsDispatch: false });
    const open = await pastEvent(ctx, year.id, { startsAt: at(days(10)), endsAt: at(days(10) + HOUR), registrationClosesAt: at(days(9)) });
    await registration(ctx, open.id, person('d'));

    const d = await assigned(ctx, year.id, 2);
    const v1 = await visit(ctx, d.id, at(-days(2)));
    await visit(ctx, d.id, at(days(3)));
    await ok(ctx, `/design-dispatches/${d.id}/visits/${v1.id}/completion`, { ...visitReport(at(-days(2))), hours: 2.75 }, d.expert.token);
    await dispatch(ctx, year.id);

    const events = [await ctx.http.get(`/design-events/${held.id}`), await ctx.http.get(`/design-events/${open.id}`)].map((r) => r.json());
    const eventsByStatus: Record<string, number> = {};
    let registrations = 0, attended = 0;
    const satisfaction: number[] = [];
    for (const ev of events) {
      eventsByStatus[ev.status] = (eventsByStatus[ev.status] ?? 0) + 1;
      registrations += ev.counts.registered + ev.counts.waitlisted;
      attended += ev.counts.attended;
      for (const r of ev.registrations) if (r.survey) satisfaction.push(r.survey.satisfaction);
    }
    const dispatches = (await ctx.http.get(`/design-dispatches?programYearId=${year.id}`)).json().items as { id: string; status: string }[];
    const dispatchesByStatus: Record<string, number> = {};
    let visitsHeld = 0, hours = 0;
    for (const item of dispatches) {
      dispatchesByStatus[item.status] = (dispatchesByStatus[item.status] ?? 0) + 1;
      for (const v of (await ctx.http.get(`/design-dispatches/${item.id}`)).json().visits) if (v.status === 'held') { visitsHeld += 1; hours += v.hours; }
    }

    const summary = (await ctx.http.get(`/program-years/${year.id}/summary`)).json();
    expect(summary).toMatchObject({ programYearId: year.id, program: 'design_management' });
    expect(summary.designEvents).toEqual({ byStatus: eventsByStatus, registrations, attended, averageSatisfaction: 3.5 });
    expect(satisfaction.reduce((a, b) => a + b, 0) / satisfaction.length).toBe(3.5);
    expect(summary.designDispatches).toEqual({ byStatus: dispatchesByStatus, visitsHeld, hours });
    expect([registrations, attended, visitsHeld, hours]).toEqual([4, 2, 1, 2.75]);
  });
});

describe('access', () => {
  it('is staff only; an unknown year is 404', async () => {
    expectProblem(await ctx.http.get('/program-years/overseas-ip-2024/summary', { token: leader }), 403, 'forbidden');
    expectProblem(await ctx.http.get('/program-years/overseas-ip-2024/summary', { token: tokenFor({ sub: 'ex_1', role: 'expert' }) }), 403, 'forbidden');
    expectProblem(await ctx.http.get('/program-years/overseas-ip-2024/summary', { token: null }), 401, 'unauthorized');
    expectProblem(await ctx.http.get('/program-years/no-such-year/summary'), 404, 'not_found');
  });
});

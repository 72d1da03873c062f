// Program C expert dispatch through the API and a real worker: application inside the window,
// acceptance within the year's companies, assignment, visits inside the dispatch period, the
// closing report, withdrawal, /me/visits, and every 4xx code of the dispatch endpoints.
import { describe, expect, it } from 'vitest';
import { tokenFor } from '../helpers/app.js';
import { fiscalYearOfInstant } from '../../domain/time.js';
import {
  assigned, at, closingReport, company, days, designYear, dispatch, HOUR, newExpert, ok, pastEvent, person, registration, visit, visitReport, useDesignHarness,
} from './design.fixtures.js';

const h = useDesignHarness();

describe('application', () => {
  it('receives an application inside the window → 201 applied; 422 window_closed, unknown_registration, unknown_applicant, unknown_program_year', async () => {
    const year = await designYear(h);
    const created = await dispatch(h, year.id);
    expect(created).toMatchObject({ status: 'applied', expertId: null, plannedVisits: null, visits: [], report: null, overdue: false, sourceRegistrationId: null });

    const fy = fiscalYearOfInstant(Date.now());
    const narrow = await designYear(h, { window: { opensAt: `${fy}-04-01T00:00:00+09:00`, closesAt: `${fy}-04-02T00:00:00+09:00` } });
    const closed = await h.http.post('/design-dispatches', { programYearId: narrow.id, applicantId: await company(h), issue: 'x' });
    expect(closed.statusCode).toBe(422);
    expect(closed.json().code).toBe('window_closed');
    const inWindow = await h.http.post('/design-dispatches', { programYearId: narrow.id, applicantId: await company(h), issue: 'x', receivedAt: `${fy}-04-01T10:00:00+09:00` });
    expect(inWindow.statusCode).toBe(201);

    const noRegistration = await h.http.post('/design-dispatches', { programYearId: year.id, applicantId: await company(h), issue: 'x', sourceRegistrationId: 'dr_nope' });
    expect(noRegistration.statusCode).toBe(422);
    expect(noRegistration.json().code).toBe('unknown_registration');
    expect((await h.http.post('/design-dispatches', { programYearId: year.id, applicantId: 'ap_nope', issue: 'x' })).json().code).toBe('unknown_applicant');
    expect((await h.http.post('/design-dispatches', { programYearId: 'overseas-ip-2024', applicantId: await company(h), issue: 'x' })).json().code).toBe('unknown_program_year');
    expect((await h.http.get('/design-dispatches/dd_nope')).statusCode).toBe(404);
  });

  it('names the survey that asked for help', async () => {
    const year = await designYear(h);
    const event = await pastEvent(h, year.id);
    const r = await registration(h, event.id, person('s', { registeredAt: at(-days(3)) }));
    await ok(h, `/design-events/${event.id}/attendance`, { registrationIds: [r.id] });
    await ok(h, `/design-events/${event.id}/completion`, { summary: '開催' });
    await ok(h, `/design-events/${event.id}/registrations/${r.id}/survey`, { satisfaction: 5, wantsDispatch: true });
    expect((await dispatch(h, year.id, { sourceRegistrationId: r.id })).sourceRegistrationId).toBe(r.id);
  });
});

describe('decision and assignment', () => {
  it('accepts within companies (422 capacity_reached past it), declines with a reason (400 without), a withdrawal frees a place', async () => {
    const year = await designYear(h, { companies: 1 });
    const [a, b, c] = [await dispatch(h, year.id), await dispatch(h, year.id), await dispatch(h, year.id)];
    expect((await ok(h, `/design-dispatches/${a.id}/decision`, { accept: true })).status).toBe('accepted');
    const full = await h.http.post(`/design-dispatches/${b.id}/decision`, { accept: true });
    expect(full.statusCode).toBe(422);
    expect(full.json().code).toBe('capacity_reached');
    expect((await h.http.get(`/design-dispatches/${b.id}`)).json().history.map((e: { type: string }) => e.type)).toEqual(['applied']);
    expect((await h.http.post(`/design-dispatches/${c.id}/decision`, { accept: false })).statusCode).toBe(400);
    expect((await ok(h, `/design-dispatches/${c.id}/decision`, { accept: false, reason: '対象外の課題' })).status).toBe('declined');
    expect((await h.http.post(`/design-dispatches/${c.id}/decision`, { accept: true })).json().code).toBe('invalid_state');
    await ok(h, `/design-dispatches/${a.id}/withdrawal`, { reason: '辞退' });
    expect((await ok(h, `/design-dispatches/${b.id}/decision`, { accept: true })).status).toBe('accepted');
  });

  it('assigns a registered expert with at most maxVisitsPerCompany visits (422 unknown_expert, too_many_visits)', async () => {
    const year = await designYear(h, { maxVisitsPerCompany: 3 });
    const { id } = await dispatch(h, year.id);
    const expert = await newExpert(h);
    expect((await h.http.post(`/design-dispatches/${id}/assignment`, { expertId: expert.id, plannedVisits: 2 })).statusCode).toBe(409);
    await ok(h, `/design-dispatches/${id}/decision`, { accept: true });
    const unknown = await h.http.post(`/design-dispatches/${id}/assignment`, { expertId: 'ex_nope', plannedVisits: 2 });
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json().code).toBe('unknown_expert');
    const many = await h.http.post(`/design-dispatches/${id}/assignment`, { expertId: expert.id, plannedVisits: 4 });
    expect(many.statusCode).toBe(422);
    expect(many.json().code).toBe('too_many_visits');
    const view = await ok(h, `/design-dispatches/${id}/assignment`, { expertId: expert.id, plannedVisits: 3 });
    expect(view).toMatchObject({ status: 'assigned', expertId: expert.id, plannedVisits: 3 });
    expect(view.history.at(-1)).toMatchObject({ type: 'assigned', actor: 'staff:staff-tanaka', fromStatus: 'accepted', toStatus: 'assigned' });
  });
});

describe('visits and the closing report', () => {
  it('the expert schedules, moves, cancels and reports visits; the report completes the dispatch only when no visit is open', async () => {
    const year = await designYear(h);
    const { id, expert } = await assigned(h, year.id, 2);
    const first = await visit(h, id, at(days(3)), expert.token);
    expect(first).toMatchObject({ status: 'scheduled', overdue: false });
    const second = await visit(h, id, at(days(10)));
    const third = await h.http.post(`/design-dispatches/${id}/visits`, { scheduledAt: at(days(12)) }, { token: expert.token });
    expect(third.statusCode).toBe(422);
    expect(third.json().code).toBe('too_many_visits');
    const outside = await h.http.post(`/design-dispatches/${id}/visits`, { scheduledAt: '2000-01-10T10:00:00+09:00' }, { token: expert.token });
    expect(outside.statusCode).toBe(422);
    expect(outside.json().code).toBe('outside_dispatch_period');
    const movedOut = await h.http.patch(`/design-dispatches/${id}/visits/${first.id}`, { scheduledAt: '2000-01-10T10:00:00+09:00' }, { token: expert.token });
    expect(movedOut.json().code).toBe('outside_dispatch_period');

    const moved = (await h.http.patch(`/design-dispatches/${id}/visits/${first.id}`, { scheduledAt: at(-HOUR) }, { token: expert.token })).json();
    expect(moved.visits.find((v: { id: string }) => v.id === first.id).scheduledAt).toBeDefined();
    await ok(h, `/design-dispatches/${id}/visits/${first.id}/completion`, visitReport(), expert.token);
    expect((await h.http.post(`/design-dispatches/${id}/visits/${first.id}/completion`, visitReport(), { token: expert.token })).json().code).toBe('invalid_state');
    expect((await h.http.post(`/design-dispatches/${id}/visits/${second.id}/completion`, visitReport(at(HOUR)), { token: expert.token })).statusCode).toBe(400);
    expect((await h.http.post(`/design-dispatches/${id}/visits/dv_nope/completion`, visitReport(), { token: expert.token })).statusCode).toBe(404);

    const early = await h.http.post(`/design-dispatches/${id}/report`, closingReport, { token: expert.token });
    expect(early.statusCode).toBe(409);
    expect(early.json().code).toBe('visits_open');
    const notKept = (await h.http.get(`/design-dispatches/${id}`)).json();
    expect(notKept.report).toBeNull();
    expect(notKept.history.map((e: { type: string }) => e.type)).not.toContain('completed');

    const cancelled = (await h.http.patch(`/design-dispatches/${id}/visits/${second.id}`, { status: 'cancelled' }, { token: expert.token })).json();
    expect(cancelled.visits.find((v: { id: string }) => v.id === second.id).status).toBe('cancelled');
    const done = await ok(h, `/design-dispatches/${id}/report`, closingReport, expert.token);
    expect(done).toMatchObject({ status: 'completed', report: { ...closingReport, recordedBy: `expert:${expert.id}` }, overdue: false });
    expect(done.history.map((e: { type: string }) => e.type)).toEqual(['applied', 'accepted', 'assigned', 'visit_added', 'visit_added', 'visit_rescheduled', 'visit_held', 'visit_cancelled', 'completed']);
    expect((await h.http.post(`/design-dispatches/${id}/withdrawal`, { reason: 'x' })).json().code).toBe('invalid_state');
  });

  it('a report with no visit held is refused (409 visits_open)', async () => {
    const year = await designYear(h);
    const { id } = await assigned(h, year.id, 1);
    expect((await h.http.post(`/design-dispatches/${id}/report`, closingReport)).json().code).toBe('visits_open');
  });

  it('a visit past its grace shows overdue at read time; a withdrawal cancels scheduled visits', async () => {
    const year = await designYear(h, { visitGraceDays: 1 });
    const { id } = await assigned(h, year.id, 2);
    const late = await visit(h, id, at(-days(2)));
    expect(late.overdue).toBe(true);
    const view = (await h.http.get(`/design-dispatches/${id}`)).json();
    expect(view.overdue).toBe(true);
    const list = (await h.http.get(`/design-dispatches?programYearId=${year.id}&status=assigned`)).json();
    expect(list.items).toEqual([expect.objectContaining({ id, overdue: true })]);
    const withdrawn = await ok(h, `/design-dispatches/${id}/withdrawal`, { reason: '事業計画の変更' });
    expect(withdrawn).toMatchObject({ status: 'withdrawn', overdue: false });
    expect(withdrawn.visits[0]).toMatchObject({ status: 'cancelled', overdue: false });
  });
});

describe('program year changes and idempotency', () => {
  it('a PUT of the year reaches open dispatches (history) and read-time overdue follows the new grace', async () => {
    const year = await designYear(h, { visitGraceDays: 1 });
    const { id } = await assigned(h, year.id, 1);
    const late = await visit(h, id, at(-days(3)));
    expect(late.overdue).toBe(true);
    const put = await h.http.put(`/program-years/${year.id}`, { ...year.body, visitGraceDays: 10 });
    expect(put.statusCode).toBe(200);
    const view = (await h.http.get(`/design-dispatches/${id}`)).json();
    expect(view.visits[0].overdue).toBe(false);
    expect(view.overdue).toBe(false);
    expect(view.history.at(-1)).toMatchObject({ type: 'program_year_changed', actor: 'system', detail: expect.objectContaining({ visitGraceDays: 10 }) });
  });

  it('the same Idempotency-Key with another body is 422 idempotency_key_reused; with the same body the first answer', async () => {
    const year = await designYear(h);
    const applicantId = await company(h);
    const headers = { 'idempotency-key': 'dispatch-1' };
    const first = await h.http.post('/design-dispatches', { programYearId: year.id, applicantId, issue: 'a' }, { headers });
    const again = await h.http.post('/design-dispatches', { programYearId: year.id, applicantId, issue: 'a' }, { headers });
    expect(again.json().id).toBe(first.json().id);
    const other = await h.http.post('/design-dispatches', { programYearId: year.id, applicantId, issue: 'b' }, { headers });
    expect(other.statusCode).toBe(422);
    expect(other.json().code).toBe('idempotency_key_reused');
  });
});

describe('GET /me/visits', () => {
  it('lists the caller\'s visits not yet held, soonest first, with overdue; nothing of other experts', async () => {
    const year = await designYear(h, { visitGraceDays: 1 });
    const { id, expert } = await assigned(h, year.id, 3);
    const later = await visit(h, id, at(days(9)));
    const sooner = await visit(h, id, at(days(2)));
    const overdue = await visit(h, id, at(-days(3)));
    const other = await assigned(h, year.id, 1);
    await visit(h, other.id, at(days(1)));

    const mine = (await h.http.get('/me/visits', { token: expert.token })).json();
    expect(mine.items.map((v: { id: string }) => v.id)).toEqual([overdue.id, sooner.id, later.id]);
    expect(mine.items[0]).toMatchObject({ overdue: true, dispatchId: id, programYearId: year.id, status: 'scheduled' });
    expect(mine.items[1].overdue).toBe(false);
    const page = (await h.http.get('/me/visits?limit=2', { token: expert.token })).json();
    expect(page.items).toHaveLength(2);
    const rest = (await h.http.get(`/me/visits?limit=2&cursor=${page.nextCursor}`, { token: expert.token })).json();
    expect(rest.items.map((v: { id: string }) => v.id)).toEqual([later.id]);

    // The same person with a support_leader token sees the same visits.
    const asLeader = tokenFor({ sub: expert.id, role: 'support_leader' });
    expect((await h.http.get('/me/visits', { token: asLeader })).json().items).toHaveLength(3);
    expect((await h.http.get('/me/visits')).statusCode).toBe(403);
  });
});

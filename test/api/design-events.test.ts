// Program C events through the API and a real worker: the program year, creation, registration
// with capacity and waitlist, closing by staff and after the fact, attendance, completion,
// surveys, cancellation and every 4xx code of the contract's event endpoints.
import { describe, expect, it } from 'vitest';
import { at, days, designYear, event, eventBody, HOUR, ok, pastEvent, person, registration, useDesignHarness } from './design.fixtures.js';

const h = useDesignHarness();

const outbox = (kind: string, eventId: string) =>
  h.database.db.selectFrom('outbox').selectAll().where('kind', '=', kind).execute().then((rows) => rows.filter((r) => r.payload.eventId === eventId));

describe('design-management program year', () => {
  it('ships design-management-2024 with the contract values', async () => {
    const res = await h.http.get('/program-years/design-management-2024');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      program: 'design_management', fiscalYear: 2024,
      dispatch: { applicationWindow: { opensAt: '2024-11-01T00:00:00+09:00', closesAt: '2024-12-20T17:00:00+09:00' }, visitsFrom: '2025-01-06', visitsUntil: '2025-03-21', companies: 6, maxVisitsPerCompany: 3 },
      reminderDaysBefore: 2, visitGraceDays: 7,
    });
    expect((await h.http.get('/program-years/design-management-2023')).json()).toMatchObject({ program: 'design_management', fiscalYear: 2023 });
  });

  it('PUT validates the rules: 422 invalid_program_year with the paths; 400 for a wrong shape', async () => {
    const { id, body } = await designYear(h);
    const bad = await h.http.put(`/program-years/${id}`, { ...body, dispatch: { ...body.dispatch, visitsFrom: '2000-01-06', visitsUntil: `${body.fiscalYear}-04-01` } });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().code).toBe('invalid_program_year');
    expect(bad.json().errors.map((e: { path: string }) => e.path)).toContain('body/dispatch/visitsFrom');
    const order = await h.http.put(`/program-years/${id}`, { ...body, dispatch: { ...body.dispatch, visitsFrom: `${body.fiscalYear}-12-01`, visitsUntil: `${body.fiscalYear}-11-01` } });
    expect(order.json().errors).toEqual([expect.objectContaining({ path: 'body/dispatch/visitsUntil' })]);
    expect((await h.http.put(`/program-years/${id}`, { ...body, dispatch: { ...body.dispatch, companies: 0 } })).statusCode).toBe(400);
    expect((await h.http.put(`/program-years/${id}`, { ...body, visitGraceDays: 3 })).statusCode).toBe(200);
  });
});

describe('events', () => {
  it('creates an open event; refuses bad dates (400) and a year of another program (422)', async () => {
    const year = await designYear(h);
    const created = await event(h, year.id);
    expect(created).toMatchObject({ status: 'open', capacity: 3, counts: { registered: 0, waitlisted: 0, attended: 0, surveys: 0, wantsDispatch: 0 }, averageSatisfaction: null, registrations: [] });
    expect((await h.http.get(`/design-events/${created.id}`)).json().history).toEqual([expect.objectContaining({ type: 'created', actor: 'staff:staff-tanaka', toStatus: 'open' })]);

    const ends = await h.http.post('/design-events', eventBody(year.id, { endsAt: at(days(19)) }));
    expect(ends.statusCode).toBe(400);
    const closes = await h.http.post('/design-events', eventBody(year.id, { registrationClosesAt: at(days(21)) }));
    expect(closes.statusCode).toBe(400);
    const other = await h.http.post('/design-events', eventBody('regional-brand-2024'));
    expect(other.statusCode).toBe(422);
    expect(other.json().code).toBe('unknown_program_year');
    expect((await h.http.get('/design-events/de_nope')).statusCode).toBe(404);
  });

  it('seats registrants up to capacity, waitlists the rest, refuses the same address twice (409), promotes the first waitlisted on a cancellation', async () => {
    const year = await designYear(h);
    const { id } = await event(h, year.id, { capacity: 2 });
    const a = await registration(h, id, person('a'));
    const b = await registration(h, id, person('b'));
    const cPerson = person('c');
    const c = await registration(h, id, cPerson);
    const d = await registration(h, id, person('d'));
    expect([a.status, b.status, c.status, d.status]).toEqual(['registered', 'registered', 'waitlisted', 'waitlisted']);

    const twice = await h.http.post(`/design-events/${id}/registrations`, { ...cPerson, email: cPerson.email.toUpperCase(), name: '別名' });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().code).toBe('conflict');

    const view = await ok(h, `/design-events/${id}/registrations/${a.id}/cancellation`);
    expect(view.counts).toMatchObject({ registered: 2, waitlisted: 1 });
    expect(view.registrations.find((r: { id: string }) => r.id === c.id)).toMatchObject({ status: 'registered' });
    expect(view.registrations.find((r: { id: string }) => r.id === d.id)).toMatchObject({ status: 'waitlisted' });
    expect(await outbox('design_registration_promoted', id)).toEqual([expect.objectContaining({ recipient: cPerson.email })]);

    const again = await h.http.post(`/design-events/${id}/registrations/${a.id}/cancellation`);
    expect(again.statusCode).toBe(409);
    expect((await h.http.post(`/design-events/${id}/registrations/dr_nope/cancellation`)).statusCode).toBe(404);
    // A cancelled registrant may register again.
    expect((await h.http.post(`/design-events/${id}/registrations`, { ...cPerson, email: person('a').email })).statusCode).toBe(201);
  });

  it('a retried registration (same Idempotency-Key) finds the first one', async () => {
    const year = await designYear(h);
    const { id } = await event(h, year.id);
    const body = person('retry');
    const first = await h.http.post(`/design-events/${id}/registrations`, body, { headers: { 'idempotency-key': 'reg-1' } });
    const second = await h.http.post(`/design-events/${id}/registrations`, body, { headers: { 'idempotency-key': 'reg-1' } });
    expect(first.statusCode).toBe(201);
    expect(second.json().id).toBe(first.json().id);
    expect((await h.http.get(`/design-events/${id}`)).json().counts.registered).toBe(1);
  });

  it('closes registration by staff: 422 registration_closed after, a back-dated record before is taken', async () => {
    const year = await designYear(h);
    const { id } = await event(h, year.id);
    const closed = await ok(h, `/design-events/${id}/close`);
    expect(closed.status).toBe('closed');
    const late = await h.http.post(`/design-events/${id}/registrations`, person('late'));
    expect(late.statusCode).toBe(422);
    expect(late.json().code).toBe('registration_closed');
    expect((await registration(h, id, person('early', { registeredAt: at(-HOUR) }))).status).toBe('registered');
    expect((await h.http.post(`/design-events/${id}/close`)).statusCode).toBe(409);
    expect((await h.http.post(`/design-events/${id}/registrations`, person('future', { registeredAt: at(HOUR) }))).statusCode).toBe(400);
  });

  it('an event created after its start is closed; attendance, completion, surveys', async () => {
    const year = await designYear(h);
    const created = await pastEvent(h, year.id, { capacity: 2 });
    expect(created.status).toBe('closed');
    expect((await h.http.post(`/design-events/${created.id}/registrations`, person('now'))).json().code).toBe('registration_closed');
    const [a, b, c] = [
      await registration(h, created.id, person('a', { registeredAt: at(-days(3)) })),
      await registration(h, created.id, person('b', { registeredAt: at(-days(3)) })),
      await registration(h, created.id, person('c', { registeredAt: at(-days(3)) })),
    ];
    expect(c.status).toBe('waitlisted');

    const waitlisted = await h.http.post(`/design-events/${created.id}/attendance`, { registrationIds: [a.id, c.id] });
    expect(waitlisted.statusCode).toBe(422);
    expect(waitlisted.json().code).toBe('unknown_registration');
    const early = await h.http.post(`/design-events/${created.id}/registrations/${a.id}/survey`, { satisfaction: 5, wantsDispatch: true });
    expect(early.statusCode).toBe(409);
    expect(early.json().code).toBe('invalid_state');

    expect((await ok(h, `/design-events/${created.id}/attendance`, { registrationIds: [a.id] })).counts.attended).toBe(1);
    const held = await ok(h, `/design-events/${created.id}/completion`, { summary: '40名が参加し、事例を共有した' });
    expect(held.status).toBe('held');

    const survey = await ok(h, `/design-events/${created.id}/registrations/${a.id}/survey`, { satisfaction: 4, comment: '自社でも試したい', wantsDispatch: true });
    expect(survey.counts).toMatchObject({ attended: 1, surveys: 1, wantsDispatch: 1 });
    expect(survey.averageSatisfaction).toBe(4);
    expect(survey.registrations.find((r: { id: string }) => r.id === a.id).survey).toMatchObject({ satisfaction: 4, comment: '自社でも試したい', wantsDispatch: true });
    const twice = await h.http.post(`/design-events/${created.id}/registrations/${a.id}/survey`, { satisfaction: 1, wantsDispatch: false });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().code).toBe('conflict');
    const absent = await h.http.post(`/design-events/${created.id}/registrations/${b.id}/survey`, { satisfaction: 3, wantsDispatch: false });
    expect(absent.statusCode).toBe(422);
    expect(absent.json().code).toBe('not_an_attendee');
    expect((await h.http.post(`/design-events/${created.id}/registrations/${b.id}/survey`, { satisfaction: 6, wantsDispatch: false })).statusCode).toBe(400);
    expect((await h.http.post(`/design-events/${created.id}/cancellation`, { reason: '中止' })).statusCode).toBe(409);
  });

  it('attendance and completion wait for the start (409 invalid_state)', async () => {
    const year = await designYear(h);
    const { id } = await event(h, year.id);
    const r = await registration(h, id, person('x'));
    const res = await h.http.post(`/design-events/${id}/attendance`, { registrationIds: [r.id] });
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('invalid_state');
    expect((await h.http.post(`/design-events/${id}/completion`, { summary: 'x' })).json().code).toBe('invalid_state');
  });

  it('a cancellation notifies every registrant, seated or waiting, and ends the event', async () => {
    const year = await designYear(h);
    const { id } = await event(h, year.id, { capacity: 1 });
    await registration(h, id, person('a'));
    await registration(h, id, person('b'));
    const view = await ok(h, `/design-events/${id}/cancellation`, { reason: '講師の急病のため' });
    expect(view.status).toBe('cancelled');
    expect(await outbox('design_event_cancelled', id)).toHaveLength(2);
    const after = await h.http.post(`/design-events/${id}/registrations`, person('c'));
    expect(after.statusCode).toBe(409);
    expect(after.json().code).toBe('invalid_state');
  });

  it('lists events with filters', async () => {
    const year = await designYear(h);
    await event(h, year.id, { city: '帯広市' });
    await event(h, year.id);
    const list = (await h.http.get(`/design-events?programYearId=${year.id}&city=${encodeURIComponent('帯広市')}`)).json();
    expect(list.items).toHaveLength(1);
    expect(list.items[0]).toMatchObject({ city: '帯広市', status: 'open', counts: { registered: 0 } });
    const page = (await h.http.get(`/design-events?programYearId=${year.id}&limit=1`)).json();
    expect(page.nextCursor).not.toBeNull();
  });
});

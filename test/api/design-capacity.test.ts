// Seats and companies are counted in PostgreSQL under a row lock: registrations and
// cancellations that race each other never oversell an event, and acceptances that race each
// other never pass the year's number of companies. Each test prints its figures.
import { describe, expect, it } from 'vitest';
import { designYear, dispatch, event, ok, person, useDesignHarness } from './design.fixtures.js';

const h = useDesignHarness();

/**
 * As a client would: a 5xx (no outcome yet, e.g. a busy workflow that has not taken the
 * Update in by the deadline) is retried with the same Idempotency-Key, which is always safe.
 */
async function post(path: string, body?: unknown) {
  const headers = { 'idempotency-key': `race-${Math.random().toString(36).slice(2)}` };
  for (let attempt = 0; ; attempt += 1) {
    const res = await h.http.post(path, body, { headers });
    if (res.statusCode < 500 || attempt >= 5) return res;
    retried += 1;
  }
}
let retried = 0;

const seats = (eventId: string) => h.database.db.selectFrom('design_registrations').select(['id', 'seq', 'status']).where('event_id', '=', eventId).orderBy('seq').execute();

/** No seat oversold, and the waitlist strictly behind every seat (the earliest waiting is promoted first). */
function assertSeating(rows: { seq: number; status: string }[], capacity: number): void {
  const registered = rows.filter((r) => r.status === 'registered');
  const waitlisted = rows.filter((r) => r.status === 'waitlisted');
  expect(registered.length).toBeLessThanOrEqual(capacity);
  if (waitlisted.length > 0) {
    expect(registered).toHaveLength(capacity);
    expect(Math.min(...waitlisted.map((r) => r.seq))).toBeGreaterThan(Math.max(...registered.map((r) => r.seq)));
  }
}

describe('event seats under concurrency', () => {
  it('never oversells: 40 concurrent registrations, then cancellations racing new registrations', async () => {
    const capacity = 5;
    const year = await designYear(h);
    const { id } = await event(h, year.id, { capacity });
    const attempts = 40;
    const answers = await Promise.all(Array.from({ length: attempts }, (_, i) => post(`/design-events/${id}/registrations`, person(`r${i}`))));
    const failed = answers.filter((a) => a.statusCode !== 201).map((a) => `${a.statusCode} ${a.json().code}`);
    if (failed.length > 0) console.log(`[race] refused: ${failed.join(', ')}`);
    expect(failed).toEqual([]);
    const statuses = answers.map((a) => a.json().status as string);
    const accepted = statuses.filter((s) => s === 'registered').length;
    const waitlisted = statuses.filter((s) => s === 'waitlisted').length;
    console.log(`[race] event registrations: attempts ${attempts}, registered ${accepted}, waitlisted ${waitlisted} (capacity ${capacity}; answers retried after a 5xx: ${retried})`);
    expect(accepted).toBe(capacity);
    expect(waitlisted).toBe(attempts - capacity);
    assertSeating(await seats(id), capacity);

    // Cancel every seated registrant while 10 more register, all at once.
    const seated = answers.filter((a) => a.json().status === 'registered').map((a) => a.json().id as string);
    const mixed = await Promise.all([
      ...seated.map((rid) => post(`/design-events/${id}/registrations/${rid}/cancellation`)),
      ...Array.from({ length: 10 }, (_, i) => post(`/design-events/${id}/registrations`, person(`late${i}`))),
    ]);
    expect(mixed.every((a) => a.statusCode === 200 || a.statusCode === 201)).toBe(true);
    const rows = await seats(id);
    assertSeating(rows, capacity);
    const final = { registered: rows.filter((r) => r.status === 'registered').length, waitlisted: rows.filter((r) => r.status === 'waitlisted').length, cancelled: rows.filter((r) => r.status === 'cancelled').length };
    console.log(`[race] after ${seated.length} cancellations racing 10 registrations: registered ${final.registered}, waitlisted ${final.waitlisted}, cancelled ${final.cancelled}`);
    expect(final).toEqual({ registered: capacity, waitlisted: attempts - capacity - capacity + 10, cancelled: capacity });
    // Each promoted registrant was told once.
    const notices = await h.database.db.selectFrom('outbox').select('dedupe_key').where('kind', '=', 'design_registration_promoted').execute();
    expect(notices.filter((n) => rows.some((r) => n.dedupe_key.endsWith(r.id)))).toHaveLength(capacity);
    const view = (await h.http.get(`/design-events/${id}`)).json();
    expect(view.counts).toMatchObject({ registered: capacity, waitlisted: final.waitlisted });
  });
});

describe('dispatch companies under concurrency', () => {
  it('accepts at most `companies` when more are decided at once; a racing withdrawal frees exactly one place', async () => {
    const companies = 3;
    const year = await designYear(h, { companies });
    const attempts = 12;
    const ids = await Promise.all(Array.from({ length: attempts }, async () => (await dispatch(h, year.id)).id));
    const answers = await Promise.all(ids.map((id) => post(`/design-dispatches/${id}/decision`, { accept: true })));
    const accepted = answers.filter((a) => a.statusCode === 200).length;
    const refused = answers.filter((a) => a.statusCode === 422);
    console.log(`[race] dispatch decisions: attempts ${attempts}, accepted ${accepted}, capacity_reached ${refused.length} (companies ${companies})`);
    expect(accepted).toBe(companies);
    expect(refused).toHaveLength(attempts - companies);
    for (const r of refused) expect(r.json().code).toBe('capacity_reached');

    const holding = ids.filter((_, i) => answers[i]!.statusCode === 200);
    const waiting = ids.filter((_, i) => answers[i]!.statusCode === 422);
    const race = await Promise.all([
      post(`/design-dispatches/${holding[0]}/withdrawal`, { reason: '辞退' }),
      ...waiting.slice(0, 5).map((id) => post(`/design-dispatches/${id}/decision`, { accept: true })),
    ]);
    expect(race[0]!.statusCode).toBe(200);
    const secondRound = race.slice(1).filter((a) => a.statusCode === 200).length;
    console.log(`[race] a withdrawal racing 5 acceptances: accepted ${secondRound}`);
    expect(secondRound).toBeLessThanOrEqual(1);
    const places = await h.database.db.selectFrom('design_dispatches').select('id').where('program_year_id', '=', year.id).where('status', 'in', ['accepted', 'assigned', 'completed']).execute();
    expect(places.length).toBeLessThanOrEqual(companies);
    expect(places.length).toBe(companies - 1 + secondRound);
    await ok(h, `/design-dispatches/${waiting[6]}/decision`, { accept: false, reason: '定員' });
  });
});

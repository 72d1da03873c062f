// Who may do what on every Program C endpoint: staff, the dispatch's assigned expert, another
// expert, the support leader of a brand engagement (an outside person too, not this
// dispatch's) and no token. Each cell runs on fresh state so a success cannot hide a refusal.
import { beforeAll, describe, expect, it } from 'vitest';
import { tokenFor } from '../helpers/app.js';
import { currentYear, inSupport } from './brand-engagements.fixtures.js';
import {
  assigned, at, closingReport, company, days, designYear, dispatch, event, newExpert, ok, pastEvent, person, registration, visit, visitReport, useDesignHarness,
} from './design.fixtures.js';

const h = useDesignHarness();

type Role = 'staff' | 'expert' | 'other' | 'leader' | 'none';
interface Call { method: 'GET' | 'POST' | 'PATCH'; url: string; body?: unknown }
/** What a cell needs: the call, and the token of the dispatch's expert (when there is one). */
interface Prepared { call: Call; expertToken?: string }
interface Row { name: string; prepare(year: string): Promise<Prepared>; expect: Record<Role, number> }

const STAFF_ONLY = (ok: number) => ({ staff: ok, expert: 403, other: 403, leader: 403, none: 401 });
const STAFF_AND_EXPERT = (ok: number) => ({ staff: ok, expert: ok, other: 403, leader: 403, none: 401 });

/** An event after its start, one attendee: ready for completion or a survey. */
async function heldReady(year: string) {
  const e = await pastEvent(h, year);
  const r = await registration(h, e.id, person('a', { registeredAt: at(-days(3)) }));
  await ok(h, `/design-events/${e.id}/attendance`, { registrationIds: [r.id] });
  return { eventId: e.id, registrationId: r.id };
}

const rows: Row[] = [
  { name: 'POST /design-events', expect: { ...STAFF_ONLY(201) }, prepare: async (year) => ({ call: { method: 'POST', url: '/design-events', body: { programYearId: year, kind: 'workshop', title: 'デザイン思考ワークショップ', city: '札幌市', venue: '会議室', startsAt: at(days(9)), endsAt: at(days(9) + 3_600_000), capacity: 20, registrationClosesAt: at(days(8)) } } }) },
  { name: 'GET /design-events', expect: STAFF_ONLY(200), prepare: async (year) => ({ call: { method: 'GET', url: `/design-events?programYearId=${year}` } }) },
  { name: 'GET /design-events/{id}', expect: STAFF_ONLY(200), prepare: async (year) => ({ call: { method: 'GET', url: `/design-events/${(await event(h, year)).id}` } }) },
  { name: 'POST …/registrations', expect: STAFF_ONLY(201), prepare: async (year) => ({ call: { method: 'POST', url: `/design-events/${(await event(h, year)).id}/registrations`, body: person('x') } }) },
  { name: 'POST …/registrations/{rid}/cancellation', expect: STAFF_ONLY(200), prepare: async (year) => {
    const e = await event(h, year);
    const r = await registration(h, e.id, person('x'));
    return { call: { method: 'POST', url: `/design-events/${e.id}/registrations/${r.id}/cancellation` } };
  } },
  { name: 'POST …/close', expect: STAFF_ONLY(200), prepare: async (year) => ({ call: { method: 'POST', url: `/design-events/${(await event(h, year)).id}/close` } }) },
  { name: 'POST …/attendance', expect: STAFF_ONLY(200), prepare: async (year) => {
    const e = await pastEvent(h, year);
    const r = await registration(h, e.id, person('x', { registeredAt: at(-days(3)) }));
    return { call: { method: 'POST', url: `/design-events/${e.id}/attendance`, body: { registrationIds: [r.id] } } };
  } },
  { name: 'POST …/completion', expect: STAFF_ONLY(200), prepare: async (year) => ({ call: { method: 'POST', url: `/design-events/${(await heldReady(year)).eventId}/completion`, body: { summary: '開催した' } } }) },
  { name: 'POST …/registrations/{rid}/survey', expect: STAFF_ONLY(200), prepare: async (year) => {
    const { eventId, registrationId } = await heldReady(year);
    await ok(h, `/design-events/${eventId}/completion`, { summary: '開催した' });
    return { call: { method: 'POST', url: `/design-events/${eventId}/registrations/${registrationId}/survey`, body: { satisfaction: 5, wantsDispatch: true } } };
  } },
  { name: 'POST …/cancellation (event)', expect: STAFF_ONLY(200), prepare: async (year) => ({ call: { method: 'POST', url: `/design-events/${(await event(h, year)).id}/cancellation`, body: { reason: '中止' } } }) },

  { name: 'POST /design-dispatches', expect: STAFF_ONLY(201), prepare: async (year) => ({ call: { method: 'POST', url: '/design-dispatches', body: { programYearId: year, applicantId: await company(h), issue: '課題' } } }) },
  { name: 'GET /design-dispatches', expect: STAFF_ONLY(200), prepare: async (year) => ({ call: { method: 'GET', url: `/design-dispatches?programYearId=${year}` } }) },
  { name: 'GET /design-dispatches/{id}', expect: STAFF_AND_EXPERT(200), prepare: async (year) => {
    const d = await assigned(h, year);
    return { expertToken: d.expert.token, call: { method: 'GET', url: `/design-dispatches/${d.id}` } };
  } },
  { name: 'POST …/decision', expect: STAFF_ONLY(200), prepare: async (year) => ({ call: { method: 'POST', url: `/design-dispatches/${(await dispatch(h, year)).id}/decision`, body: { accept: true } } }) },
  { name: 'POST …/assignment', expect: STAFF_ONLY(200), prepare: async (year) => {
    const d = await dispatch(h, year);
    await ok(h, `/design-dispatches/${d.id}/decision`, { accept: true });
    const expert = await newExpert(h);
    return { expertToken: expert.token, call: { method: 'POST', url: `/design-dispatches/${d.id}/assignment`, body: { expertId: expert.id, plannedVisits: 2 } } };
  } },
  { name: 'POST …/visits', expect: STAFF_AND_EXPERT(201), prepare: async (year) => {
    const d = await assigned(h, year);
    return { expertToken: d.expert.token, call: { method: 'POST', url: `/design-dispatches/${d.id}/visits`, body: { scheduledAt: at(days(4)) } } };
  } },
  { name: 'PATCH …/visits/{visitId} (reschedule)', expect: STAFF_AND_EXPERT(200), prepare: async (year) => {
    const d = await assigned(h, year);
    const v = await visit(h, d.id, at(days(4)));
    return { expertToken: d.expert.token, call: { method: 'PATCH', url: `/design-dispatches/${d.id}/visits/${v.id}`, body: { scheduledAt: at(days(5)) } } };
  } },
  { name: 'PATCH …/visits/{visitId} (cancel)', expect: STAFF_AND_EXPERT(200), prepare: async (year) => {
    const d = await assigned(h, year);
    const v = await visit(h, d.id, at(days(4)));
    return { expertToken: d.expert.token, call: { method: 'PATCH', url: `/design-dispatches/${d.id}/visits/${v.id}`, body: { status: 'cancelled' } } };
  } },
  { name: 'POST …/visits/{visitId}/completion', expect: STAFF_AND_EXPERT(200), prepare: async (year) => {
    const d = await assigned(h, year);
    const v = await visit(h, d.id, at(-days(1)));
    return { expertToken: d.expert.token, call: { method: 'POST', url: `/design-dispatches/${d.id}/visits/${v.id}/completion`, body: visitReport() } };
  } },
  { name: 'POST …/report', expect: STAFF_AND_EXPERT(200), prepare: async (year) => {
    const d = await assigned(h, year, 1);
    const v = await visit(h, d.id, at(-days(1)));
    await ok(h, `/design-dispatches/${d.id}/visits/${v.id}/completion`, visitReport());
    return { expertToken: d.expert.token, call: { method: 'POST', url: `/design-dispatches/${d.id}/report`, body: closingReport } };
  } },
  { name: 'POST …/withdrawal (dispatch)', expect: STAFF_ONLY(200), prepare: async (year) => {
    const d = await assigned(h, year);
    return { expertToken: d.expert.token, call: { method: 'POST', url: `/design-dispatches/${d.id}/withdrawal`, body: { reason: '辞退' } } };
  } },
  { name: 'GET /me/visits', expect: { staff: 403, expert: 200, other: 200, leader: 200, none: 401 }, prepare: async (year) => {
    const d = await assigned(h, year);
    return { expertToken: d.expert.token, call: { method: 'GET', url: '/me/visits' } };
  } },
];

let leaderToken: string;
const otherExpert = tokenFor({ sub: 'ex_someone_else', role: 'expert', name: '別の専門家' });

beforeAll(async () => {
  // A support leader who leads a brand engagement: an outside person with rights elsewhere, none here.
  const engagement = await inSupport(h, (await currentYear(h, { capacity: 10 })).id);
  leaderToken = engagement.leader.token;
});

describe('Program C authorisation matrix', () => {
  for (const row of rows) {
    it(row.name, async () => {
      const year = (await designYear(h, { companies: 50 })).id;
      const got: Record<Role, number> = { staff: 0, expert: 0, other: 0, leader: 0, none: 0 };
      for (const role of Object.keys(row.expect) as Role[]) {
        const { call, expertToken } = await row.prepare(year);
        const token = role === 'staff' ? undefined : role === 'expert' ? (expertToken ?? otherExpert) : role === 'other' ? otherExpert : role === 'leader' ? leaderToken : null;
        const options = token === undefined ? {} : { token };
        const res = call.method === 'GET' ? await h.http.get(call.url, options)
          : call.method === 'POST' ? await h.http.post(call.url, call.body, options) : await h.http.patch(call.url, call.body, options);
        got[role] = res.statusCode;
      }
      expect(got).toEqual(row.expect);
    });
  }

  it('refuses another expert before reading the body (403, not 400), and lets the assigned expert in with a support_leader token too', async () => {
    const year = (await designYear(h)).id;
    const d = await assigned(h, year);
    const bad = await h.http.post(`/design-dispatches/${d.id}/visits`, { scheduledAt: 'not a date', extra: 'x'.repeat(10_000) }, { token: otherExpert });
    expect(bad.statusCode).toBe(403);
    const own = await h.http.post(`/design-dispatches/${d.id}/visits`, { scheduledAt: 'not a date' }, { token: d.expert.token });
    expect(own.statusCode).toBe(400);
    const sameAsLeader = tokenFor({ sub: d.expert.id, role: 'support_leader' });
    expect((await h.http.get(`/design-dispatches/${d.id}`, { token: sameAsLeader })).statusCode).toBe(200);
    // Before any expert is assigned, no outside person sees the dispatch.
    const fresh = await dispatch(h, year);
    expect((await h.http.get(`/design-dispatches/${fresh.id}`, { token: d.expert.token })).statusCode).toBe(403);
  });
});

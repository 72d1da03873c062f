// Program C's busiest path: many people registering for one seminar at once. Seats are
// counted under the event's row lock and each registration is a command on the event's
// workflow, so this measures the queue a popular seminar forms.
import { fiscalYearOfInstant, toJstIso, DAY_MS } from '../../domain/time.js';
import type { Http } from './http.js';

export async function putBenchDesignYear(http: Http, now = new Date()): Promise<string> {
  const fy = fiscalYearOfInstant(now);
  const id = `bench-design-${fy}`;
  await http('PUT', `/program-years/${id}`, {
    program: 'design_management', fiscalYear: fy, title: `Bench design FY${fy}`,
    dispatch: { applicationWindow: { opensAt: `${fy}-04-01T00:00:00+09:00`, closesAt: `${fy + 1}-03-31T17:00:00+09:00` }, visitsFrom: `${fy}-04-01`, visitsUntil: `${fy + 1}-03-31`, companies: 6, maxVisitsPerCompany: 3 },
    reminderDaysBefore: 2, visitGraceDays: 7,
  });
  return id;
}

/** A seminar a month ahead, registration open, with `capacity` seats (the rest waitlisted). */
export async function benchEvent(http: Http, programYearId: string, capacity: number, n: number): Promise<string> {
  const startsAt = Date.now() + 30 * DAY_MS;
  const event = await http<{ id: string }>('POST', '/design-events', {
    programYearId, kind: 'seminar', title: `ベンチセミナー ${n}`, city: '札幌市', venue: '札幌市産業振興センター',
    startsAt: toJstIso(startsAt), endsAt: toJstIso(startsAt + 2 * 3600_000), capacity, registrationClosesAt: toJstIso(startsAt - DAY_MS),
  });
  return event.id;
}

export const registration = (i: number) => ({ name: `参加者 ${i}`, email: `bench-${i}@example.jp`, organization: 'ベンチ株式会社' });

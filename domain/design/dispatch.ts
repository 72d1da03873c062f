// Expert dispatch (専門家派遣, Program C): a company applies with its issue, staff accept it
// within the year's number of companies, assign an expert and a number of visits, the expert
// logs each visit and writes a closing report (api.md → Program C → Expert dispatch).
import { DomainError, unknownReference } from '../errors.js';
import { statusTable } from '../state-machine.js';
import { isValidDate, jstDate } from '../time.js';

export const DISPATCH_STATUSES = ['applied', 'accepted', 'declined', 'assigned', 'completed', 'withdrawn'] as const;
export type DispatchStatus = (typeof DISPATCH_STATUSES)[number];

export const VISIT_STATUSES = ['scheduled', 'held', 'cancelled'] as const;
export type VisitStatus = (typeof VISIT_STATUSES)[number];

export type DispatchCommand = 'decision' | 'assignment' | 'add visit' | 'reschedule visit' | 'cancel visit' | 'complete visit' | 'report' | 'withdrawal';

export const CLOSED_DISPATCH_STATUSES: readonly DispatchStatus[] = ['declined', 'completed', 'withdrawn'];

/** Statuses that hold one of the year's `companies` places (a withdrawal gives it back). */
export const HOLDS_COMPANY_PLACE: readonly DispatchStatus[] = ['accepted', 'assigned', 'completed'];

const ALLOWED: Record<DispatchCommand, readonly DispatchStatus[]> = {
  decision: ['applied'],
  assignment: ['accepted'],
  'add visit': ['assigned'],
  'reschedule visit': ['assigned'],
  'cancel visit': ['assigned'],
  'complete visit': ['assigned'],
  report: ['assigned'],
  withdrawal: ['applied', 'accepted', 'assigned'],
};

export const DISPATCH_STATUS = statusTable<DispatchStatus, DispatchCommand>({
  statuses: DISPATCH_STATUSES, finalStatuses: CLOSED_DISPATCH_STATUSES, allowed: ALLOWED,
});

export const isDispatchClosed = (status: DispatchStatus): boolean => CLOSED_DISPATCH_STATUSES.includes(status);

export function companiesReached(companies: number): DomainError {
  return new DomainError('capacity_reached', `All ${companies} companies of this program year are already accepted`);
}

export function tooManyVisits(limit: number, path: string, what: string): DomainError {
  return new DomainError('too_many_visits', `${what}: at most ${limit} visits`, [{ path, message: `must not exceed ${limit}` }]);
}

/** `plannedVisits` may not exceed the year's `maxVisitsPerCompany`. */
export function assertPlannedVisits(plannedVisits: number, maxVisitsPerCompany: number): void {
  if (plannedVisits > maxVisitsPerCompany) throw tooManyVisits(maxVisitsPerCompany, 'body/plannedVisits', 'The program year allows each company');
}

/** A new visit may not take the dispatch past its planned visits (cancelled ones do not count). */
export function assertVisitFits(liveVisits: number, plannedVisits: number): void {
  if (liveVisits >= plannedVisits) throw tooManyVisits(plannedVisits, 'body', 'This dispatch plans');
}

/** Visits fall in the dispatch period (JST calendar dates, both ends included). */
export function assertInDispatchPeriod(scheduledAt: number, period: { visitsFrom: string; visitsUntil: string }, path = 'body/scheduledAt'): void {
  const day = jstDate(scheduledAt);
  if (isValidDate(period.visitsFrom) && isValidDate(period.visitsUntil) && day >= period.visitsFrom && day <= period.visitsUntil) return;
  throw new DomainError('outside_dispatch_period', `A visit on ${day} is outside the dispatch period ${period.visitsFrom} to ${period.visitsUntil}`,
    [{ path, message: `must fall between ${period.visitsFrom} and ${period.visitsUntil} (JST)` }]);
}

/** The closing report is taken only when no visit is still scheduled and at least one was held. */
export function assertVisitsClosed(visits: readonly { status: VisitStatus }[]): void {
  if (visits.some((v) => v.status === 'scheduled')) throw new DomainError('visits_open', 'Every visit must be held or cancelled before the closing report');
  if (!visits.some((v) => v.status === 'held')) throw new DomainError('visits_open', 'No visit has been held yet: the closing report follows the visits');
}

export function findVisit<V extends { id: string }>(visits: readonly V[], id: string): V {
  const visit = visits.find((v) => v.id === id);
  if (!visit) throw new DomainError('not_found', `Visit ${id} does not exist`);
  return visit;
}

export function assertVisitScheduled(visit: { id: string; status: VisitStatus }, command: string): void {
  if (visit.status !== 'scheduled') throw new DomainError('invalid_state', `${command} is not allowed: visit ${visit.id} is ${visit.status}`);
}

/** The expert named by an assignment must be registered (422, not 404: the reference is at fault). */
export function unknownExpert(id: string): DomainError {
  return unknownReference('expert', id, 'body/expertId', 'is not a registered expert; register the expert first (POST /experts)');
}

// Design-management seminars and workshops (デザイン経営セミナー事業, Program C): an event's
// statuses, the commands each allows, and its registration rules (api.md → Program C → Events).
import { DomainError } from '../errors.js';
import { statusTable } from '../state-machine.js';

export const EVENT_KINDS = ['seminar', 'workshop'] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

export const EVENT_STATUSES = ['open', 'closed', 'held', 'cancelled'] as const;
export type EventStatus = (typeof EVENT_STATUSES)[number];

export const REGISTRATION_STATUSES = ['registered', 'waitlisted', 'cancelled'] as const;
export type RegistrationStatus = (typeof REGISTRATION_STATUSES)[number];

export type EventCommand = 'register' | 'cancel registration' | 'close' | 'attendance' | 'completion' | 'survey' | 'cancellation';

/**
 * open → closed (by time or by staff) → held; open | closed → cancelled. A held event still
 * takes the attendees' surveys, so only a cancelled event is final; a held one's workflow
 * ends once every attendee has answered. Registration is allowed while closed too, but only
 * for a record entered after the fact whose `registeredAt` is before registration closed.
 */
const ALLOWED: Record<EventCommand, readonly EventStatus[]> = {
  register: ['open', 'closed'],
  'cancel registration': ['open', 'closed'],
  close: ['open'],
  attendance: ['open', 'closed'],
  completion: ['closed'],
  survey: ['held'],
  cancellation: ['open', 'closed'],
};

export const EVENT_STATUS = statusTable<EventStatus, EventCommand>({
  statuses: EVENT_STATUSES, finalStatuses: ['cancelled'], allowed: ALLOWED,
  names: { register: 'Registration', 'cancel registration': 'Cancelling a registration', close: 'Closing registration', attendance: 'Recording attendance', completion: 'Completion', survey: 'A survey', cancellation: 'Cancellation' },
});

/**
 * When registration stopped: `registrationClosesAt`, or earlier when staff closed it. An
 * event created after the fact (its start already past) is closed from the start.
 */
export function registrationClosedAt(registrationClosesAt: number, closedAt: number | null): number {
  return closedAt === null ? registrationClosesAt : Math.min(registrationClosesAt, closedAt);
}

/** The status an event starts in: closed when it is created after registration (or the event) began. */
export function initialEventStatus(startsAt: number, registrationClosesAt: number, now: number): EventStatus {
  return now >= registrationClosesAt || now >= startsAt ? 'closed' : 'open';
}

/** 422 registration_closed unless the registration arrived (registeredAt) before registration closed. */
export function assertRegistrationOpen(registeredAt: number, closesAt: number): void {
  if (registeredAt < closesAt) return;
  throw new DomainError('registration_closed', 'Registration for this event is closed', [{ path: 'body/registeredAt', message: 'registration closed before this registration arrived' }]);
}

/** Attendance and completion only once the event has begun. */
export function assertStarted(command: string, startsAt: number, now: number): void {
  if (now < startsAt) throw new DomainError('invalid_state', `${command} is allowed from the event's start on`);
}

/** Seats: a registration takes one while any remains, else waits. */
export const placeOf = (registered: number, capacity: number): 'registered' | 'waitlisted' => (registered < capacity ? 'registered' : 'waitlisted');

export const unknownRegistration = (id: string, path: string): DomainError =>
  new DomainError('unknown_registration', `Registration ${id} does not exist or does not fit`, [{ path, message: 'is not a registration of this event that can be used here' }]);

export const notAnAttendee = (id: string): DomainError =>
  new DomainError('not_an_attendee', `Registration ${id} did not attend the event: only attendees answer the survey`);

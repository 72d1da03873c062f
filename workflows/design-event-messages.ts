// The typed contract between the API and a design event's workflow (Program C): its input,
// Updates and query. Routes import these definitions; the workflow registers handlers for them.
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { CommandMeta } from './kernel/case-entity.js';
import type { EventKind, EventStatus } from '../domain/design/event.js';

export const eventWorkflowId = (eventId: string): string => `design-event-${eventId}`;

/** What a running event follows of its program year; PUT /program-years may move it. */
export interface EventRules {
  reminderDaysBefore: number;
}

export interface EventIntake {
  kind: EventKind;
  title: string;
  city: string;
  venue: string;
  description: string | null;
  startsAt: string;
  endsAt: string;
  capacity: number;
  registrationClosesAt: string;
}

export interface NewRegistration {
  /** Chosen by the API from the Idempotency-Key. */
  id: string;
  name: string;
  email: string;
  organization: string | null;
  applicantId: string | null;
  /** When it arrived: now, or earlier for a record entered after the fact. */
  registeredAt: string;
}

export interface Survey {
  satisfaction: number;
  comment: string | null;
  wantsDispatch: boolean;
}

export interface EventSnapshot {
  status: EventStatus;
  startsAt: number;
  registrationClosesAt: number;
  closedAt: number | null;
  remindedFor: number | null;
  attended: string[];
  surveyed: string[];
  rulesRevision: number;
  doneUpdates: string[];
  clockOffsetMs: number;
}

export interface DesignEventInput {
  eventId: string;
  programYearId: string;
  rules: EventRules;
  snapshot?: EventSnapshot;
}

export const createEventUpdate = defineUpdate<void, [{ meta: CommandMeta; event: EventIntake }]>('createEvent');
export const registerUpdate = defineUpdate<void, [{ meta: CommandMeta; registration: NewRegistration }]>('register');
export const cancelRegistrationUpdate = defineUpdate<void, [{ meta: CommandMeta; registrationId: string }]>('cancelRegistration');
export const closeRegistrationUpdate = defineUpdate<void, [{ meta: CommandMeta }]>('closeRegistration');
export const attendanceUpdate = defineUpdate<void, [{ meta: CommandMeta; registrationIds: string[] }]>('attendance');
export const completionUpdate = defineUpdate<void, [{ meta: CommandMeta; summary: string }]>('completion');
export const surveyUpdate = defineUpdate<void, [{ meta: CommandMeta; registrationId: string; survey: Survey }]>('survey');
export const eventCancellationUpdate = defineUpdate<void, [{ meta: CommandMeta; reason: string }]>('cancellation');
export const eventRulesChangedUpdate = defineUpdate<void, [{ rules: EventRules; revision: number | null }]>('rulesChanged');

export const eventStateQuery = defineQuery<EventSnapshot | null>('state');

export const DESIGN_EVENT_WORKFLOW = 'designEventWorkflow';

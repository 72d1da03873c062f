// Schemas of the Program C routes (api.md → Program C: design management).
import { Type } from '@sinclair/typebox';
import { EVENT_KINDS, EVENT_STATUSES, REGISTRATION_STATUSES } from '../../domain/design/event.js';
import { DISPATCH_STATUSES, VISIT_STATUSES } from '../../domain/design/dispatch.js';
import { Id, Instant, ListQuery, NonEmpty, literals } from './common.js';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const Text = (maxLength = 4000) => Type.String({ minLength: 1, maxLength });
const Email = Type.String({ minLength: 3, maxLength: 254, pattern: '^[^@\\s]+@[^@\\s]+$' });

export const EventStatusSchema = literals(EVENT_STATUSES);
export const DispatchStatusSchema = literals(DISPATCH_STATUSES);

const HistoryItem = Type.Object({
  at: Type.String(), type: Type.String(), actor: Type.String(), fromStatus: Nullable(Type.String()), toStatus: Nullable(Type.String()),
  detail: Type.Record(Type.String(), Type.Unknown()),
});

// ---- events
export const EventCreate = Type.Object({
  programYearId: Id,
  kind: literals(EVENT_KINDS),
  title: NonEmpty(300),
  city: NonEmpty(100),
  venue: NonEmpty(300),
  startsAt: Instant,
  endsAt: Instant,
  capacity: Type.Integer({ minimum: 1, maximum: 10_000 }),
  registrationClosesAt: Instant,
  description: Type.Optional(Text()),
}, { additionalProperties: false });

export const RegistrationCreate = Type.Object({
  name: NonEmpty(200),
  email: Email,
  organization: Type.Optional(NonEmpty(300)),
  applicantId: Type.Optional(Id),
  registeredAt: Type.Optional({ ...Instant, description: 'When the registration arrived (default now): a record entered after the fact may be back-dated to before registration closed' }),
}, { additionalProperties: false });

export const AttendanceBody = Type.Object({ registrationIds: Type.Array(Id, { minItems: 1, maxItems: 1000, uniqueItems: true }) }, { additionalProperties: false });
export const EventCompletionBody = Type.Object({ summary: Text() }, { additionalProperties: false });
export const SurveyBody = Type.Object({
  satisfaction: Type.Integer({ minimum: 1, maximum: 5 }),
  comment: Type.Optional(Text(2000)),
  wantsDispatch: Type.Boolean(),
}, { additionalProperties: false });
export const ReasonBody = Type.Object({ reason: Text(2000) }, { additionalProperties: false });

export const EventParams = Type.Object({ id: Id });
export const RegistrationParams = Type.Object({ id: Id, rid: Id });
export const EventListQuery = Type.Object({
  ...ListQuery, programYearId: Type.Optional(Id), status: Type.Optional(EventStatusSchema), city: Type.Optional(NonEmpty(100)),
}, { additionalProperties: false });

const SurveyView = Type.Object({ satisfaction: Type.Integer(), comment: Nullable(Type.String()), wantsDispatch: Type.Boolean(), answeredAt: Type.String() });
export const RegistrationView = Type.Object({
  id: Type.String(), name: Type.String(), email: Type.String(), organization: Nullable(Type.String()), applicantId: Nullable(Type.String()),
  status: literals(REGISTRATION_STATUSES), attended: Type.Boolean(), survey: Nullable(SurveyView), registeredAt: Type.String(),
  promotedAt: Nullable(Type.String()), cancelledAt: Nullable(Type.String()),
});
export const RegistrationListQuery = Type.Object({ ...ListQuery, status: Type.Optional(literals(REGISTRATION_STATUSES)) }, { additionalProperties: false });
const Counts = Type.Object({ registered: Type.Integer(), waitlisted: Type.Integer(), attended: Type.Integer(), surveys: Type.Integer(), wantsDispatch: Type.Integer() });
const eventFields = {
  id: Type.String(), programYearId: Type.String(), kind: literals(EVENT_KINDS), title: Type.String(), city: Type.String(), venue: Type.String(),
  startsAt: Type.String(), endsAt: Type.String(), capacity: Type.Integer(), registrationClosesAt: Type.String(), status: EventStatusSchema,
  counts: Counts, averageSatisfaction: Nullable(Type.Number()), createdAt: Type.String(),
};
export const EventSummary = Type.Object(eventFields);
export const EventView = Type.Object({
  ...eventFields,
  description: Nullable(Type.String()), closedAt: Nullable(Type.String()), remindedAt: Nullable(Type.String()), summary: Nullable(Type.String()),
  cancellationReason: Nullable(Type.String()), registrations: Type.Array(RegistrationView), updatedAt: Type.String(), history: Type.Array(HistoryItem),
});

// ---- dispatches
export const DispatchCreate = Type.Object({
  programYearId: Id,
  applicantId: Id,
  issue: Text(),
  sourceRegistrationId: Type.Optional(Id),
  receivedAt: Type.Optional(Instant),
}, { additionalProperties: false });

export const DecisionBody = Type.Object({ accept: Type.Boolean(), reason: Type.Optional(Text(2000)) }, { additionalProperties: false });
export const AssignmentBody = Type.Object({ expertId: Id, plannedVisits: Type.Integer({ minimum: 1, maximum: 100 }) }, { additionalProperties: false });
export const VisitCreate = Type.Object({ scheduledAt: Instant }, { additionalProperties: false });
export const VisitPatch = Type.Object({
  scheduledAt: Type.Optional(Instant),
  status: Type.Optional(Type.Literal('cancelled')),
}, { additionalProperties: false, minProperties: 1, maxProperties: 1, description: 'Either `{scheduledAt}` to reschedule or `{status: "cancelled"}`' });
export const VisitCompletionBody = Type.Object({
  heldAt: Instant,
  hours: Type.Number({ minimum: 0, maximum: 24, multipleOf: 0.25 }),
  summary: Text(),
}, { additionalProperties: false });
export const ReportBody = Type.Object({
  summary: Text(),
  outcomes: Type.Array(Text(1000), { maxItems: 100 }),
  ipFollowUp: Type.Array(Text(1000), { maxItems: 100 }),
}, { additionalProperties: false });

export const DispatchParams = Type.Object({ id: Id });
export const VisitParams = Type.Object({ id: Id, visitId: Id });
export const DispatchListQuery = Type.Object({
  ...ListQuery, programYearId: Type.Optional(Id), status: Type.Optional(DispatchStatusSchema), expertId: Type.Optional(Id),
}, { additionalProperties: false });
export const MyVisitsQuery = Type.Object({ ...ListQuery }, { additionalProperties: false });

export const VisitView = Type.Object({
  id: Type.String(), scheduledAt: Type.String(), status: literals(VISIT_STATUSES), overdue: Type.Boolean(),
  heldAt: Nullable(Type.String()), hours: Nullable(Type.Number()), summary: Nullable(Type.String()), cancelledAt: Nullable(Type.String()),
});
const dispatchFields = {
  id: Type.String(), programYearId: Type.String(), applicantId: Type.String(), issue: Type.String(), sourceRegistrationId: Nullable(Type.String()),
  receivedAt: Type.String(), status: DispatchStatusSchema, expertId: Nullable(Type.String()), plannedVisits: Nullable(Type.Integer()),
  overdue: Type.Boolean(), createdAt: Type.String(),
};
export const DispatchSummary = Type.Object(dispatchFields);
export const DispatchView = Type.Object({
  ...dispatchFields,
  decision: Nullable(Type.Object({ accepted: Type.Boolean(), reason: Nullable(Type.String()), decidedAt: Type.String() })),
  visits: Type.Array(VisitView),
  report: Nullable(Type.Object({ summary: Type.String(), outcomes: Type.Array(Type.String()), ipFollowUp: Type.Array(Type.String()), recordedAt: Type.String(), recordedBy: Type.String() })),
  fiscalYearEndsAt: Type.String(), pastFiscalYearEnd: Type.Boolean(),
  withdrawalReason: Nullable(Type.String()), updatedAt: Type.String(),
  history: Type.Array(HistoryItem),
});
export const MyVisitView = Type.Intersect([VisitView, Type.Object({
  dispatchId: Type.String(), programYearId: Type.String(), applicantId: Type.String(), issue: Type.String(), dueAt: Type.String(),
})]);

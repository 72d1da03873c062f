// Schemas of the brand engagement routes (api.md → Brand engagements).
import { Type } from '@sinclair/typebox';
import { BRAND_MEASURES, ENGAGEMENT_STATUSES } from '../../domain/brand/engagement.js';
import { SESSION_KINDS, SESSION_STATUSES } from '../../domain/brand/plan.js';
import { CalendarDate, Id, Instant, ListQuery, NonEmpty, literals } from './common.js';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const Text = (maxLength = 4000) => Type.String({ minLength: 1, maxLength });

export const BrandMeasureSchema = literals(BRAND_MEASURES);
export const EngagementStatusSchema = literals(ENGAGEMENT_STATUSES);
const Measures = Type.Array(BrandMeasureSchema, { minItems: 1, maxItems: BRAND_MEASURES.length, uniqueItems: true });

export const EngagementCreate = Type.Object({
  programYearId: Id,
  applicantId: Id,
  productName: NonEmpty(200),
  municipality: NonEmpty(100),
  goals: Measures,
  background: Type.Optional(Text()),
  issues: Type.Optional(Text()),
  receivedAt: Type.Optional(Instant),
}, { additionalProperties: false });

export const SelectionBody = Type.Object({
  selected: Type.Boolean(),
  reason: Type.Optional(Text(2000)),
}, { additionalProperties: false });

export const HearingBody = Type.Object({
  heldOn: CalendarDate,
  findings: Type.Array(Text(2000), { minItems: 1, maxItems: 100 }),
  notes: Type.Optional(Text()),
}, { additionalProperties: false });

export const SessionCreate = Type.Object({
  title: NonEmpty(300),
  lecturerName: NonEmpty(200),
  lecturerOrganization: Type.Optional(NonEmpty(200)),
  scheduledAt: Instant,
  kind: literals(SESSION_KINDS),
}, { additionalProperties: false });

export const PlanBody = Type.Object({
  supportLeaderId: Id,
  direction: Text(),
  measures: Measures,
  // No minItems: "at least one session" is a plan rule (422 session_required), not a shape.
  sessions: Type.Array(SessionCreate, { maxItems: 100 }),
}, { additionalProperties: false });

export const SessionPatch = Type.Object({
  scheduledAt: Type.Optional(Instant),
  status: Type.Optional(Type.Literal('cancelled')),
}, { additionalProperties: false, minProperties: 1, maxProperties: 1, description: 'Either `{scheduledAt}` to reschedule or `{status: "cancelled"}`' });

export const CompletionBody = Type.Object({
  heldAt: Instant,
  attendeeCount: Type.Integer({ minimum: 0, maximum: 100_000 }),
  summary: Text(),
}, { additionalProperties: false });

export const ActionPlanBody = Type.Object({
  summary: Text(),
  actions: Type.Array(Type.Object({ title: NonEmpty(300), owner: NonEmpty(200), dueOn: CalendarDate }, { additionalProperties: false }), { minItems: 1, maxItems: 100 }),
}, { additionalProperties: false });

export const WithdrawalBody = Type.Object({ reason: Text(2000) }, { additionalProperties: false });

export const EngagementParams = Type.Object({ id: Id });
export const SessionParams = Type.Object({ id: Id, sessionId: Id });

export const EngagementListQuery = Type.Object({
  ...ListQuery,
  programYearId: Type.Optional(Id),
  status: Type.Optional(EngagementStatusSchema),
}, { additionalProperties: false });

export const MySessionsQuery = Type.Object({ ...ListQuery }, { additionalProperties: false });

export const SessionView = Type.Object({
  id: Type.String(), title: Type.String(), kind: literals(SESSION_KINDS), lecturerName: Type.String(), lecturerOrganization: Nullable(Type.String()),
  scheduledAt: Type.String(), status: literals(SESSION_STATUSES), overdue: Type.Boolean(),
  heldAt: Nullable(Type.String()), attendeeCount: Nullable(Type.Integer()), summary: Nullable(Type.String()), cancelledAt: Nullable(Type.String()),
});

const HistoryItem = Type.Object({
  at: Type.String(), type: Type.String(), actor: Type.String(), fromStatus: Nullable(Type.String()), toStatus: Nullable(Type.String()),
  detail: Type.Record(Type.String(), Type.Unknown()),
});

export const EngagementSummary = Type.Object({
  id: Type.String(), programYearId: Type.String(), applicantId: Type.String(), productName: Type.String(), municipality: Type.String(),
  goals: Type.Array(BrandMeasureSchema), status: EngagementStatusSchema, supportLeaderId: Nullable(Type.String()),
  receivedAt: Type.String(), overdue: Type.Boolean(), createdAt: Type.String(),
});

export const EngagementView = Type.Object({
  id: Type.String(), programYearId: Type.String(), applicantId: Type.String(), productName: Type.String(), municipality: Type.String(),
  goals: Type.Array(BrandMeasureSchema), background: Nullable(Type.String()), issues: Nullable(Type.String()),
  receivedAt: Type.String(), status: EngagementStatusSchema,
  selection: Nullable(Type.Object({ selected: Type.Boolean(), reason: Nullable(Type.String()), decidedAt: Type.String() })),
  supportLeaderId: Nullable(Type.String()), direction: Nullable(Type.String()), measures: Nullable(Type.Array(BrandMeasureSchema)),
  hearing: Nullable(Type.Object({ heldOn: Type.String(), findings: Type.Array(Type.String()), notes: Nullable(Type.String()) })),
  sessions: Type.Array(SessionView),
  actionPlan: Nullable(Type.Object({
    summary: Type.String(), actions: Type.Array(Type.Object({ title: Type.String(), owner: Type.String(), dueOn: Type.String() })),
    revision: Type.Integer(), recordedAt: Type.String(), recordedBy: Type.String(),
  })),
  overdue: Type.Boolean(),
  supportEndsAt: Type.String(),
  pastSupportEnd: Type.Boolean(),
  withdrawalReason: Nullable(Type.String()),
  createdAt: Type.String(), updatedAt: Type.String(),
  history: Type.Array(HistoryItem),
});

export const MySessionView = Type.Intersect([SessionView, Type.Object({
  engagementId: Type.String(), programYearId: Type.String(), productName: Type.String(), municipality: Type.String(), dueAt: Type.String(),
})]);

// Tables of Program C (design management): events and registrations, dispatches and visits.
// PostgreSQL is the read model: activities of the two workflows write it, the API reads it.
import type { ColumnType } from 'kysely';

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Instant = ColumnType<Date, Date | string, Date | string>;
type NullableInstant = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type NullableJson<T> = ColumnType<T | null, string | null | undefined, string | null>;

export interface SurveyAnswer {
  satisfaction: number;
  comment: string | null;
  wantsDispatch: boolean;
  answeredAt: string;
}

export interface DispatchReport {
  summary: string;
  outcomes: string[];
  ipFollowUp: string[];
  recordedAt: string;
  recordedBy: string;
}

export interface DesignEventsTable {
  id: string;
  program_year_id: string;
  kind: string;
  title: string;
  city: string;
  venue: string;
  description: string | null;
  starts_at: Instant;
  ends_at: Instant;
  capacity: number;
  registration_closes_at: Instant;
  status: string;
  /** When registration closed (by time, by staff, or at creation after the fact). */
  closed_at: NullableInstant;
  /** When registrants were reminded. */
  reminded_at: NullableInstant;
  summary: string | null;
  cancellation_reason: string | null;
  created_at: CreatedAt;
  updated_at: Instant;
}

export interface DesignRegistrationsTable {
  id: string;
  event_id: string;
  seq: number;
  name: string;
  email: string;
  /** The address as compared: trimmed, lower case. */
  email_key: string;
  organization: string | null;
  applicant_id: string | null;
  status: string;
  attended: ColumnType<boolean, boolean | undefined, boolean>;
  registered_at: Instant;
  promoted_at: NullableInstant;
  cancelled_at: NullableInstant;
  survey: NullableJson<SurveyAnswer>;
  created_at: CreatedAt;
}

export interface DesignDispatchesTable {
  id: string;
  program_year_id: string;
  applicant_id: string;
  issue: string;
  source_registration_id: string | null;
  received_at: Instant;
  status: string;
  decision_reason: string | null;
  decided_at: NullableInstant;
  expert_id: string | null;
  planned_visits: number | null;
  report: NullableJson<DispatchReport>;
  withdrawal_reason: string | null;
  /** Set when the fiscal year ended with the dispatch still open (the workflow's timer). */
  past_year_end_at: NullableInstant;
  created_at: CreatedAt;
  updated_at: Instant;
}

export interface DesignVisitsTable {
  id: string;
  dispatch_id: string;
  position: number;
  scheduled_at: Instant;
  status: string;
  held_at: NullableInstant;
  hours: number | null;
  summary: string | null;
  cancelled_at: NullableInstant;
  overdue_at: NullableInstant;
  created_at: CreatedAt;
}

interface ViewTable {
  view: ColumnType<unknown, string, string>;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface DesignTables {
  design_events: DesignEventsTable;
  design_registrations: DesignRegistrationsTable;
  design_event_views: ViewTable & { event_id: string };
  design_dispatches: DesignDispatchesTable;
  design_visits: DesignVisitsTable;
  design_dispatch_views: ViewTable & { dispatch_id: string };
}

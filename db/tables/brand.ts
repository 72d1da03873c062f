// Tables of the regional brand engagements (Program B). PostgreSQL is the read model:
// activities of the engagement workflow write it, the API reads it.
import type { ColumnType, Generated, JSONColumnType } from 'kysely';
import type { StoredViewTable } from './platform.js';

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Instant = ColumnType<Date, Date | string, Date | string>;
type NullableInstant = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type NullableJson<T> = ColumnType<T | null, string | null | undefined, string | null>;

export interface HearingRecord {
  heldOn: string;
  findings: string[];
  notes: string | null;
}

export interface BrandEngagementsTable {
  id: string;
  program_year_id: string;
  applicant_id: string;
  product_name: string;
  municipality: string;
  goals: string[];
  background: string | null;
  issues: string | null;
  received_at: Instant;
  status: string;
  selection_reason: string | null;
  decided_at: NullableInstant;
  hearing: NullableJson<HearingRecord>;
  support_leader_id: string | null;
  direction: string | null;
  measures: ColumnType<string[] | null, string[] | null | undefined, string[] | null>;
  withdrawal_reason: string | null;
  /** Set when supportEndsAt passed before completion (the workflow's timer). */
  past_support_end_at: NullableInstant;
  created_at: CreatedAt;
  updated_at: Instant;
}

export interface BrandSessionsTable {
  id: string;
  engagement_id: string;
  /** Order of entry, to keep sessions on the same date stable. */
  position: number;
  title: string;
  kind: string;
  lecturer_name: string;
  lecturer_organization: string | null;
  scheduled_at: Instant;
  status: string;
  held_at: NullableInstant;
  attendee_count: number | null;
  summary: string | null;
  cancelled_at: NullableInstant;
  /** Set by the session's overdue timer; cleared when it moves, is held or is cancelled. */
  overdue_at: NullableInstant;
  created_at: CreatedAt;
}

export interface BrandActionPlansTable {
  engagement_id: string;
  summary: string;
  actions: JSONColumnType<{ title: string; owner: string; dueOn: string }[]>;
  revision: Generated<number>;
  recorded_at: Instant;
  recorded_by: string;
}

/** The read model of GET /brand-engagements/{id}, less what depends on the clock. */
export type BrandEngagementViewsTable = StoredViewTable<'engagement_id'>;

export interface BrandTables {
  brand_engagement_views: BrandEngagementViewsTable;
  brand_engagements: BrandEngagementsTable;
  brand_sessions: BrandSessionsTable;
  brand_action_plans: BrandActionPlansTable;
}

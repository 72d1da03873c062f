import type { ColumnType, Generated, JSONColumnType } from 'kysely';
import type { ProgramYearRules } from '../../domain/program-year.js';

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;

export interface ProgramYearsTable {
  id: string;
  program: string;
  fiscal_year: number;
  rules: JSONColumnType<ProgramYearRules>;
  revision: Generated<number>;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface ApplicantsTable {
  id: string;
  name: string;
  kind: string;
  corporate_number: string | null;
  prefecture: string | null;
  contact_email: string | null;
  created_at: CreatedAt;
}

export interface ExpertsTable {
  id: string;
  name: string;
  organization: string;
  title: string | null;
  email: string | null;
  created_at: CreatedAt;
}

/** The audit trail and every case's `history`: one row per accepted command. */
export interface HistoryTable {
  id: Generated<number>;
  entity_type: string;
  entity_id: string;
  at: ColumnType<Date, Date | string, never>;
  type: string;
  actor: string;
  from_status: string | null;
  to_status: string | null;
  detail: JSONColumnType<Record<string, unknown>>;
  /** Makes the write of a retried activity a no-op (a workflow update id, say). */
  event_key: string | null;
}

export interface IdempotencyKeysTable {
  actor: string;
  key: string;
  method: string;
  path: string;
  request_hash: string;
  status_code: number | null;
  response_body: string | null;
  content_type: string | null;
  created_at: CreatedAt;
}

/** Notifications waiting to be sent (there is no mail server here: the outbox is the record). */
export interface OutboxTable {
  id: Generated<number>;
  dedupe_key: string;
  recipient: string;
  kind: string;
  subject: string;
  payload: JSONColumnType<Record<string, unknown>>;
  created_at: CreatedAt;
  sent_at: Date | null;
}

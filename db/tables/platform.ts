import type { ColumnType, Generated, JSONColumnType } from 'kysely';
import type { ProgramYearRules } from '../../domain/program-year.js';

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;

export interface ProgramYearsTable {
  id: string;
  program: string;
  fiscal_year: number;
  rules: JSONColumnType<ProgramYearRules>;
  revision: Generated<number>;
  /** The revision running cases have been told of (null: not yet). */
  announced_revision: ColumnType<number | null, number | null | undefined, number | null>;
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

/**
 * A case type's stored view (the whole case as GET shows it, JSON), keyed by the case's id
 * column, rewritten in the transaction of every change.
 */
export type StoredViewTable<IdColumn extends string> = { [K in IdColumn]: string } & {
  view: ColumnType<unknown, string, string>;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
};

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

/** The Update the API sends for a command, kept so it can be sent again, identically. */
export interface StoredCommand {
  workflowId: string;
  update: string;
  updateId: string;
  args: unknown[];
  /** Update-with-start (intake): the workflow to start when it does not exist yet. */
  start?: { workflowType: string; taskQueue: string; args: unknown[]; searchAttributes: Record<string, string> };
}

export type CommandState = 'none' | 'pending' | 'done';

/** One Idempotency-Key (given or generated) of one caller: the command's log entry. */
export interface IdempotencyKeysTable {
  /** `role:sub` of the caller. */
  scope: string;
  key: string;
  method: string;
  path: string;
  request_hash: string;
  status_code: number | null;
  response_body: string | null;
  content_type: string | null;
  command: ColumnType<StoredCommand | null, string | null | undefined, string | null>;
  command_state: ColumnType<CommandState, CommandState | undefined, CommandState>;
  lease_until: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  attempts: ColumnType<number, number | undefined, number>;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export type OutboxStatus = 'pending' | 'sending' | 'sent' | 'failed';

/**
 * Every notice, queued in the transaction of the change it is about and delivered by the
 * dispatcher (worker/notifications/): `pending` → `sending` (claimed, with a lease) → `sent`,
 * or back to `pending` with a later `next_attempt_at`, or `failed` after the last attempt.
 */
export interface OutboxTable {
  id: Generated<number>;
  dedupe_key: string;
  recipient: string;
  kind: string;
  subject: string;
  payload: JSONColumnType<Record<string, unknown>>;
  created_at: CreatedAt;
  sent_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  status: ColumnType<OutboxStatus, OutboxStatus | undefined, OutboxStatus>;
  attempts: ColumnType<number, number | undefined, number>;
  next_attempt_at: ColumnType<Date, Date | string | undefined, Date | string>;
  lease_until: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  last_error: ColumnType<string | null, string | null | undefined, string | null>;
  /** The case, engagement, event or dispatch the notice is about. */
  case_id: ColumnType<string | null, string | null | undefined, string | null>;
  /** The text as rendered from the kind's template when it was queued (null: queued before templates; rendered when sent). */
  body: ColumnType<string | null, string | null | undefined, string | null>;
  /** The address it went to, resolved when it was sent. */
  address: ColumnType<string | null, string | null | undefined, string | null>;
}

import type { ApplicantsTable, ExpertsTable, HistoryTable, IdempotencyKeysTable, OutboxTable, ProgramYearsTable } from './tables/platform.js';
import type { SubsidyTables } from './tables/subsidy.js';
import type { BrandTables } from './tables/brand.js';
import type { DesignTables } from './tables/design.js';
import type { WebhookTables } from './tables/webhooks.js';

export interface PlatformTables {
  program_years: ProgramYearsTable;
  applicants: ApplicantsTable;
  experts: ExpertsTable;
  history: HistoryTable;
  idempotency_keys: IdempotencyKeysTable;
  outbox: OutboxTable;
}

export interface Database extends PlatformTables, SubsidyTables, BrandTables, DesignTables, WebhookTables {}

// Tables of the overseas IP subsidy (Program A).
import type { ColumnType, Generated, JSONColumnType } from 'kysely';
import type { StoredViewTable } from './platform.js';
import type { CalculationStep, EstimatedCost } from '../../domain/subsidy/calculation.js';
import type { CaseTerms } from '../../domain/subsidy/terms.js';
import type { StatusReportDue } from '../../domain/subsidy/schedule.js';

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Instant = ColumnType<Date, Date | string, Date | string>;
type NullableInstant = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
/** bigint yen, parsed to number by db/database.ts. */
type Yen = ColumnType<number, number, number>;
type NullableYen = ColumnType<number | null, number | null | undefined, number | null>;

export type EstimatedCostRecord = EstimatedCost;

/** The calculation traces a case keeps, by name (`maxGrant`, `grantLimit`, `determination`). */
export type CaseCalculations = Record<string, { resultJpy: number; steps: CalculationStep[]; at: string }>;

export interface SubsidyCasesTable {
  id: string;
  program_year_id: string;
  applicant_id: string;
  procedure: string;
  right_type: string;
  title: string;
  status: string;
  regional_collective_trademark: boolean;
  jpo_application_number: string | null;
  target_countries: JSONColumnType<string[]>;
  prior_case_id: string | null;
  prior_subsidy_reference: string | null;
  refusal_grounds: JSONColumnType<string[]>;
  examination_requested: boolean;
  estimated_costs: JSONColumnType<EstimatedCostRecord[]>;
  window_label: string;
  terms: JSONColumnType<CaseTerms>;
  received_at: Instant;
  decided_at: NullableInstant;
  decision_reason: string | null;
  max_grant_jpy: Yen;
  estimated_eligible_cost_jpy: Yen;
  grant_limit_jpy: NullableYen;
  eligible_cost_jpy: NullableYen;
  determined_jpy: NullableYen;
  disbursed_jpy: NullableYen;
  paid_at: NullableInstant;
  transfer_reference: string | null;
  withdrawal_reason: string | null;
  report_deadline: Instant;
  reported_at: NullableInstant;
  determined_at: NullableInstant;
  next_status_report_due: string | null;
  status_report_schedule: JSONColumnType<StatusReportDue[], string | undefined, string>;
  calculations: JSONColumnType<CaseCalculations, string | undefined, string>;
  /** v1.1: the countries the decision approved (null before a decision, or for a case decided before v1.1 that the migration did not reach). */
  approved_countries: ColumnType<string[] | null, string | null | undefined, string | null>;
  /** v1.1: the normalised base application (１出願) of a filing case; null otherwise. */
  base_application_key: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

/** The read model of GET /subsidy-cases/{id}: the case view as JSON text. */
export type SubsidyCaseViewsTable = StoredViewTable<'case_id'>;

export interface SubsidyExpensesTable {
  id: string;
  case_id: string;
  category: string;
  payee: string;
  invoice_number: string | null;
  description: string | null;
  country: string | null;
  incurred_on: string;
  paid_on: string;
  amount_jpy: Yen;
  consumption_tax_jpy: Yen;
  currency: string | null;
  foreign_amount: number | null;
  eligible: boolean;
  ineligible_reason: string | null;
  eligible_amount_jpy: Yen;
  accepted: boolean | null;
  confirmation_reason: string | null;
  confirmed_at: NullableInstant;
  confirmed_by: string | null;
  created_at: CreatedAt;
}

export interface SubsidyDocumentsTable {
  id: string;
  case_id: string;
  expense_id: string;
  filename: string | null;
  content_type: string;
  size: number;
  sha256: string;
  content: Buffer;
  uploaded_by: string;
  created_at: CreatedAt;
}

export interface SubsidyForeignFilingsTable {
  id: string;
  case_id: string;
  country: string;
  application_number: string | null;
  filed_on: string;
  eligible: ColumnType<boolean, boolean | undefined, boolean>;
  ineligible_reason: string | null;
  created_at: CreatedAt;
}

export interface SubsidyStatusReportsTable {
  id: string;
  case_id: string;
  year: number;
  report_number: number;
  as_of: string;
  countries: JSONColumnType<{ country: string; status: string; note?: string }[]>;
  recorded_by: string;
  created_at: CreatedAt;
}

export interface SubsidyExternalAwardsTable {
  id: string;
  applicant_id: string;
  program_year_id: string;
  procedure: string;
  body: string;
  amount_jpy: Yen;
  awarded_on: string;
  reference: string | null;
  recorded_by: string;
  created_at: CreatedAt;
}

export interface SubsidyCapBalancesTable {
  applicant_id: string;
  program_year_id: string;
  procedure: string;
  reserved_jpy: ColumnType<number, number | undefined, number>;
  settled_jpy: ColumnType<number, number | undefined, number>;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export type CapEntryKind = 'reserve' | 'release' | 'settle' | 'external';

export interface SubsidyCapEntriesTable {
  id: Generated<number>;
  applicant_id: string;
  program_year_id: string;
  procedure: string;
  kind: CapEntryKind;
  amount_jpy: Yen;
  case_id: string | null;
  external_award_id: string | null;
  at: Instant;
}

/** The per-application (１出願) ledger: one balance per applicant, program year and base application. */
export interface SubsidyApplicationCapBalancesTable {
  applicant_id: string;
  program_year_id: string;
  base_key: string;
  cap_jpy: Yen;
  reserved_jpy: ColumnType<number, number | undefined, number>;
  settled_jpy: ColumnType<number, number | undefined, number>;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface SubsidyApplicationCapEntriesTable {
  id: Generated<number>;
  applicant_id: string;
  program_year_id: string;
  base_key: string;
  kind: 'reserve' | 'release' | 'settle';
  amount_jpy: Yen;
  case_id: string;
  at: Instant;
}

export interface SubsidyTables {
  subsidy_application_cap_balances: SubsidyApplicationCapBalancesTable;
  subsidy_application_cap_entries: SubsidyApplicationCapEntriesTable;
  subsidy_cases: SubsidyCasesTable;
  subsidy_case_views: SubsidyCaseViewsTable;
  subsidy_expenses: SubsidyExpensesTable;
  subsidy_documents: SubsidyDocumentsTable;
  subsidy_foreign_filings: SubsidyForeignFilingsTable;
  subsidy_status_reports: SubsidyStatusReportsTable;
  subsidy_external_awards: SubsidyExternalAwardsTable;
  subsidy_cap_balances: SubsidyCapBalancesTable;
  subsidy_cap_entries: SubsidyCapEntriesTable;
}

import { sql, type Kysely } from 'kysely';

// Program A tables: cases, expenses, documents, filings, cap ledger, status reports.
// Frozen in time: never edit once shipped; add a migration.
export async function up(db: Kysely<any>): Promise<void> {
  // The read model of each case, written only by the case's workflow activities (and the
  // document upload, which never passes bytes through Temporal).
  await db.schema.createTable('subsidy_cases')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('program_year_id', 'text', (c) => c.notNull().references('program_years.id'))
    .addColumn('applicant_id', 'text', (c) => c.notNull().references('applicants.id'))
    .addColumn('procedure', 'text', (c) => c.notNull())
    .addColumn('right_type', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('regional_collective_trademark', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('jpo_application_number', 'text')
    .addColumn('target_countries', 'jsonb', (c) => c.notNull())
    .addColumn('prior_case_id', 'text')
    .addColumn('prior_subsidy_reference', 'text')
    .addColumn('refusal_grounds', 'jsonb', (c) => c.notNull())
    .addColumn('examination_requested', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('estimated_costs', 'jsonb', (c) => c.notNull())
    .addColumn('window_label', 'text', (c) => c.notNull())
    .addColumn('terms', 'jsonb', (c) => c.notNull())
    .addColumn('received_at', 'timestamptz', (c) => c.notNull())
    .addColumn('decided_at', 'timestamptz')
    .addColumn('decision_reason', 'text')
    .addColumn('max_grant_jpy', 'bigint', (c) => c.notNull())
    .addColumn('estimated_eligible_cost_jpy', 'bigint', (c) => c.notNull())
    .addColumn('grant_limit_jpy', 'bigint')
    .addColumn('eligible_cost_jpy', 'bigint')
    .addColumn('determined_jpy', 'bigint')
    .addColumn('disbursed_jpy', 'bigint')
    .addColumn('paid_at', 'timestamptz')
    .addColumn('transfer_reference', 'text')
    .addColumn('withdrawal_reason', 'text')
    .addColumn('report_deadline', 'timestamptz', (c) => c.notNull())
    .addColumn('reported_at', 'timestamptz')
    .addColumn('determined_at', 'timestamptz')
    .addColumn('next_status_report_due', 'date')
    .addColumn('status_report_schedule', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('calculations', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('created_at', sql`timestamptz(3)`, (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  // One index per list filter, each ending in the keyset (created_at, id) so a filtered
  // page is an index range scan, newest first.
  await db.schema.createIndex('subsidy_cases_created').on('subsidy_cases').columns(['created_at', 'id']).execute();
  for (const column of ['status', 'applicant_id', 'program_year_id', 'procedure', 'right_type']) {
    await db.schema.createIndex(`subsidy_cases_${column}`).on('subsidy_cases').columns([column, 'created_at', 'id']).execute();
  }
  // The whole case as GET shows it, rewritten in the same transaction as every change to
  // it, so a GET is one primary-key read of ready JSON (json, not jsonb: kept as written).
  // Its own table keeps the case rows narrow for lists.
  await db.schema.createTable('subsidy_case_views')
    .addColumn('case_id', 'text', (c) => c.primaryKey().references('subsidy_cases.id'))
    .addColumn('view', 'json', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('subsidy_cases_prior_case').on('subsidy_cases').column('prior_case_id').where('prior_case_id', 'is not', null).execute();

  await db.schema.createTable('subsidy_expenses')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('case_id', 'text', (c) => c.notNull().references('subsidy_cases.id'))
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('payee', 'text', (c) => c.notNull())
    .addColumn('invoice_number', 'text')
    .addColumn('description', 'text')
    .addColumn('country', 'text')
    .addColumn('incurred_on', 'date', (c) => c.notNull())
    .addColumn('paid_on', 'date', (c) => c.notNull())
    .addColumn('amount_jpy', 'bigint', (c) => c.notNull())
    .addColumn('consumption_tax_jpy', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('currency', 'text')
    .addColumn('foreign_amount', 'numeric')
    .addColumn('eligible', 'boolean', (c) => c.notNull())
    .addColumn('ineligible_reason', 'text')
    .addColumn('eligible_amount_jpy', 'bigint', (c) => c.notNull())
    .addColumn('accepted', 'boolean')
    .addColumn('confirmation_reason', 'text')
    .addColumn('confirmed_at', 'timestamptz')
    .addColumn('confirmed_by', 'text')
    .addColumn('created_at', sql`timestamptz(3)`, (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('subsidy_expenses_case').on('subsidy_expenses').columns(['case_id', 'created_at', 'id']).execute();

  // Evidence files live in PostgreSQL, written in the same transaction as their row and
  // history entry: once 201 is answered the bytes are committed.
  await db.schema.createTable('subsidy_documents')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('case_id', 'text', (c) => c.notNull().references('subsidy_cases.id'))
    .addColumn('expense_id', 'text', (c) => c.notNull().references('subsidy_expenses.id'))
    .addColumn('filename', 'text')
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('content', 'bytea', (c) => c.notNull())
    .addColumn('uploaded_by', 'text', (c) => c.notNull())
    .addColumn('created_at', sql`timestamptz(3)`, (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('subsidy_documents_expense').on('subsidy_documents').columns(['expense_id', 'created_at', 'id']).execute();
  await db.schema.createIndex('subsidy_documents_case').on('subsidy_documents').column('case_id').execute();

  await db.schema.createTable('subsidy_foreign_filings')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('case_id', 'text', (c) => c.notNull().references('subsidy_cases.id'))
    .addColumn('country', 'text', (c) => c.notNull())
    .addColumn('application_number', 'text')
    .addColumn('filed_on', 'date', (c) => c.notNull())
    .addColumn('created_at', sql`timestamptz(3)`, (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('subsidy_foreign_filings_case').on('subsidy_foreign_filings').columns(['case_id', 'created_at', 'id']).execute();

  await db.schema.createTable('subsidy_status_reports')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('case_id', 'text', (c) => c.notNull().references('subsidy_cases.id'))
    // `year` as the client sent it; `report_number` the scheduled report it is (1 … years).
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('report_number', 'integer', (c) => c.notNull())
    .addColumn('as_of', 'date', (c) => c.notNull())
    .addColumn('countries', 'jsonb', (c) => c.notNull())
    .addColumn('recorded_by', 'text', (c) => c.notNull())
    .addColumn('created_at', sql`timestamptz(3)`, (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('subsidy_status_reports_case_report', ['case_id', 'report_number'])
    .execute();

  await db.schema.createTable('subsidy_external_awards')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('applicant_id', 'text', (c) => c.notNull().references('applicants.id'))
    .addColumn('program_year_id', 'text', (c) => c.notNull().references('program_years.id'))
    .addColumn('procedure', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('amount_jpy', 'bigint', (c) => c.notNull())
    .addColumn('awarded_on', 'date', (c) => c.notNull())
    .addColumn('reference', 'text')
    .addColumn('recorded_by', 'text', (c) => c.notNull())
    .addColumn('created_at', sql`timestamptz(3)`, (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('subsidy_external_awards_applicant').on('subsidy_external_awards').columns(['applicant_id', 'created_at', 'id']).execute();

  // The per-applicant cap ledger: one balance row per applicant, program year and
  // procedure (locked FOR UPDATE by every reservation, so racing approvals serialise), and
  // the journal of every movement. A case moves each kind at most once, which makes a
  // retried activity a no-op.
  await db.schema.createTable('subsidy_cap_balances')
    .addColumn('applicant_id', 'text', (c) => c.notNull().references('applicants.id'))
    .addColumn('program_year_id', 'text', (c) => c.notNull().references('program_years.id'))
    .addColumn('procedure', 'text', (c) => c.notNull())
    .addColumn('reserved_jpy', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('settled_jpy', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('subsidy_cap_balances_pk', ['applicant_id', 'program_year_id', 'procedure'])
    .addCheckConstraint('subsidy_cap_balances_non_negative', sql`reserved_jpy >= 0 and settled_jpy >= 0`)
    .execute();

  await db.schema.createTable('subsidy_cap_entries')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('applicant_id', 'text', (c) => c.notNull())
    .addColumn('program_year_id', 'text', (c) => c.notNull())
    .addColumn('procedure', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('reserve', 'release', 'settle', 'external')`))
    .addColumn('amount_jpy', 'bigint', (c) => c.notNull().check(sql`amount_jpy >= 0`))
    .addColumn('case_id', 'text', (c) => c.references('subsidy_cases.id'))
    .addColumn('external_award_id', 'text', (c) => c.references('subsidy_external_awards.id'))
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .execute();
  await sql`create unique index subsidy_cap_entries_case_kind on subsidy_cap_entries (case_id, kind) where case_id is not null`.execute(db);
  await db.schema.createIndex('subsidy_cap_entries_account').on('subsidy_cap_entries').columns(['applicant_id', 'program_year_id', 'procedure']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['subsidy_cap_entries', 'subsidy_cap_balances', 'subsidy_external_awards', 'subsidy_status_reports',
    'subsidy_foreign_filings', 'subsidy_documents', 'subsidy_expenses', 'subsidy_case_views', 'subsidy_cases']) {
    await db.schema.dropTable(table).execute();
  }
}

import { sql, type Kysely } from 'kysely';

// v1.1 "correct to the yen": the eligibility lists become data of the program year, the
// per-application (１出願) ledger, approved countries, ownership shares. Existing data is
// carried over with the FY2024 values, so running cases keep working:
// - every overseas IP year (the seeded overseas-ip-2024 included) gets the v1.1 lists it
//   lacks, with their FY2024 values (fields a year already has are kept);
// - every case's frozen terms get the FY2024 eligible cost categories and a whole share;
// - filing cases get their base application key, and the per-application ledger is
//   rebuilt from their grant limits and determinations; decided cases approved all their
//   target countries; stored case views are dropped, to be rebuilt in the v1.1 shape.
// Frozen in time: never edit once shipped; add a migration.
const FY2024 = {
  eligibleApplicantKinds: ['sme', 'sme_startup', 'small_enterprise', 'university', 'individual_business', 'public_research_institute'],
  regionalCollectiveTrademarkKinds: ['business_cooperative', 'society_of_commerce', 'chamber_of_commerce', 'npo', 'agricultural_cooperative', 'fishery_cooperative'],
  rightTypes: {
    filing: ['patent', 'utility_model', 'design', 'trademark', 'anti_squatting_trademark'],
    office_action_response: ['patent'],
    examination_request: ['patent'],
  },
  eligibleCostCategories: ['foreign_office_fee', 'domestic_agent_fee', 'local_agent_fee', 'translation_fee'],
  perApplicantCapExemptKinds: ['university'],
  perApplicantCountLimits: {},
};
const TERMS_FY2024 = { eligibleCostCategories: FY2024.eligibleCostCategories, ownershipShare: { numerator: 1, denominator: 1 } };

/** As domain/subsidy/terms.ts baseApplicationKey: NFKC, then no spaces, hyphens or dashes, upper case. */
const baseKey = (column: string) => sql`upper(regexp_replace(normalize(${sql.ref(column)}, NFKC), '[[:space:]\u2010-\u2015\u2212\u30fc\uff70-]', '', 'g'))`;

export async function up(db: Kysely<any>): Promise<void> {
  await sql`update program_years set rules = ${JSON.stringify(FY2024)}::jsonb || rules where program = 'overseas_ip_subsidy'`.execute(db);
  await sql`update subsidy_cases set terms = ${JSON.stringify(TERMS_FY2024)}::jsonb || terms`.execute(db);

  await db.schema.alterTable('subsidy_cases')
    .addColumn('approved_countries', 'jsonb')
    .addColumn('base_application_key', 'text')
    .execute();
  await sql`update subsidy_cases set base_application_key = ${baseKey('jpo_application_number')}
    where procedure = 'filing' and jpo_application_number is not null`.execute(db);
  await sql`update subsidy_cases set approved_countries = target_countries where decided_at is not null and status not in ('rejected', 'under_review')`.execute(db);
  await db.schema.createIndex('subsidy_cases_base_application').on('subsidy_cases').columns(['applicant_id', 'program_year_id', 'base_application_key']).execute();

  await db.schema.alterTable('subsidy_foreign_filings')
    .addColumn('eligible', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('ineligible_reason', 'text')
    .execute();

  await db.schema.createTable('subsidy_application_cap_balances')
    .addColumn('applicant_id', 'text', (c) => c.notNull().references('applicants.id'))
    .addColumn('program_year_id', 'text', (c) => c.notNull().references('program_years.id'))
    .addColumn('base_key', 'text', (c) => c.notNull())
    .addColumn('cap_jpy', 'bigint', (c) => c.notNull())
    .addColumn('reserved_jpy', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('settled_jpy', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('subsidy_application_cap_balances_pk', ['applicant_id', 'program_year_id', 'base_key'])
    .addCheckConstraint('subsidy_application_cap_balances_non_negative', sql`reserved_jpy >= 0 and settled_jpy >= 0`)
    .execute();
  await db.schema.createTable('subsidy_application_cap_entries')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('applicant_id', 'text', (c) => c.notNull())
    .addColumn('program_year_id', 'text', (c) => c.notNull())
    .addColumn('base_key', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('amount_jpy', 'bigint', (c) => c.notNull())
    .addColumn('case_id', 'text', (c) => c.notNull().references('subsidy_cases.id'))
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .addUniqueConstraint('subsidy_application_cap_entries_case_kind', ['case_id', 'kind'])
    .execute();

  // The ledger as the existing filing cases left it.
  const filing = sql`from subsidy_cases where procedure = 'filing' and base_application_key is not null and grant_limit_jpy is not null`;
  await sql`insert into subsidy_application_cap_entries (applicant_id, program_year_id, base_key, kind, amount_jpy, case_id, at)
    select applicant_id, program_year_id, base_application_key, 'reserve', grant_limit_jpy, id, coalesce(decided_at, updated_at) ${filing}`.execute(db);
  await sql`insert into subsidy_application_cap_entries (applicant_id, program_year_id, base_key, kind, amount_jpy, case_id, at)
    select applicant_id, program_year_id, base_application_key, 'settle', least(determined_jpy, grant_limit_jpy), id, coalesce(determined_at, updated_at) ${filing}
      and status in ('determined', 'disbursed', 'closed')`.execute(db);
  await sql`insert into subsidy_application_cap_entries (applicant_id, program_year_id, base_key, kind, amount_jpy, case_id, at)
    select applicant_id, program_year_id, base_application_key, 'release',
      case when status in ('withdrawn', 'lapsed') then grant_limit_jpy else grant_limit_jpy - least(determined_jpy, grant_limit_jpy) end, id, updated_at ${filing}
      and status in ('determined', 'disbursed', 'closed', 'withdrawn', 'lapsed')`.execute(db);
  await sql`insert into subsidy_application_cap_balances (applicant_id, program_year_id, base_key, cap_jpy, reserved_jpy, settled_jpy)
    select e.applicant_id, e.program_year_id, e.base_key, max((c.terms->>'capJpy')::bigint),
      sum(case e.kind when 'reserve' then e.amount_jpy when 'release' then -e.amount_jpy when 'settle' then -e.amount_jpy else 0 end),
      sum(case when e.kind = 'settle' then e.amount_jpy else 0 end)
    from subsidy_application_cap_entries e join subsidy_cases c on c.id = e.case_id
    group by e.applicant_id, e.program_year_id, e.base_key`.execute(db);
  // Stored case views lack approvedCountries and baseApplication: each is rebuilt on its next
  // read or change (db/repositories/subsidy-cases.ts caseViewText).
  await sql`delete from subsidy_case_views`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('subsidy_application_cap_entries').execute();
  await db.schema.dropTable('subsidy_application_cap_balances').execute();
  await db.schema.alterTable('subsidy_foreign_filings').dropColumn('eligible').dropColumn('ineligible_reason').execute();
  await db.schema.dropIndex('subsidy_cases_base_application').execute();
  await db.schema.alterTable('subsidy_cases').dropColumn('approved_countries').dropColumn('base_application_key').execute();
}

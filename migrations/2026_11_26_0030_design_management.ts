import { sql, type Kysely } from 'kysely';

// Program C (デザイン経営セミナー事業): events with their registrations, expert dispatches with
// their visits, the stored view of each, and the design-management program years. Frozen in
// time: change the schema with a new migration, never by editing this one.

// api.md → Program C: these ship with the contract's values (the seed gives the
// January–March dispatch period; the numbers are defaults).
const designManagement2024 = {
  program: 'design_management', fiscalYear: 2024, title: '令和６年度 デザイン経営セミナー事業',
  dispatch: {
    applicationWindow: { opensAt: '2024-11-01T00:00:00+09:00', closesAt: '2024-12-20T17:00:00+09:00' },
    visitsFrom: '2025-01-06', visitsUntil: '2025-03-21', companies: 6, maxVisitsPerCompany: 3,
  },
  reminderDaysBefore: 2, visitGraceDays: 7,
};

// FY2023 (令和５年度), for the records of the seed's FY2023 programme (dispatch January to
// March 2024). The seed gives only the period; the window and numbers take FY2024's shape
// (illustrative).
const designManagement2023 = {
  program: 'design_management', fiscalYear: 2023, title: '令和５年度 デザイン経営セミナー事業',
  dispatch: {
    applicationWindow: { opensAt: '2023-10-13T00:00:00+09:00', closesAt: '2023-12-22T17:00:00+09:00' },
    visitsFrom: '2024-01-09', visitsUntil: '2024-03-22', companies: 6, maxVisitsPerCompany: 3,
  },
  reminderDaysBefore: 2, visitGraceDays: 7,
};

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('design_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('program_year_id', 'text', (c) => c.notNull().references('program_years.id'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('seminar', 'workshop')`))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('city', 'text', (c) => c.notNull())
    .addColumn('venue', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('starts_at', 'timestamptz', (c) => c.notNull())
    .addColumn('ends_at', 'timestamptz', (c) => c.notNull())
    .addColumn('capacity', 'integer', (c) => c.notNull().check(sql`capacity > 0`))
    .addColumn('registration_closes_at', 'timestamptz', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('open', 'closed', 'held', 'cancelled')`))
    .addColumn('closed_at', 'timestamptz')
    .addColumn('reminded_at', 'timestamptz')
    .addColumn('summary', 'text')
    .addColumn('cancellation_reason', 'text')
    .addColumn('created_at', sql`timestamptz(3)`, (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('design_events_list').on('design_events').columns(['created_at', 'id']).execute();
  await db.schema.createIndex('design_events_year_status').on('design_events').columns(['program_year_id', 'status', 'created_at', 'id']).execute();

  await db.schema.createTable('design_registrations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('event_id', 'text', (c) => c.notNull().references('design_events.id'))
    // Order of arrival: "the first waitlisted" is the lowest seq still waitlisted.
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('email_key', 'text', (c) => c.notNull())
    .addColumn('organization', 'text')
    .addColumn('applicant_id', 'text', (c) => c.references('applicants.id'))
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('registered', 'waitlisted', 'cancelled')`))
    .addColumn('attended', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('registered_at', 'timestamptz', (c) => c.notNull())
    .addColumn('promoted_at', 'timestamptz')
    .addColumn('cancelled_at', 'timestamptz')
    .addColumn('survey', 'jsonb')
    .addColumn('created_at', sql`timestamptz(3)`, (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('design_registrations_seq', ['event_id', 'seq'])
    .execute();
  // One live registration per e-mail address and event (409 conflict before this ever fires).
  await sql`create unique index design_registrations_email on design_registrations (event_id, email_key) where status <> 'cancelled'`.execute(db);

  await db.schema.createTable('design_event_views')
    .addColumn('event_id', 'text', (c) => c.primaryKey().references('design_events.id'))
    .addColumn('view', 'jsonb', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema.createTable('design_dispatches')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('program_year_id', 'text', (c) => c.notNull().references('program_years.id'))
    .addColumn('applicant_id', 'text', (c) => c.notNull().references('applicants.id'))
    .addColumn('issue', 'text', (c) => c.notNull())
    .addColumn('source_registration_id', 'text', (c) => c.references('design_registrations.id'))
    .addColumn('received_at', 'timestamptz', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('applied', 'accepted', 'declined', 'assigned', 'completed', 'withdrawn')`))
    .addColumn('decision_reason', 'text')
    .addColumn('decided_at', 'timestamptz')
    .addColumn('expert_id', 'text', (c) => c.references('experts.id'))
    .addColumn('planned_visits', 'integer')
    .addColumn('report', 'jsonb')
    .addColumn('withdrawal_reason', 'text')
    .addColumn('past_year_end_at', 'timestamptz')
    .addColumn('created_at', sql`timestamptz(3)`, (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('design_dispatches_list').on('design_dispatches').columns(['created_at', 'id']).execute();
  await db.schema.createIndex('design_dispatches_year_status').on('design_dispatches').columns(['program_year_id', 'status', 'created_at', 'id']).execute();
  await db.schema.createIndex('design_dispatches_expert').on('design_dispatches').columns(['expert_id', 'status']).execute();

  await db.schema.createTable('design_visits')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('dispatch_id', 'text', (c) => c.notNull().references('design_dispatches.id'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('scheduled_at', 'timestamptz', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('scheduled', 'held', 'cancelled')`))
    .addColumn('held_at', 'timestamptz')
    .addColumn('hours', sql`numeric(6, 2)`, (c) => c.check(sql`hours >= 0`))
    .addColumn('summary', 'text')
    .addColumn('cancelled_at', 'timestamptz')
    .addColumn('overdue_at', 'timestamptz')
    .addColumn('created_at', sql`timestamptz(3)`, (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('design_visits_position', ['dispatch_id', 'position'])
    .execute();
  await db.schema.createIndex('design_visits_schedule').on('design_visits').columns(['status', 'scheduled_at', 'id']).execute();

  await db.schema.createTable('design_dispatch_views')
    .addColumn('dispatch_id', 'text', (c) => c.primaryKey().references('design_dispatches.id'))
    .addColumn('view', 'jsonb', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.insertInto('program_years').values([
    { id: 'design-management-2024', program: 'design_management', fiscal_year: 2024, rules: JSON.stringify(designManagement2024) },
    { id: 'design-management-2023', program: 'design_management', fiscal_year: 2023, rules: JSON.stringify(designManagement2023) },
  ]).onConflict((oc) => oc.column('id').doNothing()).execute();
  await db.insertInto('history').values([
    { entity_type: 'program_year', entity_id: 'design-management-2024', at: new Date(), type: 'seeded', actor: 'migration', detail: '{}' },
    { entity_type: 'program_year', entity_id: 'design-management-2023', at: new Date(), type: 'seeded', actor: 'migration', detail: '{}' },
  ]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.deleteFrom('program_years').where('id', 'in', ['design-management-2024', 'design-management-2023']).execute();
  for (const table of ['design_dispatch_views', 'design_visits', 'design_dispatches', 'design_event_views', 'design_registrations', 'design_events']) {
    await db.schema.dropTable(table).execute();
  }
}

import { sql, type Kysely } from 'kysely';

// Program B tables: engagements, sessions, action plans. Frozen in time: change the schema
// with a new migration, never by editing this one.
const ENGAGEMENT_STATUSES = `'applied', 'selected', 'not_selected', 'hearing_done', 'in_support', 'completed', 'withdrawn'`;

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('brand_engagements')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('program_year_id', 'text', (c) => c.notNull().references('program_years.id'))
    .addColumn('applicant_id', 'text', (c) => c.notNull().references('applicants.id'))
    .addColumn('product_name', 'text', (c) => c.notNull())
    .addColumn('municipality', 'text', (c) => c.notNull())
    .addColumn('goals', sql`text[]`, (c) => c.notNull())
    .addColumn('background', 'text')
    .addColumn('issues', 'text')
    .addColumn('received_at', 'timestamptz', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql.raw(`status in (${ENGAGEMENT_STATUSES})`)))
    .addColumn('selection_reason', 'text')
    .addColumn('decided_at', 'timestamptz')
    .addColumn('hearing', 'jsonb')
    .addColumn('support_leader_id', 'text', (c) => c.references('experts.id'))
    .addColumn('direction', 'text')
    .addColumn('measures', sql`text[]`)
    .addColumn('withdrawal_reason', 'text')
    .addColumn('past_support_end_at', 'timestamptz')
    .addColumn('created_at', sql`timestamptz(3)`, (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  // Lists (newest first, by year and status) and the capacity count of a year.
  await db.schema.createIndex('brand_engagements_list').on('brand_engagements').columns(['created_at', 'id']).execute();
  await db.schema.createIndex('brand_engagements_year_status').on('brand_engagements').columns(['program_year_id', 'status', 'created_at', 'id']).execute();
  await db.schema.createIndex('brand_engagements_status').on('brand_engagements').columns(['status', 'created_at', 'id']).execute();
  await db.schema.createIndex('brand_engagements_leader').on('brand_engagements').columns(['support_leader_id', 'status']).execute();

  await db.schema.createTable('brand_sessions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('engagement_id', 'text', (c) => c.notNull().references('brand_engagements.id'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('lecture', 'action_plan_sharing')`))
    .addColumn('lecturer_name', 'text', (c) => c.notNull())
    .addColumn('lecturer_organization', 'text')
    .addColumn('scheduled_at', 'timestamptz', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('scheduled', 'held', 'cancelled')`))
    .addColumn('held_at', 'timestamptz')
    .addColumn('attendee_count', 'integer', (c) => c.check(sql`attendee_count >= 0`))
    .addColumn('summary', 'text')
    .addColumn('cancelled_at', 'timestamptz')
    .addColumn('overdue_at', 'timestamptz')
    .addColumn('created_at', sql`timestamptz(3)`, (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('brand_sessions_position', ['engagement_id', 'position'])
    .execute();
  await db.schema.createIndex('brand_sessions_schedule').on('brand_sessions').columns(['status', 'scheduled_at', 'id']).execute();

  await db.schema.createTable('brand_action_plans')
    .addColumn('engagement_id', 'text', (c) => c.primaryKey().references('brand_engagements.id'))
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('actions', 'jsonb', (c) => c.notNull())
    .addColumn('revision', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('recorded_at', 'timestamptz', (c) => c.notNull())
    .addColumn('recorded_by', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['brand_action_plans', 'brand_sessions', 'brand_engagements']) {
    await db.schema.dropTable(table).execute();
  }
}

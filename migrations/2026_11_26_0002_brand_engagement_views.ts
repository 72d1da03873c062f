import { sql, type Kysely } from 'kysely';

// Every case type keeps its whole view stored, rebuilt in the same transaction as each
// change (as subsidy cases do): GET /brand-engagements/{id} reads one row and adds only what
// depends on the clock (overdue). An engagement without a row here yet gets one on its first read.
// Frozen in time: never edit once shipped; add a migration.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('brand_engagement_views')
    .addColumn('engagement_id', 'text', (c) => c.primaryKey().references('brand_engagements.id'))
    .addColumn('view', 'jsonb', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('brand_engagement_views').execute();
}

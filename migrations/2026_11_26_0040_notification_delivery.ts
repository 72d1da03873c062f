import { sql, type Kysely } from 'kysely';

// Frozen in time: never edit a migration that has shipped; add a new one.
// The outbox becomes a delivery queue: each row is claimed (`sending`, with a lease), sent by
// SMTP and marked `sent`, or retried with backoff and marked `failed` after its last attempt.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('outbox')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('pending').check(sql`status in ('pending', 'sending', 'sent', 'failed')`))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('lease_until', 'timestamptz')
    .addColumn('last_error', 'text')
    .addColumn('case_id', 'text')
    .addColumn('body', 'text')
    .addColumn('address', 'text')
    .execute();
  // Rows queued before this migration: the case from the payload; a row already marked sent stays sent.
  await sql`update outbox set case_id = coalesce(payload->>'caseId', payload->>'engagementId', payload->>'eventId', payload->>'dispatchId'),
    status = case when sent_at is null then 'pending' else 'sent' end`.execute(db);
  // The dispatcher's claim: what is due, oldest first; a lapsed lease is found by the second index.
  await sql`create index outbox_due on outbox (next_attempt_at, id) where status = 'pending'`.execute(db);
  await sql`create index outbox_leased on outbox (lease_until) where status = 'sending'`.execute(db);
  await db.schema.createIndex('outbox_list').on('outbox').columns(['created_at', 'id']).execute();
  await db.schema.createIndex('outbox_case').on('outbox').columns(['case_id', 'created_at', 'id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const index of ['outbox_due', 'outbox_leased', 'outbox_list', 'outbox_case']) await db.schema.dropIndex(index).execute();
  await db.schema.alterTable('outbox')
    .dropColumn('status').dropColumn('attempts').dropColumn('next_attempt_at').dropColumn('lease_until')
    .dropColumn('last_error').dropColumn('case_id').dropColumn('body').dropColumn('address')
    .execute();
}

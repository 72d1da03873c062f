import { sql, type Kysely } from 'kysely';

// Exactly-once commands (issue: hardening). An Idempotency-Key row becomes the command's
// log entry: the caller's scope (role and sub, so a staff user and a support leader with the
// same `sub` never share keys), the Update the API sends for it (kept so a retry or the
// recovery loop re-sends the very same Update, with the same id), its state, and a lease
// that lets another API process take over a command whose process died. The response is
// stored once known and replayed to every retry.
// Frozen in time: never edit once shipped; add a migration.
export async function up(db: Kysely<any>): Promise<void> {
  // Claims left without an answer by the old scheme can never be answered: drop them.
  await sql`delete from idempotency_keys where status_code is null`.execute(db);
  await db.schema.alterTable('idempotency_keys').renameColumn('actor', 'scope').execute();
  await sql`update idempotency_keys set scope = 'staff:' || scope`.execute(db);
  await db.schema.alterTable('idempotency_keys')
    .addColumn('command', 'jsonb')
    .addColumn('command_state', 'text', (c) => c.notNull().defaultTo('none'))
    .addColumn('lease_until', 'timestamptz')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  // The recovery loop looks for commands still pending whose lease ran out.
  await sql`create index idempotency_keys_pending on idempotency_keys (lease_until) where command_state = 'pending'`.execute(db);
  await db.schema.createIndex('idempotency_keys_created').on('idempotency_keys').column('created_at').execute();

  // A PUT of a program year tells running cases; this marks how far that has got, so a
  // fan-out cut short (a crash, a workflow that could not be reached) is taken up again.
  await db.schema.alterTable('program_years').addColumn('announced_revision', 'integer').execute();
  await sql`update program_years set announced_revision = revision`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('program_years').dropColumn('announced_revision').execute();
  await db.schema.dropIndex('idempotency_keys_pending').execute();
  await db.schema.dropIndex('idempotency_keys_created').execute();
  await db.schema.alterTable('idempotency_keys').dropColumn('command').dropColumn('command_state').dropColumn('lease_until')
    .dropColumn('attempts').dropColumn('updated_at').execute();
  await db.schema.alterTable('idempotency_keys').renameColumn('scope', 'actor').execute();
}

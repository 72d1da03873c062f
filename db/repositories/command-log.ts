// The command log behind Idempotency-Key: one row per caller scope and key. A row is claimed
// when the request arrives, carries the Update the API sends (so a retry, or the recovery
// loop after a crash, sends the very same Update with the same id), and keeps the answer
// once one is known, for every retry to replay.
import { sql } from 'kysely';
import type { Db, DbOrTrx } from '../database.js';
import type { CommandState, StoredCommand } from '../tables/platform.js';

export interface CommandKeyRef {
  scope: string;
  key: string;
}

export interface ClaimedKey {
  requestHash: string;
  statusCode: number | null;
  responseBody: string | null;
  contentType: string | null;
}

/** Claims the key for this request, or answers what the key already holds. */
export async function claimKey(db: Db, ref: CommandKeyRef, request: { method: string; path: string; hash: string }): Promise<ClaimedKey | null> {
  const inserted = await db.insertInto('idempotency_keys').values({
    scope: ref.scope, key: ref.key, method: request.method, path: request.path, request_hash: request.hash,
    status_code: null, response_body: null, content_type: null,
  }).onConflict((oc) => oc.columns(['scope', 'key']).doNothing()).returning('key').executeTakeFirst();
  if (inserted) return null;
  const row = await db.selectFrom('idempotency_keys').select(['request_hash', 'status_code', 'response_body', 'content_type']).where('scope', '=', ref.scope).where('key', '=', ref.key).executeTakeFirstOrThrow();
  return { requestHash: row.request_hash, statusCode: row.status_code, responseBody: row.response_body, contentType: row.content_type };
}

/**
 * The answer to keep for every retry (only the first answer is kept). An answer is an
 * outcome, so a command still pending is settled with it.
 */
export async function storeAnswer(db: Db, ref: CommandKeyRef, answer: { statusCode: number; body: string; contentType: string }): Promise<void> {
  await db.updateTable('idempotency_keys').set({
    status_code: answer.statusCode, response_body: answer.body, content_type: answer.contentType, updated_at: sql`now()`,
    command_state: sql<CommandState>`case when command_state = 'pending' then 'done' else command_state end`, lease_until: null,
  }).where('scope', '=', ref.scope).where('key', '=', ref.key).where('status_code', 'is', null).execute();
}

/**
 * The Update of this key: the one already logged (a retry sends that one again, whatever
 * the clock or the data say now), else `build()`'s, logged before it is sent.
 */
export async function commandOf(db: Db, ref: CommandKeyRef & { fresh?: boolean }, build: () => Promise<StoredCommand> | StoredCommand, leaseMs: number): Promise<StoredCommand> {
  // A key claimed by this very request has nothing logged yet: no need to look.
  if (!ref.fresh) {
    const logged = await db.selectFrom('idempotency_keys').select('command').where('scope', '=', ref.scope).where('key', '=', ref.key).executeTakeFirst();
    if (logged?.command) return logged.command;
  }
  const command = await build();
  const stored = await db.updateTable('idempotency_keys').set({
    command: JSON.stringify(command), command_state: 'pending', lease_until: sql`now() + ${`${leaseMs} milliseconds`}::interval`, updated_at: sql`now()`,
  }).where('scope', '=', ref.scope).where('key', '=', ref.key).where('command', 'is', null).returning('key').executeTakeFirst();
  if (stored) return command;
  // Another request with the same key logged its command first: send that one.
  const winner = await db.selectFrom('idempotency_keys').select('command').where('scope', '=', ref.scope).where('key', '=', ref.key).executeTakeFirstOrThrow();
  return winner.command ?? command;
}

/** The command's outcome is known (done or refused): nothing is left for the recovery loop. */
export async function settleCommand(db: Db, ref: CommandKeyRef): Promise<void> {
  await db.updateTable('idempotency_keys').set({ command_state: 'done', lease_until: null, updated_at: sql`now()` }).where('scope', '=', ref.scope).where('key', '=', ref.key)
    .where('command_state', '=', 'pending').execute();
}

/** Commands whose outcome is unknown and whose lease ran out (their process died or gave up): leased to the caller for `leaseMs`. */
export async function leaseStrandedCommands(db: Db, limit: number, leaseMs: number): Promise<Array<CommandKeyRef & { command: StoredCommand; attempts: number }>> {
  const rows = await sql<{ scope: string; key: string; command: StoredCommand; attempts: number }>`
    update idempotency_keys set lease_until = now() + ${`${leaseMs} milliseconds`}::interval, attempts = attempts + 1, updated_at = now()
    where (scope, key) in (
      select scope, key from idempotency_keys
      where command_state = 'pending' and lease_until < now()
      order by lease_until limit ${limit} for update skip locked)
    returning scope, key, command, attempts`.execute(db);
  return rows.rows;
}

/** Keys whose answer is known are kept for a while for late retries, then dropped. */
export async function forgetOldKeys(db: DbOrTrx, olderThanMs: number): Promise<number> {
  const result = await db.deleteFrom('idempotency_keys')
    .where('created_at', '<', sql<Date>`now() - ${`${olderThanMs} milliseconds`}::interval`)
    .where('command_state', '!=', 'pending').executeTakeFirst();
  return Number(result.numDeletedRows);
}

// The per-application (１出願) ledger (Program A, v1.1): filing cases of one applicant on the
// same base application in one program year share that right's cap per application. A
// balance row per (applicant, program year, base application) and a journal of movements,
// exactly as the per-applicant ledger (cap-ledger.ts): approval reserves, determination
// settles and gives back the rest, withdrawal and lapse release. Every write locks the
// balance row FOR UPDATE, so approvals racing on one base application are serialised.
// Lock order, everywhere: the case row, the per-applicant balance, then this balance.
import { sql } from 'kysely';
import type { DbOrTrx, Trx } from '../database.js';
import { remainingOfCap } from '../../domain/subsidy/terms.js';

export interface ApplicationAccount {
  applicantId: string;
  programYearId: string;
  baseKey: string;
}

const where = (a: ApplicationAccount) => ({ applicant_id: a.applicantId, program_year_id: a.programYearId, base_key: a.baseKey });

/** What earlier live cases on the base application reserved or were paid (no lock: for intake's estimate). */
export async function applicationUsage(db: DbOrTrx, a: ApplicationAccount): Promise<number> {
  const row = await db.selectFrom('subsidy_application_cap_balances').select(['reserved_jpy', 'settled_jpy'])
    .where('applicant_id', '=', a.applicantId).where('program_year_id', '=', a.programYearId).where('base_key', '=', a.baseKey).executeTakeFirst();
  return row ? row.reserved_jpy + row.settled_jpy : 0;
}

/** Lock (creating if need be) the balance row; answers what remains of `capJpy`. */
export async function lockApplicationBalance(trx: Trx, a: ApplicationAccount, capJpy: number): Promise<{ capJpy: number; remainingJpy: number }> {
  await trx.insertInto('subsidy_application_cap_balances').values({ ...where(a), cap_jpy: capJpy }).onConflict((oc) => oc.doNothing()).execute();
  const row = await trx.selectFrom('subsidy_application_cap_balances').select(['reserved_jpy', 'settled_jpy'])
    .where('applicant_id', '=', a.applicantId).where('program_year_id', '=', a.programYearId).where('base_key', '=', a.baseKey)
    .forUpdate().executeTakeFirstOrThrow();
  return { capJpy, remainingJpy: remainingOfCap(capJpy, { reservedJpy: row.reserved_jpy, settledJpy: row.settled_jpy }) };
}

async function move(trx: Trx, a: ApplicationAccount, delta: { reserved?: number; settled?: number }, at: Date): Promise<void> {
  await trx.updateTable('subsidy_application_cap_balances').set((eb) => ({
    reserved_jpy: eb('reserved_jpy', '+', delta.reserved ?? 0), settled_jpy: eb('settled_jpy', '+', delta.settled ?? 0), updated_at: at,
  })).where('applicant_id', '=', a.applicantId).where('program_year_id', '=', a.programYearId).where('base_key', '=', a.baseKey).execute();
}

async function journal(trx: Trx, a: ApplicationAccount, caseId: string, kind: 'reserve' | 'release' | 'settle', amountJpy: number, at: Date): Promise<boolean> {
  const inserted = await trx.insertInto('subsidy_application_cap_entries').values({ ...where(a), case_id: caseId, kind, amount_jpy: amountJpy, at })
    .onConflict((oc) => oc.columns(['case_id', 'kind']).doNothing()).returning('id').executeTakeFirst();
  return inserted !== undefined;
}

async function reservedBy(db: DbOrTrx, caseId: string): Promise<number | null> {
  const row = await db.selectFrom('subsidy_application_cap_entries').select('amount_jpy').where('case_id', '=', caseId).where('kind', '=', 'reserve').executeTakeFirst();
  return row ? row.amount_jpy : null;
}

/** Reserve a grant limit already judged against the locked balance (lockApplicationBalance first, same transaction). */
export async function reserveApplicationCap(trx: Trx, a: ApplicationAccount & { caseId: string; amountJpy: number; at: Date }): Promise<void> {
  if (await journal(trx, a, a.caseId, 'reserve', a.amountJpy, a.at)) await move(trx, a, { reserved: a.amountJpy }, a.at);
}

/** On determination: settle what was determined and give back the rest. */
export async function settleApplicationCap(trx: Trx, a: ApplicationAccount & { caseId: string; determinedJpy: number; at: Date }): Promise<void> {
  const reserved = await reservedBy(trx, a.caseId);
  if (reserved === null) return;
  await lockApplicationBalance(trx, a, 0);
  const settled = Math.min(a.determinedJpy, reserved);
  if (await journal(trx, a, a.caseId, 'settle', settled, a.at)) {
    await journal(trx, a, a.caseId, 'release', reserved - settled, a.at);
    await move(trx, a, { reserved: -reserved, settled }, a.at);
  }
}

/** On withdrawal or lapse: the whole reservation goes back. */
export async function releaseApplicationCap(trx: Trx, a: ApplicationAccount & { caseId: string; at: Date }): Promise<void> {
  const reserved = await reservedBy(trx, a.caseId);
  if (reserved === null) return;
  await lockApplicationBalance(trx, a, 0);
  if (await journal(trx, a, a.caseId, 'release', reserved, a.at)) await move(trx, a, { reserved: -reserved }, a.at);
}

/** The journal's sums for a base application: what its balance row must equal (tests, checks). */
export async function applicationJournalSums(db: DbOrTrx, a: ApplicationAccount) {
  return db.selectFrom('subsidy_application_cap_entries')
    .select(sql<number>`coalesce(sum(case kind when 'reserve' then amount_jpy when 'release' then -amount_jpy when 'settle' then -amount_jpy else 0 end), 0)::int8`.as('reserved_jpy'))
    .select(sql<number>`coalesce(sum(case when kind = 'settle' then amount_jpy else 0 end), 0)::int8`.as('settled_jpy'))
    .where('applicant_id', '=', a.applicantId).where('program_year_id', '=', a.programYearId).where('base_key', '=', a.baseKey)
    .executeTakeFirstOrThrow();
}

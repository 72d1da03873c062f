// The per-applicant cap ledger (Program A): a balance row per applicant, program year and
// procedure, and a journal of movements. Approval reserves, determination settles (and
// gives back what was reserved but not determined), withdrawal and lapse release; awards
// from other implementing bodies count as settled. Every write locks the balance row, so
// approvals that race for one applicant are serialised and the cap is never exceeded.
import { sql } from 'kysely';
import type { DbOrTrx, Trx } from '../database.js';
import type { CapEntryKind } from '../tables/subsidy.js';
import { grantLimitOf, type Calculation } from '../../domain/subsidy/calculation.js';
import { perApplicantCapOf, remainingOfCap } from '../../domain/subsidy/terms.js';
import { PROCEDURES, type ApplicantKind, type OverseasIpYear, type Procedure } from '../../domain/program-year.js';

export interface CapUsage {
  programYearId: string;
  procedure: string;
  capJpy: number;
  reservedJpy: number;
  settledJpy: number;
  remainingJpy: number;
}

export interface CapAccount {
  applicantId: string;
  programYearId: string;
  procedure: string;
}

const account = (a: CapAccount) => ({ applicant_id: a.applicantId, program_year_id: a.programYearId, procedure: a.procedure });

/** Lock (creating if need be) the balance row of an account for the rest of the transaction. */
async function lockBalance(trx: Trx, a: CapAccount): Promise<{ reservedJpy: number; settledJpy: number }> {
  await trx.insertInto('subsidy_cap_balances').values(account(a)).onConflict((oc) => oc.doNothing()).execute();
  const row = await trx.selectFrom('subsidy_cap_balances').select(['reserved_jpy', 'settled_jpy'])
    .where('applicant_id', '=', a.applicantId).where('program_year_id', '=', a.programYearId).where('procedure', '=', a.procedure)
    .forUpdate().executeTakeFirstOrThrow();
  return { reservedJpy: row.reserved_jpy, settledJpy: row.settled_jpy };
}

async function move(trx: Trx, a: CapAccount, delta: { reserved?: number; settled?: number }, at: Date): Promise<void> {
  await trx.updateTable('subsidy_cap_balances').set((eb) => ({
    reserved_jpy: eb('reserved_jpy', '+', delta.reserved ?? 0),
    settled_jpy: eb('settled_jpy', '+', delta.settled ?? 0),
    updated_at: at,
  })).where('applicant_id', '=', a.applicantId).where('program_year_id', '=', a.programYearId).where('procedure', '=', a.procedure).execute();
}

/** Journal one movement of a case; false when the case already made it (a retried activity). */
async function journal(trx: Trx, a: CapAccount, kind: CapEntryKind, amountJpy: number, at: Date, ref: { caseId?: string; externalAwardId?: string }): Promise<boolean> {
  const inserted = await trx.insertInto('subsidy_cap_entries').values({
    ...account(a), kind, amount_jpy: amountJpy, case_id: ref.caseId ?? null, external_award_id: ref.externalAwardId ?? null, at,
  }).onConflict((oc) => oc.columns(['case_id', 'kind']).where('case_id', 'is not', null).doNothing()).returning('id').executeTakeFirst();
  return inserted !== undefined;
}

async function entryOf(db: DbOrTrx, caseId: string, kind: CapEntryKind): Promise<number | null> {
  const row = await db.selectFrom('subsidy_cap_entries').select('amount_jpy').where('case_id', '=', caseId).where('kind', '=', kind).executeTakeFirst();
  return row ? row.amount_jpy : null;
}

/**
 * Reserve the grant limit of an approval against the per-applicant cap, under the balance
 * row's lock. Refuses (DomainError) when nothing remains or the limit asked for is too
 * high. A case that already reserved gets its reservation back unchanged.
 */
export async function reserveCap(trx: Trx, input: CapAccount & { caseId: string; capJpy: number; maxGrantJpy: number; requestedJpy: number | null; at: Date }): Promise<Calculation> {
  const opened = await openReservation(trx, input, input.caseId, input.capJpy);
  if (opened.alreadyJpy !== null) return { resultJpy: opened.alreadyJpy, steps: [{ step: 'grant_limit', description: 'grant limit (交付決定額) as reserved', amountJpy: opened.alreadyJpy }] };
  const calculation = grantLimitOf({ maxGrantJpy: input.maxGrantJpy, remainingJpy: opened.remainingJpy, requestedJpy: input.requestedJpy, perApplicantCapJpy: input.capJpy });
  await commitReservation(trx, input, input.caseId, calculation.resultJpy, input.at);
  return calculation;
}

/**
 * First half of a reservation: lock the account's balance and say what remains of the cap
 * (and what this case already reserved, for a retry). Other ledgers may be locked after
 * it before the grant limit is judged; commitReservation then books it.
 */
export async function openReservation(trx: Trx, a: CapAccount, caseId: string, capJpy: number): Promise<{ remainingJpy: number; alreadyJpy: number | null }> {
  const balance = await lockBalance(trx, a);
  return { remainingJpy: remainingOfCap(capJpy, balance), alreadyJpy: await entryOf(trx, caseId, 'reserve') };
}

export async function commitReservation(trx: Trx, a: CapAccount, caseId: string, amountJpy: number, at: Date): Promise<void> {
  if (await journal(trx, a, 'reserve', amountJpy, at, { caseId })) await move(trx, a, { reserved: amountJpy }, at);
}

/** On determination: settle what was determined and give back the rest of the reservation. */
export async function settleCap(trx: Trx, input: CapAccount & { caseId: string; determinedJpy: number; at: Date }): Promise<void> {
  const reserved = await entryOf(trx, input.caseId, 'reserve');
  if (reserved === null) return; // no per-applicant cap applied to this case
  await lockBalance(trx, input);
  const settled = Math.min(input.determinedJpy, reserved);
  if (await journal(trx, input, 'settle', settled, input.at, { caseId: input.caseId })) {
    await journal(trx, input, 'release', reserved - settled, input.at, { caseId: input.caseId });
    await move(trx, input, { reserved: -reserved, settled }, input.at);
  }
}

/** On withdrawal or lapse: give the whole reservation back. */
export async function releaseCap(trx: Trx, input: CapAccount & { caseId: string; at: Date }): Promise<number> {
  const reserved = await entryOf(trx, input.caseId, 'reserve');
  if (reserved === null) return 0;
  await lockBalance(trx, input);
  if (await journal(trx, input, 'release', reserved, input.at, { caseId: input.caseId })) {
    await move(trx, input, { reserved: -reserved }, input.at);
  }
  return reserved;
}

/**
 * An award from another implementing body counts as settled. It is a fact staff record,
 * so it is never refused for the cap: if it takes the applicant past the cap, what
 * remains shows 0 and further approvals are refused.
 */
export async function recordExternalAward(trx: Trx, input: CapAccount & { externalAwardId: string; amountJpy: number; at: Date }): Promise<void> {
  await lockBalance(trx, input);
  await journal(trx, input, 'external', input.amountJpy, input.at, { externalAwardId: input.externalAwardId });
  await move(trx, input, { settled: input.amountJpy }, input.at);
}

/**
 * For each overseas IP program year and each procedure with a per-applicant cap that
 * applies to this applicant's kind (none for exempt kinds): the cap under the year's
 * current rules, what is reserved and settled, and what remains.
 */
export async function capUsageOf(db: DbOrTrx, applicantId: string): Promise<CapUsage[]> {
  const applicant = await db.selectFrom('applicants').select('kind').where('id', '=', applicantId).executeTakeFirst();
  if (!applicant) return [];
  const [years, balances] = await Promise.all([
    db.selectFrom('program_years').select(['id', 'rules']).where('program', '=', 'overseas_ip_subsidy')
      .orderBy('fiscal_year', 'desc').orderBy('id').execute(),
    db.selectFrom('subsidy_cap_balances').selectAll().where('applicant_id', '=', applicantId).execute(),
  ]);
  const usage: CapUsage[] = [];
  for (const year of years) {
    const rules = year.rules as OverseasIpYear;
    for (const procedure of PROCEDURES) {
      const capJpy = perApplicantCapOf(rules, procedure as Procedure, applicant.kind as ApplicantKind);
      if (capJpy === null) continue;
      const balance = balances.find((b) => b.program_year_id === year.id && b.procedure === procedure);
      const reservedJpy = balance?.reserved_jpy ?? 0;
      const settledJpy = balance?.settled_jpy ?? 0;
      usage.push({ programYearId: year.id, procedure, capJpy, reservedJpy, settledJpy, remainingJpy: remainingOfCap(capJpy, { reservedJpy, settledJpy }) });
    }
  }
  return usage;
}

/** The journal's sums per account: what the balance rows must equal (used by checks and tests). */
export async function journalSums(db: DbOrTrx, applicantId: string) {
  return db.selectFrom('subsidy_cap_entries')
    .select(['program_year_id', 'procedure'])
    .select(sql<number>`coalesce(sum(case kind when 'reserve' then amount_jpy when 'release' then -amount_jpy when 'settle' then -amount_jpy else 0 end), 0)::int8`.as('reserved_jpy'))
    .select(sql<number>`coalesce(sum(case when kind in ('settle', 'external') then amount_jpy else 0 end), 0)::int8`.as('settled_jpy'))
    .where('applicant_id', '=', applicantId)
    .groupBy(['program_year_id', 'procedure'])
    .execute();
}

// What must hold after the faults, read from the tables the contract's effects land in and
// from the workflows themselves. Each check returns its violations (empty = holds) and a
// one-line figure. Tables are read with `select *` where their shape may change (the
// idempotency scheme is being rewritten), so only column names that say what they hold matter.
import pg from 'pg';
import { Client, Connection } from '@temporalio/client';
import { caseStateQuery, subsidyCaseWorkflowId } from '../../workflows/subsidy-case-messages.js';
import type { CommandRecord } from './client.js';
import type { CaseRun } from './lifecycle.js';

export interface CheckResult {
  name: string;
  figure: string;
  violations: string[];
}

/** History types one lifecycle writes, each once. */
export const LIFECYCLE_HISTORY = ['received', 'approved', 'expense_recorded', 'reported', 'expense_confirmed', 'determined', 'disbursed'];
const sample = (items: string[], n = 5) => (items.length > n ? [...items.slice(0, n), `… and ${items.length - n} more`] : items);

export function checkAnswers(commands: CommandRecord[]): CheckResult[] {
  const unanswered = commands.filter((c) => c.final === 'stuck' || c.final === 'no_answer');
  const stuck = commands.filter((c) => c.final === 'stuck');
  const wrong = commands.filter((c) => c.final === 'client_error');
  return [
    {
      name: 'every command got a final non-5xx answer',
      figure: `${commands.length - unanswered.length}/${commands.length} answered; ${stuck.length} stuck on 409 "in progress"; ${unanswered.length - stuck.length} without any answer`,
      violations: sample(unanswered.map((c) => `${c.key}: ${c.final} after ${c.attempts} attempts, ${(c.ms / 1000).toFixed(1)} s (last ${c.status ?? 'no response'}${c.code ? ` ${c.code}` : ''})`), 10),
    },
    {
      // Each command is valid when first sent, so a 4xx is a retry that was not recognised
      // as one (the case had moved on) — a replay that failed.
      name: 'no retried command answered 4xx',
      figure: `${wrong.length} commands ended in a 4xx`,
      violations: sample(wrong.map((c) => `${c.key}: ${c.status} ${c.code ?? ''} after ${c.attempts} attempts`), 10),
    },
  ];
}

/** Every key the clients used has its answer stored, and no command is left pending. */
export async function checkIdempotencyTable(client: pg.Client): Promise<CheckResult> {
  const { rows } = await client.query<{ key: string; status_code: number | null; command_state: string }>('select key, status_code, command_state from idempotency_keys');
  const open = rows.filter((row) => row.status_code === null || row.command_state === 'pending');
  return {
    name: 'every idempotency key has a stored answer',
    figure: `${rows.length} rows; ${open.length} without an answer or with a command still pending`,
    violations: sample(open.map((row) => `${row.key}: answer ${row.status_code ?? 'none'}, command ${row.command_state}`), 10),
  };
}

export async function checkCases(client: pg.Client, runs: CaseRun[]): Promise<CheckResult[]> {
  const applicantIds = runs.map((r) => r.applicantId).filter((id): id is string => !!id);
  const { rows: cases } = await client.query<{ id: string; applicant_id: string; status: string }>('select id, applicant_id, status from subsidy_cases where applicant_id = any($1)', [applicantIds]);
  const byApplicant = new Map<string, string[]>();
  for (const c of cases) byApplicant.set(c.applicant_id, [...(byApplicant.get(c.applicant_id) ?? []), c.id]);
  const caseViolations: string[] = [];
  const noApplicant = runs.filter((r) => !r.applicantId);
  if (noApplicant.length) caseViolations.push(`${noApplicant.length} runs never got their applicant (cases ${sample(noApplicant.map((r) => String(r.n))).join(', ')})`);
  for (const r of runs.filter((x) => x.applicantId)) {
    const ids = byApplicant.get(r.applicantId!) ?? [];
    if (ids.length !== 1) caseViolations.push(`intake key of case ${r.n}: ${ids.length} cases (${ids.join(', ') || 'none'})`);
  }
  const notDone = cases.filter((c) => c.status !== 'disbursed');
  const abandoned = runs.filter((r) => r.abandonedAt);

  const ids = cases.map((c) => c.id);
  const { rows: expenses } = await client.query<{ case_id: string; n: number }>('select case_id, count(*)::int as n from subsidy_expenses where case_id = any($1) group by case_id', [ids]);
  const expenseCount = new Map(expenses.map((e) => [e.case_id, e.n]));
  // A case whose client never got its expense in is counted above, as not disbursed; here a
  // doubled expense, or a case that went past its expense with none.
  const pastExpense = new Set(cases.filter((c) => ['reported', 'determined', 'disbursed'].includes(c.status)).map((c) => c.id));
  const expenseViolations = ids.filter((id) => {
    const n = expenseCount.get(id) ?? 0;
    return n > 1 || (n === 0 && pastExpense.has(id));
  }).map((id) => `${id}: ${expenseCount.get(id) ?? 0} expenses`);

  const { rows: history } = await client.query<{ entity_id: string; type: string; n: number }>(
    'select entity_id, type, count(*)::int as n from history where entity_id = any($1) and type = any($2) group by entity_id, type', [ids, LIFECYCLE_HISTORY]);
  const historyViolations: string[] = [];
  const seen = new Map<string, Map<string, number>>();
  for (const h of history) seen.set(h.entity_id, (seen.get(h.entity_id) ?? new Map()).set(h.type, h.n));
  for (const id of ids) {
    const status = cases.find((c) => c.id === id)!.status;
    for (const type of LIFECYCLE_HISTORY) {
      const n = seen.get(id)?.get(type) ?? 0;
      // A case that did not get that far is reported above; here only doubles and gaps of a finished case.
      if (n > 1 || (n === 0 && status === 'disbursed')) historyViolations.push(`${id}: history '${type}' ${n} times`);
    }
  }
  return [
    {
      name: 'exactly one case per intake key, each disbursed',
      figure: `${cases.length} cases for ${runs.length} intake keys; ${cases.length - notDone.length} disbursed; ${abandoned.length} clients could not finish their case`,
      violations: sample([
        ...(cases.length !== runs.length ? [`${cases.length} cases, expected ${runs.length}`] : []),
        ...caseViolations,
        ...notDone.map((c) => `${c.id} ended ${c.status}`),
        ...abandoned.map((r) => `case ${r.n} (${r.caseId ?? 'no id'}): client stopped at ${r.abandonedAt}`),
      ], 12),
    },
    { name: 'no doubled expense', figure: `${expenseViolations.length} cases with a doubled (or missing) expense`, violations: sample(expenseViolations, 10) },
    { name: 'no doubled history row', figure: `${historyViolations.length} doubled or missing history rows`, violations: sample(historyViolations, 10) },
  ];
}

export async function checkLedger(client: pg.Client, applicantIds: string[]): Promise<CheckResult> {
  // The same sums as db/repositories/cap-ledger.ts journalSums, for every applicant at once.
  const { rows: journal } = await client.query<{ applicant_id: string; program_year_id: string; procedure: string; reserved_jpy: number; settled_jpy: number }>(`
    select applicant_id, program_year_id, procedure,
      coalesce(sum(case kind when 'reserve' then amount_jpy when 'release' then -amount_jpy when 'settle' then -amount_jpy else 0 end), 0)::int8 as reserved_jpy,
      coalesce(sum(case when kind in ('settle', 'external') then amount_jpy else 0 end), 0)::int8 as settled_jpy
    from subsidy_cap_entries where applicant_id = any($1) group by applicant_id, program_year_id, procedure`, [applicantIds]);
  const { rows: balances } = await client.query<Record<string, unknown>>('select * from subsidy_cap_balances where applicant_id = any($1)', [applicantIds]);
  const k = (r: { applicant_id: unknown; program_year_id: unknown; procedure: unknown }) => `${String(r.applicant_id)}/${String(r.program_year_id)}/${String(r.procedure)}`;
  const sums = new Map(journal.map((j) => [k(j), j]));
  const violations: string[] = [];
  for (const b of balances) {
    const j = sums.get(k(b as never));
    const reserved = Number(b.reserved_jpy);
    const settled = Number(b.settled_jpy);
    if (!j) {
      if (reserved !== 0 || settled !== 0) violations.push(`${k(b as never)}: balance ${reserved}/${settled} without journal entries`);
    } else if (Number(j.reserved_jpy) !== reserved || Number(j.settled_jpy) !== settled) {
      violations.push(`${k(b as never)}: balance reserved ${reserved} settled ${settled}, journal ${j.reserved_jpy} / ${j.settled_jpy}`);
    }
    sums.delete(k(b as never));
  }
  for (const key of sums.keys()) violations.push(`${key}: journal entries without a balance row`);
  return { name: 'cap ledger: balances equal journal sums', figure: `${balances.length} balance rows, ${journal.length} journal groups`, violations: sample(violations, 10) };
}

export async function checkWorkflows(temporalAddress: string, client: pg.Client, caseIds: string[]): Promise<CheckResult> {
  const { rows } = await client.query<{ id: string; status: string }>('select id, status from subsidy_cases where id = any($1)', [caseIds]);
  const connection = await Connection.connect({ address: temporalAddress });
  const temporal = new Client({ connection });
  const violations: string[] = [];
  try {
    for (const row of rows) {
      const handle = temporal.workflow.getHandle(subsidyCaseWorkflowId(row.id));
      try {
        const state = await handle.query(caseStateQuery);
        const description = await handle.describe();
        const attribute = description.typedSearchAttributes.getAll().find((p) => p.key.name === 'CaseStatus')?.value;
        if (state?.status !== row.status) violations.push(`${row.id}: row ${row.status}, workflow ${state?.status ?? 'no state'}`);
        if (attribute !== undefined && attribute !== row.status) violations.push(`${row.id}: row ${row.status}, CaseStatus search attribute ${String(attribute)}`);
      } catch (error) {
        violations.push(`${row.id}: workflow unreadable (${(error as Error).message.slice(0, 120)})`);
      }
    }
  } finally {
    await connection.close();
  }
  return { name: 'workflow status = row status', figure: `${rows.length} workflows compared, ${violations.length} differ`, violations: sample(violations, 10) };
}

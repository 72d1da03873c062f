// One subsidy case from intake to disbursement over HTTP, as a staff client would drive
// it: applicant → intake (overseas-ip-2024) → approve → expense → report → confirm every
// expense → determination → disbursement. Each step is one logical command with its own
// key. When a step ends without a 2xx (stuck key, unexpected 4xx, no answer) the client
// reads the case, as a person would, and goes on if the step took effect.
import type { Clock } from '../../domain/time.js';
import { jstDate, toJstIso } from '../../domain/time.js';
import type { FaultClient } from './client.js';

export const PROGRAM_YEAR = 'overseas-ip-2024';
const ORDER = ['under_review', 'approved', 'reported', 'determined', 'disbursed'];

interface CaseView {
  id: string;
  status: string;
  expenses: Array<{ id: string; accepted: boolean | null }>;
}

export interface CaseRun {
  n: number;
  applicantId: string | null;
  caseId: string | null;
  /** The step where the client could not go on, if any. */
  abandonedAt: string | null;
}

const reached = (view: CaseView | null, status: string) => !!view && ORDER.indexOf(view.status) >= ORDER.indexOf(status);

export async function runCase(client: FaultClient, runId: string, n: number, clock: Clock): Promise<CaseRun> {
  const run: CaseRun = { n, applicantId: null, caseId: null, abandonedAt: null };
  const key = (step: string) => `faults-${runId}-${n}-${step}`;
  const abandon = (step: string) => {
    run.abandonedAt = step;
    return run;
  };

  const applicant = await client.command<{ id: string }>('applicant', key('applicant'), '/applicants', { name: `故障試験 ${runId} 株式会社 ${n}`, kind: 'sme' });
  if (applicant.record.final !== 'ok') return abandon('applicant');
  run.applicantId = applicant.body.id;

  const intake = await client.command<{ id: string }>('intake', key('intake'), '/subsidy-cases', {
    programYearId: PROGRAM_YEAR, applicantId: run.applicantId, procedure: 'filing', rightType: 'patent', title: `故障試験の発明 ${n}`,
    regionalCollectiveTrademark: false, jpoApplicationNumber: `特願2024-${String(500000 + n)}`, targetCountries: ['US', 'CN'],
    priorCaseId: null, priorSubsidyReference: null, refusalGrounds: [], examinationRequested: false,
    estimatedCosts: [{ category: 'foreign_office_fee', amountJpy: 1_200_000, country: 'US' }, { category: 'translation_fee', amountJpy: 400_000, country: 'CN' }],
  });
  if (intake.record.final === 'ok') run.caseId = intake.body.id;
  else {
    const found = await client.get<{ items: Array<{ id: string }> }>(`/subsidy-cases?applicantId=${encodeURIComponent(run.applicantId)}`);
    if (found?.items.length !== 1) return abandon('intake');
    run.caseId = found.items[0]!.id;
  }
  const base = `/subsidy-cases/${run.caseId}`;
  const view = () => client.get<CaseView>(base);

  /** A step that moves the case to `status`; after a failed command, the case decides. */
  const step = async (label: string, path: string, body: unknown, status: string): Promise<boolean> => {
    const answer = await client.command(label, key(label), path, body);
    return answer.record.final === 'ok' || reached(await view(), status);
  };

  if (!(await step('decision', `${base}/decision`, { approve: true }, 'approved'))) return abandon('decision');
  const decidedBefore = clock.now().getTime();

  const today = jstDate(clock.now());
  const expense = await client.command('expense', key('expense'), `${base}/expenses`, {
    category: 'foreign_office_fee', payee: 'USPTO', country: 'US', invoiceNumber: `FI-${runId}-${n}`, incurredOn: today, paidOn: today,
    amountJpy: 1_100_000, consumptionTaxJpy: 0, currency: 'USD', foreignAmount: 7300,
  });
  if (expense.record.final !== 'ok' && !((await view())?.expenses.length)) return abandon('expense');

  if (!(await step('report', `${base}/report`, {}, 'reported'))) return abandon('report');

  // Every expense the case shows, so a doubled expense does not block the case (the checks count it).
  const expenses = (await view())?.expenses ?? [];
  if (expenses.length === 0) return abandon('confirmation');
  for (const [i, e] of expenses.entries()) {
    const label = i === 0 ? 'confirmation' : `confirmation-${i}`;
    const answer = await client.command(label, key(label), `${base}/expenses/${e.id}/confirmation`, { accepted: true });
    if (answer.record.final !== 'ok' && !(await view())?.expenses.find((x) => x.id === e.id && x.accepted !== null)) return abandon(label);
  }

  if (!(await step('determination', `${base}/determination`, {}, 'determined'))) return abandon('determination');
  // paidAt is to the second and may not precede the decision: a case run within a second waits.
  const wait = decidedBefore + 1000 - clock.now().getTime();
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  const paidAt = toJstIso(clock.now());
  if (!(await step('disbursement', `${base}/disbursement`, { paidAt, transferReference: `TR-${runId}-${n}` }, 'disbursed'))) return abandon('disbursement');
  return run;
}

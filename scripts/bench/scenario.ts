// The data the bench drives: a program year open now, applicants, and one case's lifecycle.
import { fiscalYearOfInstant, jstDate, toJstIso } from '../../domain/time.js';
import type { Samples } from './stats.js';
import { timed } from './stats.js';
import type { Http } from './http.js';

export const COMMANDS = ['intake', 'decision', 'expense', 'report', 'confirmation', 'determination', 'disbursement'] as const;
export type Command = (typeof COMMANDS)[number];

/** A program year whose windows and deadline lie around today, so nothing lapses mid-bench. */
export async function putBenchProgramYear(http: Http, now = new Date()): Promise<string> {
  const fy = fiscalYearOfInstant(now);
  const id = `bench-ip-${fy}`;
  await http('PUT', `/program-years/${id}`, {
    program: 'overseas_ip_subsidy', fiscalYear: fy, title: `Bench FY${fy}`,
    windows: [{ label: 'all year', procedures: ['filing', 'office_action_response', 'examination_request'], opensAt: `${fy}-04-01T00:00:00+09:00`, closesAt: `${fy + 1}-03-31T12:00:00+09:00` }],
    rate: { numerator: 1, denominator: 2 }, roundingUnitJpy: 1000,
    caps: { filing: { patent: 1_500_000, utility_model: 600_000, design: 600_000, trademark: 600_000, anti_squatting_trademark: 300_000 }, office_action_response: { patent: 500_000 }, examination_request: { patent: 500_000 } },
    perApplicantCaps: { filing: 3_000_000 }, perApplicantCapExemptKinds: ['university'],
    reportDeadline: `${fy + 1}-03-31T17:00:00+09:00`, statusReports: { years: 5, asOf: '03-31', due: '05-31' },
  });
  return id;
}

export async function createApplicants(http: Http, count: number, prefix: string): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const a = await http<{ id: string }>('POST', '/applicants', { name: `${prefix} 株式会社 ${i}`, kind: 'sme' });
    ids.push(a.id);
  }
  return ids;
}

export function intakeBody(programYearId: string, applicantId: string, n: number) {
  return {
    programYearId, applicantId, procedure: 'filing', rightType: 'patent', title: `ベンチ発明 ${n}`,
    regionalCollectiveTrademark: false, jpoApplicationNumber: `特願2026-${String(100000 + n)}`, targetCountries: ['US', 'CN'],
    priorCaseId: null, priorSubsidyReference: null, refusalGrounds: [], examinationRequested: false,
    estimatedCosts: [{ category: 'foreign_office_fee', amountJpy: 1_200_000, country: 'US' }, { category: 'translation_fee', amountJpy: 400_000, country: 'CN' }],
  };
}

/** Intake to disbursement, each command timed into its own samples. */
export async function runLifecycle(http: Http, programYearId: string, applicantId: string, n: number, samples?: Record<Command, Samples>): Promise<string> {
  const today = jstDate(Date.now());
  const c = await timed(samples?.intake, () => http<{ id: string }>('POST', '/subsidy-cases', intakeBody(programYearId, applicantId, n)));
  const base = `/subsidy-cases/${c.id}`;
  await timed(samples?.decision, () => http('POST', `${base}/decision`, { approve: true }));
  const expense = await timed(samples?.expense, () => http<{ id: string }>('POST', `${base}/expenses`, {
    category: 'foreign_office_fee', payee: 'USPTO', country: 'US', invoiceNumber: `INV-${n}`, incurredOn: today, paidOn: today, amountJpy: 1_100_000, consumptionTaxJpy: 0, currency: 'USD', foreignAmount: 7300,
  }));
  await timed(samples?.report, () => http('POST', `${base}/report`, {}));
  await timed(samples?.confirmation, () => http('POST', `${base}/expenses/${expense.id}/confirmation`, { accepted: true }));
  await timed(samples?.determination, () => http('POST', `${base}/determination`, {}));
  await timed(samples?.disbursement, () => http('POST', `${base}/disbursement`, { paidAt: toJstIso(Date.now()), transferReference: `TR-${n}` }));
  return c.id;
}

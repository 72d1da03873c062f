// The per-applicant cap ledger under racing approvals: whatever the interleaving, an
// applicant's reservations and settlements never exceed ¥3,000,000 and the balance rows
// equal the journal and the cases' grant limits.
import { describe, expect, it } from 'vitest';
import { journalSums } from '../../db/repositories/cap-ledger.js';
import { filingBody, newApplicant, useSubsidyApp } from './subsidy-cases-fixtures.js';

const ctx = useSubsidyApp();
const CAP = 3_000_000;

async function cases(applicantId: string, n: number, estimate = 1_700_000) {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    // Each on its own base application: the per-application cap is not what these tests race for.
    const res = await ctx.http.post('/subsidy-cases', filingBody(ctx.yearId, applicantId, { title: `案件 ${i + 1}`, jpoApplicationNumber: `特願2024-${String(100_000 + i)}`, estimatedCosts: [{ category: 'foreign_office_fee', amountJpy: estimate, country: 'US' }] }));
    expect(res.statusCode, res.body).toBe(201);
    ids.push(res.json().id);
  }
  return ids;
}

async function ledgerOf(applicantId: string) {
  const balance = await ctx.db.selectFrom('subsidy_cap_balances').selectAll().where('applicant_id', '=', applicantId).where('program_year_id', '=', ctx.yearId).executeTakeFirst();
  const [journal] = await journalSums(ctx.db, applicantId);
  const approved = await ctx.db.selectFrom('subsidy_cases').select(['grant_limit_jpy', 'status', 'determined_jpy']).where('applicant_id', '=', applicantId).execute();
  return { balance, journal, approved };
}

describe('racing approvals for one applicant', () => {
  it('never reserve past the cap, and every sum matches', async () => {
    const applicantId = await newApplicant(ctx.http);
    const ids = await cases(applicantId, 12); // 12 × ¥850,000 asked for against ¥3,000,000
    const answers = await Promise.all(ids.map((id) => ctx.http.post(`/subsidy-cases/${id}/decision`, { approve: true })));
    const ok = answers.filter((r) => r.statusCode === 200).map((r) => r.json().grantLimitJpy as number);
    const refused = answers.filter((r) => r.statusCode !== 200);
    expect(refused.every((r) => r.statusCode === 422 && r.json().code === 'per_applicant_cap_exhausted'), refused.map((r) => r.body).join('\n')).toBe(true);
    expect(ok.reduce((a, b) => a + b, 0)).toBe(CAP);
    expect(ok.sort((a, b) => b - a)).toEqual([850_000, 850_000, 850_000, 450_000]);

    const { balance, journal, approved } = await ledgerOf(applicantId);
    expect(balance).toMatchObject({ reserved_jpy: CAP, settled_jpy: 0 });
    expect(journal).toMatchObject({ reserved_jpy: CAP, settled_jpy: 0 });
    expect(approved.filter((c) => c.status === 'approved').reduce((a, c) => a + (c.grant_limit_jpy ?? 0), 0)).toBe(CAP);
    expect(approved.filter((c) => c.status === 'under_review')).toHaveLength(8);
    const usage = (await ctx.http.get(`/applicants/${applicantId}`)).json().capUsage.find((u: { programYearId: string }) => u.programYearId === ctx.yearId);
    expect(usage).toEqual({ programYearId: ctx.yearId, procedure: 'filing', capJpy: CAP, reservedJpy: CAP, settledJpy: 0, remainingJpy: 0 });
  });

  it('stay within the cap through withdrawals, determinations and external awards racing with approvals', async () => {
    const applicantId = await newApplicant(ctx.http);
    const ids = await cases(applicantId, 10, 1_000_000); // ¥500,000 each
    const first = await Promise.all(ids.slice(0, 6).map((id) => ctx.http.post(`/subsidy-cases/${id}/decision`, { approve: true })));
    expect(first.every((r) => r.statusCode === 200)).toBe(true);
    const [w1, w2, d1] = ids;
    const today = new Date(Date.now() + 9 * 3600_000).toISOString().slice(0, 10);
    // Determine one case at ¥200,000 (its other ¥300,000 goes back) while others race.
    const expense = await ctx.http.post(`/subsidy-cases/${d1}/expenses`, { category: 'translation_fee', payee: '翻訳', country: 'US', incurredOn: today, paidOn: today, amountJpy: 400_000 });
    await ctx.http.post(`/subsidy-cases/${d1}/report`);
    await ctx.http.post(`/subsidy-cases/${d1}/expenses/${expense.json().id}/confirmation`, { accepted: true });
    const race = await Promise.all([
      ctx.http.post(`/subsidy-cases/${w1}/withdrawal`, { reason: '取下げ' }),
      ctx.http.post(`/subsidy-cases/${w2}/withdrawal`, { reason: '取下げ' }),
      ctx.http.post(`/subsidy-cases/${d1}/determination`),
      ctx.http.post(`/applicants/${applicantId}/external-awards`, { programYearId: ctx.yearId, procedure: 'filing', body: '北海道中小企業総合支援センター', amountJpy: 250_000, awardedOn: today }),
      ...ids.slice(6).map((id) => ctx.http.post(`/subsidy-cases/${id}/decision`, { approve: true })),
    ]);
    expect(race.slice(0, 4).map((r) => r.statusCode)).toEqual([200, 200, 200, 201]);

    const { balance, journal, approved } = await ledgerOf(applicantId);
    const reserved = approved.filter((c) => c.status === 'approved').reduce((a, c) => a + (c.grant_limit_jpy ?? 0), 0);
    const settled = 200_000 + 250_000;
    expect(balance!.reserved_jpy).toBe(reserved);
    expect(balance!.settled_jpy).toBe(settled);
    expect(journal).toMatchObject({ reserved_jpy: reserved, settled_jpy: settled });
    expect(reserved + settled).toBeLessThanOrEqual(CAP);
    // Late approvals either got a share of what had been freed at that moment or were refused.
    const late = race.slice(4);
    expect(late.every((r) => (r.statusCode === 200 && r.json().grantLimitJpy > 0 && r.json().grantLimitJpy <= 500_000) || r.json().code === 'per_applicant_cap_exhausted')).toBe(true);
  });

  it('do not limit an exempt applicant (university)', async () => {
    const applicantId = await newApplicant(ctx.http, 'university', '北海道国立大学');
    const ids = await cases(applicantId, 5);
    const answers = await Promise.all(ids.map((id) => ctx.http.post(`/subsidy-cases/${id}/decision`, { approve: true })));
    expect(answers.map((r) => r.json().grantLimitJpy)).toEqual(Array(5).fill(850_000));
    expect((await ctx.http.get(`/applicants/${applicantId}`)).json().capUsage).toEqual([]);
  });
});

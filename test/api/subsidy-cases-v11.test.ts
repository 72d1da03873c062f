// The v1.1 contract, "correct to the yen" (api.md → Program A, correct to the yen): each
// realistic case of the issue through the API, a real worker, Temporal and PostgreSQL.
import { describe, expect, it } from 'vitest';
import { fiscalYearOfInstant, jstDate, toJstIso, DAY_MS } from '../../domain/time.js';
import { api, testApp } from '../helpers/app.js';
import { fixedClock } from '../../runtime/clock.js';
import { applicationJournalSums } from '../../db/repositories/application-ledger.js';
import { baseApplicationKey } from '../../domain/subsidy/terms.js';
import { filingBody, newApplicant, useSubsidyApp, type Api } from './subsidy-cases-fixtures.js';

const ctx = useSubsidyApp();
const today = () => jstDate(Date.now());
const yesterday = () => jstDate(Date.now() - DAY_MS);
const expectProblem = (res: { statusCode: number; body: string }, status: number, code: string) => {
  expect(res.statusCode, res.body).toBe(status);
  expect(JSON.parse(res.body).code).toBe(code);
};
let serial = 0;
/** A base application number of its own for each test. */
const jpo = () => `特願2024-${String(200_000 + ++serial * 37)}`;

async function intake(client: Api, body: Record<string, unknown>) {
  const res = await client.post('/subsidy-cases', body);
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}
async function approve(client: Api, id: string, body: Record<string, unknown> = {}) {
  const res = await client.post(`/subsidy-cases/${id}/decision`, { approve: true, ...body });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}
async function spend(client: Api, id: string, body: Record<string, unknown>) {
  const res = await client.post(`/subsidy-cases/${id}/expenses`, { category: 'foreign_office_fee', payee: '特許庁', incurredOn: today(), paidOn: today(), ...body });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}
/** Report, accept every expense, determine: the determined case. */
async function determine(client: Api, id: string) {
  expect((await client.post(`/subsidy-cases/${id}/report`)).statusCode).toBe(200);
  const view = (await client.get(`/subsidy-cases/${id}`)).json();
  for (const e of view.expenses) expect((await client.post(`/subsidy-cases/${id}/expenses/${e.id}/confirmation`, { accepted: true })).statusCode).toBe(200);
  const res = await client.post(`/subsidy-cases/${id}/determination`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

describe('(a) one application (１出願) per fiscal year', () => {
  it('round 2 US/EP at ¥3.0M and round 3 CN/KR at ¥1.2M on the same base application get ¥1,500,000 in all, not ¥2,100,000', async () => {
    const applicantId = await newApplicant(ctx.http);
    const number = jpo();
    const round2 = await intake(ctx.http, filingBody(ctx.yearId, applicantId, {
      jpoApplicationNumber: number, targetCountries: ['US', 'EP'],
      estimatedCosts: [{ category: 'foreign_office_fee', amountJpy: 1_500_000, country: 'US' }, { category: 'foreign_office_fee', amountJpy: 1_500_000, country: 'EP' }],
    }));
    expect(round2.maxGrantJpy).toBe(1_500_000);
    const approved = await approve(ctx.http, round2.id);
    expect(approved.grantLimitJpy).toBe(1_500_000);
    expect(approved.baseApplication).toEqual({ key: baseApplicationKey(number), capJpy: 1_500_000, usedJpy: 1_500_000 });
    expect(approved.approvedCountries).toEqual(['US', 'EP']);
    // The same 特願 written with full-width digits and spaces is the same base application.
    const written = ` ${number.normalize('NFKC').replace(/\d/g, (d) => String.fromCharCode(d.charCodeAt(0) + 0xfee0)).replace('-', '－')} `;
    const round3 = await ctx.http.post('/subsidy-cases', filingBody(ctx.yearId, applicantId, {
      jpoApplicationNumber: written, targetCountries: ['CN', 'KR'],
      estimatedCosts: [{ category: 'foreign_office_fee', amountJpy: 600_000, country: 'CN' }, { category: 'foreign_office_fee', amountJpy: 600_000, country: 'KR' }],
    }));
    expectProblem(round3, 422, 'per_application_cap_exhausted');
  });

  it('a later case gets only what the earlier left, and a withdrawal gives it back', async () => {
    const applicantId = await newApplicant(ctx.http);
    const number = jpo();
    const first = await intake(ctx.http, filingBody(ctx.yearId, applicantId, { jpoApplicationNumber: number, targetCountries: ['US'], estimatedCosts: [{ category: 'foreign_office_fee', amountJpy: 2_000_000, country: 'US' }] }));
    await approve(ctx.http, first.id); // ¥1,000,000 of ¥1,500,000
    const second = await intake(ctx.http, filingBody(ctx.yearId, applicantId, { jpoApplicationNumber: number, targetCountries: ['CN', 'KR'], estimatedCosts: [{ category: 'foreign_office_fee', amountJpy: 1_200_000, country: 'CN' }] }));
    expect(second.maxGrantJpy).toBe(500_000);
    expect(second.calculations.maxGrant.steps.find((s: { step: string }) => s.step === 'capped').amountJpy).toBe(500_000);
    expect(second.baseApplication).toEqual({ key: baseApplicationKey(number), capJpy: 1_500_000, usedJpy: 1_000_000 });
    const third = await intake(ctx.http, filingBody(ctx.yearId, applicantId, { jpoApplicationNumber: number, targetCountries: ['KR'], estimatedCosts: [{ category: 'foreign_office_fee', amountJpy: 1_200_000, country: 'KR' }] }));
    expect((await approve(ctx.http, second.id)).grantLimitJpy).toBe(500_000);
    // Its intake saw ¥500,000 left; the decision finds nothing left.
    expectProblem(await ctx.http.post(`/subsidy-cases/${third.id}/decision`, { approve: true }), 422, 'per_application_cap_exhausted');
    expect((await ctx.http.post(`/subsidy-cases/${first.id}/withdrawal`, { reason: '米国出願を断念' })).statusCode).toBe(200);
    // Its max grant stays as estimated at intake (¥500,000 then left); now the room is there.
    expect((await approve(ctx.http, third.id)).grantLimitJpy).toBe(500_000);
    expect((await ctx.http.get(`/subsidy-cases/${third.id}`)).json().baseApplication.usedJpy).toBe(1_000_000);
    // Another applicant's case on the same number is another application.
    const other = await newApplicant(ctx.http);
    expect((await intake(ctx.http, filingBody(ctx.yearId, other, { jpoApplicationNumber: number }))).maxGrantJpy).toBe(850_000);
  });

  it('50 concurrent approvals on one base application across its cases never pass its cap', { timeout: 120_000 }, async () => {
    const applicantId = await newApplicant(ctx.http, 'university', '北海道テスト大学'); // no per-applicant cap: only the per-application one binds
    const number = jpo();
    const ids: string[] = [];
    for (let i = 0; i < 50; i++) {
      const c = await intake(ctx.http, filingBody(ctx.yearId, applicantId, {
        title: `分割出願 ${i + 1}`, jpoApplicationNumber: i % 2 ? number : number.replace('-', ' - '), targetCountries: ['US'],
        estimatedCosts: [{ category: 'foreign_office_fee', amountJpy: 400_000 + 2_000 * i, country: 'US' }],
      }));
      ids.push(c.id);
    }
    const answers = await Promise.all(ids.map((id) => ctx.http.post(`/subsidy-cases/${id}/decision`, { approve: true })));
    const granted = answers.filter((r) => r.statusCode === 200).map((r) => r.json().grantLimitJpy as number);
    const refused = answers.filter((r) => r.statusCode !== 200);
    expect(refused.every((r) => r.statusCode === 422 && r.json().code === 'per_application_cap_exhausted'), refused.map((r) => r.body).join('\n')).toBe(true);
    const total = granted.reduce((a, b) => a + b, 0);
    const key = baseApplicationKey(number);
    const balance = await ctx.db.selectFrom('subsidy_application_cap_balances').selectAll().where('applicant_id', '=', applicantId).where('base_key', '=', key).executeTakeFirstOrThrow();
    const journal = await applicationJournalSums(ctx.db, { applicantId, programYearId: ctx.yearId, baseKey: key });
    console.log(`per-application race: 50 approvals, ${granted.length} granted (Σ ¥${total.toLocaleString('en-US')} of the ¥1,500,000 cap; ${granted.join(', ')}), ${refused.length} refused per_application_cap_exhausted; balance reserved ¥${balance.reserved_jpy.toLocaleString('en-US')}, journal ¥${Number(journal.reserved_jpy).toLocaleString('en-US')}`);
    expect(total).toBe(1_500_000);
    expect(balance.reserved_jpy).toBe(1_500_000);
    expect(Number(journal.reserved_jpy)).toBe(1_500_000);
    const rows = await ctx.db.selectFrom('subsidy_cases').select(['grant_limit_jpy', 'status']).where('applicant_id', '=', applicantId).execute();
    expect(rows.filter((r) => r.status === 'approved').reduce((a, r) => a + (r.grant_limit_jpy ?? 0), 0)).toBe(1_500_000);
  });
});

describe('(b) countries', () => {
  it('approved for US+EP, ¥1.2M US/EP costs and ¥0.6M spent in CN: determined ¥600,000, not ¥900,000', async () => {
    const applicantId = await newApplicant(ctx.http);
    const c = await intake(ctx.http, filingBody(ctx.yearId, applicantId, {
      jpoApplicationNumber: jpo(), targetCountries: ['US', 'EP', 'CN'],
      estimatedCosts: [{ category: 'foreign_office_fee', amountJpy: 1_800_000, country: 'US' }],
    }));
    expectProblem(await ctx.http.post(`/subsidy-cases/${c.id}/decision`, { approve: true, approvedCountries: ['US', 'JP'] }), 422, 'country_not_approved');
    expectProblem(await ctx.http.post(`/subsidy-cases/${c.id}/decision`, { approve: true, approvedCountries: [] }), 400, 'bad_request');
    expect((await approve(ctx.http, c.id, { approvedCountries: ['US', 'EP'] })).approvedCountries).toEqual(['US', 'EP']);
    expect((await ctx.http.post(`/subsidy-cases/${c.id}/foreign-filings`, { country: 'US', filedOn: today() })).json()).toMatchObject({ eligible: true, ineligibleReason: null });
    expectProblem(await ctx.http.post(`/subsidy-cases/${c.id}/foreign-filings`, { country: 'CN', filedOn: today() }), 422, 'country_not_approved');
    expectProblem(await ctx.http.post(`/subsidy-cases/${c.id}/foreign-filings`, { country: 'XX', filedOn: today() }), 400, 'bad_request');
    await spend(ctx.http, c.id, { country: 'US', amountJpy: 600_000 });
    await spend(ctx.http, c.id, { country: 'EP', amountJpy: 600_000 });
    const cn = await spend(ctx.http, c.id, { category: 'local_agent_fee', country: 'CN', amountJpy: 600_000 });
    expect(cn).toMatchObject({ eligible: false, ineligibleReason: 'country_not_approved' });
    // Every category but the domestic agent's fee names its country; unknown codes are 400.
    expectProblem(await ctx.http.post(`/subsidy-cases/${c.id}/expenses`, { category: 'translation_fee', payee: '翻訳', incurredOn: today(), paidOn: today(), amountJpy: 1000 }), 400, 'bad_request');
    expectProblem(await ctx.http.post(`/subsidy-cases/${c.id}/expenses`, { category: 'translation_fee', payee: '翻訳', country: 'ZZ', incurredOn: today(), paidOn: today(), amountJpy: 1000 }), 400, 'bad_request');
    const determined = await determine(ctx.http, c.id);
    expect(determined).toMatchObject({ status: 'determined', determinedJpy: 600_000, eligibleCostJpy: 1_200_000 });
  });

  it('a filing made before the decision is recorded as not eligible, and nothing spent in its country is paid', async () => {
    const applicantId = await newApplicant(ctx.http);
    const c = await intake(ctx.http, filingBody(ctx.yearId, applicantId, {
      jpoApplicationNumber: jpo(), targetCountries: ['US', 'EP'], receivedAt: toJstIso(Date.now() - 3 * DAY_MS),
      estimatedCosts: [{ category: 'foreign_office_fee', amountJpy: 1_200_000, country: 'US' }],
    }));
    await approve(ctx.http, c.id);
    const epEarly = await spend(ctx.http, c.id, { country: 'EP', amountJpy: 600_000 });
    expect(epEarly.eligible).toBe(true);
    const filing = await ctx.http.post(`/subsidy-cases/${c.id}/foreign-filings`, { country: 'EP', filedOn: yesterday() });
    expect(filing.json()).toMatchObject({ country: 'EP', eligible: false, ineligibleReason: 'filed_before_decision' });
    const epLate = await spend(ctx.http, c.id, { category: 'translation_fee', country: 'EP', amountJpy: 200_000 });
    expect(epLate).toMatchObject({ eligible: false, ineligibleReason: 'filed_before_decision' });
    await spend(ctx.http, c.id, { country: 'US', amountJpy: 600_000 });
    const view = (await ctx.http.get(`/subsidy-cases/${c.id}`)).json();
    expect(view.expenses.find((e: { id: string }) => e.id === epEarly.id)).toMatchObject({ eligible: false, ineligibleReason: 'filed_before_decision', eligibleAmountJpy: 0 });
    expect((await determine(ctx.http, c.id)).determinedJpy).toBe(300_000);
  });
});

describe('(c) office-action responses rest on a paid prior case that filed in that country', () => {
  it('a response in CN on a prior case that filed only in the US is 422 country_not_in_prior_case; in the US it is accepted', async () => {
    const applicantId = await newApplicant(ctx.http);
    const prior = await intake(ctx.http, filingBody(ctx.yearId, applicantId, { jpoApplicationNumber: jpo(), targetCountries: ['US', 'CN'] }));
    await approve(ctx.http, prior.id);
    expect((await ctx.http.post(`/subsidy-cases/${prior.id}/foreign-filings`, { country: 'US', filedOn: today() })).statusCode).toBe(201);
    await spend(ctx.http, prior.id, { country: 'US', amountJpy: 500_000 });
    const oa = (country: string) => ctx.http.post('/subsidy-cases', filingBody(ctx.yearId, applicantId, {
      procedure: 'office_action_response', targetCountries: [country], priorCaseId: prior.id, refusalGrounds: ['novelty'],
      estimatedCosts: [{ category: 'local_agent_fee', amountJpy: 400_000, country }],
    }));
    expectProblem(await oa('US'), 422, 'prior_case_not_paid');
    await determine(ctx.http, prior.id);
    expectProblem(await oa('US'), 422, 'prior_case_not_paid');
    expect((await ctx.http.post(`/subsidy-cases/${prior.id}/disbursement`, { paidAt: toJstIso(Date.now()), transferReference: '振込' })).statusCode).toBe(200);
    expectProblem(await oa('CN'), 422, 'country_not_in_prior_case');
    const accepted = await oa('US');
    expect(accepted.statusCode, accepted.body).toBe(201);
    expect(accepted.json()).toMatchObject({ maxGrantJpy: 200_000, baseApplication: null });
  });
});

describe('(d) a co-owned right', () => {
  it('counts only the applicant\'s share: 50/50 halves the grant, at intake and at determination, with the step shown', async () => {
    const applicantId = await newApplicant(ctx.http);
    const c = await intake(ctx.http, filingBody(ctx.yearId, applicantId, {
      jpoApplicationNumber: jpo(), targetCountries: ['US'], ownershipShare: { numerator: 1, denominator: 2 },
      estimatedCosts: [{ category: 'foreign_office_fee', amountJpy: 2_000_000, country: 'US' }],
    }));
    expect(c.maxGrantJpy).toBe(500_000);
    expect(c.terms.ownershipShare).toEqual({ numerator: 1, denominator: 2 });
    expect(c.calculations.maxGrant.steps.find((s: { step: string }) => s.step === 'times_share').amountJpy).toBe(1_000_000);
    await approve(ctx.http, c.id);
    await spend(ctx.http, c.id, { country: 'US', amountJpy: 1_330_000 });
    const determined = await determine(ctx.http, c.id);
    // ¥1,330,000 eligible × 1/2 = ¥665,000, × 1/2 = ¥332,500, rounded down: ¥332,000 (whole: ¥665,000).
    expect(determined.determinedJpy).toBe(332_000);
    expect(determined.calculations.determination.steps.map((s: { step: string; amountJpy: number }) => [s.step, s.amountJpy])).toEqual(expect.arrayContaining([
      ['eligible_cost', 1_330_000], ['times_share', 665_000], ['times_rate', 332_500], ['rounded_down', 332_000], ['determined', 332_000],
    ]));
    expectProblem(await ctx.http.post('/subsidy-cases', filingBody(ctx.yearId, applicantId, { jpoApplicationNumber: jpo(), ownershipShare: { numerator: 3, denominator: 2 } })), 400, 'bad_request');
  });
});

describe('(e) status reports from the completion fiscal year', () => {
  it('the same FY2024 filing paid 2025-03-10 or 2025-04-15 owes the same report years, and a final report closes the case', { timeout: 60_000 }, async () => {
    const clock = fixedClock('2024-08-20T10:00:00+09:00');
    const app = await testApp({ db: ctx.db, temporal: ctx.temporal.client, taskQueue: ctx.temporal.taskQueue, clock });
    try {
      const client = api(app);
      const run = async (paidAt: string, withFiling: boolean) => {
        clock.set('2024-08-20T10:00:00+09:00');
        const applicantId = await newApplicant(client);
        const c = await intake(client, filingBody('overseas-ip-2024', applicantId, { jpoApplicationNumber: jpo(), targetCountries: ['US'], estimatedCosts: [{ category: 'foreign_office_fee', amountJpy: 800_000, country: 'US' }] }));
        clock.set('2024-09-02T15:00:00+09:00');
        await approve(client, c.id);
        clock.set('2024-10-15T11:00:00+09:00');
        if (withFiling) expect((await client.post(`/subsidy-cases/${c.id}/foreign-filings`, { country: 'US', filedOn: '2024-10-01' })).statusCode).toBe(201);
        await spend(client, c.id, { country: 'US', amountJpy: 500_000, incurredOn: '2024-10-01', paidOn: '2024-10-10' });
        await determine(client, c.id);
        clock.set(paidAt);
        const paid = await client.post(`/subsidy-cases/${c.id}/disbursement`, { paidAt, transferReference: '振込' });
        expect(paid.statusCode, paid.body).toBe(200);
        return paid.json();
      };
      const march = await run('2025-03-10T10:00:00+09:00', true);
      const april = await run('2025-04-15T10:00:00+09:00', true);
      const asOfs = ['2026-03-31', '2027-03-31', '2028-03-31', '2029-03-31', '2030-03-31'];
      expect(march.statusReportSchedule.map((d: { asOf: string }) => d.asOf)).toEqual(asOfs);
      expect(april.statusReportSchedule).toEqual(march.statusReportSchedule);
      expect(march.nextStatusReportDue).toBe('2026-05-31');
      // Without a filing the payment's fiscal year (FY2025) is the completion year.
      const noFiling = await run('2025-04-15T10:00:00+09:00', false);
      expect(noFiling.statusReportSchedule[0]).toEqual({ year: 1, asOf: '2027-03-31', dueOn: '2027-05-31' });

      clock.set('2026-04-20T10:00:00+09:00');
      const pending = await client.post(`/subsidy-cases/${march.id}/status-reports`, { year: 1, asOf: '2026-03-31', countries: [{ country: 'US', status: 'pending' }] });
      expect(pending.statusCode, pending.body).toBe(201);
      expect((await client.get(`/subsidy-cases/${march.id}`)).json()).toMatchObject({ status: 'disbursed', nextStatusReportDue: '2027-05-31' });
      clock.set('2027-04-20T10:00:00+09:00');
      const final = await client.post(`/subsidy-cases/${march.id}/status-reports`, { year: 2, asOf: '2027-03-31', countries: [{ country: 'US', status: 'granted' }] });
      expect(final.statusCode, final.body).toBe(201);
      const closed = (await client.get(`/subsidy-cases/${march.id}`)).json();
      expect(closed).toMatchObject({ status: 'closed', nextStatusReportDue: null });
      expect(closed.history.at(-1)).toMatchObject({ type: 'closed', detail: { reason: 'every country has a final decision' } });
      clock.set('2028-04-20T10:00:00+09:00');
      expectProblem(await client.post(`/subsidy-cases/${march.id}/status-reports`, { year: 3, asOf: '2028-03-31', countries: [{ country: 'US', status: 'granted' }] }), 409, 'invalid_state');
    } finally {
      await app.close();
    }
  });
});

describe('(f) who may apply, as data of the year', () => {
  it('a JA or a fishery co-op files a 地域団体商標; a public research institute is eligible and capped', async () => {
    for (const kind of ['agricultural_cooperative', 'fishery_cooperative']) {
      const applicantId = await newApplicant(ctx.http, kind, kind === 'agricultural_cooperative' ? 'JAふらの' : '釧路市漁業協同組合');
      const tm = { rightType: 'trademark', regionalCollectiveTrademark: true, jpoApplicationNumber: jpo(), targetCountries: ['CN'], estimatedCosts: [{ category: 'foreign_office_fee', amountJpy: 600_000, country: 'CN' }] };
      expect((await intake(ctx.http, filingBody(ctx.yearId, applicantId, tm))).maxGrantJpy).toBe(300_000);
      expectProblem(await ctx.http.post('/subsidy-cases', filingBody(ctx.yearId, applicantId, { ...tm, regionalCollectiveTrademark: false })), 422, 'applicant_not_eligible');
    }
    const institute = await newApplicant(ctx.http, 'public_research_institute', '地方独立行政法人 北海道立総合研究機構');
    const c = await intake(ctx.http, filingBody(ctx.yearId, institute, { jpoApplicationNumber: jpo() }));
    expect(c.terms).toMatchObject({ applicantKind: 'public_research_institute', perApplicantCapJpy: 3_000_000 });
    await approve(ctx.http, c.id);
    const usage = (await ctx.http.get(`/applicants/${institute}`)).json().capUsage.find((u: { programYearId: string }) => u.programYearId === ctx.yearId);
    expect(usage).toMatchObject({ capJpy: 3_000_000, reservedJpy: 850_000, remainingJpy: 2_150_000 });
    const soleTrader = await newApplicant(ctx.http, 'individual_business', '佐藤 製作所');
    expect((await ctx.http.post('/subsidy-cases', filingBody(ctx.yearId, soleTrader, { jpoApplicationNumber: jpo() }))).statusCode).toBe(201);
    expectProblem(await ctx.http.post('/subsidy-cases', filingBody(ctx.yearId, await newApplicant(ctx.http, 'large_enterprise', '大手株式会社'), { jpoApplicationNumber: jpo() })), 422, 'applicant_not_eligible');
  });
});

describe('(g) regional brand (Program B) intake', () => {
  it('refuses a large company and a group outside Hokkaido; takes a council in Hokkaido', async () => {
    const applicant = async (kind: string, prefecture: string, name: string) => {
      const res = await ctx.http.post('/applicants', { name, kind, prefecture });
      expect(res.statusCode, res.body).toBe(201);
      return res.json().id as string;
    };
    const apply = (applicantId: string) => ctx.http.post('/brand-engagements', {
      programYearId: 'regional-brand-2024', applicantId, productName: '富良野メロン', municipality: '富良野市', goals: ['regional_collective_trademark'],
      receivedAt: '2024-07-10T10:00:00+09:00',
    });
    expectProblem(await apply(await applicant('large_enterprise', '北海道', '北海道食品株式会社')), 422, 'applicant_not_eligible');
    expectProblem(await apply(await applicant('individual_business', '北海道', 'ふらの農園')), 422, 'applicant_not_eligible');
    expectProblem(await apply(await applicant('other_group', '青森県', '青森りんごブランド協議会')), 422, 'applicant_not_eligible');
    const council = await apply(await applicant('other_group', '北海道', '富良野メロンブランド推進協議会'));
    expect(council.statusCode, council.body).toBe(201);
  });
});

describe('a program year as data (FY2025, INPIT)', () => {
  it('applies a FY2025-shaped year with no code change: its windows, its own report deadline, five design cases per applicant', { timeout: 60_000 }, async () => {
    const fy2025 = {
      program: 'overseas_ip_subsidy', fiscalYear: 2025, title: '令和7年度 中小企業等海外展開支援事業費補助金（INPIT）',
      windows: [
        { label: '第1回', procedures: ['filing'], opensAt: '2025-05-01T00:00:00+09:00', closesAt: '2025-06-30T17:00:00+09:00', reportDeadline: '2026-01-30T17:00:00+09:00' },
        { label: '中間手続', procedures: ['office_action_response', 'examination_request'], opensAt: '2025-07-01T00:00:00+09:00', closesAt: '2025-12-22T17:00:00+09:00' },
      ],
      rate: { numerator: 1, denominator: 2 }, roundingUnitJpy: 1000,
      caps: {
        filing: { patent: 1_500_000, utility_model: 600_000, design: 600_000, trademark: 600_000, anti_squatting_trademark: 300_000 },
        office_action_response: { patent: 500_000 }, examination_request: { patent: 500_000 },
      },
      perApplicantCaps: { filing: 3_000_000 }, perApplicantCapExemptKinds: ['university'],
      reportDeadline: '2026-02-27T17:00:00+09:00', statusReports: { years: 5, asOf: '03-31', due: '05-31' },
      perApplicantCountLimits: { design: 5, trademark: 5 },
    };
    const bad = await ctx.http.put('/program-years/overseas-ip-2025', { ...fy2025, eligibleApplicantKinds: ['sme', 'robot'], regionalCollectiveTrademarkKinds: ['sme'] });
    expectProblem(bad, 422, 'invalid_program_year');
    expect(bad.json().errors.map((e: { path: string }) => e.path)).toEqual(['body/eligibleApplicantKinds/1', 'body/regionalCollectiveTrademarkKinds/0']);
    const put = await ctx.http.put('/program-years/overseas-ip-2025', fy2025);
    expect(put.statusCode, put.body).toBe(201);
    // Left out, the v1.1 lists take their FY2024 values.
    expect(put.json()).toMatchObject({ eligibleApplicantKinds: expect.arrayContaining(['individual_business']), eligibleCostCategories: ['foreign_office_fee', 'domestic_agent_fee', 'local_agent_fee', 'translation_fee'] });

    const clock = fixedClock('2025-05-20T10:00:00+09:00');
    const app = await testApp({ db: ctx.db, temporal: ctx.temporal.client, taskQueue: ctx.temporal.taskQueue, clock });
    try {
      const client = api(app);
      const applicantId = await newApplicant(client);
      const design = () => client.post('/subsidy-cases', filingBody('overseas-ip-2025', applicantId, {
        rightType: 'design', jpoApplicationNumber: jpo(), targetCountries: ['US'], estimatedCosts: [{ category: 'foreign_office_fee', amountJpy: 400_000, country: 'US' }],
      }));
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) {
        const res = await design();
        expect(res.statusCode, res.body).toBe(201);
        ids.push(res.json().id);
      }
      expect((await client.get(`/subsidy-cases/${ids[0]}`)).json()).toMatchObject({ windowLabel: '第1回', reportDeadline: '2026-01-30T17:00:00+09:00' });
      expectProblem(await design(), 422, 'count_limit_reached');
      // A patent is not limited; a withdrawn design case frees its place.
      expect((await client.post('/subsidy-cases', filingBody('overseas-ip-2025', applicantId, { jpoApplicationNumber: jpo() }))).statusCode).toBe(201);
      expect((await client.post(`/subsidy-cases/${ids[0]}/withdrawal`, { reason: '取下げ' })).statusCode).toBe(200);
      expect((await design()).statusCode).toBe(201);
      expectProblem(await design(), 422, 'count_limit_reached');

      // The 中間手続 window: 2025-07-01 to 2025-12-22 17:00.
      const response = (receivedAt: string) => client.post('/subsidy-cases', filingBody('overseas-ip-2025', applicantId, {
        procedure: 'office_action_response', targetCountries: ['US'], priorSubsidyReference: 'R6-外国出願-0012', refusalGrounds: ['novelty'],
        estimatedCosts: [{ category: 'local_agent_fee', amountJpy: 300_000, country: 'US' }], receivedAt,
      }));
      clock.set('2025-12-23T09:00:00+09:00');
      expectProblem(await response('2025-06-30T10:00:00+09:00'), 422, 'window_closed');
      expectProblem(await response('2025-12-22T17:00:00+09:00'), 422, 'window_closed');
      const inTime = await response('2025-12-22T16:59:59+09:00');
      expect(inTime.statusCode, inTime.body).toBe(201);
      expect(inTime.json()).toMatchObject({ windowLabel: '中間手続', reportDeadline: '2026-02-27T17:00:00+09:00' });
    } finally {
      await app.close();
    }
    expect(fiscalYearOfInstant(Date.parse('2025-12-22T16:59:59+09:00'))).toBe(2025);
  });
});

// Every command of the contract through the API and a real worker, with the contract's
// 4xx answers. The program year `overseas-ip-open` is open now; the seeded
// `overseas-ip-2024` is used where the FY2024 windows matter.
import { describe, expect, it } from 'vitest';
import { fiscalYearOfInstant, jstDate, startOfJstDay, toJstIso, DAY_MS } from '../../domain/time.js';
import { api, testApp, tokenFor } from '../helpers/app.js';
import { fixedClock } from '../../runtime/clock.js';
import { caseStateQuery, subsidyCaseWorkflowId } from '../../workflows/subsidy-case-messages.js';
import { Value } from '@sinclair/typebox/value';
import { SubsidyCaseView } from '../../api/schemas/subsidy-cases.js';
import { eventually } from '../helpers/eventually.js';
import { expectProblem } from '../helpers/problem.js';
import { filingBody, newApplicant, useSubsidyApp } from './subsidy-cases-fixtures.js';

const ctx = useSubsidyApp();
const today = () => jstDate(Date.now());
/** `ms` ago, but never before the open year's first window opened (1 April, JST). */
const ago = (ms: number, slackMs = 0) => Math.max(Date.now() - ms, startOfJstDay(`${fiscalYearOfInstant(Date.now())}-04-01`) + slackMs);

async function newCase(overrides: Record<string, unknown> = {}, kind = 'sme') {
  const applicantId = await newApplicant(ctx.http, kind);
  const res = await ctx.http.post('/subsidy-cases', filingBody(ctx.yearId, applicantId, overrides));
  expect(res.statusCode, res.body).toBe(201);
  return { id: res.json().id as string, applicantId, view: res.json() };
}

async function approvedCase(overrides: Record<string, unknown> = {}) {
  const c = await newCase(overrides);
  const res = await ctx.http.post(`/subsidy-cases/${c.id}/decision`, { approve: true });
  expect(res.statusCode, res.body).toBe(200);
  return c;
}

/** A filing case taken to disbursed, with a foreign filing recorded in each of `countries`. */
async function paidCase(countries: string[], overrides: Record<string, unknown> = {}) {
  const c = await approvedCase({ targetCountries: countries, ...overrides });
  for (const country of countries) {
    const f = await ctx.http.post(`/subsidy-cases/${c.id}/foreign-filings`, { country, filedOn: today() });
    expect(f.statusCode, f.body).toBe(201);
  }
  const e = await expense(c.id, { country: countries[0] });
  expect((await ctx.http.post(`/subsidy-cases/${c.id}/report`)).statusCode).toBe(200);
  expect((await ctx.http.post(`/subsidy-cases/${c.id}/expenses/${e.id}/confirmation`, { accepted: true })).statusCode).toBe(200);
  expect((await ctx.http.post(`/subsidy-cases/${c.id}/determination`)).statusCode).toBe(200);
  const paid = await ctx.http.post(`/subsidy-cases/${c.id}/disbursement`, { paidAt: toJstIso(Date.now()), transferReference: '振込' });
  expect(paid.statusCode, paid.body).toBe(200);
  return c;
}

async function expense(caseId: string, body: Record<string, unknown> = {}) {
  const res = await ctx.http.post(`/subsidy-cases/${caseId}/expenses`, { category: 'foreign_office_fee', payee: 'USPTO', country: 'US', incurredOn: today(), paidOn: today(), amountJpy: 400_000, ...body });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

describe('intake', () => {
  it('answers 201 with the case under review, its max grant and the calculation', async () => {
    const { view } = await newCase();
    expect(view).toMatchObject({ status: 'under_review', programYearId: ctx.yearId, procedure: 'filing', rightType: 'patent', maxGrantJpy: 850_000, grantLimitJpy: null, decidedAt: null, expenses: [], foreignFilings: [], statusReports: [], nextStatusReportDue: null });
    expect(view.calculations.maxGrant.steps.length).toBeGreaterThan(4);
    expect(view.history).toEqual([expect.objectContaining({ type: 'received', actor: 'staff:staff-tanaka', fromStatus: null, toStatus: 'under_review' })]);
    const got = await ctx.http.get(`/subsidy-cases/${view.id}`);
    expect(got.json()).toEqual(view);
  });

  it('makes the case filterable in Temporal by program year and applicant; its status stays in PostgreSQL', async () => {
    const { id, applicantId } = await newCase();
    const description = await ctx.temporal.client.workflow.getHandle(subsidyCaseWorkflowId(id)).describe();
    expect(description.searchAttributes).toMatchObject({ ProgramYearId: [ctx.yearId], ApplicantId: [applicantId] });
    expect(description.searchAttributes.CaseStatus).toBeUndefined();
  });

  it('keeps the caps and rate of its program year as at receipt', async () => {
    const { id } = await newCase();
    const year = (await ctx.http.get(`/program-years/${ctx.yearId}`)).json();
    const { id: _id, revision: _r, ...rules } = year;
    await ctx.http.put(`/program-years/${ctx.yearId}`, { ...rules, rate: { numerator: 1, denominator: 3 }, caps: { ...rules.caps, filing: { ...rules.caps.filing, patent: 100_000 } } });
    try {
      const view = (await ctx.http.get(`/subsidy-cases/${id}`)).json();
      expect(view.terms).toMatchObject({ rate: { numerator: 1, denominator: 2 }, capJpy: 1_500_000 });
      const approved = await ctx.http.post(`/subsidy-cases/${id}/decision`, { approve: true });
      expect(approved.json().grantLimitJpy).toBe(850_000);
    } finally {
      await ctx.http.put(`/program-years/${ctx.yearId}`, rules);
    }
  });

  it('refuses with each 422 code of the contract and leaves no case behind', async () => {
    const applicantId = await newApplicant(ctx.http);
    const post = (overrides: Record<string, unknown>, programYearId = ctx.yearId) => ctx.http.post('/subsidy-cases', filingBody(programYearId, applicantId, overrides));
    const oa = { procedure: 'office_action_response', targetCountries: ['US'], jpoApplicationNumber: null, priorSubsidyReference: '令和5年度 第12号', refusalGrounds: ['novelty'] };
    const ex = { procedure: 'examination_request', targetCountries: ['CN'], jpoApplicationNumber: null, priorSubsidyReference: '令和5年度 第12号' };

    expectProblem(await post({ receivedAt: '2024-08-30T12:00:00+09:00' }, 'overseas-ip-2024'), 422, 'window_closed');
    expectProblem(await post({ receivedAt: '2024-10-01T10:00:00+09:00' }, 'overseas-ip-2024'), 422, 'window_closed');
    expectProblem(await post({ rightType: 'trademark', ...oa }), 422, 'right_not_eligible');
    expectProblem(await post({ jpoApplicationNumber: null }), 422, 'jpo_basis_required');
    expectProblem(await post({ ...ex, priorSubsidyReference: null }), 422, 'prior_case_required');
    expectProblem(await post({ ...ex, priorSubsidyReference: null, priorCaseId: 'sc_doesnotexist' }), 422, 'prior_case_required');
    expectProblem(await post({ ...oa, refusalGrounds: ['clarity'] }), 422, 'refusal_grounds_not_eligible');
    expectProblem(await post({ ...ex, examinationRequested: true }), 422, 'examination_already_requested');
    expectProblem(await post({}, 'no-such-year'), 422, 'unknown_program_year');
    expectProblem(await post({}, 'regional-brand-2024'), 422, 'unknown_program_year');
    const large = await newApplicant(ctx.http, 'large_enterprise', '大企業株式会社');
    expectProblem(await ctx.http.post('/subsidy-cases', filingBody(ctx.yearId, large)), 422, 'applicant_not_eligible');
    const npo = await newApplicant(ctx.http, 'npo', 'NPO法人 ブランド');
    expectProblem(await ctx.http.post('/subsidy-cases', filingBody(ctx.yearId, npo, { rightType: 'trademark' })), 422, 'applicant_not_eligible');
    const collective = await ctx.http.post('/subsidy-cases', filingBody(ctx.yearId, npo, { rightType: 'trademark', regionalCollectiveTrademark: true, title: '地域団体商標「美瑛小麦」' }));
    expect(collective.statusCode, collective.body).toBe(201);
    expect(collective.json().maxGrantJpy).toBe(600_000);

    const rows = await ctx.db.selectFrom('subsidy_cases').select('id').where('applicant_id', 'in', [applicantId, large]).execute();
    expect(rows).toEqual([]);
  });

  it('admits 11:59:59 on the closing day of a FY2024 window', async () => {
    const applicantId = await newApplicant(ctx.http);
    const res = await ctx.http.post('/subsidy-cases', filingBody('overseas-ip-2024', applicantId, { receivedAt: '2024-08-30T11:59:59+09:00' }));
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ receivedAt: '2024-08-30T11:59:59+09:00', windowLabel: '第2回' });
  });

  it('accepts an office-action response and an examination request resting on a paid prior case', async () => {
    const approved = await approvedCase();
    expectProblem(await ctx.http.post('/subsidy-cases', filingBody(ctx.yearId, approved.applicantId, {
      procedure: 'office_action_response', targetCountries: ['US'], priorCaseId: approved.id, refusalGrounds: ['novelty'],
      estimatedCosts: [{ category: 'local_agent_fee', amountJpy: 1_200_000, country: 'US' }],
    })), 422, 'prior_case_not_paid');
    const prior = await paidCase(['US']);
    const oa = await ctx.http.post('/subsidy-cases', filingBody(ctx.yearId, prior.applicantId, {
      procedure: 'office_action_response', targetCountries: ['US'], priorCaseId: prior.id, refusalGrounds: ['inventive_step', 'clarity'],
      estimatedCosts: [{ category: 'local_agent_fee', amountJpy: 1_200_000 }],
    }));
    expect(oa.statusCode, oa.body).toBe(201);
    expect(oa.json().maxGrantJpy).toBe(500_000);
    const other = await newApplicant(ctx.http);
    expectProblem(await ctx.http.post('/subsidy-cases', filingBody(ctx.yearId, other, { procedure: 'examination_request', targetCountries: ['US'], priorCaseId: prior.id })), 422, 'prior_case_required');
  });

  it('answers 422 unknown_applicant for an applicant that does not exist and 400 for bad bodies', async () => {
    expectProblem(await ctx.http.post('/subsidy-cases', filingBody(ctx.yearId, 'ap_nobody')), 422, 'unknown_applicant');
    const applicantId = await newApplicant(ctx.http);
    const bad = (overrides: Record<string, unknown>) => ctx.http.post('/subsidy-cases', filingBody(ctx.yearId, applicantId, overrides));
    expectProblem(await bad({ title: undefined }), 400, 'bad_request');
    expectProblem(await bad({ surprise: true }), 400, 'bad_request');
    expectProblem(await bad({ procedure: 'opposition' }), 400, 'bad_request');
    expectProblem(await bad({ receivedAt: '2024-08-20T10:00:00' }), 400, 'bad_request');
    expectProblem(await bad({ receivedAt: '2024-02-30T10:00:00+09:00' }), 400, 'bad_request');
    expectProblem(await bad({ receivedAt: toJstIso(Date.now() + DAY_MS) }), 400, 'bad_request');
    expectProblem(await bad({ estimatedCosts: [] }), 400, 'bad_request');
    expectProblem(await bad({ estimatedCosts: [{ category: 'translation_fee', amountJpy: 100, consumptionTaxJpy: 200 }] }), 400, 'bad_request');
    expectProblem(await bad({ estimatedCosts: [{ category: 'translation_fee', amountJpy: 1.5 }] }), 400, 'bad_request');
    expectProblem(await bad({ procedure: 'examination_request', targetCountries: ['US', 'CN'], priorSubsidyReference: 'x' }), 400, 'bad_request');
    expectProblem(await bad({ targetCountries: ['usa'] }), 400, 'bad_request');
    const noBody = await ctx.http.post('/subsidy-cases');
    expect(noBody.statusCode).toBe(400);
  });

  it('is for staff only', async () => {
    expectProblem(await ctx.http.post('/subsidy-cases', {}, { token: null }), 401, 'unauthorized');
    expectProblem(await ctx.http.get('/subsidy-cases', { token: tokenFor({ sub: 'ex_1', role: 'support_leader' }) }), 403, 'forbidden');
  });
});

describe('decision', () => {
  it('approves with the default grant limit, records decidedAt and reserves against the cap', async () => {
    const { id, applicantId, view } = await newCase({ receivedAt: toJstIso(ago(2 * 60_000)) });
    const decidedAt = toJstIso(ago(60_000, 60_000));
    const res = await ctx.http.post(`/subsidy-cases/${id}/decision`, { approve: true, decidedAt });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'approved', decidedAt, grantLimitJpy: view.maxGrantJpy });
    expect(res.json().history.at(-1)).toMatchObject({ type: 'approved', fromStatus: 'under_review', toStatus: 'approved', actor: 'staff:staff-tanaka' });
    const applicant = (await ctx.http.get(`/applicants/${applicantId}`)).json();
    expect(applicant.capUsage.find((u: { programYearId: string }) => u.programYearId === ctx.yearId)).toEqual({ programYearId: ctx.yearId, procedure: 'filing', capJpy: 3_000_000, reservedJpy: 850_000, settledJpy: 0, remainingJpy: 2_150_000 });
    expectProblem(await ctx.http.post(`/subsidy-cases/${id}/decision`, { approve: true }), 409, 'invalid_state');
  });

  it('takes a lower grant limit, refuses a higher one (grant_limit_too_high)', async () => {
    const { id } = await newCase();
    expectProblem(await ctx.http.post(`/subsidy-cases/${id}/decision`, { approve: true, grantLimitJpy: 850_001 }), 422, 'grant_limit_too_high');
    const res = await ctx.http.post(`/subsidy-cases/${id}/decision`, { approve: true, grantLimitJpy: 600_000 });
    expect(res.json().grantLimitJpy).toBe(600_000);
  });

  it('refuses an approval when the per-applicant cap is used up (per_applicant_cap_exhausted), also by external awards', async () => {
    const { id, applicantId } = await newCase();
    const award = await ctx.http.post(`/applicants/${applicantId}/external-awards`, { programYearId: ctx.yearId, procedure: 'filing', body: 'ほっかいどう知財総合支援窓口 (prefectural centre)', amountJpy: 2_800_000, awardedOn: today(), reference: 'HK-2024-7' });
    expect(award.statusCode, award.body).toBe(201);
    expect(award.json()).toMatchObject({ amountJpy: 2_800_000, procedure: 'filing' });
    expectProblem(await ctx.http.post(`/subsidy-cases/${id}/decision`, { approve: true, grantLimitJpy: 200_001 }), 422, 'grant_limit_too_high');
    const partial = await ctx.http.post(`/subsidy-cases/${id}/decision`, { approve: true });
    expect(partial.json().grantLimitJpy).toBe(200_000);
    const second = await newCase();
    await ctx.http.post(`/applicants/${second.applicantId}/external-awards`, { programYearId: ctx.yearId, procedure: 'filing', body: '北海道中小企業総合支援センター', amountJpy: 3_000_000, awardedOn: today() });
    expectProblem(await ctx.http.post(`/subsidy-cases/${second.id}/decision`, { approve: true }), 422, 'per_applicant_cap_exhausted');
    expect((await ctx.http.get(`/subsidy-cases/${second.id}`)).json().status).toBe('under_review');
    expectProblem(await ctx.http.post(`/applicants/${second.applicantId}/external-awards`, { programYearId: 'nope', procedure: 'filing', body: '北海道中小企業総合支援センター', amountJpy: 1, awardedOn: today() }), 422, 'unknown_program_year');
    expectProblem(await ctx.http.post('/applicants/ap_nobody/external-awards', { programYearId: ctx.yearId, procedure: 'filing', body: '北海道中小企業総合支援センター', amountJpy: 1, awardedOn: today() }), 404, 'not_found');
    expect((await ctx.http.get(`/applicants/${second.applicantId}/external-awards`)).json().items).toHaveLength(1);
  });

  it('rejects with a reason, after which every command is invalid_state', async () => {
    const { id } = await newCase();
    expectProblem(await ctx.http.post(`/subsidy-cases/${id}/decision`, { approve: false }), 400, 'bad_request');
    const res = await ctx.http.post(`/subsidy-cases/${id}/decision`, { approve: false, reason: '先行技術により新規性が認められない見込み' });
    expect(res.json()).toMatchObject({ status: 'rejected', decisionReason: '先行技術により新規性が認められない見込み', grantLimitJpy: null });
    expectProblem(await ctx.http.post(`/subsidy-cases/${id}/withdrawal`, { reason: 'x' }), 409, 'invalid_state');
    expectProblem(await ctx.http.post(`/subsidy-cases/${id}/decision`, { approve: true }), 409, 'invalid_state');
  });

  it('checks decidedAt against receivedAt and the clock; 404 for an unknown case', async () => {
    const { id } = await newCase({ receivedAt: toJstIso(Date.now() - DAY_MS) });
    expectProblem(await ctx.http.post(`/subsidy-cases/${id}/decision`, { approve: true, decidedAt: toJstIso(Date.now() - 2 * DAY_MS) }), 400, 'bad_request');
    expectProblem(await ctx.http.post(`/subsidy-cases/${id}/decision`, { approve: true, decidedAt: toJstIso(Date.now() + DAY_MS) }), 400, 'bad_request');
    expectProblem(await ctx.http.post(`/subsidy-cases/${id}/decision`, { approve: 'yes' }), 400, 'bad_request');
    expectProblem(await ctx.http.post('/subsidy-cases/sc_nothing/decision', { approve: true }), 404, 'not_found');
    expectProblem(await ctx.http.get('/subsidy-cases/sc_nothing'), 404, 'not_found');
  });
});

describe('evidence, report, confirmation, determination, disbursement, status reports', () => {
  it('runs the whole case and keeps every calculation step by step', async () => {
    const { id, applicantId } = await newCase({ receivedAt: toJstIso(ago(3 * DAY_MS)) });
    expectProblem(await ctx.http.post(`/subsidy-cases/${id}/expenses`, { category: 'foreign_office_fee', payee: 'USPTO', country: 'US', incurredOn: today(), paidOn: today(), amountJpy: 1 }), 409, 'invalid_state');
    expectProblem(await ctx.http.post(`/subsidy-cases/${id}/foreign-filings`, { country: 'US', filedOn: today() }), 409, 'invalid_state');
    expectProblem(await ctx.http.post(`/subsidy-cases/${id}/report`), 409, 'invalid_state');
    const decidedAt = ago(2 * DAY_MS, 60_000);
    await ctx.http.post(`/subsidy-cases/${id}/decision`, { approve: true, decidedAt: toJstIso(decidedAt) });
    expectProblem(await ctx.http.post(`/subsidy-cases/${id}/report`), 422, 'expenses_required');

    const filing = await ctx.http.post(`/subsidy-cases/${id}/foreign-filings`, { country: 'US', applicationNumber: '18/555,123', filedOn: today() });
    expect(filing.statusCode, filing.body).toBe(201);
    expect(filing.json()).toMatchObject({ country: 'US', applicationNumber: '18/555,123', filedOn: today() });
    const before = await expense(id, { incurredOn: jstDate(decidedAt - DAY_MS), payee: '早すぎた翻訳' });
    expect(before).toMatchObject({ eligible: false, ineligibleReason: 'before_decision', eligibleAmountJpy: 0 });
    const other = await expense(id, { category: 'other', payee: '郵送料', amountJpy: 3_000 });
    expect(other).toMatchObject({ eligible: false, ineligibleReason: 'category_not_eligible' });
    const usd = await expense(id, { payee: 'USPTO', amountJpy: 450_000, currency: 'USD', foreignAmount: 2980.5, country: 'US', invoiceNumber: 'INV-1' });
    expect(usd).toMatchObject({ eligible: true, ineligibleReason: null, eligibleAmountJpy: 450_000, currency: 'USD', foreignAmount: 2980.5 });
    const agent = await expense(id, { category: 'domestic_agent_fee', payee: '特許業務法人 北海道', amountJpy: 704_000, consumptionTaxJpy: 64_000 });
    expect(agent.eligibleAmountJpy).toBe(640_000);
    const local = await expense(id, { category: 'local_agent_fee', payee: 'Smith & Co.', country: 'US', amountJpy: 240_000 });
    expectProblem(await ctx.http.post(`/subsidy-cases/${id}/expenses`, { category: 'translation_fee', payee: 'x', country: 'US', incurredOn: today(), paidOn: today(), amountJpy: 100, consumptionTaxJpy: 101 }), 400, 'bad_request');
    expectProblem(await ctx.http.post(`/subsidy-cases/${id}/expenses`, { category: 'translation_fee', payee: 'x', country: 'US', incurredOn: jstDate(Date.now() + 2 * DAY_MS), paidOn: today(), amountJpy: 100 }), 400, 'bad_request');
    expectProblem(await ctx.http.post(`/subsidy-cases/${id}/expenses`, { category: 'lunch', payee: 'x', country: 'US', incurredOn: today(), paidOn: today(), amountJpy: 100 }), 400, 'bad_request');
    expectProblem(await ctx.http.post(`/subsidy-cases/${id}/expenses/${usd.id}/confirmation`, { accepted: true }), 409, 'invalid_state');

    const reported = await ctx.http.post(`/subsidy-cases/${id}/report`, {});
    expect(reported.json()).toMatchObject({ status: 'reported', eligibleCostJpy: 1_330_000 });
    expectProblem(await ctx.http.post(`/subsidy-cases/${id}/expenses`, { category: 'translation_fee', payee: 'x', country: 'US', incurredOn: today(), paidOn: today(), amountJpy: 100 }), 409, 'invalid_state');
    expectProblem(await ctx.http.post(`/subsidy-cases/${id}/withdrawal`, { reason: 'x' }), 409, 'invalid_state');
    expectProblem(await ctx.http.post(`/subsidy-cases/${id}/determination`), 422, 'expenses_not_confirmed');
    expectProblem(await ctx.http.post(`/subsidy-cases/${id}/expenses/ex_nope/confirmation`, { accepted: true }), 404, 'not_found');
    expectProblem(await ctx.http.post(`/subsidy-cases/${id}/expenses/${usd.id}/confirmation`, { accepted: false }), 400, 'bad_request');
    for (const e of [before, other, usd, agent, local]) {
      const res = await ctx.http.post(`/subsidy-cases/${id}/expenses/${e.id}/confirmation`, { accepted: true });
      expect(res.statusCode, res.body).toBe(200);
    }
    // Changing one's mind before determination: the latest confirmation counts.
    await ctx.http.post(`/subsidy-cases/${id}/expenses/${local.id}/confirmation`, { accepted: false, reason: '見積書のみで請求書がない' });
    await ctx.http.post(`/subsidy-cases/${id}/expenses/${local.id}/confirmation`, { accepted: true });
    expectProblem(await ctx.http.post(`/subsidy-cases/${id}/disbursement`, { paidAt: toJstIso(Date.now()), transferReference: 'x' }), 409, 'invalid_state');

    const determined = await ctx.http.post(`/subsidy-cases/${id}/determination`);
    expect(determined.statusCode, determined.body).toBe(200);
    const d = determined.json();
    // The worked example: ¥1,394,000 eligible categories invoiced (+ ¥3,000 other, + one cost before the decision), ¥1,330,000 eligible, ¥665,000.
    expect(d).toMatchObject({ status: 'determined', determinedJpy: 665_000, eligibleCostJpy: 1_330_000 });
    expect(d.calculations.determination.steps.map((s: { step: string; amountJpy: number }) => [s.step, s.amountJpy])).toEqual([
      ['invoiced', 1_797_000], ['less_not_accepted', 0], ['less_not_eligible', -403_000], ['less_tax', -64_000], ['eligible_cost', 1_330_000],
      ['times_rate', 665_000], ['rounded_down', 665_000], ['capped', 665_000], ['determined', 665_000],
    ]);
    const usage = (await ctx.http.get(`/applicants/${applicantId}`)).json().capUsage.find((u: { programYearId: string }) => u.programYearId === ctx.yearId);
    expect(usage).toMatchObject({ reservedJpy: 0, settledJpy: 665_000, remainingJpy: 2_335_000 });

    expectProblem(await ctx.http.post(`/subsidy-cases/${id}/disbursement`, { paidAt: toJstIso(Date.now() + DAY_MS), transferReference: 'x' }), 400, 'bad_request');
    expectProblem(await ctx.http.post(`/subsidy-cases/${id}/disbursement`, { paidAt: toJstIso(decidedAt - 1000), transferReference: 'x' }), 400, 'bad_request');
    expectProblem(await ctx.http.post(`/subsidy-cases/${id}/status-reports`, { year: 1, asOf: today(), countries: [{ country: 'US', status: 'pending' }] }), 409, 'invalid_state');
    const paidAt = toJstIso(Date.now() - 1000);
    const disbursed = await ctx.http.post(`/subsidy-cases/${id}/disbursement`, { paidAt, transferReference: '振込 2024-001' });
    expect(disbursed.json()).toMatchObject({ status: 'disbursed', disbursedJpy: 665_000, paidAt, transferReference: '振込 2024-001' });
    const schedule = disbursed.json().statusReportSchedule;
    expect(schedule).toHaveLength(5);
    expect(disbursed.json().nextStatusReportDue).toBe(schedule[0].dueOn);

    const report = (year: number) => ctx.http.post(`/subsidy-cases/${id}/status-reports`, { year, asOf: today(), countries: [{ country: 'US', status: year === 5 ? 'granted' : 'pending', note: `第${year}回` }] });
    expectProblem(await report(6), 422, 'status_report_year_out_of_range');
    const first = await report(1);
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json()).toMatchObject({ year: 1, reportNumber: 1, asOf: today(), countries: [{ country: 'US', status: 'pending', note: '第1回' }] });
    expectProblem(await report(1), 409, 'conflict');
    expect((await ctx.http.get(`/subsidy-cases/${id}`)).json().nextStatusReportDue).toBe(schedule[1].dueOn);
    expectProblem(await ctx.http.post(`/subsidy-cases/${id}/status-reports`, { year: 2, asOf: today(), countries: [{ country: 'US', status: 'lost' }] }), 400, 'bad_request');
    // `year` may also name the report by the calendar year of its as-of day.
    const second = await report(Number(schedule[1].asOf.slice(0, 4)));
    expect(second.statusCode, second.body).toBe(201);
    expect(second.json()).toMatchObject({ year: Number(schedule[1].asOf.slice(0, 4)), reportNumber: 2 });
    expectProblem(await report(2), 409, 'conflict');
    for (const year of [3, 4, 5]) expect((await report(year)).statusCode).toBe(201);
    const closed = (await ctx.http.get(`/subsidy-cases/${id}`)).json();
    expect(closed).toMatchObject({ status: 'closed', nextStatusReportDue: null });
    // The stored view is sent as it is: it must be what the OpenAPI document says.
    expect([...Value.Errors(SubsidyCaseView, closed)].map((e) => `${e.path}: ${e.message}`)).toEqual([]);
    expect(closed.statusReports).toHaveLength(5);
    expect(closed.history.map((h: { type: string }) => h.type)).toEqual([
      'received', 'approved', 'foreign_filing_recorded', 'expense_recorded', 'expense_recorded', 'expense_recorded', 'expense_recorded', 'expense_recorded',
      'reported', ...Array(7).fill('expense_confirmed'), 'determined', 'disbursed', ...Array(5).fill('status_report_recorded'), 'closed',
    ]);
    expectProblem(await report(5), 409, 'invalid_state');
  });

  it('withdraws an approved case and gives its reservation back', async () => {
    const { id, applicantId } = await approvedCase();
    expectProblem(await ctx.http.post(`/subsidy-cases/${id}/withdrawal`, {}), 400, 'bad_request');
    const res = await ctx.http.post(`/subsidy-cases/${id}/withdrawal`, { reason: '出願を断念' });
    expect(res.json()).toMatchObject({ status: 'withdrawn', withdrawalReason: '出願を断念' });
    const usage = (await ctx.http.get(`/applicants/${applicantId}`)).json().capUsage.find((u: { programYearId: string }) => u.programYearId === ctx.yearId);
    expect(usage).toMatchObject({ reservedJpy: 0, settledJpy: 0, remainingJpy: 3_000_000 });
    const underReview = await newCase();
    expect((await ctx.http.post(`/subsidy-cases/${underReview.id}/withdrawal`, { reason: '取下げ' })).json().status).toBe('withdrawn');
  });

  it('replays a command sent twice with one Idempotency-Key', async () => {
    const { id } = await approvedCase();
    const body = { category: 'translation_fee', payee: '翻訳会社', country: 'US', incurredOn: today(), paidOn: today(), amountJpy: 120_000 };
    const headers = { 'idempotency-key': `expense-${id}` };
    const a = await ctx.http.post(`/subsidy-cases/${id}/expenses`, body, { headers });
    const b = await ctx.http.post(`/subsidy-cases/${id}/expenses`, body, { headers });
    expect(b.statusCode).toBe(201);
    expect(b.json().id).toBe(a.json().id);
    expectProblem(await ctx.http.post(`/subsidy-cases/${id}/expenses`, { ...body, amountJpy: 1 }, { headers }), 422, 'idempotency_key_reused');
    expect((await ctx.http.get(`/subsidy-cases/${id}`)).json().expenses).toHaveLength(1);
  });
});

describe('program year changes', () => {
  it('moves the report deadline of running cases', async () => {
    const { id } = await approvedCase();
    const year = (await ctx.http.get(`/program-years/${ctx.yearId}`)).json();
    const { id: _id, revision: _r, ...rules } = year;
    const moved = toJstIso(Date.parse(rules.reportDeadline) + 14 * DAY_MS);
    expect((await ctx.http.put(`/program-years/${ctx.yearId}`, { ...rules, reportDeadline: moved })).statusCode).toBe(200);
    const view = await eventually(async () => (await ctx.http.get(`/subsidy-cases/${id}`)).json(), (v) => v.reportDeadline === moved);
    expect(view.reportDeadline).toBe(moved);
    expect(view.history.map((h: { type: string }) => h.type)).toContain('deadlines_changed');
  });
});

describe('one clock: the API clock stamps commands and times the case', () => {
  it('runs a FY2024 case on the seeded year with the clock fixed in 2024, and lapses it when the clock passes the deadline', async () => {
    const clock = fixedClock('2024-08-20T10:00:00+09:00');
    const app = await testApp({ db: ctx.db, temporal: ctx.temporal.client, taskQueue: ctx.temporal.taskQueue, clock });
    try {
      const client = api(app);
      const applicantId = await newApplicant(client);
      const created = await client.post('/subsidy-cases', filingBody('overseas-ip-2024', applicantId, { estimatedCosts: [{ category: 'foreign_office_fee', amountJpy: 800_000 }] }));
      expect(created.json()).toMatchObject({ status: 'under_review', receivedAt: '2024-08-20T10:00:00+09:00', windowLabel: '第2回', maxGrantJpy: 400_000 });
      const id = created.json().id;
      clock.set('2024-09-02T15:00:00+09:00');
      expect((await client.post(`/subsidy-cases/${id}/decision`, { approve: true })).json()).toMatchObject({ status: 'approved', decidedAt: '2024-09-02T15:00:00+09:00' });
      clock.set('2024-10-15T11:00:00+09:00');
      const e = await client.post(`/subsidy-cases/${id}/expenses`, { category: 'foreign_office_fee', payee: 'USPTO', country: 'US', incurredOn: '2024-10-01', paidOn: '2024-10-10', amountJpy: 500_000 });
      expect(e.json()).toMatchObject({ eligible: true });
      // Still approved, and the case knows why: on its clock (the API's, as of the last
      // command) the FY2024 deadline (2025-03-31 17:00 JST) lies ahead.
      const state = await ctx.temporal.client.workflow.getHandle(subsidyCaseWorkflowId(id)).query(caseStateQuery);
      expect(state?.status).toBe('approved');
      expect(Date.now() + state!.clockOffsetMs).toBeLessThan(Date.parse('2025-03-31T17:00:00+09:00'));
      expect((await client.get(`/subsidy-cases/${id}`)).json().status).toBe('approved');

      // The clock passes the deadline; the next command carries it to the case, which lapses.
      clock.set('2025-04-01T09:00:00+09:00');
      expect((await client.post(`/subsidy-cases/${id}/foreign-filings`, { country: 'US', filedOn: '2024-10-01' })).statusCode).toBe(201);
      const view = await eventually(async () => (await client.get(`/subsidy-cases/${id}`)).json(), (v) => v.status === 'lapsed');
      expect(view.status).toBe('lapsed');
      expect(view.history.at(-1)).toMatchObject({ type: 'lapsed', actor: 'system', fromStatus: 'approved', toStatus: 'lapsed' });
      expect(Date.parse(view.history.at(-1).at)).toBeGreaterThanOrEqual(Date.parse('2025-04-01T09:00:00+09:00'));
      const usage = (await client.get(`/applicants/${applicantId}`)).json().capUsage.find((u: { programYearId: string }) => u.programYearId === 'overseas-ip-2024');
      expect(usage).toMatchObject({ reservedJpy: 0, settledJpy: 0, remainingJpy: 3_000_000 });
    } finally {
      await app.close();
    }
  });
});

describe('the OpenAPI document', () => {
  it('describes every subsidy case route', async () => {
    const spec = (await ctx.http.get('/openapi.json', { token: null })).json();
    for (const path of ['/subsidy-cases', '/subsidy-cases/{id}', '/subsidy-cases/{id}/decision', '/subsidy-cases/{id}/foreign-filings', '/subsidy-cases/{id}/expenses',
      '/subsidy-cases/{id}/expenses/{expenseId}/documents', '/subsidy-cases/{id}/expenses/{expenseId}/documents/{documentId}', '/subsidy-cases/{id}/report',
      '/subsidy-cases/{id}/expenses/{expenseId}/confirmation', '/subsidy-cases/{id}/determination', '/subsidy-cases/{id}/disbursement',
      '/subsidy-cases/{id}/withdrawal', '/subsidy-cases/{id}/status-reports', '/applicants/{id}/external-awards']) {
      expect(spec.paths, path).toHaveProperty([path]);
    }
    expect(spec.paths['/subsidy-cases'].post.responses).toHaveProperty('201');
  });
});

describe('lists', () => {
  it('filters by status, applicant, program year, procedure and right, newest first, with a cursor', async () => {
    const applicantId = await newApplicant(ctx.http);
    const ids: string[] = [];
    for (const rightType of ['patent', 'design', 'trademark']) {
      const res = await ctx.http.post('/subsidy-cases', filingBody(ctx.yearId, applicantId, { rightType }));
      ids.push(res.json().id);
    }
    await ctx.http.post(`/subsidy-cases/${ids[0]}/decision`, { approve: true });
    const list = (q: string) => ctx.http.get(`/subsidy-cases?${q}`).then((r) => { expect(r.statusCode, r.body).toBe(200); return r.json(); });
    expect((await list(`applicantId=${applicantId}`)).items.map((c: { id: string }) => c.id)).toEqual([...ids].reverse());
    expect((await list(`applicantId=${applicantId}&status=approved`)).items.map((c: { id: string }) => c.id)).toEqual([ids[0]]);
    expect((await list(`applicantId=${applicantId}&rightType=design&procedure=filing&programYearId=${ctx.yearId}`)).items.map((c: { id: string }) => c.id)).toEqual([ids[1]]);
    const page1 = await list(`applicantId=${applicantId}&limit=2`);
    expect(page1.items).toHaveLength(2);
    expect(page1.items[0]).not.toHaveProperty('history');
    const page2 = await list(`applicantId=${applicantId}&limit=2&cursor=${page1.nextCursor}`);
    expect(page2.items.map((c: { id: string }) => c.id)).toEqual([ids[0]]);
    expect(page2.nextCursor).toBeNull();
    expectProblem(await ctx.http.get('/subsidy-cases?status=pending'), 400, 'bad_request');
    expectProblem(await ctx.http.get('/subsidy-cases?limit=501'), 400, 'bad_request');
    expectProblem(await ctx.http.get('/subsidy-cases?cursor=garbage'), 400, 'bad_request');
  });
});

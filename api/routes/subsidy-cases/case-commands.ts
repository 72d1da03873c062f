// The commands on a case (api.md → Subsidy cases): each checks what only the API can (the
// clock, the body's own consistency) and runs its Update. Commands answer 200 with the
// whole case as GET shows it; creating POSTs answer 201 with what they created.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Value } from '@sinclair/typebox/value';
import { toJstIso } from '../../../domain/time.js';
import { DomainError } from '../../../domain/errors.js';
import { needsCountry } from '../../../domain/subsidy/expenses.js';
import { expenseView, filingView, statusReportView } from '../../../db/repositories/subsidy-cases.js';
import { commandKey } from '../../command-runner.js';
import {
  confirmExpenseUpdate, decideUpdate, determineUpdate, disburseUpdate, recordExpenseUpdate, recordForeignFilingUpdate,
  recordStatusReportUpdate, submitReportUpdate, withdrawUpdate,
} from '../../../workflows/subsidy-case-messages.js';
import { badRequest } from '../../problem.js';
import { problemResponses } from '../../schemas/common.js';
import {
  CaseIdParams, ConfirmationBody, DecisionBody, DisbursementBody, ExpenseBody, ExpenseParams, ExpenseView, ForeignFilingBody,
  ForeignFilingView, NoteBody, StatusReportBody, StatusReportView, SubsidyCaseView, WithdrawalBody,
} from '../../schemas/subsidy-cases.js';
import { sendCase, SUBSIDY_CASES } from './commands.js';
import { commandMeta, runCaseCommand } from '../../case-commands.js';
import { assertDecidedAfterReceipt, assertPaidAfterDecision } from '../../../domain/subsidy/order-of-events.js';
import { pastDateField, pastInstantField } from '../../fields.js';

const tags = ['subsidy cases'];
const commandResponses = { 200: SubsidyCaseView, ...problemResponses(404, 409, 422) };

/** Report and determination take no body in the contract; an optional `{note}` is accepted. */
function noteOf(body: unknown): string | null {
  if (body === undefined || body === null) return null;
  if (!Value.Check(NoteBody, body)) throw badRequest('The request body is invalid', [{ path: 'body', message: 'must be empty or {"note": "…"}' }]);
  return (body as { note?: string | null }).note ?? null;
}

const routes: FastifyPluginAsyncTypebox = async (app) => {
  const deps = app.deps;
  const { db, clock } = deps;

  app.post('/subsidy-cases/:id/decision', {
    config: { roles: ['staff'] },
    schema: { tags, summary: 'Approve (reserving the grant limit against the per-applicant cap) or reject', params: CaseIdParams, body: DecisionBody, response: commandResponses },
  }, async (request, reply) => {
    const { id } = request.params;
    const body = request.body;
    const now = clock.now();
    const decidedAt = body.decidedAt === undefined ? now.getTime() : pastInstantField('body/decidedAt', body.decidedAt, now);
    if (!body.approve && !body.reason) throw badRequest('A rejection needs a reason', [{ path: 'body/reason', message: 'is required to reject' }]);
    await runCaseCommand(app, request, SUBSIDY_CASES, id, 'decision', decideUpdate, {
      meta: commandMeta(app, request).meta, approve: body.approve, grantLimitJpy: body.approve ? body.grantLimitJpy ?? null : null,
      approvedCountries: body.approve ? body.approvedCountries ?? null : null, decidedAt: toJstIso(decidedAt), reason: body.reason ?? null,
    }, (row) => {
      assertDecidedAfterReceipt(decidedAt, row.received_at.getTime());
      const outside = (body.approvedCountries ?? []).filter((c) => !row.target_countries.includes(c));
      if (body.approve && outside.length > 0) {
        throw new DomainError('country_not_approved', `${outside.join(', ')} not among the countries applied for (${row.target_countries.join(', ')})`, [{ path: 'body/approvedCountries', message: `must be a subset of ${row.target_countries.join(', ')}` }]);
      }
    });
    return sendCase(reply, db, id);
  });

  app.post('/subsidy-cases/:id/foreign-filings', {
    config: { roles: ['staff'] },
    schema: { tags, summary: 'Record a filing abroad (while approved or reported)', params: CaseIdParams, body: ForeignFilingBody, response: { 201: ForeignFilingView, ...problemResponses(404, 409, 422) } },
  }, async (request, reply) => {
    const { id } = request.params;
    const body = request.body;
    const filingId = commandKey(request).idFor('ff');
    await runCaseCommand(app, request, SUBSIDY_CASES, id, 'foreign_filing', recordForeignFilingUpdate, {
      meta: commandMeta(app, request).meta, id: filingId, country: body.country, applicationNumber: body.applicationNumber ?? null,
      filedOn: pastDateField('body/filedOn', body.filedOn, clock.now()),
    });
    const row = await db.selectFrom('subsidy_foreign_filings').selectAll().where('id', '=', filingId).executeTakeFirstOrThrow();
    return reply.code(201).send(filingView(row));
  });

  app.post('/subsidy-cases/:id/expenses', {
    config: { roles: ['staff'] },
    schema: { tags, summary: 'Record payment evidence (while approved)', params: CaseIdParams, body: ExpenseBody, response: { 201: ExpenseView, ...problemResponses(404, 409, 422) } },
  }, async (request, reply) => {
    const { id } = request.params;
    const body = request.body;
    const now = clock.now();
    const consumptionTaxJpy = body.consumptionTaxJpy ?? 0;
    if (consumptionTaxJpy > body.amountJpy) throw badRequest('consumptionTaxJpy is part of amountJpy', [{ path: 'body/consumptionTaxJpy', message: 'cannot exceed amountJpy' }]);
    const incurredOn = pastDateField('body/incurredOn', body.incurredOn, now);
    const paidOn = pastDateField('body/paidOn', body.paidOn, now);
    if (needsCountry(body.category) && !body.country) throw badRequest(`An expense of category ${body.category} needs its country`, [{ path: 'body/country', message: 'is required for every category but domestic_agent_fee' }]);
    if ((body.currency == null) !== (body.foreignAmount == null)) throw badRequest('currency and foreignAmount go together', [{ path: 'body/foreignAmount', message: 'give both currency and foreignAmount, or neither' }]);
    const expenseId = commandKey(request).idFor('ex');
    await runCaseCommand(app, request, SUBSIDY_CASES, id, 'expense', recordExpenseUpdate, {
      meta: commandMeta(app, request).meta, id: expenseId, category: body.category, payee: body.payee, invoiceNumber: body.invoiceNumber ?? null,
      description: body.description ?? null, country: body.country ?? null, incurredOn, paidOn, amountJpy: body.amountJpy, consumptionTaxJpy,
      currency: body.currency ?? null, foreignAmount: body.foreignAmount ?? null,
    });
    const row = await db.selectFrom('subsidy_expenses').selectAll().where('id', '=', expenseId).executeTakeFirstOrThrow();
    return reply.code(201).send(expenseView({ ...row, documents: [] }, id));
  });

  // The performance report and the determination take no body in the contract (an optional `{note}`).
  for (const [verb, command, update, summary] of [
    ['report', 'report', submitReportUpdate, 'Performance report: all evidence is in (→ reported); needs at least one expense'],
    ['determination', 'determination', determineUpdate, 'Determine the amount (→ determined); every expense must be confirmed'],
  ] as const) {
    app.post(`/subsidy-cases/:id/${verb}`, {
      config: { roles: ['staff'] },
      schema: { tags, summary, params: CaseIdParams, response: commandResponses },
    }, async (request, reply) => {
      const { id } = request.params;
      await runCaseCommand(app, request, SUBSIDY_CASES, id, command, update, { meta: commandMeta(app, request).meta, note: noteOf(request.body) });
      return sendCase(reply, db, id);
    });
  }

  app.post('/subsidy-cases/:id/expenses/:expenseId/confirmation', {
    config: { roles: ['staff'] },
    schema: { tags, summary: 'Accept or refuse one expense (while reported)', params: ExpenseParams, body: ConfirmationBody, response: commandResponses },
  }, async (request, reply) => {
    const { id, expenseId } = request.params;
    const body = request.body;
    if (!body.accepted && !body.reason) throw badRequest('Refusing an expense needs a reason', [{ path: 'body/reason', message: 'is required when accepted is false' }]);
    await runCaseCommand(app, request, SUBSIDY_CASES, id, 'confirmation', confirmExpenseUpdate, { meta: commandMeta(app, request).meta, expenseId, accepted: body.accepted, reason: body.reason ?? null });
    return sendCase(reply, db, id);
  });

  app.post('/subsidy-cases/:id/disbursement', {
    config: { roles: ['staff'] },
    schema: { tags, summary: 'Record the payment (→ disbursed); the yearly status reports start', params: CaseIdParams, body: DisbursementBody, response: commandResponses },
  }, async (request, reply) => {
    const { id } = request.params;
    const paidAt = pastInstantField('body/paidAt', request.body.paidAt, clock.now());
    await runCaseCommand(app, request, SUBSIDY_CASES, id, 'disbursement', disburseUpdate, { meta: commandMeta(app, request).meta, paidAt: toJstIso(paidAt), transferReference: request.body.transferReference }, (row) => assertPaidAfterDecision(paidAt, row.decided_at?.getTime() ?? null));
    return sendCase(reply, db, id);
  });

  app.post('/subsidy-cases/:id/withdrawal', {
    config: { roles: ['staff'] },
    schema: { tags, summary: 'Withdraw (from under_review or approved); a reservation goes back to the cap', params: CaseIdParams, body: WithdrawalBody, response: commandResponses },
  }, async (request, reply) => {
    const { id } = request.params;
    await runCaseCommand(app, request, SUBSIDY_CASES, id, 'withdrawal', withdrawUpdate, { meta: commandMeta(app, request).meta, reason: request.body.reason });
    return sendCase(reply, db, id);
  });

  app.post('/subsidy-cases/:id/status-reports', {
    config: { roles: ['staff'] },
    schema: { tags, summary: 'Record a yearly examination-status report (査定状況報告); the last one closes the case', params: CaseIdParams, body: StatusReportBody, response: { 201: StatusReportView, ...problemResponses(404, 409, 422) } },
  }, async (request, reply) => {
    const { id } = request.params;
    const body = request.body;
    const reportId = commandKey(request).idFor('sr');
    await runCaseCommand(app, request, SUBSIDY_CASES, id, 'status_report', recordStatusReportUpdate, {
      meta: commandMeta(app, request).meta, id: reportId, year: body.year, asOf: pastDateField('body/asOf', body.asOf, clock.now()), countries: body.countries,
    });
    const row = await db.selectFrom('subsidy_status_reports').selectAll().where('id', '=', reportId).executeTakeFirstOrThrow();
    return reply.code(201).send(statusReportView(row));
  });

};

export default routes;

// Reading subsidy cases. The whole case is built in one statement whenever it changes and
// kept as JSON text on its row (the read model), so GET /subsidy-cases/{id} is one
// primary-key read; lists use the filter indexes over the plain columns.
import { CompiledQuery, sql, type Selectable } from 'kysely';
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import type { DbOrTrx, Trx } from '../database.js';
import type { SubsidyCasesTable } from '../tables/subsidy.js';
import { notFound } from '../../domain/errors.js';
import { toJstIso } from '../../domain/time.js';
import { OPEN_STATUSES, UNSUPPORTED_STATUSES } from '../../domain/subsidy/status.js';
import { olderThan, pageOf, type Cursor } from '../pagination.js';
import { lockedWithReceipt, receiptSelection } from '../history.js';

export type SubsidyCaseRow = Selectable<SubsidyCasesTable>;
export const SUBSIDY_CASE = 'subsidy_case';

export const CASE_COLUMNS = ['id', 'program_year_id', 'applicant_id', 'procedure', 'right_type', 'title', 'status', 'regional_collective_trademark',
  'jpo_application_number', 'target_countries', 'prior_case_id', 'prior_subsidy_reference', 'refusal_grounds', 'examination_requested',
  'estimated_costs', 'window_label', 'terms', 'received_at', 'decided_at', 'decision_reason', 'max_grant_jpy', 'estimated_eligible_cost_jpy',
  'grant_limit_jpy', 'eligible_cost_jpy', 'determined_jpy', 'disbursed_jpy', 'paid_at', 'transfer_reference', 'withdrawal_reason',
  'report_deadline', 'reported_at', 'determined_at', 'next_status_report_due', 'status_report_schedule', 'calculations', 'created_at',
  'updated_at', 'approved_countries', 'base_application_key'] as const satisfies readonly (keyof SubsidyCaseRow)[];

/** Timestamps nested in JSON arrive as text in the session's zone; the API shows JST. */
const jst = (value: string | Date | null): string | null => (value === null ? null : toJstIso(typeof value === 'string' ? Date.parse(value) : value));

export async function findCaseRow(db: DbOrTrx, id: string): Promise<SubsidyCaseRow | undefined> {
  return db.selectFrom('subsidy_cases').select(CASE_COLUMNS).where('id', '=', id).executeTakeFirst();
}

export async function getCaseRow(db: DbOrTrx, id: string): Promise<SubsidyCaseRow> {
  const row = await findCaseRow(db, id);
  if (!row) throw notFound('Subsidy case', id);
  return row;
}

export function caseSummary(row: SubsidyCaseRow) {
  return {
    id: row.id,
    programYearId: row.program_year_id,
    applicantId: row.applicant_id,
    procedure: row.procedure,
    rightType: row.right_type,
    title: row.title,
    status: row.status,
    receivedAt: toJstIso(row.received_at),
    decidedAt: jst(row.decided_at),
    maxGrantJpy: row.max_grant_jpy,
    grantLimitJpy: row.grant_limit_jpy,
    eligibleCostJpy: row.eligible_cost_jpy ?? row.estimated_eligible_cost_jpy,
    determinedJpy: row.determined_jpy,
    disbursedJpy: row.disbursed_jpy,
    nextStatusReportDue: row.next_status_report_due,
    regionalCollectiveTrademark: row.regional_collective_trademark,
    jpoApplicationNumber: row.jpo_application_number,
    targetCountries: row.target_countries,
    priorCaseId: row.prior_case_id,
    priorSubsidyReference: row.prior_subsidy_reference,
    refusalGrounds: row.refusal_grounds,
    examinationRequested: row.examination_requested,
    estimatedCosts: row.estimated_costs,
    estimatedEligibleCostJpy: row.estimated_eligible_cost_jpy,
    windowLabel: row.window_label,
    terms: row.terms,
    decisionReason: row.decision_reason,
    withdrawalReason: row.withdrawal_reason,
    reportDeadline: toJstIso(row.report_deadline),
    reportedAt: jst(row.reported_at),
    determinedAt: jst(row.determined_at),
    paidAt: jst(row.paid_at),
    transferReference: row.transfer_reference,
    createdAt: toJstIso(row.created_at),
    updatedAt: toJstIso(row.updated_at),
  };
}

interface DocumentJson { id: string; filename: string | null; content_type: string; size: number; sha256: string; uploaded_by: string; created_at: string }
interface ExpenseJson {
  id: string; category: string; payee: string; invoice_number: string | null; description: string | null; country: string | null;
  incurred_on: string; paid_on: string; amount_jpy: number; consumption_tax_jpy: number; currency: string | null; foreign_amount: number | null;
  eligible: boolean; ineligible_reason: string | null; eligible_amount_jpy: number; accepted: boolean | null; confirmation_reason: string | null;
  confirmed_at: string | null; confirmed_by: string | null; created_at: string; documents: DocumentJson[];
}

export const documentView = (d: { id: string; filename: string | null; content_type: string; size: number; sha256: string; uploaded_by: string; created_at: string | Date }, caseId: string, expenseId: string) => ({
  id: d.id, filename: d.filename, contentType: d.content_type, size: d.size, sha256: d.sha256, uploadedBy: d.uploaded_by, uploadedAt: jst(d.created_at)!,
  downloadUrl: `/subsidy-cases/${caseId}/expenses/${expenseId}/documents/${d.id}`,
});

export const expenseView = (e: Omit<ExpenseJson, 'documents' | 'confirmed_at' | 'created_at'> & { confirmed_at: string | Date | null; created_at: string | Date; documents?: DocumentJson[] }, caseId: string) => ({
  id: e.id, category: e.category, payee: e.payee, invoiceNumber: e.invoice_number, description: e.description, country: e.country,
  incurredOn: e.incurred_on, paidOn: e.paid_on, amountJpy: Number(e.amount_jpy), consumptionTaxJpy: Number(e.consumption_tax_jpy),
  currency: e.currency, foreignAmount: e.foreign_amount === null ? null : Number(e.foreign_amount),
  eligible: e.eligible, ineligibleReason: e.ineligible_reason, eligibleAmountJpy: Number(e.eligible_amount_jpy),
  accepted: e.accepted, confirmationReason: e.confirmation_reason, confirmedAt: jst(e.confirmed_at), confirmedBy: e.confirmed_by,
  documents: (e.documents ?? []).map((d) => documentView(d, caseId, e.id)),
  createdAt: jst(e.created_at)!,
});

export const filingView = (f: { id: string; country: string; application_number: string | null; filed_on: string; eligible?: boolean; ineligible_reason?: string | null; created_at: string | Date }) => ({
  id: f.id, country: f.country, applicationNumber: f.application_number, filedOn: f.filed_on,
  eligible: f.eligible ?? true, ineligibleReason: f.ineligible_reason ?? null, createdAt: jst(f.created_at)!,
});

export const statusReportView = (r: { id: string; year: number; report_number: number; as_of: string; countries: { country: string; status: string; note?: string }[]; recorded_by: string; created_at: string | Date }) => ({
  id: r.id, year: r.year, reportNumber: r.report_number, asOf: r.as_of, countries: r.countries, recordedBy: r.recorded_by, recordedAt: jst(r.created_at)!,
});

/** The whole case as GET shows it, built in one statement (each part over its own index). */
export async function buildCaseView(db: DbOrTrx, id: string) {
  const row = await db.selectFrom('subsidy_cases as c').select(CASE_COLUMNS.map((c) => `c.${c}` as const))
    .select((eb) => [
      jsonArrayFrom(eb.selectFrom('subsidy_expenses as e').selectAll('e')
        .select((eb2) => jsonArrayFrom(eb2.selectFrom('subsidy_documents as d')
          .select(['d.id', 'd.filename', 'd.content_type', 'd.size', 'd.sha256', 'd.uploaded_by', 'd.created_at'])
          .whereRef('d.expense_id', '=', 'e.id').orderBy('d.created_at').orderBy('d.id')).as('documents'))
        .whereRef('e.case_id', '=', 'c.id').orderBy('e.created_at').orderBy('e.id')).as('expenses'),
      jsonArrayFrom(eb.selectFrom('subsidy_foreign_filings as f').selectAll('f')
        .whereRef('f.case_id', '=', 'c.id').orderBy('f.created_at').orderBy('f.id')).as('foreign_filings'),
      jsonArrayFrom(eb.selectFrom('subsidy_status_reports as r').selectAll('r')
        .whereRef('r.case_id', '=', 'c.id').orderBy('r.report_number')).as('status_reports'),
      eb.selectFrom('subsidy_application_cap_balances as b').select(sql<number>`b.reserved_jpy + b.settled_jpy`.as('used'))
        .whereRef('b.applicant_id', '=', 'c.applicant_id').whereRef('b.program_year_id', '=', 'c.program_year_id')
        .whereRef('b.base_key', '=', 'c.base_application_key').as('base_application_used_jpy'),
      jsonArrayFrom(eb.selectFrom('history as h').select(['h.at', 'h.type', 'h.actor', 'h.from_status', 'h.to_status', 'h.detail'])
        .where('h.entity_type', '=', SUBSIDY_CASE).whereRef('h.entity_id', '=', 'c.id').orderBy('h.id')).as('history'),
    ])
    .where('c.id', '=', id).executeTakeFirst();
  if (!row) throw notFound('Subsidy case', id);
  return {
    ...caseSummary(row),
    approvedCountries: row.approved_countries,
    baseApplication: row.base_application_key === null ? null
      : { key: row.base_application_key, capJpy: row.terms.capJpy, usedJpy: Number(row.base_application_used_jpy ?? 0) },
    expenses: (row.expenses as unknown as ExpenseJson[]).map((e) => expenseView(e, row.id)),
    foreignFilings: row.foreign_filings.map(filingView),
    statusReports: row.status_reports.map(statusReportView),
    statusReportSchedule: row.status_report_schedule,
    calculations: row.calculations,
    history: row.history.map((h) => ({ at: jst(h.at as unknown as string)!, type: h.type, actor: h.actor, fromStatus: h.from_status, toStatus: h.to_status, detail: h.detail })),
  };
}

export type CaseView = Awaited<ReturnType<typeof buildCaseView>>;

/** Rebuild the stored view; every writer calls this in its own transaction, after its writes. */
export async function refreshCaseView(db: DbOrTrx, id: string): Promise<string> {
  const view = JSON.stringify(await buildCaseView(db, id));
  await db.insertInto('subsidy_case_views').values({ case_id: id, view, updated_at: sql`now()` })
    .onConflict((oc) => oc.column('case_id').doUpdateSet({ view, updated_at: sql`now()` })).execute();
  return view;
}

/** The case as GET shows it, as JSON text (a case without a stored view, loaded by hand, gets one). */
export async function caseViewText(db: DbOrTrx, id: string): Promise<string> {
  // The hottest read of the API, written out once: no query builder to build and compile per GET.
  const { rows: [row] } = await db.executeQuery<{ view: string }>(CompiledQuery.raw(CASE_VIEW_TEXT, [id]));
  return row ? row.view : refreshCaseView(db, id);
}
const CASE_VIEW_TEXT = 'select view::text as view from subsidy_case_views where case_id = $1';

export interface CaseFilter {
  status?: string;
  applicantId?: string;
  programYearId?: string;
  procedure?: string;
  rightType?: string;
  limit: number;
  cursor: Cursor | null;
}

/** The cases a filter names: one builder for the JSON list and its exports, so both apply the same filters. */
function filteredCases(db: DbOrTrx, filter: CaseFilter) {
  let query = db.selectFrom('subsidy_cases');
  if (filter.status) query = query.where('status', '=', filter.status);
  if (filter.applicantId) query = query.where('applicant_id', '=', filter.applicantId);
  if (filter.programYearId) query = query.where('program_year_id', '=', filter.programYearId);
  if (filter.procedure) query = query.where('procedure', '=', filter.procedure);
  if (filter.rightType) query = query.where('right_type', '=', filter.rightType);
  if (filter.cursor) query = query.where(olderThan(filter.cursor));
  return query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(filter.limit + 1);
}

export async function listCases(db: DbOrTrx, filter: CaseFilter) {
  const rows = await filteredCases(db, filter).select(CASE_COLUMNS).execute();
  return pageOf(rows, filter.limit);
}

/**
 * A page of the list for an export: the plain columns a sheet shows and the applicant's name,
 * not the JSON documents (terms, calculations) a summary carries — 100,000 of those parsed
 * for nothing is most of an export's garbage.
 */
export async function listCasesForExport(db: DbOrTrx, filter: CaseFilter) {
  const rows = await filteredCases(db, filter)
    .select(['id', 'program_year_id', 'applicant_id', 'procedure', 'right_type', 'title', 'status', 'jpo_application_number', 'target_countries',
      'received_at', 'decided_at', 'max_grant_jpy', 'grant_limit_jpy', 'eligible_cost_jpy', 'estimated_eligible_cost_jpy', 'determined_jpy',
      'disbursed_jpy', 'paid_at', 'next_status_report_due', 'created_at'])
    .select((eb) => eb.selectFrom('applicants').select('applicants.name').whereRef('applicants.id', '=', 'subsidy_cases.applicant_id').as('applicant_name'))
    .execute();
  return pageOf(rows, filter.limit);
}

export type CaseExportRow = Awaited<ReturnType<typeof listCasesForExport>>['page'][number];

/** Cases of a program year whose workflow still runs, a page at a time (by id). */
export async function runningCaseIds(db: DbOrTrx, programYearId: string, after: string | null, limit: number): Promise<string[]> {
  let query = db.selectFrom('subsidy_cases').select('id').where('program_year_id', '=', programYearId)
    .where('status', 'in', OPEN_STATUSES);
  if (after) query = query.where('id', '>', after);
  const rows = await query.orderBy('id').limit(limit).execute();
  return rows.map((r) => r.id);
}

/** An applicant's live cases (not rejected, withdrawn or lapsed) of one right type in a year, less one (the case being recorded). */
export async function liveCaseCount(db: DbOrTrx, of: { applicantId: string; programYearId: string; rightType: string; except?: string }): Promise<number> {
  let query = db.selectFrom('subsidy_cases').select((eb) => eb.fn.countAll<number>().as('n')).where('applicant_id', '=', of.applicantId)
    .where('program_year_id', '=', of.programYearId).where('right_type', '=', of.rightType).where('status', 'not in', UNSUPPORTED_STATUSES);
  if (of.except) query = query.where('id', '<>', of.except);
  return Number((await query.executeTakeFirstOrThrow()).n);
}

/** How the activities' transaction helper (activities/kernel) locks a case and finds a receipt. */
export const SUBSIDY_CASE_TABLE = {
  entityType: SUBSIDY_CASE,
  // The row lock and the receipt in one round trip.
  lock: async (trx: Trx, caseId: string, eventKey: string) => lockedWithReceipt(await trx.selectFrom('subsidy_cases').select(CASE_COLUMNS)
    .select(receiptSelection(eventKey)).where('id', '=', caseId).forUpdate().executeTakeFirst()),
  refreshView: refreshCaseView,
};

/** Lock a case row for a write outside its workflow (a document upload) and give its status. */
export async function lockCaseStatus(db: DbOrTrx, id: string): Promise<string> {
  const row = await db.selectFrom('subsidy_cases').select('status').where('id', '=', id).forShare().executeTakeFirst();
  if (!row) throw notFound('Subsidy case', id);
  return row.status;
}


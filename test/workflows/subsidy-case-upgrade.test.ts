// The v1.1 upgrade: a case approved before it keeps working. Its database rows are taken back
// to their v1 shape (the migration's down, v1 terms and program year), the migration runs,
// and a workflow started from a v1-shaped state snapshot — as continue-as-new of a v1 run
// would hand it over — takes the rest of the case's commands.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { Worker } from '@temporalio/worker';
import { useTestDatabase } from '../helpers/db.js';
import { devServer, type DevServerHarness } from '../helpers/temporal.js';
import { systemClock } from '../../runtime/clock.js';
import type { DatabaseHandle } from '../../db/database.js';
import { jstDate, toJstIso } from '../../domain/time.js';
import { newId } from '../../runtime/ids.js';
import { baseApplicationKey } from '../../domain/subsidy/terms.js';
import * as correctToTheYen from '../../migrations/2026_11_26_0003_correct_to_the_yen.js';
import {
  caseStateQuery, confirmExpenseUpdate, decideUpdate, determineUpdate, recordExpenseUpdate, recordForeignFilingUpdate, submitReportUpdate,
  subsidyCaseWorkflow, subsidyCaseWorkflowId, type SubsidyCaseState,
} from '../../workflows/subsidy-case.js';
import { openYear } from '../api/subsidy-cases-fixtures.js';
import { intakeFor, metaAt, seedApplicant, seedYear, startCase } from './subsidy-case-fixtures.js';

let database: DatabaseHandle;
let temporal: DevServerHarness;
let worker: Worker;
let running: Promise<void>;

beforeAll(async () => {
  database = await useTestDatabase();
  temporal = await devServer();
  worker = await temporal.startWorker({ db: database.db, clock: systemClock });
  running = worker.run();
});

afterAll(async () => {
  worker?.shutdown();
  await running;
  await temporal?.close();
});

const V11_YEAR_FIELDS = ['eligibleApplicantKinds', 'regionalCollectiveTrademarkKinds', 'rightTypes', 'eligibleCostCategories', 'perApplicantCountLimits'];

describe('a case approved before v1.1', () => {
  it('is carried over by the migration and goes on from a v1-shaped workflow state', { timeout: 60_000 }, async () => {
    const { db } = database;
    const now = Date.now();
    const v1Year = { ...openYear(new Date(now)), id: newId('py') };
    for (const field of V11_YEAR_FIELDS) delete (v1Year as Record<string, unknown>)[field];
    await seedYear(db, v1Year.id, v1Year);
    const applicantId = await seedApplicant(db);
    const intake = intakeFor({ ...openYear(new Date(now)), id: v1Year.id }, applicantId, now);
    const caseId = intake.caseId;
    const handle = await startCase(temporal.client, temporal.taskQueue, intake);
    await handle.executeUpdate(decideUpdate, { args: [{ meta: metaAt(now), approve: true, grantLimitJpy: null, decidedAt: toJstIso(now), reason: null }] });
    const snapshot = (await handle.query(caseStateQuery))!;
    await handle.terminate('test: stands in for a run from before v1.1');

    // The database as v1 left it.
    await correctToTheYen.down(db);
    await sql`update subsidy_cases set terms = terms - 'eligibleCostCategories' - 'ownershipShare' where id = ${caseId}`.execute(db);
    await sql`update program_years set rules = rules - ${sql.raw(V11_YEAR_FIELDS.map((f) => `'${f}'`).join(' - '))} where id = ${v1Year.id}`.execute(db);
    expect((await db.selectFrom('subsidy_cases').select('terms').where('id', '=', caseId).executeTakeFirstOrThrow()).terms).not.toHaveProperty('ownershipShare');

    await correctToTheYen.up(db);
    const row = await db.selectFrom('subsidy_cases').selectAll().where('id', '=', caseId).executeTakeFirstOrThrow();
    expect(row.terms).toMatchObject({ eligibleCostCategories: ['foreign_office_fee', 'domestic_agent_fee', 'local_agent_fee', 'translation_fee'], ownershipShare: { numerator: 1, denominator: 1 } });
    expect(row.base_application_key).toBe(baseApplicationKey(intake.jpoApplicationNumber!));
    expect(row.approved_countries).toEqual(['US']);
    const year = await db.selectFrom('program_years').select('rules').where('id', '=', v1Year.id).executeTakeFirstOrThrow();
    expect(year.rules).toMatchObject({ eligibleApplicantKinds: expect.arrayContaining(['public_research_institute']), regionalCollectiveTrademarkKinds: expect.arrayContaining(['fishery_cooperative']) });
    expect(await db.selectFrom('subsidy_case_views').select('case_id').where('case_id', '=', caseId).executeTakeFirst()).toBeUndefined();
    const ledger = await db.selectFrom('subsidy_application_cap_balances').selectAll().where('applicant_id', '=', applicantId).executeTakeFirstOrThrow();
    expect(ledger).toMatchObject({ base_key: row.base_application_key, cap_jpy: 1_500_000, reserved_jpy: 500_000, settled_jpy: 0 });

    // The state as a v1 run carried it across continue-as-new: none of the v1.1 fields.
    const v1State = structuredClone(snapshot) as Partial<SubsidyCaseState> & Record<string, unknown>;
    for (const field of ['windowLabel', 'targetCountries', 'approvedCountries', 'filings', 'baseApplicationKey', 'reportsEnded']) delete v1State[field];
    const { eligibleCostCategories: _c, ownershipShare: _s, ...v1Terms } = snapshot.terms;
    v1State.terms = v1Terms as SubsidyCaseState['terms'];
    const next = await temporal.client.workflow.start(subsidyCaseWorkflow, { workflowId: subsidyCaseWorkflowId(caseId), taskQueue: temporal.taskQueue, args: [{ state: v1State as SubsidyCaseState }] });

    const today = jstDate(Date.now());
    const expenseId = newId('ex');
    await next.executeUpdate(recordForeignFilingUpdate, { args: [{ meta: metaAt(Date.now()), id: newId('ff'), country: 'US', applicationNumber: null, filedOn: today }] });
    await next.executeUpdate(recordExpenseUpdate, { args: [{ meta: metaAt(Date.now()), id: expenseId, category: 'foreign_office_fee', payee: 'USPTO', invoiceNumber: null, description: null, country: 'US', incurredOn: today, paidOn: today, amountJpy: 700_000, consumptionTaxJpy: 0, currency: null, foreignAmount: null }] });
    await next.executeUpdate(submitReportUpdate, { args: [{ meta: metaAt(Date.now()), note: null }] });
    await next.executeUpdate(confirmExpenseUpdate, { args: [{ meta: metaAt(Date.now()), expenseId, accepted: true, reason: null }] });
    await next.executeUpdate(determineUpdate, { args: [{ meta: metaAt(Date.now()), note: null }] });

    const after = await db.selectFrom('subsidy_cases').select(['status', 'determined_jpy', 'grant_limit_jpy']).where('id', '=', caseId).executeTakeFirstOrThrow();
    expect(after).toEqual({ status: 'determined', grant_limit_jpy: 500_000, determined_jpy: 350_000 });
    const expense = await db.selectFrom('subsidy_expenses').select(['eligible', 'ineligible_reason']).where('id', '=', expenseId).executeTakeFirstOrThrow();
    expect(expense).toEqual({ eligible: true, ineligible_reason: null });
    expect(await db.selectFrom('subsidy_application_cap_balances').select(['reserved_jpy', 'settled_jpy']).where('applicant_id', '=', applicantId).executeTakeFirstOrThrow())
      .toEqual({ reserved_jpy: 0, settled_jpy: 350_000 });
    const state = (await next.query(caseStateQuery))!;
    expect(state.terms).toMatchObject({ ownershipShare: { numerator: 1, denominator: 1 } });
    expect(state.status).toBe('determined');
  });
});

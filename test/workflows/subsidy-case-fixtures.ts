// Drives subsidy case workflows straight through the Temporal client (no HTTP), with the
// rows their activities need (program year, applicant) written directly.
import type { Client } from '@temporalio/client';
import type { Db } from '../../db/database.js';
import type { OverseasIpYear } from '../../domain/program-year.js';
import { deadlinesOf, termsOf } from '../../domain/subsidy/terms.js';
import { toJstIso } from '../../domain/time.js';
import { newId } from '../../runtime/ids.js';
import { ApplicantId, ProgramYearId } from '../../workflows/search-attributes.js';
import { intakeUpdate, subsidyCaseWorkflow, subsidyCaseWorkflowId, type CommandMeta, type IntakeInput } from '../../workflows/subsidy-case.js';

export async function seedYear(db: Db, id: string, rules: OverseasIpYear): Promise<void> {
  await db.insertInto('program_years').values({ id, program: rules.program, fiscal_year: rules.fiscalYear, rules: JSON.stringify(rules) })
    .onConflict((oc) => oc.column('id').doUpdateSet({ rules: JSON.stringify(rules) })).execute();
}

export async function seedApplicant(db: Db, kind = 'sme'): Promise<string> {
  const id = newId('ap');
  await db.insertInto('applicants').values({ id, name: `テスト株式会社 ${id}`, kind, corporate_number: null, prefecture: '北海道', contact_email: `${id}@example.jp` }).execute();
  return id;
}

export const metaAt = (ms: number, actor = 'staff:test'): CommandMeta => ({ actor, at: toJstIso(ms) });

export function intakeFor(year: OverseasIpYear & { id: string }, applicantId: string, receivedAt: number): IntakeInput {
  return {
    caseId: newId('sc'), programYearId: year.id, applicantId, applicantKind: 'sme', year: { windows: year.windows, caps: year.caps },
    terms: termsOf(year, 'filing', 'patent', 'sme'), deadlines: deadlinesOf(year), procedure: 'filing', rightType: 'patent',
    title: '除雪機のオーガ構造', regionalCollectiveTrademark: false, jpoApplicationNumber: '特願2024-000001', targetCountries: ['US'],
    priorCaseId: null, priorSubsidyReference: null, refusalGrounds: [], examinationRequested: false,
    estimatedCosts: [{ category: 'foreign_office_fee', amountJpy: 1_000_000 }], receivedAt: toJstIso(receivedAt), priorCase: null,
    meta: metaAt(receivedAt),
  };
}

/** Start a case as the API does, but with start + Update (works on every test server). */
export async function startCase(client: Client, taskQueue: string, intake: IntakeInput, options: { workflowTaskTimeout?: string } = {}) {
  const handle = await client.workflow.start(subsidyCaseWorkflow, {
    taskQueue, workflowId: subsidyCaseWorkflowId(intake.caseId), args: [{ intake }], ...options,
    typedSearchAttributes: [{ key: ProgramYearId, value: intake.programYearId }, { key: ApplicantId, value: intake.applicantId }],
  });
  await handle.executeUpdate(intakeUpdate);
  return handle;
}

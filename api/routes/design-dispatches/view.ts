// The dispatch as the API shows it: its stored view (rebuilt with every change) plus what the
// clock decides — each visit's `overdue` (its timer's flag, or the same rule worked out now
// with the year's current grace) and the dispatch's (a visit overdue, or its fiscal year over
// before it completed), as brand engagements do.
import type { Db } from '../../../db/database.js';
import { storedDispatchView, storedVisit, visitsOf, type DispatchRow, type StoredVisit, type VisitRow } from '../../../db/repositories/design-dispatches.js';
import { findProgramYear } from '../../../db/repositories/program-years.js';
import { isDispatchClosed, type DispatchStatus } from '../../../domain/design/dispatch.js';
import { fiscalYearEndOf, isPastFiscalYearEnd, isVisitOverdue, visitDueAt } from '../../../domain/design/timers.js';
import { toJstIso } from '../../../domain/time.js';

export interface YearRules {
  visitGraceDays: number;
  fiscalYearEndsAt: number;
}

export async function rulesOf(db: Db, programYearIds: readonly string[]): Promise<Map<string, YearRules>> {
  const years = await Promise.all([...new Set(programYearIds)].map((id) => findProgramYear(db, id)));
  const map = new Map<string, YearRules>();
  for (const y of years) if (y && y.program === 'design_management') map.set(y.id, { visitGraceDays: y.visitGraceDays, fiscalYearEndsAt: fiscalYearEndOf(y.fiscalYear) });
  return map;
}

export function rulesFor(map: Map<string, YearRules>, programYearId: string): YearRules {
  const rules = map.get(programYearId);
  if (!rules) throw new Error(`program year ${programYearId} of a dispatch is missing or not design_management`);
  return rules;
}

export function visitView(stored: StoredVisit, rules: YearRules, now: number) {
  const { overdueFlag, ...visit } = stored;
  return { ...visit, overdue: isVisitOverdue({ status: stored.status, scheduledAt: Date.parse(stored.scheduledAt), overdueFlag }, rules.visitGraceDays, now) };
}

function overdueOf(status: DispatchStatus, pastYearEndFlag: boolean, visits: { overdue: boolean }[], rules: YearRules, now: number) {
  const open = !isDispatchClosed(status);
  const pastFiscalYearEnd = isPastFiscalYearEnd(open, rules.fiscalYearEndsAt, pastYearEndFlag, now);
  return { pastFiscalYearEnd, overdue: open && (pastFiscalYearEnd || visits.some((v) => v.overdue)) };
}

export async function dispatchView(db: Db, id: string, now: number) {
  const stored = await storedDispatchView(db, id);
  const rules = rulesFor(await rulesOf(db, [stored.programYearId]), stored.programYearId);
  const { pastYearEndFlag, visits: storedVisits, ...view } = stored;
  const visits = storedVisits.map((v) => visitView(v, rules, now));
  const { overdue, pastFiscalYearEnd } = overdueOf(stored.status, pastYearEndFlag, visits, rules, now);
  return { ...view, visits, overdue, fiscalYearEndsAt: toJstIso(rules.fiscalYearEndsAt), pastFiscalYearEnd };
}

export async function summaries(db: Db, rows: DispatchRow[], now: number) {
  const [visits, rules] = await Promise.all([visitsOf(db, rows.map((r) => r.id)), rulesOf(db, rows.map((r) => r.program_year_id))]);
  return rows.map((row) => {
    const r = rulesFor(rules, row.program_year_id);
    const own = visits.filter((v) => v.dispatch_id === row.id).map((v) => visitView(storedVisit(v), r, now));
    return {
      id: row.id, programYearId: row.program_year_id, applicantId: row.applicant_id, issue: row.issue, sourceRegistrationId: row.source_registration_id,
      receivedAt: toJstIso(row.received_at), status: row.status as DispatchStatus, expertId: row.expert_id, plannedVisits: row.planned_visits,
      overdue: overdueOf(row.status as DispatchStatus, row.past_year_end_at !== null, own, r, now).overdue, createdAt: toJstIso(row.created_at),
    };
  });
}

export const dueAtOf = (row: VisitRow, rules: YearRules): string => toJstIso(visitDueAt(row.scheduled_at.getTime(), rules.visitGraceDays));

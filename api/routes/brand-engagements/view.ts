// The engagement as the API shows it, read from PostgreSQL. `overdue` combines the flags
// the workflow's timers wrote with the same rule computed at read time (the program year's
// current grace and support end, the API clock), so a read between two timer firings agrees
// with what the timer will write.
import type { Db } from '../../../db/database.js';
import { listHistory } from '../../../db/history.js';
import { actionPlanOf, sessionsOf, type EngagementRow, type SessionRow } from '../../../db/repositories/brand-engagements.js';
import { findProgramYear } from '../../../db/repositories/program-years.js';
import { isEngagementOverdue, isPastSupportEnd, isSessionOverdue, sessionDueAt } from '../../../domain/brand/overdue.js';
import type { BrandMeasure, EngagementStatus } from '../../../domain/brand/engagement.js';
import type { SessionKind, SessionStatus } from '../../../domain/brand/plan.js';
import type { RegionalBrandYear } from '../../../domain/program-year.js';
import { parseInstant, toJstIso } from '../../../domain/time.js';

export type YearRules = Pick<RegionalBrandYear, 'supportEndsAt' | 'sessionGraceDays'>;

const iso = (d: Date | null): string | null => (d === null ? null : toJstIso(d));

export async function rulesOf(db: Db, programYearIds: readonly string[]): Promise<Map<string, YearRules>> {
  const years = await Promise.all([...new Set(programYearIds)].map((id) => findProgramYear(db, id)));
  const map = new Map<string, YearRules>();
  for (const y of years) if (y && y.program === 'regional_brand') map.set(y.id, { supportEndsAt: y.supportEndsAt, sessionGraceDays: y.sessionGraceDays });
  return map;
}

export function rulesFor(map: Map<string, YearRules>, programYearId: string): YearRules {
  const rules = map.get(programYearId);
  if (!rules) throw new Error(`program year ${programYearId} of a brand engagement is missing or not regional_brand`);
  return rules;
}

export function sessionView(row: SessionRow, rules: YearRules, now: number) {
  return {
    id: row.id, title: row.title, kind: row.kind as SessionKind, lecturerName: row.lecturer_name, lecturerOrganization: row.lecturer_organization,
    scheduledAt: toJstIso(row.scheduled_at), status: row.status as SessionStatus,
    overdue: isSessionOverdue({ status: row.status as SessionStatus, scheduledAt: row.scheduled_at.getTime(), overdueFlag: row.overdue_at !== null }, rules.sessionGraceDays, now),
    heldAt: iso(row.held_at), attendeeCount: row.attendee_count, summary: row.summary, cancelledAt: iso(row.cancelled_at),
  };
}

function overdueOf(row: EngagementRow, sessions: { overdue: boolean }[], rules: YearRules, now: number) {
  const status = row.status as EngagementStatus;
  const pastSupportEnd = isPastSupportEnd(status, parseInstant(rules.supportEndsAt) ?? Infinity, row.past_support_end_at !== null, now);
  return { pastSupportEnd, overdue: isEngagementOverdue(status, pastSupportEnd, sessions.map((s) => s.overdue)) };
}

export function summaryView(row: EngagementRow, sessions: SessionRow[], rules: YearRules, now: number) {
  const { overdue } = overdueOf(row, sessions.map((s) => sessionView(s, rules, now)), rules, now);
  return {
    id: row.id, programYearId: row.program_year_id, applicantId: row.applicant_id, productName: row.product_name, municipality: row.municipality,
    goals: row.goals as BrandMeasure[], status: row.status as EngagementStatus, supportLeaderId: row.support_leader_id,
    receivedAt: toJstIso(row.received_at), overdue, createdAt: toJstIso(row.created_at),
  };
}

/** The page of a list, with each engagement's overdue worked out from its sessions. */
export async function summaries(db: Db, rows: EngagementRow[], now: number) {
  const [sessions, rules] = await Promise.all([sessionsOf(db, rows.map((r) => r.id)), rulesOf(db, rows.map((r) => r.program_year_id))]);
  return rows.map((row) => summaryView(row, sessions.filter((s) => s.engagement_id === row.id), rulesFor(rules, row.program_year_id), now));
}

export async function engagementView(db: Db, row: EngagementRow, now: number) {
  const [sessionRows, plan, history, rulesMap] = await Promise.all([
    sessionsOf(db, [row.id]), actionPlanOf(db, row.id), listHistory(db, 'brand_engagement', row.id, toJstIso), rulesOf(db, [row.program_year_id]),
  ]);
  const rules = rulesFor(rulesMap, row.program_year_id);
  const sessions = sessionRows.map((s) => sessionView(s, rules, now));
  const { overdue, pastSupportEnd } = overdueOf(row, sessions, rules, now);
  return {
    id: row.id, programYearId: row.program_year_id, applicantId: row.applicant_id, productName: row.product_name, municipality: row.municipality,
    goals: row.goals as BrandMeasure[], background: row.background, issues: row.issues, receivedAt: toJstIso(row.received_at),
    status: row.status as EngagementStatus,
    selection: row.decided_at === null ? null : { selected: row.status !== 'not_selected', reason: row.selection_reason, decidedAt: toJstIso(row.decided_at) },
    supportLeaderId: row.support_leader_id, direction: row.direction, measures: row.measures as BrandMeasure[] | null,
    hearing: row.hearing,
    sessions,
    actionPlan: plan ? { summary: plan.summary, actions: plan.actions, revision: plan.revision, recordedAt: toJstIso(plan.recorded_at), recordedBy: plan.recorded_by } : null,
    overdue, supportEndsAt: rules.supportEndsAt, pastSupportEnd,
    withdrawalReason: row.withdrawal_reason,
    createdAt: toJstIso(row.created_at), updatedAt: toJstIso(row.updated_at),
    history,
  };
}

export function myDueAt(row: SessionRow, rules: YearRules): string {
  return toJstIso(sessionDueAt(row.scheduled_at.getTime(), rules.sessionGraceDays));
}

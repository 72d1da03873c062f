// The engagement as the API shows it: its stored view (rebuilt with every change), plus
// `overdue`, which combines the flags the workflow's timers wrote with the same rule worked
// out at read time (the program year's current grace and support end, the API clock — the
// clock the timers measure on too), so a read between two timer firings agrees with what the
// timer will write.
import type { Db } from '../../../db/database.js';
import { sessionsOf, type EngagementRow, type SessionRow } from '../../../db/repositories/brand-engagements.js';
import { storedEngagementView, storedSession, type StoredSession } from '../../../db/repositories/brand-engagement-view.js';
import { findProgramYear } from '../../../db/repositories/program-years.js';
import { isEngagementOverdue, isPastSupportEnd, isSessionOverdue, sessionDueAt } from '../../../domain/brand/overdue.js';
import type { BrandMeasure, EngagementStatus } from '../../../domain/brand/engagement.js';
import type { RegionalBrandYear } from '../../../domain/program-year.js';
import { parseInstant, toJstIso } from '../../../domain/time.js';

export type YearRules = Pick<RegionalBrandYear, 'supportEndsAt' | 'sessionGraceDays'>;

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

/** A session as the API shows it: `overdue` from its flag or the rule at `now`. */
export function sessionView(stored: StoredSession, rules: YearRules, now: number) {
  const { overdueFlag, ...session } = stored;
  return {
    ...session,
    overdue: isSessionOverdue({ status: stored.status, scheduledAt: Date.parse(stored.scheduledAt), overdueFlag }, rules.sessionGraceDays, now),
  };
}

function overdueOf(status: EngagementStatus, pastSupportEndFlag: boolean, sessions: { overdue: boolean }[], rules: YearRules, now: number) {
  const pastSupportEnd = isPastSupportEnd(status, parseInstant(rules.supportEndsAt) ?? Infinity, pastSupportEndFlag, now);
  return { pastSupportEnd, overdue: isEngagementOverdue(status, pastSupportEnd, sessions.map((s) => s.overdue)) };
}

export function summaryView(row: EngagementRow, sessions: SessionRow[], rules: YearRules, now: number) {
  const status = row.status as EngagementStatus;
  const { overdue } = overdueOf(status, row.past_support_end_at !== null, sessions.map((s) => sessionView(storedSession(s), rules, now)), rules, now);
  return {
    id: row.id, programYearId: row.program_year_id, applicantId: row.applicant_id, productName: row.product_name, municipality: row.municipality,
    goals: row.goals as BrandMeasure[], status, supportLeaderId: row.support_leader_id,
    receivedAt: toJstIso(row.received_at), overdue, createdAt: toJstIso(row.created_at),
  };
}

/** The page of a list, with each engagement's overdue worked out from its sessions. */
export async function summaries(db: Db, rows: EngagementRow[], now: number) {
  const [sessions, rules] = await Promise.all([sessionsOf(db, rows.map((r) => r.id)), rulesOf(db, rows.map((r) => r.program_year_id))]);
  return rows.map((row) => summaryView(row, sessions.filter((s) => s.engagement_id === row.id), rulesFor(rules, row.program_year_id), now));
}

/** The whole engagement: its stored view, and what the clock decides (overdue) worked out now. */
export async function engagementView(db: Db, id: string, now: number) {
  const stored = await storedEngagementView(db, id);
  const rules = rulesFor(await rulesOf(db, [stored.programYearId]), stored.programYearId);
  const { pastSupportEndFlag, sessions: storedSessions, ...view } = stored;
  const sessions = storedSessions.map((s) => sessionView(s, rules, now));
  const { overdue, pastSupportEnd } = overdueOf(stored.status, pastSupportEndFlag, sessions, rules, now);
  return { ...view, sessions, overdue, supportEndsAt: rules.supportEndsAt, pastSupportEnd };
}

export function myDueAt(row: SessionRow, rules: YearRules): string {
  return toJstIso(sessionDueAt(row.scheduled_at.getTime(), rules.sessionGraceDays));
}

// The stored view of a brand engagement, rebuilt in the same transaction as each change (by
// the activities' transaction helper): everything GET shows but what depends on the clock,
// which the API adds at read time from each session's overdue flag (api/routes/brand-engagements/view.ts).
import { sql } from 'kysely';
import type { DbOrTrx, Trx } from '../database.js';
import { listHistory, lockedWithReceipt, receiptSelection } from '../history.js';
import type { EngagementRow, SessionRow } from './brand-engagements.js';
import { actionPlanOf, getEngagement, sessionsOf } from './brand-engagements.js';
import type { BrandMeasure, EngagementStatus } from '../../domain/brand/engagement.js';
import type { SessionKind, SessionStatus } from '../../domain/brand/plan.js';
import { toJstIso } from '../../domain/time.js';

export const BRAND_ENGAGEMENT = 'brand_engagement';

const iso = (d: Date | null): string | null => (d === null ? null : toJstIso(d));

/** A session as stored: `overdueFlag` is what its timer wrote; `overdue` is worked out at read time. */
export function storedSession(row: SessionRow) {
  return {
    id: row.id, title: row.title, kind: row.kind as SessionKind, lecturerName: row.lecturer_name, lecturerOrganization: row.lecturer_organization,
    scheduledAt: toJstIso(row.scheduled_at), status: row.status as SessionStatus, overdueFlag: row.overdue_at !== null,
    heldAt: iso(row.held_at), attendeeCount: row.attendee_count, summary: row.summary, cancelledAt: iso(row.cancelled_at),
  };
}

export type StoredSession = ReturnType<typeof storedSession>;
/** The engagement as GET shows it, each session with its overdue flag instead of `overdue`. */
export type StoredEngagementView = Awaited<ReturnType<typeof buildEngagementView>>;

export async function buildEngagementView(db: DbOrTrx, row: EngagementRow) {
  const [sessions, plan, history] = await Promise.all([sessionsOf(db, [row.id]), actionPlanOf(db, row.id), listHistory(db, BRAND_ENGAGEMENT, row.id, toJstIso)]);
  return {
    id: row.id, programYearId: row.program_year_id, applicantId: row.applicant_id, productName: row.product_name, municipality: row.municipality,
    goals: row.goals as BrandMeasure[], background: row.background, issues: row.issues, receivedAt: toJstIso(row.received_at),
    status: row.status as EngagementStatus,
    selection: row.decided_at === null ? null : { selected: row.status !== 'not_selected', reason: row.selection_reason, decidedAt: toJstIso(row.decided_at) },
    supportLeaderId: row.support_leader_id, direction: row.direction, measures: row.measures as BrandMeasure[] | null,
    hearing: row.hearing,
    sessions: sessions.map(storedSession),
    actionPlan: plan ? { summary: plan.summary, actions: plan.actions, revision: plan.revision, recordedAt: toJstIso(plan.recorded_at), recordedBy: plan.recorded_by } : null,
    pastSupportEndFlag: row.past_support_end_at !== null,
    withdrawalReason: row.withdrawal_reason,
    createdAt: toJstIso(row.created_at), updatedAt: toJstIso(row.updated_at),
    history,
  };
}

/** Rebuild the stored view; every writer calls this in its own transaction, after its writes. */
export async function refreshEngagementView(db: DbOrTrx, id: string): Promise<StoredEngagementView> {
  const view = await buildEngagementView(db, await getEngagement(db, id));
  const text = JSON.stringify(view);
  await db.insertInto('brand_engagement_views').values({ engagement_id: id, view: text, updated_at: sql`now()` })
    .onConflict((oc) => oc.column('engagement_id').doUpdateSet({ view: text, updated_at: sql`now()` })).execute();
  return view;
}

/** The stored view (an engagement written before views were stored gets one now). */
export async function storedEngagementView(db: DbOrTrx, id: string): Promise<StoredEngagementView> {
  const row = await db.selectFrom('brand_engagement_views').select('view').where('engagement_id', '=', id).executeTakeFirst();
  return row ? row.view as StoredEngagementView : refreshEngagementView(db, id);
}

/** How the activities' transaction helper (activities/kernel) locks an engagement and finds a receipt. */
export const BRAND_ENGAGEMENT_TABLE = {
  entityType: BRAND_ENGAGEMENT,
  // The row lock and the receipt in one round trip.
  lock: async (trx: Trx, id: string, eventKey: string) => lockedWithReceipt(await trx.selectFrom('brand_engagements').selectAll()
    .select(receiptSelection(eventKey)).where('id', '=', id).forUpdate().executeTakeFirst()),
  refreshView: refreshEngagementView,
};

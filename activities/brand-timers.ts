// Activities the engagement's durable timers run: reminders to the support leader, overdue
// flags with a notice to staff, and the re-check when the program year's rules move. Each is
// one transaction on the activities' kernel (the engagement row locked, the event's receipt
// checked, the stored view rebuilt); flags are conditional on the row still being what the
// timer saw, so a firing that lost a race with a reschedule changes nothing.
import type { ActivityDeps } from './deps.js';
import { caseTransactions } from './kernel/case-transaction.js';
import { enqueueNotification } from '../db/outbox.js';
import { BRAND_ENGAGEMENT_TABLE } from '../db/repositories/brand-engagement-view.js';
import { isClosed, type EngagementStatus } from '../domain/brand/engagement.js';
import { isPastSupportEnd, isSessionOverdue } from '../domain/brand/overdue.js';
import { toJstIso } from '../domain/time.js';
import type { EngagementRules } from '../workflows/brand-engagement-messages.js';

const SYSTEM = 'system';
/** Staff share one mailbox for what needs chasing. */
export const STAFF_RECIPIENT = 'staff';
export const expertRecipient = (expertId: string): string => `expert:${expertId}`;

export function createBrandTimerActivities(deps: ActivityDeps) {
  const { db } = deps;
  const { onCase, history } = caseTransactions(db, BRAND_ENGAGEMENT_TABLE);
  return {
    /** Three days ahead (or at once if nearer): one reminder per session and date, to the leader. */
    async sendSessionReminder(a: { engagementId: string; sessionId: string; scheduledAt: string }): Promise<{ sent: boolean }> {
      return db.transaction().execute(async (trx) => {
        const row = await trx.selectFrom('brand_sessions as s').innerJoin('brand_engagements as e', 'e.id', 's.engagement_id')
          .leftJoin('experts as x', 'x.id', 'e.support_leader_id')
          .select(['s.title', 's.kind', 's.lecturer_name', 's.scheduled_at', 's.status', 'e.product_name', 'e.municipality', 'e.support_leader_id', 'x.name as leader_name', 'x.email as leader_email'])
          .where('s.id', '=', a.sessionId).executeTakeFirst();
        if (!row || row.status !== 'scheduled' || row.scheduled_at.getTime() !== Date.parse(a.scheduledAt) || !row.support_leader_id) return { sent: false };
        const when = toJstIso(row.scheduled_at);
        await enqueueNotification(trx, {
          dedupeKey: `brand:session-reminder:${a.sessionId}:${when}`, recipient: expertRecipient(row.support_leader_id), kind: 'brand_session_reminder',
          subject: `【${row.product_name}】${row.title}（${when.slice(0, 16).replace('T', ' ')}）`,
          payload: { engagementId: a.engagementId, sessionId: a.sessionId, title: row.title, kind: row.kind, lecturerName: row.lecturer_name, scheduledAt: when,
            productName: row.product_name, municipality: row.municipality, leaderName: row.leader_name, leaderEmail: row.leader_email },
        });
        return { sent: true };
      });
    },

    /** The session's grace period ran out while it was still scheduled for that date. */
    async markSessionOverdue(a: { engagementId: string; sessionId: string; scheduledAt: string; dueAt: string }): Promise<{ flagged: boolean }> {
      const dueAt = toJstIso(Date.parse(a.dueAt));
      const receipt = { caseId: a.engagementId, eventKey: `brand:${a.sessionId}:overdue:${dueAt}`, actor: SYSTEM, at: dueAt };
      return onCase(receipt, async (trx, engagement) => {
        const session = await trx.selectFrom('brand_sessions').select(['title', 'status', 'scheduled_at', 'overdue_at']).where('id', '=', a.sessionId).executeTakeFirstOrThrow();
        if (session.status !== 'scheduled' || session.scheduled_at.getTime() !== Date.parse(a.scheduledAt)) return { flagged: false };
        if (session.overdue_at !== null) return { flagged: true };
        await trx.updateTable('brand_sessions').set({ overdue_at: a.dueAt }).where('id', '=', a.sessionId).execute();
        const scheduledAt = toJstIso(session.scheduled_at);
        await history(trx, receipt, 'session_overdue', engagement.status, engagement.status, { sessionId: a.sessionId, title: session.title, scheduledAt, dueAt });
        await enqueueNotification(trx, { dedupeKey: `brand:session-overdue:${a.sessionId}:${dueAt}`, recipient: STAFF_RECIPIENT, kind: 'brand_session_overdue',
          subject: `【${engagement.product_name}】未報告のセッション: ${session.title}（${scheduledAt.slice(0, 10)}）`,
          payload: { engagementId: a.engagementId, sessionId: a.sessionId, title: session.title, scheduledAt, dueAt } });
        return { flagged: true };
      }, () => ({ flagged: true }));
    },

    /** supportEndsAt passed and the engagement is still open. */
    async markPastSupportEnd(a: { engagementId: string; supportEndsAt: string }): Promise<{ flagged: boolean }> {
      const endsAt = toJstIso(Date.parse(a.supportEndsAt));
      const receipt = { caseId: a.engagementId, eventKey: `brand:${a.engagementId}:support-end:${endsAt}`, actor: SYSTEM, at: endsAt };
      return onCase(receipt, async (trx, row) => {
        if (isClosed(row.status as EngagementStatus)) return { flagged: false };
        if (row.past_support_end_at !== null) return { flagged: true };
        await trx.updateTable('brand_engagements').set({ past_support_end_at: a.supportEndsAt }).where('id', '=', a.engagementId).execute();
        await history(trx, receipt, 'support_period_ended', row.status, row.status, { supportEndsAt: endsAt });
        await enqueueNotification(trx, { dedupeKey: `brand:support-end:${a.engagementId}:${endsAt}`, recipient: STAFF_RECIPIENT, kind: 'brand_engagement_overdue',
          subject: `【${row.product_name}】支援期間終了時点で未完了（${row.status}）`, payload: { engagementId: a.engagementId, status: row.status, supportEndsAt: endsAt } });
        return { flagged: true };
      }, () => ({ flagged: true }));
    },

    /**
     * The year's deadlines moved: flags that are no longer due under the new rules clear now
     * (so a read right after the PUT is right); flags that became due are set by the restarted timers.
     */
    async applyRulesChange(a: { engagementId: string; rules: EngagementRules; revision: number | null; now: string; eventKey: string }): Promise<{ clearedSessionIds: string[]; supportEndCleared: boolean }> {
      const receipt = { caseId: a.engagementId, eventKey: a.eventKey, actor: SYSTEM, at: a.now };
      return onCase(receipt, async (trx, row) => {
        const now = Date.parse(a.now);
        const status = row.status as EngagementStatus;
        const flagged = await trx.selectFrom('brand_sessions').select(['id', 'scheduled_at']).where('engagement_id', '=', a.engagementId).where('overdue_at', 'is not', null).execute();
        const clearedSessionIds = flagged
          .filter((s) => !isSessionOverdue({ status: 'scheduled', scheduledAt: s.scheduled_at.getTime(), overdueFlag: false }, a.rules.sessionGraceDays, now))
          .map((s) => s.id);
        if (clearedSessionIds.length > 0) await trx.updateTable('brand_sessions').set({ overdue_at: null }).where('id', 'in', clearedSessionIds).execute();
        const supportEndCleared = row.past_support_end_at !== null && !isPastSupportEnd(status, Date.parse(a.rules.supportEndsAt), false, now);
        if (supportEndCleared) await trx.updateTable('brand_engagements').set({ past_support_end_at: null }).where('id', '=', a.engagementId).execute();
        await history(trx, receipt, 'program_year_changed', row.status, row.status, { ...a.rules, revision: a.revision, clearedSessionIds, supportEndCleared });
        return { clearedSessionIds, supportEndCleared };
      }, () => ({ clearedSessionIds: [], supportEndCleared: false }));
    },
  };
}

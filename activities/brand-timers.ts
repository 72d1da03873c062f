// Activities the engagement's durable timers run: reminders to the support leader, overdue
// flags with a notice to staff, and the re-check when the program year's rules move. Each
// is one transaction; flags are conditional on the row still being what the timer saw, so a
// firing that lost a race with a reschedule changes nothing.
import type { ActivityDeps } from './deps.js';
import { recordHistory } from '../db/history.js';
import { enqueueNotification } from '../db/outbox.js';
import { isClosed, type EngagementStatus } from '../domain/brand/engagement.js';
import { DAY_MS, toJstIso } from '../domain/time.js';
import type { EngagementRules } from '../workflows/brand-engagement-messages.js';

const ENTITY = 'brand_engagement';
const SYSTEM = 'system';
/** Staff share one mailbox for what needs chasing. */
export const STAFF_RECIPIENT = 'staff';
export const expertRecipient = (expertId: string): string => `expert:${expertId}`;


export function createBrandTimerActivities(deps: ActivityDeps) {
  const { db } = deps;
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
      return db.transaction().execute(async (trx) => {
        const engagement = await trx.selectFrom('brand_engagements').select(['status', 'product_name']).where('id', '=', a.engagementId).forUpdate().executeTakeFirstOrThrow();
        const session = await trx.selectFrom('brand_sessions').select(['title', 'status', 'scheduled_at', 'overdue_at']).where('id', '=', a.sessionId).executeTakeFirstOrThrow();
        if (session.status !== 'scheduled' || session.scheduled_at.getTime() !== Date.parse(a.scheduledAt)) return { flagged: false };
        if (session.overdue_at !== null) return { flagged: true };
        await trx.updateTable('brand_sessions').set({ overdue_at: a.dueAt }).where('id', '=', a.sessionId).execute();
        const scheduledAt = toJstIso(session.scheduled_at);
        const dueAt = toJstIso(Date.parse(a.dueAt));
        await recordHistory(trx, { entityType: ENTITY, entityId: a.engagementId, at: new Date(a.dueAt), type: 'session_overdue', actor: SYSTEM,
          fromStatus: engagement.status, toStatus: engagement.status, detail: { sessionId: a.sessionId, title: session.title, scheduledAt, dueAt },
          eventKey: `brand:${a.sessionId}:overdue:${dueAt}` });
        await enqueueNotification(trx, { dedupeKey: `brand:session-overdue:${a.sessionId}:${dueAt}`, recipient: STAFF_RECIPIENT, kind: 'brand_session_overdue',
          subject: `【${engagement.product_name}】未報告のセッション: ${session.title}（${scheduledAt.slice(0, 10)}）`,
          payload: { engagementId: a.engagementId, sessionId: a.sessionId, title: session.title, scheduledAt, dueAt } });
        return { flagged: true };
      });
    },

    /** supportEndsAt passed and the engagement is still open. */
    async markPastSupportEnd(a: { engagementId: string; supportEndsAt: string }): Promise<{ flagged: boolean }> {
      return db.transaction().execute(async (trx) => {
        const row = await trx.selectFrom('brand_engagements').select(['status', 'product_name', 'past_support_end_at']).where('id', '=', a.engagementId).forUpdate().executeTakeFirstOrThrow();
        if (isClosed(row.status as EngagementStatus)) return { flagged: false };
        if (row.past_support_end_at !== null) return { flagged: true };
        await trx.updateTable('brand_engagements').set({ past_support_end_at: a.supportEndsAt }).where('id', '=', a.engagementId).execute();
        const endsAt = toJstIso(Date.parse(a.supportEndsAt));
        await recordHistory(trx, { entityType: ENTITY, entityId: a.engagementId, at: new Date(a.supportEndsAt), type: 'support_period_ended', actor: SYSTEM,
          fromStatus: row.status, toStatus: row.status, detail: { supportEndsAt: endsAt }, eventKey: `brand:${a.engagementId}:support-end:${endsAt}` });
        await enqueueNotification(trx, { dedupeKey: `brand:support-end:${a.engagementId}:${endsAt}`, recipient: STAFF_RECIPIENT, kind: 'brand_engagement_overdue',
          subject: `【${row.product_name}】支援期間終了時点で未完了（${row.status}）`, payload: { engagementId: a.engagementId, status: row.status, supportEndsAt: endsAt } });
        return { flagged: true };
      });
    },

    /**
     * The year's deadlines moved: flags that are no longer due clear now (so a read right
     * after the PUT is right); flags that became due are set by the restarted timers.
     */
    async applyRulesChange(a: { engagementId: string; rules: EngagementRules; revision: number | null; now: string; eventKey: string }): Promise<{ clearedSessionIds: string[]; supportEndCleared: boolean }> {
      return db.transaction().execute(async (trx) => {
        const row = await trx.selectFrom('brand_engagements').select(['status', 'past_support_end_at']).where('id', '=', a.engagementId).forUpdate().executeTakeFirstOrThrow();
        const now = Date.parse(a.now);
        const flagged = await trx.selectFrom('brand_sessions').select(['id', 'scheduled_at']).where('engagement_id', '=', a.engagementId).where('overdue_at', 'is not', null).execute();
        const clearedSessionIds = flagged.filter((s) => s.scheduled_at.getTime() + a.rules.sessionGraceDays * DAY_MS > now).map((s) => s.id);
        if (clearedSessionIds.length > 0) await trx.updateTable('brand_sessions').set({ overdue_at: null }).where('id', 'in', clearedSessionIds).execute();
        const supportEndCleared = row.past_support_end_at !== null && Date.parse(a.rules.supportEndsAt) > now;
        if (supportEndCleared) await trx.updateTable('brand_engagements').set({ past_support_end_at: null }).where('id', '=', a.engagementId).execute();
        await recordHistory(trx, { entityType: ENTITY, entityId: a.engagementId, at: new Date(a.now), type: 'program_year_changed', actor: SYSTEM,
          fromStatus: row.status, toStatus: row.status, detail: { ...a.rules, revision: a.revision, clearedSessionIds, supportEndCleared }, eventKey: a.eventKey });
        return { clearedSessionIds, supportEndCleared };
      });
    },
  };
}

// Activities of the engagement workflow's commands, on the activities' kernel
// (kernel/case-transaction.ts): each is one transaction that locks the engagement, checks the
// command's receipt and the status table, writes the rows, the history entry (with the actor)
// and the stored view together, so a retried activity writes nothing twice.
import type { ActivityDeps } from './deps.js';
import { ruleRefusalsAreFinal } from './failures.js';
import type { Trx } from '../db/database.js';
import type { EngagementRow } from '../db/repositories/brand-engagements.js';
import { BRAND_ENGAGEMENT_TABLE, refreshEngagementView } from '../db/repositories/brand-engagement-view.js';
import { caseTransactions, type Receipt } from './kernel/case-transaction.js';
import { assertCommandAllowed, capacityReached, HOLDS_PLACE, unknownExpert, type EngagementCommand, type EngagementStatus } from '../domain/brand/engagement.js';
import type { RegionalBrandYear } from '../domain/program-year.js';
import type { ActionPlan, CommandMeta, EngagementRules, Hearing, Intake, NewSession } from '../workflows/brand-engagement-messages.js';
import { createBrandTimerActivities } from './brand-timers.js';


interface Keyed extends CommandMeta {
  engagementId: string;
  /** Unique per command of the workflow: the history row's event_key. */
  eventKey: string;
}

const sessionValues = (engagementId: string, s: NewSession, position: number) => ({
  id: s.id, engagement_id: engagementId, position, title: s.title, kind: s.kind, lecturer_name: s.lecturerName,
  lecturer_organization: s.lecturerOrganization, scheduled_at: s.scheduledAt, status: 'scheduled',
});

export function createBrandActivities(deps: ActivityDeps) {
  const { db } = deps;
  const kernel = caseTransactions(db, BRAND_ENGAGEMENT_TABLE);
  const receiptOf = (a: Keyed): Receipt => ({ caseId: a.engagementId, eventKey: a.eventKey, actor: a.actor, at: a.at });
  /** One command on one engagement, allowed by its status table under the row lock. */
  const onEngagement = (a: Keyed, command: EngagementCommand, apply: (trx: Trx, row: EngagementRow) => Promise<void>): Promise<void> =>
    kernel.onCase(receiptOf(a), async (trx, row) => {
      assertCommandAllowed(command, row.status as EngagementStatus);
      await apply(trx, row);
    }, () => undefined);
  const history = (trx: Trx, a: Keyed, type: string, fromStatus: string, toStatus: string, detail: Record<string, unknown>) =>
    kernel.history(trx, receiptOf(a), type, fromStatus, toStatus, detail);

  return {
    ...createBrandTimerActivities(deps),

    /**
     * Writes the engagement and answers the year's rules as they are now, read under a share
     * lock in the same transaction: a PUT of the year either commits first (and this
     * engagement starts with its rules) or waits for this row (and its fan-out finds it).
     */
    async recordApplication(a: Keyed & { programYearId: string; intake: Intake }): Promise<{ rules: EngagementRules; revision: number }> {
      return ruleRefusalsAreFinal(() => db.transaction().execute(async (trx) => {
        const year = await trx.selectFrom('program_years').select(['rules', 'revision']).where('id', '=', a.programYearId).forShare().executeTakeFirstOrThrow();
        const rules = year.rules as RegionalBrandYear;
        const current = { rules: { supportEndsAt: rules.supportEndsAt, sessionGraceDays: rules.sessionGraceDays }, revision: year.revision };
        const done = await trx.selectFrom('history').select('id').where('event_key', '=', a.eventKey).executeTakeFirst();
        if (done) return current;
        const i = a.intake;
        await trx.insertInto('brand_engagements').values({
          id: a.engagementId, program_year_id: a.programYearId, applicant_id: i.applicantId, product_name: i.productName,
          municipality: i.municipality, goals: i.goals, background: i.background, issues: i.issues, received_at: i.receivedAt,
          status: 'applied', created_at: a.at, updated_at: a.at,
        }).onConflict((oc) => oc.column('id').doNothing()).execute();
        await kernel.history(trx, receiptOf(a), 'applied', null, 'applied',
          { programYearId: a.programYearId, applicantId: i.applicantId, productName: i.productName, municipality: i.municipality, goals: i.goals, receivedAt: i.receivedAt });
        await refreshEngagementView(trx, a.engagementId);
        return current;
      }));
    },

    /**
     * Capacity lives in PostgreSQL: the program year row is locked (SELECT … FOR UPDATE, after
     * the engagement's own row) for the count and the write, so concurrent selections of one
     * year queue here and the (capacity + 1)th is refused whatever the workflows believe.
     */
    async decideSelection(a: Keyed & { programYearId: string; selected: boolean; reason: string | null }): Promise<void> {
      await onEngagement(a, 'selection', async (trx, row) => {
        const year = await trx.selectFrom('program_years').select('rules').where('id', '=', a.programYearId).forUpdate().executeTakeFirstOrThrow();
        const capacity = (year.rules as RegionalBrandYear).capacity;
        if (a.selected) {
          const { taken } = await trx.selectFrom('brand_engagements').select((eb) => eb.fn.countAll<number>().as('taken'))
            .where('program_year_id', '=', a.programYearId).where('status', 'in', HOLDS_PLACE).executeTakeFirstOrThrow();
          if (taken >= capacity) throw capacityReached(capacity);
        }
        const to: EngagementStatus = a.selected ? 'selected' : 'not_selected';
        await trx.updateTable('brand_engagements').set({ status: to, selection_reason: a.reason, decided_at: a.at, updated_at: a.at }).where('id', '=', a.engagementId).execute();
        await history(trx, a, a.selected ? 'selected' : 'not_selected', row.status, to, { selected: a.selected, reason: a.reason, capacity });
      });
    },

    async recordHearing(a: Keyed & { hearing: Hearing }): Promise<void> {
      await onEngagement(a, 'hearing', async (trx, row) => {
        await trx.updateTable('brand_engagements').set({ status: 'hearing_done', hearing: JSON.stringify(a.hearing), updated_at: a.at }).where('id', '=', a.engagementId).execute();
        await history(trx, a, 'hearing_recorded', row.status, 'hearing_done', { ...a.hearing });
      });
    },

    async recordPlan(a: Keyed & { supportLeaderId: string; direction: string; measures: string[]; sessions: NewSession[] }): Promise<void> {
      await onEngagement(a, 'plan', async (trx, row) => {
        const leader = await trx.selectFrom('experts').select('id').where('id', '=', a.supportLeaderId).executeTakeFirst();
        if (!leader) throw unknownExpert(a.supportLeaderId);
        await trx.updateTable('brand_engagements').set({ status: 'in_support', support_leader_id: a.supportLeaderId, direction: a.direction, measures: a.measures, updated_at: a.at })
          .where('id', '=', a.engagementId).execute();
        await trx.insertInto('brand_sessions').values(a.sessions.map((s, i) => sessionValues(a.engagementId, s, i))).onConflict((oc) => oc.column('id').doNothing()).execute();
        await history(trx, a, 'plan_set', row.status, 'in_support', {
          supportLeaderId: a.supportLeaderId, direction: a.direction, measures: a.measures,
          sessions: a.sessions.map((s) => ({ id: s.id, title: s.title, kind: s.kind, scheduledAt: s.scheduledAt })),
        });
      });
    },

    async addSession(a: Keyed & { session: NewSession }): Promise<void> {
      await onEngagement(a, 'add session', async (trx, row) => {
        const { last } = await trx.selectFrom('brand_sessions').select((eb) => eb.fn.max<number | null>('position').as('last')).where('engagement_id', '=', a.engagementId).executeTakeFirstOrThrow();
        await trx.insertInto('brand_sessions').values(sessionValues(a.engagementId, a.session, (last ?? -1) + 1)).execute();
        await history(trx, a, 'session_added', row.status, row.status, { sessionId: a.session.id, title: a.session.title, kind: a.session.kind, lecturerName: a.session.lecturerName, scheduledAt: a.session.scheduledAt });
      });
    },

    /** Moving a session clears its overdue flag: the workflow restarts its timer from the new date. */
    async rescheduleSession(a: Keyed & { sessionId: string; scheduledAt: string }): Promise<void> {
      await onEngagement(a, 'reschedule session', async (trx, row) => {
        const before = await trx.selectFrom('brand_sessions').select('scheduled_at').where('id', '=', a.sessionId).executeTakeFirstOrThrow();
        await trx.updateTable('brand_sessions').set({ scheduled_at: a.scheduledAt, overdue_at: null })
          .where('id', '=', a.sessionId).where('engagement_id', '=', a.engagementId).where('status', '=', 'scheduled').execute();
        await history(trx, a, 'session_rescheduled', row.status, row.status, { sessionId: a.sessionId, from: before.scheduled_at.toISOString(), to: a.scheduledAt });
      });
    },

    async cancelSession(a: Keyed & { sessionId: string }): Promise<void> {
      await onEngagement(a, 'cancel session', async (trx, row) => {
        await trx.updateTable('brand_sessions').set({ status: 'cancelled', cancelled_at: a.at, overdue_at: null })
          .where('id', '=', a.sessionId).where('engagement_id', '=', a.engagementId).where('status', '=', 'scheduled').execute();
        await history(trx, a, 'session_cancelled', row.status, row.status, { sessionId: a.sessionId });
      });
    },

    /** The workflow decides whether this report completes the engagement; both are written together. */
    async completeSession(a: Keyed & { sessionId: string; heldAt: string; attendeeCount: number; summary: string; completesEngagement: boolean }): Promise<void> {
      await onEngagement(a, 'complete session', async (trx, row) => {
        await trx.updateTable('brand_sessions').set({ status: 'held', held_at: a.heldAt, attendee_count: a.attendeeCount, summary: a.summary, overdue_at: null })
          .where('id', '=', a.sessionId).where('engagement_id', '=', a.engagementId).where('status', '=', 'scheduled').execute();
        const to = a.completesEngagement ? 'completed' : row.status;
        if (a.completesEngagement) await trx.updateTable('brand_engagements').set({ status: to, updated_at: a.at }).where('id', '=', a.engagementId).execute();
        await history(trx, a, 'session_held', row.status, to, { sessionId: a.sessionId, heldAt: a.heldAt, attendeeCount: a.attendeeCount, summary: a.summary, engagementCompleted: a.completesEngagement });
      });
    },

    /** A later action plan replaces the earlier one (plans are revised with the region); history keeps each. */
    async recordActionPlan(a: Keyed & { actionPlan: ActionPlan }): Promise<void> {
      await onEngagement(a, 'action plan', async (trx, row) => {
        const saved = await trx.insertInto('brand_action_plans').values({
          engagement_id: a.engagementId, summary: a.actionPlan.summary, actions: JSON.stringify(a.actionPlan.actions), recorded_at: a.at, recorded_by: a.actor,
        }).onConflict((oc) => oc.column('engagement_id').doUpdateSet((eb) => ({
          summary: eb.ref('excluded.summary'), actions: eb.ref('excluded.actions'), recorded_at: eb.ref('excluded.recorded_at'),
          recorded_by: eb.ref('excluded.recorded_by'), revision: eb('brand_action_plans.revision', '+', 1),
        }))).returning('revision').executeTakeFirstOrThrow();
        await history(trx, a, 'action_plan_recorded', row.status, row.status, { revision: saved.revision, ...a.actionPlan });
      });
    },

    /** Sessions still scheduled will not take place: they are cancelled with the engagement. */
    async withdraw(a: Keyed & { reason: string }): Promise<void> {
      await onEngagement(a, 'withdrawal', async (trx, row) => {
        const cancelled = await trx.updateTable('brand_sessions').set({ status: 'cancelled', cancelled_at: a.at, overdue_at: null })
          .where('engagement_id', '=', a.engagementId).where('status', '=', 'scheduled').returning('id').execute();
        await trx.updateTable('brand_engagements').set({ status: 'withdrawn', withdrawal_reason: a.reason, updated_at: a.at }).where('id', '=', a.engagementId).execute();
        await history(trx, a, 'withdrawn', row.status, 'withdrawn', { reason: a.reason, cancelledSessionIds: cancelled.map((c) => c.id) });
      });
    },
  };
}

// Activities of an expert dispatch's workflow (Program C), on the activities' kernel: each one
// transaction that locks the dispatch, checks the command's receipt and the status table,
// writes rows, history (with the actor) and the stored view together. The year's number of
// companies is counted under the program year's row lock (as brand capacity is), so
// concurrent acceptances never pass it. The timers' activities (reminders to the expert,
// overdue visits and the fiscal year's end with a notice to staff) live here too.
import type { ActivityDeps } from './deps.js';
import { ruleRefusalsAreFinal } from './failures.js';
import type { Trx } from '../db/database.js';
import { enqueueNotification } from '../db/outbox.js';
import { DESIGN_DISPATCH_TABLE, refreshDispatchView, type DispatchRow } from '../db/repositories/design-dispatches.js';
import { caseTransactions, type Receipt } from './kernel/case-transaction.js';
import { DomainError } from '../domain/errors.js';
import { DISPATCH_STATUS, HOLDS_COMPANY_PLACE, companiesReached, isDispatchClosed, unknownExpert, type DispatchCommand, type DispatchStatus } from '../domain/design/dispatch.js';
import { isVisitOverdue } from '../domain/design/timers.js';
import type { DesignManagementYear } from '../domain/program-year.js';
import { toJstIso } from '../domain/time.js';
import type { CommandMeta } from '../workflows/kernel/case-entity.js';
import { dispatchRulesOf, type ClosingReport, type DispatchIntake, type DispatchRules } from '../workflows/design-dispatch-messages.js';
import { STAFF_RECIPIENT, expertRecipient } from './brand-timers.js';

const SYSTEM = 'system';

interface Keyed extends CommandMeta {
  dispatchId: string;
  eventKey: string;
}

export function createDesignDispatchActivities(deps: ActivityDeps) {
  const { db } = deps;
  const kernel = caseTransactions(db, DESIGN_DISPATCH_TABLE);
  const receiptOf = (a: Keyed): Receipt => ({ caseId: a.dispatchId, eventKey: a.eventKey, actor: a.actor, at: a.at });
  const onDispatch = (a: Keyed, command: DispatchCommand, apply: (trx: Trx, row: DispatchRow) => Promise<void>): Promise<void> =>
    kernel.onCase(receiptOf(a), async (trx, row) => {
      DISPATCH_STATUS.assertCommandAllowed(command, row.status as DispatchStatus);
      await apply(trx, row);
    }, () => undefined);
  const history = (trx: Trx, r: Receipt, type: string, fromStatus: string, toStatus: string, detail: Record<string, unknown>) =>
    kernel.history(trx, r, type, fromStatus, toStatus, detail);
  const touch = (trx: Trx, id: string, at: string) => trx.updateTable('design_dispatches').set({ updated_at: at }).where('id', '=', id).execute();

  return {
    async recordDispatchApplication(a: Keyed & { programYearId: string; intake: DispatchIntake }): Promise<{ rules: DispatchRules; revision: number }> {
      return ruleRefusalsAreFinal(() => db.transaction().execute(async (trx) => {
        const year = await trx.selectFrom('program_years').select(['rules', 'revision']).where('id', '=', a.programYearId).forShare().executeTakeFirstOrThrow();
        const current = { rules: dispatchRulesOf(year.rules as DesignManagementYear), revision: year.revision };
        const done = await trx.selectFrom('history').select('id').where('event_key', '=', a.eventKey).executeTakeFirst();
        if (done) return current;
        const i = a.intake;
        await trx.insertInto('design_dispatches').values({
          id: a.dispatchId, program_year_id: a.programYearId, applicant_id: i.applicantId, issue: i.issue, source_registration_id: i.sourceRegistrationId,
          received_at: i.receivedAt, status: 'applied', created_at: a.at, updated_at: a.at,
        }).onConflict((oc) => oc.column('id').doNothing()).execute();
        await kernel.history(trx, receiptOf(a), 'applied', null, 'applied', { programYearId: a.programYearId, ...i });
        await refreshDispatchView(trx, a.dispatchId);
        return current;
      }));
    },

    /** Acceptance counts the year's companies under the program year's row lock (after the dispatch's own). */
    async decideDispatch(a: Keyed & { programYearId: string; accept: boolean; reason: string | null }): Promise<void> {
      await onDispatch(a, 'decision', async (trx, row) => {
        const year = await trx.selectFrom('program_years').select('rules').where('id', '=', a.programYearId).forUpdate().executeTakeFirstOrThrow();
        const companies = (year.rules as DesignManagementYear).dispatch.companies;
        if (a.accept) {
          const { taken } = await trx.selectFrom('design_dispatches').select((eb) => eb.fn.countAll<number>().as('taken'))
            .where('program_year_id', '=', a.programYearId).where('status', 'in', HOLDS_COMPANY_PLACE).executeTakeFirstOrThrow();
          if (taken >= companies) throw companiesReached(companies);
        }
        const to: DispatchStatus = a.accept ? 'accepted' : 'declined';
        await trx.updateTable('design_dispatches').set({ status: to, decision_reason: a.reason, decided_at: a.at, updated_at: a.at }).where('id', '=', row.id).execute();
        await history(trx, receiptOf(a), to, row.status, to, { accept: a.accept, reason: a.reason, companies });
      });
    },

    async assignExpert(a: Keyed & { expertId: string; plannedVisits: number }): Promise<void> {
      await onDispatch(a, 'assignment', async (trx, row) => {
        const expert = await trx.selectFrom('experts').select('id').where('id', '=', a.expertId).executeTakeFirst();
        if (!expert) throw unknownExpert(a.expertId);
        await trx.updateTable('design_dispatches').set({ status: 'assigned', expert_id: a.expertId, planned_visits: a.plannedVisits, updated_at: a.at }).where('id', '=', row.id).execute();
        await history(trx, receiptOf(a), 'assigned', row.status, 'assigned', { expertId: a.expertId, plannedVisits: a.plannedVisits });
      });
    },

    async addVisit(a: Keyed & { visitId: string; scheduledAt: string }): Promise<void> {
      await onDispatch(a, 'add visit', async (trx, row) => {
        const { last } = await trx.selectFrom('design_visits').select((eb) => eb.fn.max<number | null>('position').as('last')).where('dispatch_id', '=', row.id).executeTakeFirstOrThrow();
        await trx.insertInto('design_visits').values({ id: a.visitId, dispatch_id: row.id, position: (last ?? -1) + 1, scheduled_at: a.scheduledAt, status: 'scheduled', created_at: a.at }).execute();
        await touch(trx, row.id, a.at);
        await history(trx, receiptOf(a), 'visit_added', row.status, row.status, { visitId: a.visitId, scheduledAt: a.scheduledAt });
      });
    },

    async rescheduleVisit(a: Keyed & { visitId: string; scheduledAt: string }): Promise<void> {
      await onDispatch(a, 'reschedule visit', async (trx, row) => {
        const before = await trx.selectFrom('design_visits').select('scheduled_at').where('id', '=', a.visitId).executeTakeFirstOrThrow();
        await trx.updateTable('design_visits').set({ scheduled_at: a.scheduledAt, overdue_at: null })
          .where('id', '=', a.visitId).where('dispatch_id', '=', row.id).where('status', '=', 'scheduled').execute();
        await touch(trx, row.id, a.at);
        await history(trx, receiptOf(a), 'visit_rescheduled', row.status, row.status, { visitId: a.visitId, from: toJstIso(before.scheduled_at), to: a.scheduledAt });
      });
    },

    async cancelVisit(a: Keyed & { visitId: string }): Promise<void> {
      await onDispatch(a, 'cancel visit', async (trx, row) => {
        await trx.updateTable('design_visits').set({ status: 'cancelled', cancelled_at: a.at, overdue_at: null })
          .where('id', '=', a.visitId).where('dispatch_id', '=', row.id).where('status', '=', 'scheduled').execute();
        await touch(trx, row.id, a.at);
        await history(trx, receiptOf(a), 'visit_cancelled', row.status, row.status, { visitId: a.visitId });
      });
    },

    async completeVisit(a: Keyed & { visitId: string; heldAt: string; hours: number; summary: string }): Promise<void> {
      await onDispatch(a, 'complete visit', async (trx, row) => {
        await trx.updateTable('design_visits').set({ status: 'held', held_at: a.heldAt, hours: a.hours, summary: a.summary, overdue_at: null })
          .where('id', '=', a.visitId).where('dispatch_id', '=', row.id).where('status', '=', 'scheduled').execute();
        await touch(trx, row.id, a.at);
        await history(trx, receiptOf(a), 'visit_held', row.status, row.status, { visitId: a.visitId, heldAt: a.heldAt, hours: a.hours, summary: a.summary });
      });
    },

    /** The workflow has checked every visit is held or cancelled; the report and the completion are written together. */
    async recordReport(a: Keyed & { report: ClosingReport }): Promise<void> {
      await onDispatch(a, 'report', async (trx, row) => {
        const open = await trx.selectFrom('design_visits').select('id').where('dispatch_id', '=', row.id).where('status', '=', 'scheduled').executeTakeFirst();
        if (open) throw new DomainError('visits_open', `Visit ${open.id} is still scheduled`);
        const report = { ...a.report, recordedAt: a.at, recordedBy: a.actor };
        await trx.updateTable('design_dispatches').set({ status: 'completed', report: JSON.stringify(report), updated_at: a.at }).where('id', '=', row.id).execute();
        await history(trx, receiptOf(a), 'completed', row.status, 'completed', { ...a.report });
      });
    },

    async withdrawDispatch(a: Keyed & { reason: string }): Promise<void> {
      await onDispatch(a, 'withdrawal', async (trx, row) => {
        const cancelled = await trx.updateTable('design_visits').set({ status: 'cancelled', cancelled_at: a.at, overdue_at: null })
          .where('dispatch_id', '=', row.id).where('status', '=', 'scheduled').returning('id').execute();
        await trx.updateTable('design_dispatches').set({ status: 'withdrawn', withdrawal_reason: a.reason, updated_at: a.at }).where('id', '=', row.id).execute();
        await history(trx, receiptOf(a), 'withdrawn', row.status, 'withdrawn', { reason: a.reason, cancelledVisitIds: cancelled.map((c) => c.id) });
      });
    },

    /** `reminderDaysBefore` days ahead (at once if nearer): one reminder per visit and date, to the expert. */
    async sendVisitReminder(a: { dispatchId: string; visitId: string; scheduledAt: string }): Promise<{ sent: boolean }> {
      return db.transaction().execute(async (trx) => {
        const row = await trx.selectFrom('design_visits as v').innerJoin('design_dispatches as d', 'd.id', 'v.dispatch_id')
          .innerJoin('applicants as ap', 'ap.id', 'd.applicant_id').leftJoin('experts as x', 'x.id', 'd.expert_id')
          .select(['v.scheduled_at', 'v.status', 'd.expert_id', 'd.issue', 'ap.name as company', 'x.name as expert_name', 'x.email as expert_email'])
          .where('v.id', '=', a.visitId).executeTakeFirst();
        if (!row || row.status !== 'scheduled' || row.scheduled_at.getTime() !== Date.parse(a.scheduledAt) || !row.expert_id) return { sent: false };
        const when = toJstIso(row.scheduled_at);
        await enqueueNotification(trx, {
          dedupeKey: `design-dispatch:visit-reminder:${a.visitId}:${when}`, recipient: expertRecipient(row.expert_id), kind: 'design_visit_reminder',
          subject: `【専門家派遣】${row.company} 訪問予定（${when.slice(0, 16).replace('T', ' ')}）`,
          payload: { dispatchId: a.dispatchId, visitId: a.visitId, scheduledAt: when, company: row.company, issue: row.issue, expertName: row.expert_name, expertEmail: row.expert_email },
        });
        return { sent: true };
      });
    },

    /** The visit's grace period ran out while it was still scheduled for that date: flag it and tell staff. */
    async markVisitOverdue(a: { dispatchId: string; visitId: string; scheduledAt: string; dueAt: string }): Promise<{ flagged: boolean }> {
      const dueAt = toJstIso(Date.parse(a.dueAt));
      const receipt = { caseId: a.dispatchId, eventKey: `design-dispatch:${a.visitId}:overdue:${dueAt}`, actor: SYSTEM, at: dueAt };
      return kernel.onCase(receipt, async (trx, dispatch) => {
        const visit = await trx.selectFrom('design_visits').select(['status', 'scheduled_at', 'overdue_at']).where('id', '=', a.visitId).executeTakeFirstOrThrow();
        if (visit.status !== 'scheduled' || visit.scheduled_at.getTime() !== Date.parse(a.scheduledAt)) return { flagged: false };
        if (visit.overdue_at !== null) return { flagged: true };
        await trx.updateTable('design_visits').set({ overdue_at: a.dueAt }).where('id', '=', a.visitId).execute();
        const scheduledAt = toJstIso(visit.scheduled_at);
        await history(trx, receipt, 'visit_overdue', dispatch.status, dispatch.status, { visitId: a.visitId, scheduledAt, dueAt });
        await enqueueNotification(trx, { dedupeKey: `design-dispatch:visit-overdue:${a.visitId}:${dueAt}`, recipient: STAFF_RECIPIENT, kind: 'design_visit_overdue',
          subject: `【専門家派遣】未報告の訪問（${scheduledAt.slice(0, 10)}）`, payload: { dispatchId: a.dispatchId, visitId: a.visitId, expertId: dispatch.expert_id, scheduledAt, dueAt } });
        return { flagged: true };
      }, () => ({ flagged: true }));
    },

    /** The fiscal year ended with the dispatch still open: flag it and tell staff. */
    async markPastYearEnd(a: { dispatchId: string; fiscalYearEndsAt: string }): Promise<{ flagged: boolean }> {
      const endsAt = toJstIso(Date.parse(a.fiscalYearEndsAt));
      const receipt = { caseId: a.dispatchId, eventKey: `design-dispatch:${a.dispatchId}:year-end:${endsAt}`, actor: SYSTEM, at: endsAt };
      return kernel.onCase(receipt, async (trx, row) => {
        if (isDispatchClosed(row.status as DispatchStatus)) return { flagged: false };
        if (row.past_year_end_at !== null) return { flagged: true };
        await trx.updateTable('design_dispatches').set({ past_year_end_at: a.fiscalYearEndsAt }).where('id', '=', row.id).execute();
        await history(trx, receipt, 'fiscal_year_ended', row.status, row.status, { fiscalYearEndsAt: endsAt });
        await enqueueNotification(trx, { dedupeKey: `design-dispatch:year-end:${row.id}:${endsAt}`, recipient: STAFF_RECIPIENT, kind: 'design_dispatch_overdue',
          subject: `【専門家派遣】年度末時点で未完了（${row.status}）`, payload: { dispatchId: row.id, status: row.status, fiscalYearEndsAt: endsAt } });
        return { flagged: true };
      }, () => ({ flagged: true }));
    },

    /** The year's rules moved: visit flags no longer due clear now; the restarted timers set those that became due. */
    async applyDispatchRulesChange(a: { dispatchId: string; rules: DispatchRules; revision: number | null; now: string; eventKey: string }): Promise<{ clearedVisitIds: string[]; yearEndCleared: boolean }> {
      const receipt = { caseId: a.dispatchId, eventKey: a.eventKey, actor: SYSTEM, at: a.now };
      return kernel.onCase(receipt, async (trx, row) => {
        const now = Date.parse(a.now);
        const flagged = await trx.selectFrom('design_visits').select(['id', 'scheduled_at']).where('dispatch_id', '=', row.id).where('overdue_at', 'is not', null).execute();
        const clearedVisitIds = flagged.filter((v) => !isVisitOverdue({ status: 'scheduled', scheduledAt: v.scheduled_at.getTime(), overdueFlag: false }, a.rules.visitGraceDays, now)).map((v) => v.id);
        if (clearedVisitIds.length > 0) await trx.updateTable('design_visits').set({ overdue_at: null }).where('id', 'in', clearedVisitIds).execute();
        const yearEndCleared = row.past_year_end_at !== null && now < Date.parse(a.rules.fiscalYearEndsAt);
        if (yearEndCleared) await trx.updateTable('design_dispatches').set({ past_year_end_at: null }).where('id', '=', row.id).execute();
        await history(trx, receipt, 'program_year_changed', row.status, row.status, { ...a.rules, revision: a.revision, clearedVisitIds });
        return { clearedVisitIds, yearEndCleared };
      }, () => ({ clearedVisitIds: [], yearEndCleared: false }));
    },
  };
}

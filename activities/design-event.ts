// Activities of a design event's workflow (Program C), on the activities' kernel
// (kernel/case-transaction.ts): each is one transaction that locks the event row, checks the
// command's receipt and the status table, writes the rows, the history entry (with the actor)
// and the stored view together. Seats are counted here, under the event's row lock, so no
// interleaving of registrations and cancellations can oversell the event, whatever the
// workflow believes.
import type { ActivityDeps } from './deps.js';
import { ruleRefusalsAreFinal } from './failures.js';
import type { Trx } from '../db/database.js';
import { enqueueNotification } from '../db/outbox.js';
import { DESIGN_EVENT_TABLE, refreshEventView, type EventRow } from '../db/repositories/design-events.js';
import { caseTransactions, type Receipt } from './kernel/case-transaction.js';
import { DomainError, notFound } from '../domain/errors.js';
import {
  EVENT_STATUS, assertRegistrationOpen, initialEventStatus, notAnAttendee, placeOf, registrationClosedAt, unknownRegistration,
  type EventCommand, type EventStatus,
} from '../domain/design/event.js';
import type { DesignManagementYear } from '../domain/program-year.js';
import { toJstIso } from '../domain/time.js';
import type { CommandMeta } from '../workflows/kernel/case-entity.js';
import type { EventIntake, EventRules, NewRegistration, Survey } from '../workflows/design-event-messages.js';

const SYSTEM = 'system';

interface Keyed extends CommandMeta {
  eventId: string;
  eventKey: string;
}

/** Addresses compare trimmed and in lower case: Taro@Example.jp and taro@example.jp are one person. */
export const emailKey = (email: string): string => email.trim().toLowerCase();

const when = (d: Date): string => toJstIso(d).slice(0, 16).replace('T', ' ');

export function createDesignEventActivities(deps: ActivityDeps) {
  const { db } = deps;
  const kernel = caseTransactions(db, DESIGN_EVENT_TABLE);
  const receiptOf = (a: Keyed): Receipt => ({ caseId: a.eventId, eventKey: a.eventKey, actor: a.actor, at: a.at });
  const onEvent = <T = void>(a: Keyed, command: EventCommand, apply: (trx: Trx, row: EventRow) => Promise<T>, replay: () => T): Promise<T> =>
    kernel.onCase(receiptOf(a), async (trx, row) => {
      EVENT_STATUS.assertCommandAllowed(command, row.status as EventStatus);
      return apply(trx, row);
    }, replay);
  const history = (trx: Trx, r: Receipt, type: string, fromStatus: string, toStatus: string, detail: Record<string, unknown>) =>
    kernel.history(trx, r, type, fromStatus, toStatus, detail);

  const registrationOf = async (trx: Trx, eventId: string, id: string) => {
    const r = await trx.selectFrom('design_registrations').selectAll().where('id', '=', id).where('event_id', '=', eventId).executeTakeFirst();
    if (!r) throw notFound('Registration', id);
    return r;
  };

  /** Fill free seats from the waitlist, earliest first, and tell each promoted registrant. */
  const promote = async (trx: Trx, row: EventRow, at: string): Promise<string[]> => {
    const { taken } = await trx.selectFrom('design_registrations').select((eb) => eb.fn.countAll<number>().as('taken'))
      .where('event_id', '=', row.id).where('status', '=', 'registered').executeTakeFirstOrThrow();
    const free = row.capacity - taken;
    if (free <= 0) return [];
    const next = await trx.selectFrom('design_registrations').selectAll().where('event_id', '=', row.id).where('status', '=', 'waitlisted')
      .orderBy('seq').limit(free).execute();
    for (const r of next) {
      await trx.updateTable('design_registrations').set({ status: 'registered', promoted_at: at }).where('id', '=', r.id).execute();
      await enqueueNotification(trx, {
        dedupeKey: `design-event:promoted:${r.id}`, recipient: r.email, kind: 'design_registration_promoted',
        subject: `【${row.title}】キャンセル待ちから参加確定になりました（${when(row.starts_at)}）`,
        payload: { eventId: row.id, registrationId: r.id, name: r.name, title: row.title, startsAt: toJstIso(row.starts_at), venue: row.venue, city: row.city },
      });
    }
    return next.map((r) => r.id);
  };

  return {
    /** Writes the event and answers the year's rules as they are now (read under a share lock, as brand intake does). */
    async createEvent(a: Keyed & { programYearId: string; event: EventIntake }): Promise<{ rules: EventRules; revision: number; status: EventStatus }> {
      return ruleRefusalsAreFinal(() => db.transaction().execute(async (trx) => {
        const year = await trx.selectFrom('program_years').select(['rules', 'revision']).where('id', '=', a.programYearId).forShare().executeTakeFirstOrThrow();
        const rules = year.rules as DesignManagementYear;
        const e = a.event;
        const current = { rules: { reminderDaysBefore: rules.reminderDaysBefore }, revision: year.revision };
        const done = await trx.selectFrom('design_events').select('status').where('id', '=', a.eventId).executeTakeFirst();
        const hasReceipt = await trx.selectFrom('history').select('id').where('event_key', '=', a.eventKey).executeTakeFirst();
        if (done && hasReceipt) return { ...current, status: done.status as EventStatus };
        const status = initialEventStatus(Date.parse(e.startsAt), Date.parse(e.registrationClosesAt), Date.parse(a.at));
        await trx.insertInto('design_events').values({
          id: a.eventId, program_year_id: a.programYearId, kind: e.kind, title: e.title, city: e.city, venue: e.venue, description: e.description,
          starts_at: e.startsAt, ends_at: e.endsAt, capacity: e.capacity, registration_closes_at: e.registrationClosesAt, status,
          // Created after the fact: registration closed when it was due to (records may be back-dated to before it).
          closed_at: status === 'closed' ? e.registrationClosesAt : null, created_at: a.at, updated_at: a.at,
        }).onConflict((oc) => oc.column('id').doNothing()).execute();
        await kernel.history(trx, receiptOf(a), 'created', null, status, { programYearId: a.programYearId, ...e });
        await refreshEventView(trx, a.eventId);
        return { ...current, status };
      }));
    },

    async registerForEvent(a: Keyed & { registration: NewRegistration }): Promise<void> {
      await onEvent(a, 'register', async (trx, row) => {
        const r = a.registration;
        assertRegistrationOpen(Date.parse(r.registeredAt), registrationClosedAt(row.registration_closes_at.getTime(), row.closed_at?.getTime() ?? null));
        const key = emailKey(r.email);
        const twin = await trx.selectFrom('design_registrations').select('id').where('event_id', '=', row.id).where('email_key', '=', key).where('status', '<>', 'cancelled').executeTakeFirst();
        if (twin) throw new DomainError('conflict', `${r.email} is already registered for this event (registration ${twin.id})`, [{ path: 'body/email', message: 'is already registered for this event' }]);
        const { taken, last } = await trx.selectFrom('design_registrations')
          .select((eb) => [eb.fn.count<number>(eb.case().when('status', '=', 'registered').then(1).end()).as('taken'), eb.fn.max<number | null>('seq').as('last')])
          .where('event_id', '=', row.id).executeTakeFirstOrThrow();
        const status = placeOf(taken, row.capacity);
        await trx.insertInto('design_registrations').values({
          id: r.id, event_id: row.id, seq: (last ?? 0) + 1, name: r.name, email: r.email, email_key: key, organization: r.organization,
          applicant_id: r.applicantId, status, registered_at: r.registeredAt, created_at: a.at,
        }).execute();
        await trx.updateTable('design_events').set({ updated_at: a.at }).where('id', '=', row.id).execute();
        await history(trx, receiptOf(a), status, row.status, row.status, { registrationId: r.id, name: r.name, email: r.email, organization: r.organization, registeredAt: r.registeredAt, seatsTaken: taken + (status === 'registered' ? 1 : 0), capacity: row.capacity });
      }, () => undefined);
    },

    /** A freed seat goes to the earliest waitlisted registration, who is told (outbox). */
    async cancelRegistration(a: Keyed & { registrationId: string }): Promise<void> {
      await onEvent(a, 'cancel registration', async (trx, row) => {
        const r = await registrationOf(trx, row.id, a.registrationId);
        if (r.status === 'cancelled') throw new DomainError('invalid_state', `Registration ${r.id} is already cancelled`);
        await trx.updateTable('design_registrations').set({ status: 'cancelled', cancelled_at: a.at }).where('id', '=', r.id).execute();
        const promoted = await promote(trx, row, a.at);
        await trx.updateTable('design_events').set({ updated_at: a.at }).where('id', '=', row.id).execute();
        await history(trx, receiptOf(a), 'registration_cancelled', row.status, row.status, { registrationId: r.id, was: r.status, promotedRegistrationIds: promoted });
      }, () => undefined);
    },

    async closeRegistration(a: Keyed): Promise<void> {
      await onEvent(a, 'close', async (trx, row) => {
        await trx.updateTable('design_events').set({ status: 'closed', closed_at: a.at, updated_at: a.at }).where('id', '=', row.id).execute();
        await history(trx, receiptOf(a), 'registration_closed', row.status, 'closed', {});
      }, () => undefined);
    },

    /** The durable timer at registrationClosesAt: closes an event still open. */
    async closeRegistrationOnTime(a: { eventId: string; closesAt: string }): Promise<{ closed: boolean }> {
      const at = toJstIso(Date.parse(a.closesAt));
      const receipt = { caseId: a.eventId, eventKey: `design-event:${a.eventId}:auto-close:${at}`, actor: SYSTEM, at };
      return kernel.onCase(receipt, async (trx, row) => {
        if (row.status !== 'open') return { closed: false };
        await trx.updateTable('design_events').set({ status: 'closed', closed_at: a.closesAt, updated_at: a.closesAt }).where('id', '=', row.id).execute();
        await history(trx, receipt, 'registration_closed', row.status, 'closed', { registrationClosesAt: at, byTime: true });
        return { closed: true };
      }, () => ({ closed: true }));
    },

    async recordAttendance(a: Keyed & { registrationIds: string[] }): Promise<void> {
      await onEvent(a, 'attendance', async (trx, row) => {
        const found = await trx.selectFrom('design_registrations').select(['id', 'status']).where('event_id', '=', row.id).where('id', 'in', a.registrationIds).execute();
        a.registrationIds.forEach((id, i) => {
          if (found.find((f) => f.id === id)?.status !== 'registered') throw unknownRegistration(id, `body/registrationIds/${i}`);
        });
        await trx.updateTable('design_registrations').set({ attended: true }).where('event_id', '=', row.id).where('id', 'in', a.registrationIds).execute();
        await trx.updateTable('design_events').set({ updated_at: a.at }).where('id', '=', row.id).execute();
        await history(trx, receiptOf(a), 'attendance_recorded', row.status, row.status, { registrationIds: a.registrationIds });
      }, () => undefined);
    },

    async completeEvent(a: Keyed & { summary: string }): Promise<void> {
      await onEvent(a, 'completion', async (trx, row) => {
        await trx.updateTable('design_events').set({ status: 'held', summary: a.summary, updated_at: a.at }).where('id', '=', row.id).execute();
        await history(trx, receiptOf(a), 'held', row.status, 'held', { summary: a.summary });
      }, () => undefined);
    },

    async recordSurvey(a: Keyed & { registrationId: string; survey: Survey }): Promise<void> {
      await onEvent(a, 'survey', async (trx, row) => {
        const r = await registrationOf(trx, row.id, a.registrationId);
        if (!r.attended) throw notAnAttendee(r.id);
        if (r.survey !== null) throw new DomainError('conflict', `Registration ${r.id} has already answered the survey`);
        const answer = { ...a.survey, answeredAt: a.at };
        await trx.updateTable('design_registrations').set({ survey: JSON.stringify(answer) }).where('id', '=', r.id).execute();
        await trx.updateTable('design_events').set({ updated_at: a.at }).where('id', '=', row.id).execute();
        await history(trx, receiptOf(a), 'survey_answered', row.status, row.status, { registrationId: r.id, ...a.survey });
      }, () => undefined);
    },

    /** Every registrant (seated or waiting) is told the event will not take place. */
    async cancelEvent(a: Keyed & { reason: string }): Promise<void> {
      await onEvent(a, 'cancellation', async (trx, row) => {
        const told = await trx.selectFrom('design_registrations').selectAll().where('event_id', '=', row.id).where('status', '<>', 'cancelled').orderBy('seq').execute();
        for (const r of told) {
          await enqueueNotification(trx, {
            dedupeKey: `design-event:cancelled:${r.id}`, recipient: r.email, kind: 'design_event_cancelled',
            subject: `【中止】${row.title}（${when(row.starts_at)}）`,
            payload: { eventId: row.id, registrationId: r.id, name: r.name, title: row.title, startsAt: toJstIso(row.starts_at), reason: a.reason },
          });
        }
        await trx.updateTable('design_events').set({ status: 'cancelled', cancellation_reason: a.reason, updated_at: a.at }).where('id', '=', row.id).execute();
        await history(trx, receiptOf(a), 'cancelled', row.status, 'cancelled', { reason: a.reason, notifiedRegistrationIds: told.map((r) => r.id) });
      }, () => undefined);
    },

    /** `reminderDaysBefore` days ahead: one reminder per seated registrant and start time. */
    async sendEventReminders(a: { eventId: string; startsAt: string }): Promise<{ sent: number }> {
      const startsAt = toJstIso(Date.parse(a.startsAt));
      const receipt = { caseId: a.eventId, eventKey: `design-event:${a.eventId}:reminders:${startsAt}`, actor: SYSTEM, at: toJstIso(deps.clock.now()) };
      return kernel.onCase(receipt, async (trx, row) => {
        if ((row.status !== 'open' && row.status !== 'closed') || row.starts_at.getTime() !== Date.parse(a.startsAt)) return { sent: 0 };
        const seated = await trx.selectFrom('design_registrations').selectAll().where('event_id', '=', row.id).where('status', '=', 'registered').orderBy('seq').execute();
        for (const r of seated) {
          await enqueueNotification(trx, {
            dedupeKey: `design-event:reminder:${r.id}:${startsAt}`, recipient: r.email, kind: 'design_event_reminder',
            subject: `【リマインド】${row.title}（${when(row.starts_at)}・${row.venue}）`,
            payload: { eventId: row.id, registrationId: r.id, name: r.name, title: row.title, startsAt, venue: row.venue, city: row.city },
          });
        }
        await trx.updateTable('design_events').set({ reminded_at: receipt.at }).where('id', '=', row.id).execute();
        await history(trx, receipt, 'reminders_sent', row.status, row.status, { startsAt, registrationIds: seated.map((r) => r.id) });
        return { sent: seated.length };
      }, () => ({ sent: 0 }));
    },
  };
}

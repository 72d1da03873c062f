// One design-management seminar or workshop (Program C) from creation to held or cancelled,
// on the case kernel (kernel/case-entity.ts): every command is an Update (validated
// synchronously, then written by an activity before it returns). Two durable timers, measured
// on the system's (the API's) clock: registration closes by itself at registrationClosesAt,
// and registrants are reminded reminderDaysBefore days before the start. A held event stays
// until every attendee has answered the survey.
import { allHandlersFinished, condition, continueAsNew, proxyLocalActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { createDesignEventActivities } from '../activities/design-event.js';
import { DomainError, invalidState } from '../domain/errors.js';
import { EVENT_STATUS, assertRegistrationOpen, assertStarted, notAnAttendee, registrationClosedAt, type EventCommand, type EventStatus } from '../domain/design/event.js';
import { eventReminderAt } from '../domain/design/timers.js';
import { toJstIso } from '../domain/time.js';
import { guard, refusing } from './failures.js';
import { CaseEntity, instantOf, updateId, type CommandMeta } from './kernel/case-entity.js';
import { commandReceipt } from './receipts.js';
import {
  attendanceUpdate, cancelRegistrationUpdate, closeRegistrationUpdate, completionUpdate, createEventUpdate, eventCancellationUpdate, eventRulesChangedUpdate,
  eventStateQuery, registerUpdate, surveyUpdate, type DesignEventInput, type EventRules, type EventSnapshot,
} from './design-event-messages.js';

type Activities = ReturnType<typeof createDesignEventActivities>;

// As for the other case types: local activities, one PostgreSQL transaction each.
const commands = proxyLocalActivities<Activities>({
  startToCloseTimeout: '10 seconds', scheduleToCloseTimeout: '10 minutes',
  retry: { initialInterval: '200 ms', backoffCoefficient: 2, maximumInterval: '5 seconds' },
});
const timers = proxyLocalActivities<Activities>({ startToCloseTimeout: '30 seconds', retry: { initialInterval: '1 second', maximumInterval: '5 minutes' } });

const CREATE_TIMEOUT = '1 day';

class DesignEvent extends CaseEntity<EventStatus, EventCommand> {
  createFailed = false;
  private startsAt = 0;
  private registrationClosesAt = 0;
  private closedAt: number | null = null;
  private remindedFor: number | null = null;
  private readonly attended = new Set<string>();
  private readonly surveyed = new Set<string>();
  private rules: EventRules;
  private rulesRevision = 0;
  private rulesVersion = 0;

  constructor(private readonly input: DesignEventInput) {
    const s = input.snapshot;
    super('design-event', EVENT_STATUS, s ? { doneUpdates: s.doneUpdates, clockOffsetMs: s.clockOffsetMs } : undefined);
    this.rules = input.rules;
    if (s) {
      this.status = s.status;
      this.startsAt = s.startsAt;
      this.registrationClosesAt = s.registrationClosesAt;
      this.closedAt = s.closedAt;
      this.remindedFor = s.remindedFor;
      for (const id of s.attended) this.attended.add(id);
      for (const id of s.surveyed) this.surveyed.add(id);
      this.rulesRevision = s.rulesRevision;
    }
  }

  get id(): string {
    return this.input.eventId;
  }

  get currentRules(): EventRules {
    return this.rules;
  }

  /** Nothing is left to do: cancelled, or held with every attendee's survey in. */
  get done(): boolean {
    return this.isFinal() || (this.status === 'held' && [...this.attended].every((id) => this.surveyed.has(id)));
  }

  snapshot(): EventSnapshot | null {
    if (this.status === null) return null;
    return {
      status: this.status, startsAt: this.startsAt, registrationClosesAt: this.registrationClosesAt, closedAt: this.closedAt, remindedFor: this.remindedFor,
      attended: [...this.attended], surveyed: [...this.surveyed], rulesRevision: this.rulesRevision,
      doneUpdates: this.memory.doneUpdates, clockOffsetMs: this.memory.clockOffsetMs,
    };
  }

  private keyed(meta: CommandMeta, eventKey: string) {
    return { eventId: this.id, eventKey, actor: meta.actor, at: meta.at };
  }

  register(): void {
    setHandler(eventStateQuery, () => this.snapshot());

    // The first command: no status yet, so it is not in the status table.
    setHandler(createEventUpdate, (a) => {
      const id = updateId();
      return refusing(() => this.exclusive(async () => {
        if (this.memory.doneUpdates.includes(id)) return;
        if (this.status !== null) throw invalidState('create', this.status);
        this.followClock(a.meta.at);
        try {
          const created = await commands.createEvent({ ...this.keyed(a.meta, commandReceipt('design-event', this.id, id)), programYearId: this.input.programYearId, event: a.event });
          this.rules = created.rules;
          this.rulesRevision = created.revision;
          this.startsAt = instantOf(a.event.startsAt);
          this.registrationClosesAt = instantOf(a.event.registrationClosesAt);
          if (created.status === 'closed') this.closedAt = this.registrationClosesAt;
          this.moveTo(created.status);
        } catch (error) {
          this.createFailed = true;
          throw error;
        }
        this.remember(id);
      }));
    }, { validator: (_a) => guard(() => { if (this.status !== null && !this.memory.doneUpdates.includes(updateId())) throw invalidState('create', this.status); }) });

    this.command(registerUpdate, 'register', (a) => {
      assertRegistrationOpen(instantOf(a.registration.registeredAt), registrationClosedAt(this.registrationClosesAt, this.closedAt));
    }, async (a, eventKey) => {
      await commands.registerForEvent({ ...this.keyed(a.meta, eventKey), registration: a.registration });
    });

    this.command(cancelRegistrationUpdate, 'cancel registration', () => undefined, async (a, eventKey) => {
      await commands.cancelRegistration({ ...this.keyed(a.meta, eventKey), registrationId: a.registrationId });
    });

    this.command(closeRegistrationUpdate, 'close', () => undefined, async (a, eventKey) => {
      await commands.closeRegistration(this.keyed(a.meta, eventKey));
      this.closedAt = instantOf(a.meta.at);
      this.moveTo('closed');
    });

    this.command(attendanceUpdate, 'attendance', (a) => assertStarted('Recording attendance', this.startsAt, instantOf(a.meta.at)), async (a, eventKey) => {
      await commands.recordAttendance({ ...this.keyed(a.meta, eventKey), registrationIds: a.registrationIds });
      for (const id of a.registrationIds) this.attended.add(id);
    });

    this.command(completionUpdate, 'completion', (a) => assertStarted('Completion', this.startsAt, instantOf(a.meta.at)), async (a, eventKey) => {
      await commands.completeEvent({ ...this.keyed(a.meta, eventKey), summary: a.summary });
      this.moveTo('held');
    });

    this.command(surveyUpdate, 'survey', (a) => {
      if (!this.attended.has(a.registrationId)) throw notAnAttendee(a.registrationId);
      if (this.surveyed.has(a.registrationId)) throw new DomainError('conflict', `Registration ${a.registrationId} has already answered the survey`);
    }, async (a, eventKey) => {
      await commands.recordSurvey({ ...this.keyed(a.meta, eventKey), registrationId: a.registrationId, survey: a.survey });
      this.surveyed.add(a.registrationId);
    });

    this.command(eventCancellationUpdate, 'cancellation', () => undefined, async (a, eventKey) => {
      await commands.cancelEvent({ ...this.keyed(a.meta, eventKey), reason: a.reason });
      this.moveTo('cancelled');
    });

    // Not a client command: PUT /program-years moved reminderDaysBefore; the reminder timer restarts.
    setHandler(eventRulesChangedUpdate, (a) => refusing(() => this.exclusive(async () => {
      if (a.revision !== null && a.revision <= this.rulesRevision) return;
      this.rulesRevision = a.revision ?? this.rulesRevision;
      this.rules = a.rules;
      this.rulesVersion += 1;
    })));
  }

  startTimers(): void {
    void this.watchRegistrationClose();
    void this.watchReminder();
  }

  /** Registration closes by itself at registrationClosesAt. */
  private async watchRegistrationClose(): Promise<void> {
    for (;;) {
      if (this.status !== 'open') return;
      const changed = () => this.status !== 'open';
      if (await this.waitUntil(this.registrationClosesAt, changed)) continue;
      await this.exclusive(async () => {
        if (changed()) return;
        await timers.closeRegistrationOnTime({ eventId: this.id, closesAt: toJstIso(this.registrationClosesAt) });
        this.closedAt = this.registrationClosesAt;
        this.moveTo('closed');
      });
    }
  }

  /** Registrants are reminded reminderDaysBefore days before the start (at once if nearer; never once it began). */
  private async watchReminder(): Promise<void> {
    for (;;) {
      const pending = () => (this.status === 'open' || this.status === 'closed') && this.remindedFor !== this.startsAt;
      if (!pending() || this.now() >= this.startsAt) return;
      const seen = this.rulesVersion;
      const changed = () => this.rulesVersion !== seen || !pending();
      if (await this.waitUntil(eventReminderAt(this.startsAt, this.rules.reminderDaysBefore), changed)) continue;
      await this.exclusive(async () => {
        if (changed()) return;
        await timers.sendEventReminders({ eventId: this.id, startsAt: toJstIso(this.startsAt) });
        this.remindedFor = this.startsAt;
      });
    }
  }
}

export async function designEventWorkflow(input: DesignEventInput): Promise<EventStatus | 'abandoned'> {
  const event = new DesignEvent(input);
  event.register();
  if (event.status === null) {
    // Started by update-with-start: `createEvent` writes the row. A start whose create failed ends here.
    await condition(() => event.status !== null || event.createFailed, CREATE_TIMEOUT);
    if (event.status === null) {
      await condition(allHandlersFinished);
      return 'abandoned';
    }
  }
  event.startTimers();
  await condition(() => event.done || workflowInfo().continueAsNewSuggested);
  await condition(() => allHandlersFinished() && !event.busy);
  const snapshot = event.snapshot();
  if (!event.done && snapshot) await continueAsNew<typeof designEventWorkflow>({ ...input, rules: event.currentRules, snapshot });
  return event.status!;
}

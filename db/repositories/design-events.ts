// Design events (Program C): reads of the read model, the stored view rebuilt in the same
// transaction as each change, and how the activities' kernel locks an event.
import { sql, type Selectable } from 'kysely';
import type { DbOrTrx, Trx } from '../database.js';
import type { DesignEventsTable, DesignRegistrationsTable } from '../tables/design.js';
import { listHistory } from '../history.js';
import { notFound } from '../../domain/errors.js';
import type { EventKind, EventStatus, RegistrationStatus } from '../../domain/design/event.js';
import { toJstIso } from '../../domain/time.js';
import { laterThan, olderThan, pageOf, type Cursor } from '../pagination.js';

export type EventRow = Selectable<DesignEventsTable>;
export type RegistrationRow = Selectable<DesignRegistrationsTable>;

export const DESIGN_EVENT = 'design_event';

const iso = (d: Date | null): string | null => (d === null ? null : toJstIso(d));

export async function findEvent(db: DbOrTrx, id: string): Promise<EventRow | undefined> {
  return db.selectFrom('design_events').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function getEvent(db: DbOrTrx, id: string): Promise<EventRow> {
  const row = await findEvent(db, id);
  if (!row) throw notFound('Design event', id);
  return row;
}

export async function registrationsOf(db: DbOrTrx, eventIds: readonly string[]): Promise<RegistrationRow[]> {
  if (eventIds.length === 0) return [];
  return db.selectFrom('design_registrations').selectAll().where('event_id', 'in', eventIds).orderBy('event_id').orderBy('seq').execute();
}

/** An event's registrations in the order they were entered (the roster, 名簿), a page at a time. */
export async function listRegistrations(db: DbOrTrx, eventId: string, filter: { status?: string; limit: number; cursor: Cursor | null }) {
  let query = db.selectFrom('design_registrations').selectAll().where('event_id', '=', eventId);
  if (filter.status) query = query.where('status', '=', filter.status);
  if (filter.cursor) query = query.where(laterThan(filter.cursor, 'created_at'));
  return pageOf(await query.orderBy('created_at').orderBy('id').limit(filter.limit + 1).execute(), filter.limit);
}

export async function findRegistration(db: DbOrTrx, id: string): Promise<RegistrationRow | undefined> {
  return db.selectFrom('design_registrations').selectAll().where('id', '=', id).executeTakeFirst();
}

export function registrationView(r: RegistrationRow) {
  return {
    id: r.id, name: r.name, email: r.email, organization: r.organization, applicantId: r.applicant_id, status: r.status as RegistrationStatus,
    attended: r.attended, survey: r.survey, registeredAt: toJstIso(r.registered_at), promotedAt: iso(r.promoted_at), cancelledAt: iso(r.cancelled_at),
  };
}

/** The figures of an event: seats taken, waiting, who came, who answered and who asked for a dispatch. */
export function countsOf(registrations: readonly RegistrationRow[]) {
  const surveys = registrations.flatMap((r) => (r.survey ? [r.survey] : []));
  const counts = {
    registered: registrations.filter((r) => r.status === 'registered').length,
    waitlisted: registrations.filter((r) => r.status === 'waitlisted').length,
    attended: registrations.filter((r) => r.attended).length,
    surveys: surveys.length,
    wantsDispatch: surveys.filter((s) => s.wantsDispatch).length,
  };
  const averageSatisfaction = surveys.length === 0 ? null : Math.round((surveys.reduce((sum, s) => sum + s.satisfaction, 0) / surveys.length) * 100) / 100;
  return { counts, averageSatisfaction };
}

export function eventSummary(row: EventRow, registrations: readonly RegistrationRow[]) {
  return {
    id: row.id, programYearId: row.program_year_id, kind: row.kind as EventKind, title: row.title, city: row.city, venue: row.venue,
    startsAt: toJstIso(row.starts_at), endsAt: toJstIso(row.ends_at), capacity: row.capacity, registrationClosesAt: toJstIso(row.registration_closes_at),
    status: row.status as EventStatus, ...countsOf(registrations), createdAt: toJstIso(row.created_at),
  };
}

export async function buildEventView(db: DbOrTrx, row: EventRow) {
  const [registrations, history] = await Promise.all([registrationsOf(db, [row.id]), listHistory(db, DESIGN_EVENT, row.id, toJstIso)]);
  return {
    ...eventSummary(row, registrations),
    description: row.description, closedAt: iso(row.closed_at), remindedAt: iso(row.reminded_at), summary: row.summary, cancellationReason: row.cancellation_reason,
    registrations: registrations.map(registrationView),
    updatedAt: toJstIso(row.updated_at),
    history,
  };
}

export type EventView = Awaited<ReturnType<typeof buildEventView>>;

export async function refreshEventView(db: DbOrTrx, id: string): Promise<EventView> {
  const view = await buildEventView(db, await getEvent(db, id));
  const text = JSON.stringify(view);
  await db.insertInto('design_event_views').values({ event_id: id, view: text, updated_at: sql`now()` })
    .onConflict((oc) => oc.column('event_id').doUpdateSet({ view: text, updated_at: sql`now()` })).execute();
  return view;
}

export async function storedEventView(db: DbOrTrx, id: string): Promise<EventView> {
  const row = await db.selectFrom('design_event_views').select('view').where('event_id', '=', id).executeTakeFirst();
  return row ? row.view as EventView : refreshEventView(db, id);
}

export async function listEvents(db: DbOrTrx, filter: { programYearId?: string; status?: string; city?: string; limit: number; cursor: Cursor | null }) {
  let query = db.selectFrom('design_events').selectAll();
  if (filter.programYearId) query = query.where('program_year_id', '=', filter.programYearId);
  if (filter.status) query = query.where('status', '=', filter.status);
  if (filter.city) query = query.where('city', '=', filter.city);
  if (filter.cursor) query = query.where(olderThan(filter.cursor));
  const rows = await query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(filter.limit + 1).execute();
  return pageOf(rows, filter.limit);
}

/** Events whose workflow still runs (a cancelled one has nothing left to time). */
export async function runningEventIds(db: DbOrTrx, programYearId: string): Promise<string[]> {
  const rows = await db.selectFrom('design_events').select('id').where('program_year_id', '=', programYearId).where('status', '<>', 'cancelled').execute();
  return rows.map((r) => r.id);
}

/** How the activities' transaction helper (activities/kernel) locks an event and finds a receipt. */
export const DESIGN_EVENT_TABLE = {
  entityType: DESIGN_EVENT,
  async lock(trx: Trx, id: string, eventKey: string): Promise<{ row: EventRow; done: boolean } | undefined> {
    const found = await trx.selectFrom('design_events').selectAll()
      .select((eb) => eb.exists(eb.selectFrom('history').select('id').where('event_key', '=', eventKey)).as('done'))
      .where('id', '=', id).forUpdate().executeTakeFirst();
    if (!found) return undefined;
    const { done, ...row } = found;
    return { row, done: Boolean(done) };
  },
  refreshView: refreshEventView,
};

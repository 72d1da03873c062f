// Expert dispatches (Program C): reads of the read model, the stored view rebuilt in the same
// transaction as each change, and how the activities' kernel locks a dispatch.
import { sql, type Selectable } from 'kysely';
import type { DbOrTrx, Trx } from '../database.js';
import type { DesignDispatchesTable, DesignVisitsTable } from '../tables/design.js';
import { listHistory } from '../history.js';
import { notFound } from '../../domain/errors.js';
import { CLOSED_DISPATCH_STATUSES, type DispatchStatus, type VisitStatus } from '../../domain/design/dispatch.js';
import { toJstIso } from '../../domain/time.js';
import { laterThan, olderThan, pageOf, type Cursor } from '../pagination.js';

export type DispatchRow = Selectable<DesignDispatchesTable>;
export type VisitRow = Selectable<DesignVisitsTable>;

export const DESIGN_DISPATCH = 'design_dispatch';

const iso = (d: Date | null): string | null => (d === null ? null : toJstIso(d));

export async function findDispatch(db: DbOrTrx, id: string): Promise<DispatchRow | undefined> {
  return db.selectFrom('design_dispatches').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function getDispatch(db: DbOrTrx, id: string): Promise<DispatchRow> {
  const row = await findDispatch(db, id);
  if (!row) throw notFound('Design dispatch', id);
  return row;
}

export async function visitsOf(db: DbOrTrx, dispatchIds: readonly string[]): Promise<VisitRow[]> {
  if (dispatchIds.length === 0) return [];
  return db.selectFrom('design_visits').selectAll().where('dispatch_id', 'in', dispatchIds).orderBy('scheduled_at').orderBy('position').execute();
}

/** A visit as stored: `overdueFlag` is what its timer wrote; `overdue` is worked out at read time. */
export function storedVisit(v: VisitRow) {
  return {
    id: v.id, scheduledAt: toJstIso(v.scheduled_at), status: v.status as VisitStatus, overdueFlag: v.overdue_at !== null,
    heldAt: iso(v.held_at), hours: v.hours, summary: v.summary, cancelledAt: iso(v.cancelled_at),
  };
}
export type StoredVisit = ReturnType<typeof storedVisit>;

export async function buildDispatchView(db: DbOrTrx, row: DispatchRow) {
  const [visits, history] = await Promise.all([visitsOf(db, [row.id]), listHistory(db, DESIGN_DISPATCH, row.id, toJstIso)]);
  return {
    id: row.id, programYearId: row.program_year_id, applicantId: row.applicant_id, issue: row.issue, sourceRegistrationId: row.source_registration_id,
    receivedAt: toJstIso(row.received_at), status: row.status as DispatchStatus,
    decision: row.decided_at === null ? null : { accepted: row.status !== 'declined', reason: row.decision_reason, decidedAt: toJstIso(row.decided_at) },
    expertId: row.expert_id, plannedVisits: row.planned_visits,
    visits: visits.map(storedVisit),
    report: row.report,
    pastYearEndFlag: row.past_year_end_at !== null,
    withdrawalReason: row.withdrawal_reason,
    createdAt: toJstIso(row.created_at), updatedAt: toJstIso(row.updated_at),
    history,
  };
}

export type StoredDispatchView = Awaited<ReturnType<typeof buildDispatchView>>;

export async function refreshDispatchView(db: DbOrTrx, id: string): Promise<StoredDispatchView> {
  const view = await buildDispatchView(db, await getDispatch(db, id));
  const text = JSON.stringify(view);
  await db.insertInto('design_dispatch_views').values({ dispatch_id: id, view: text, updated_at: sql`now()` })
    .onConflict((oc) => oc.column('dispatch_id').doUpdateSet({ view: text, updated_at: sql`now()` })).execute();
  return view;
}

export async function storedDispatchView(db: DbOrTrx, id: string): Promise<StoredDispatchView> {
  const row = await db.selectFrom('design_dispatch_views').select('view').where('dispatch_id', '=', id).executeTakeFirst();
  return row ? row.view as StoredDispatchView : refreshDispatchView(db, id);
}

export async function listDispatches(db: DbOrTrx, filter: { programYearId?: string; status?: string; expertId?: string; limit: number; cursor: Cursor | null }) {
  let query = db.selectFrom('design_dispatches').selectAll();
  if (filter.programYearId) query = query.where('program_year_id', '=', filter.programYearId);
  if (filter.status) query = query.where('status', '=', filter.status);
  if (filter.expertId) query = query.where('expert_id', '=', filter.expertId);
  if (filter.cursor) query = query.where(olderThan(filter.cursor));
  const rows = await query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(filter.limit + 1).execute();
  return pageOf(rows, filter.limit);
}

export async function openDispatchIds(db: DbOrTrx, programYearId: string): Promise<string[]> {
  const rows = await db.selectFrom('design_dispatches').select('id').where('program_year_id', '=', programYearId)
    .where('status', 'not in', CLOSED_DISPATCH_STATUSES).execute();
  return rows.map((r) => r.id);
}

/**
 * An expert's visits not yet held (scheduled) of the dispatches they are assigned to,
 * soonest first; keyset over (scheduled_at, id) with the platform's opaque cursor.
 */
export async function visitsOfExpert(db: DbOrTrx, expertId: string, page: { limit: number; cursor: Cursor | null }) {
  let query = db.selectFrom('design_visits as v').innerJoin('design_dispatches as d', 'd.id', 'v.dispatch_id')
    .selectAll('v').select(['d.applicant_id', 'd.program_year_id', 'd.issue'])
    .where('d.expert_id', '=', expertId).where('d.status', '=', 'assigned').where('v.status', '=', 'scheduled');
  if (page.cursor) query = query.where(laterThan(page.cursor, 'v.scheduled_at', 'v.id'));
  const rows = await query.orderBy('v.scheduled_at').orderBy('v.id').limit(page.limit + 1).execute();
  return pageOf(rows, page.limit, 'scheduled_at');
}

export const DESIGN_DISPATCH_TABLE = {
  entityType: DESIGN_DISPATCH,
  async lock(trx: Trx, id: string, eventKey: string): Promise<{ row: DispatchRow; done: boolean } | undefined> {
    const found = await trx.selectFrom('design_dispatches').selectAll()
      .select((eb) => eb.exists(eb.selectFrom('history').select('id').where('event_key', '=', eventKey)).as('done'))
      .where('id', '=', id).forUpdate().executeTakeFirst();
    if (!found) return undefined;
    const { done, ...row } = found;
    return { row, done: Boolean(done) };
  },
  refreshView: refreshDispatchView,
};

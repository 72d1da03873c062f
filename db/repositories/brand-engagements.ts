// Reads of the brand engagement read model (written only by the workflow's activities).
import type { Selectable } from 'kysely';
import type { DbOrTrx } from '../database.js';
import type { BrandActionPlansTable, BrandEngagementsTable, BrandSessionsTable } from '../tables/brand.js';
import { notFound } from '../../domain/errors.js';
import { OPEN_STATUSES } from '../../domain/brand/engagement.js';
import { laterThan, olderThan, pageOf, type Cursor } from '../pagination.js';

export type EngagementRow = Selectable<BrandEngagementsTable>;
export type SessionRow = Selectable<BrandSessionsTable>;
export type ActionPlanRow = Selectable<BrandActionPlansTable>;

export async function findEngagement(db: DbOrTrx, id: string): Promise<EngagementRow | undefined> {
  return db.selectFrom('brand_engagements').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function getEngagement(db: DbOrTrx, id: string): Promise<EngagementRow> {
  const row = await findEngagement(db, id);
  if (!row) throw notFound('Brand engagement', id);
  return row;
}

/** Sessions of some engagements, in the order they happen. */
export async function sessionsOf(db: DbOrTrx, engagementIds: readonly string[]): Promise<SessionRow[]> {
  if (engagementIds.length === 0) return [];
  return db.selectFrom('brand_sessions').selectAll().where('engagement_id', 'in', engagementIds)
    .orderBy('scheduled_at').orderBy('position').execute();
}

export async function actionPlanOf(db: DbOrTrx, engagementId: string): Promise<ActionPlanRow | undefined> {
  return db.selectFrom('brand_action_plans').selectAll().where('engagement_id', '=', engagementId).executeTakeFirst();
}

export async function listEngagements(db: DbOrTrx, filter: { programYearId?: string; status?: string; limit: number; cursor: Cursor | null }) {
  let query = db.selectFrom('brand_engagements').selectAll();
  if (filter.programYearId) query = query.where('program_year_id', '=', filter.programYearId);
  if (filter.status) query = query.where('status', '=', filter.status);
  if (filter.cursor) query = query.where(olderThan(filter.cursor));
  const rows = await query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(filter.limit + 1).execute();
  return pageOf(rows, filter.limit);
}

/** Engagements of a year whose workflow still runs (a closed one has nothing left to move). */
export async function openEngagementIds(db: DbOrTrx, programYearId: string): Promise<string[]> {
  const rows = await db.selectFrom('brand_engagements').select('id').where('program_year_id', '=', programYearId)
    .where('status', 'in', OPEN_STATUSES).execute();
  return rows.map((r) => r.id);
}

/**
 * A support leader's sessions still to be held, of the engagements they lead that are in
 * support, soonest first; keyset over (scheduled_at, id) with the platform's opaque cursor.
 */
export async function sessionsLedBy(db: DbOrTrx, leaderId: string, page: { limit: number; cursor: Cursor | null }) {
  let query = db.selectFrom('brand_sessions as s').innerJoin('brand_engagements as e', 'e.id', 's.engagement_id')
    .selectAll('s').select(['e.product_name', 'e.municipality', 'e.program_year_id'])
    .where('e.support_leader_id', '=', leaderId).where('e.status', '=', 'in_support').where('s.status', '=', 'scheduled');
  if (page.cursor) query = query.where(laterThan(page.cursor, 's.scheduled_at', 's.id'));
  const rows = await query.orderBy('s.scheduled_at').orderBy('s.id').limit(page.limit + 1).execute();
  return pageOf(rows, page.limit, 'scheduled_at');
}

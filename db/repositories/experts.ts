import type { Selectable } from 'kysely';
import type { DbOrTrx } from '../database.js';
import type { ExpertsTable } from '../tables/platform.js';
import { notFound } from '../../domain/errors.js';
import { olderThan, pageOf, type Cursor } from '../pagination.js';

export type ExpertRow = Selectable<ExpertsTable>;

export async function getExpert(db: DbOrTrx, id: string): Promise<ExpertRow> {
  const row = await db.selectFrom('experts').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('Expert', id);
  return row;
}

export async function listExperts(db: DbOrTrx, page: { limit: number; cursor: Cursor | null }) {
  let query = db.selectFrom('experts').selectAll();
  if (page.cursor) query = query.where(olderThan(page.cursor));
  const rows = await query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(page.limit + 1).execute();
  return pageOf(rows, page.limit);
}

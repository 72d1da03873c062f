import type { Selectable } from 'kysely';
import type { DbOrTrx } from '../database.js';
import type { ApplicantsTable } from '../tables/platform.js';
import { notFound, unknownReference } from '../../domain/errors.js';
import { olderThan, pageOf, type Cursor } from '../pagination.js';

export type ApplicantRow = Selectable<ApplicantsTable>;

export async function getApplicant(db: DbOrTrx, id: string): Promise<ApplicantRow> {
  const row = await db.selectFrom('applicants').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('Applicant', id);
  return row;
}

/** The applicant a body names (422 unknown_applicant when there is none). */
export async function referencedApplicant(db: DbOrTrx, id: string, path = 'body/applicantId'): Promise<ApplicantRow> {
  const row = await db.selectFrom('applicants').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw unknownReference('applicant', id, path);
  return row;
}

export async function listApplicants(db: DbOrTrx, filter: { q?: string; kind?: string; limit: number; cursor: Cursor | null }) {
  let query = db.selectFrom('applicants').selectAll();
  if (filter.q) query = query.where('name', 'ilike', `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  if (filter.kind) query = query.where('kind', '=', filter.kind);
  if (filter.cursor) query = query.where(olderThan(filter.cursor));
  const rows = await query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(filter.limit + 1).execute();
  return pageOf(rows, filter.limit);
}

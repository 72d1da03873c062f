// Keyset pagination over (created_at, id), newest first. The cursor is opaque to clients.
import { sql } from 'kysely';
import { DomainError } from '../domain/errors.js';

export interface Cursor {
  createdAt: Date;
  id: string;
}

export function encodeCursor(row: { created_at: Date; id: string }): string {
  return Buffer.from(JSON.stringify([row.created_at.toISOString(), row.id])).toString('base64url');
}

export function decodeCursor(cursor: string | undefined): Cursor | null {
  if (cursor === undefined || cursor === '') return null;
  try {
    const [t, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [string, string];
    const createdAt = new Date(t);
    if (typeof id !== 'string' || Number.isNaN(createdAt.getTime())) throw new Error('bad cursor');
    return { createdAt, id };
  } catch {
    throw new DomainError('bad_request', 'cursor is not one this API gave out', [{ path: 'querystring/cursor', message: 'is invalid' }]);
  }
}

/** Given limit + 1 rows, the page and the cursor of the next one. */
export function pageOf<R extends { created_at: Date; id: string }>(rows: R[], limit: number): { page: R[]; nextCursor: string | null } {
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return { page, nextCursor: rows.length > limit && last ? encodeCursor(last) : null };
}

/**
 * `(created_at, id) < cursor` for a newest-first list. `created_at` columns are
 * timestamptz(3) so a cursor (milliseconds) names a row exactly.
 */
export const olderThan = (cursor: Cursor) => sql<boolean>`(created_at, id) < (${cursor.createdAt}, ${cursor.id})`;

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

// A cursor names a row this API wrote: an id of ours and a creation time of this era. Anything
// else (a date PostgreSQL or JavaScript reads differently, text a column cannot hold) is a 400.
const EARLIEST = Date.UTC(1900, 0, 1); // sessions page by scheduled_at, which may be back-filled
const LATEST = Date.UTC(2200, 0, 1);
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const CURSOR_ID = /^[\w.:-]{1,100}$/;

export function decodeCursor(cursor: string | undefined): Cursor | null {
  if (cursor === undefined || cursor === '') return null;
  const refused = () => new DomainError('bad_request', 'cursor is not one this API gave out', [{ path: 'querystring/cursor', message: 'is invalid' }]);
  if (!/^[A-Za-z0-9_-]{1,400}$/.test(cursor)) throw refused();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw refused();
  }
  if (!Array.isArray(parsed) || parsed.length !== 2) throw refused();
  const [t, id] = parsed as unknown[];
  if (typeof t !== 'string' || !ISO_UTC.test(t) || typeof id !== 'string' || !CURSOR_ID.test(id)) throw refused();
  const createdAt = new Date(t);
  const ms = createdAt.getTime();
  // toISOString round trip: 2024-02-30 parses to March; a real cursor reads back the same.
  if (Number.isNaN(ms) || ms < EARLIEST || ms >= LATEST || createdAt.toISOString() !== t) throw refused();
  return { createdAt, id };
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

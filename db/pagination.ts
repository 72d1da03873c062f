// Keyset pagination over (an instant column, id): lists newest first by created_at, a
// leader's sessions soonest first by scheduled_at. The cursor, opaque to clients, carries
// the key column's instant and the id of the last row of a page.
import { sql } from 'kysely';
import { DomainError } from '../domain/errors.js';

export interface Cursor {
  /** The last row's instant in the list's key column (created_at, scheduled_at). */
  at: Date;
  id: string;
}

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.at.toISOString(), cursor.id])).toString('base64url');
}

// A cursor names a row this API wrote: an id of ours and an instant of this era. Anything
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
  const at = new Date(t);
  const ms = at.getTime();
  // toISOString round trip: 2024-02-30 parses to March; a real cursor reads back the same.
  if (Number.isNaN(ms) || ms < EARLIEST || ms >= LATEST || at.toISOString() !== t) throw refused();
  return { at, id };
}

/** Given limit + 1 rows ordered by (column, id), the page and the cursor of the next one. */
export function pageOf<R extends { id: string } & Record<K, Date>, K extends string = 'created_at'>(
  rows: R[], limit: number, column: K = 'created_at' as K,
): { page: R[]; nextCursor: string | null } {
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return { page, nextCursor: rows.length > limit && last ? encodeCursor({ at: last[column], id: last.id }) : null };
}

/**
 * `(column, id) < cursor`: the next page of a newest-first list. Key columns are
 * timestamptz(3), so a cursor (milliseconds) names a row exactly.
 */
export const olderThan = (cursor: Cursor, column = 'created_at', idColumn = 'id') =>
  sql<boolean>`(${sql.ref(column)}, ${sql.ref(idColumn)}) < (${cursor.at}, ${cursor.id})`;

/**
 * `(column, id) > cursor`: the next page of a soonest-first list. `scheduled_at` is a plain
 * timestamptz but holds instants the API parsed to the millisecond, so a cursor names a row exactly.
 */
export const laterThan = (cursor: Cursor, column: string, idColumn = 'id') =>
  sql<boolean>`(${sql.ref(column)}, ${sql.ref(idColumn)}) > (${cursor.at}, ${cursor.id})`;

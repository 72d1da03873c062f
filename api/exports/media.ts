// Which answer a list gives: JSON (the page), or the whole filtered list as CSV or .xlsx,
// chosen by the Accept header. Anything else (no Accept, */*, text/html…) keeps the JSON a
// list has always answered: exports are opt-in, and no client that worked before gets a 406.
import Negotiator from 'negotiator';
import { Type, type TSchema } from '@sinclair/typebox';

export const CSV = 'text/csv';
export const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export type ExportFormat = 'csv' | 'xlsx';

const JSON_TYPE = 'application/json';
const FORMATS: Record<string, ExportFormat> = { [CSV]: 'csv', [XLSX]: 'xlsx' };
/** JSON first: on equal quality (*\/*, or no Accept) the list answers as it always has. */
const OFFERED = [JSON_TYPE, CSV, XLSX];

/** `csv` or `xlsx` when the client prefers it to JSON; null for JSON (also when nothing offered matches). */
export function exportFormatOf(accept: string | undefined): ExportFormat | null {
  if (!accept) return null;
  const preferred = new Negotiator({ headers: { accept } }).mediaType(OFFERED);
  return preferred ? FORMATS[preferred] ?? null : null;
}

/** A list's 200 in the OpenAPI document: the JSON page, or the whole list as CSV or .xlsx. */
export const exportableList = <T extends TSchema>(json: T) => ({
  description: 'The page as JSON; with `Accept: text/csv` or the .xlsx type, the whole filtered list (limit and cursor ignored) as a download',
  content: {
    'application/json': { schema: json },
    [CSV]: { schema: Type.String({ description: 'UTF-8 with BOM, CRLF, a header row' }) },
    [XLSX]: { schema: Type.String({ format: 'binary' }) },
  },
});

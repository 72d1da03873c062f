// Which answer a list gives: JSON (the page), or the whole filtered list as CSV or .xlsx,
// chosen by the Accept header. Anything else (no Accept, */*, text/html…) keeps the JSON a
// list has always answered: exports are opt-in, and no client that worked before gets a 406.
import { Type, type TSchema } from '@sinclair/typebox';

export const CSV = 'text/csv';
export const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export type ExportFormat = 'csv' | 'xlsx';

const OFFERED: { type: string; format: ExportFormat | null }[] = [
  { type: 'application/json', format: null },
  { type: CSV, format: 'csv' },
  { type: XLSX, format: 'xlsx' },
];

interface Range { type: string; subtype: string; q: number }

function parseAccept(header: string): Range[] {
  return header.split(',').slice(0, 50).flatMap((part) => {
    const [media = '', ...params] = part.trim().split(';');
    const [type, subtype] = media.trim().toLowerCase().split('/');
    if (!type || !subtype) return [];
    const qParam = params.map((p) => p.trim().toLowerCase()).find((p) => p.startsWith('q='));
    const q = qParam === undefined ? 1 : Number(qParam.slice(2));
    return Number.isFinite(q) && q > 0 ? [{ type, subtype, q }] : [];
  });
}

/** The quality the client gives a media type: its most specific matching range (RFC 9110 §12.5.1). */
function qualityOf(ranges: Range[], mediaType: string): number {
  const [type, subtype] = mediaType.split('/');
  let best: { specificity: number; q: number } | null = null;
  for (const r of ranges) {
    const specificity = r.type === type && r.subtype === subtype ? 2 : r.type === type && r.subtype === '*' ? 1 : r.type === '*' && r.subtype === '*' ? 0 : -1;
    if (specificity >= 0 && (!best || specificity > best.specificity)) best = { specificity, q: r.q };
  }
  return best?.q ?? 0;
}

/** `csv` or `xlsx` when the client prefers it to JSON; null for JSON (also when nothing offered matches). */
export function exportFormatOf(accept: string | undefined): ExportFormat | null {
  if (!accept) return null;
  const ranges = parseAccept(accept);
  let chosen: { format: ExportFormat | null; q: number } = { format: null, q: 0 };
  // JSON first: on equal quality (*/*, or none) the list answers as it always has.
  for (const offer of OFFERED) {
    const q = qualityOf(ranges, offer.type);
    if (q > chosen.q) chosen = { format: offer.format, q };
  }
  return chosen.format;
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

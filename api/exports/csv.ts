// CSV as Excel in Japan opens it without a wizard: UTF-8 with a BOM (else Excel reads
// Shift_JIS and garbles 漢字), CRLF line ends, RFC 4180 quoting.
import { instantMs, jstText, type Column } from './columns.js';

export const BOM = '\uFEFF';

/**
 * Text a spreadsheet would run as a formula (=, +, -, @, tab, CR) gets a leading apostrophe
 * (OWASP "CSV injection"): case titles and payees are typed by outsiders. Numbers are never
 * text here, so a negative amount is not touched.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

function quoted(field: string): string {
  return /[",\r\n]/.test(field) || field !== field.trim() ? `"${field.replaceAll('"', '""')}"` : field;
}

function cell<Item>(column: Column<Item>, item: Item): string {
  const value = column.value(item);
  if (value === null || value === undefined) return '';
  switch (column.kind) {
    case 'yen': case 'integer': case 'number':
      return String(value);
    case 'boolean':
      return value ? 'TRUE' : 'FALSE';
    case 'instant': {
      const ms = instantMs(value);
      return ms === null ? '' : jstText(ms);
    }
    case 'date':
      return quoted(String(value));
    case 'text': {
      const text = String(value);
      return quoted(FORMULA_START.test(text) ? `'${text}` : text);
    }
  }
}

export const csvHeader = <Item>(columns: Column<Item>[]): string => `${BOM}${columns.map((c) => quoted(c.header)).join(',')}\r\n`;

/** A batch of rows as one string: one write per batch, not per cell. */
export function csvRows<Item>(columns: Column<Item>[], items: Item[]): string {
  let out = '';
  for (const item of items) out += `${columns.map((c) => cell(c, item)).join(',')}\r\n`;
  return out;
}

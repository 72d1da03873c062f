// One column of an export: its Japanese header, its kind and how it reads an item. The kind
// decides the cell: yen and counts are numbers (¥ format in .xlsx), instants and dates are
// dates (JST), everything else text.
export type ColumnKind = 'text' | 'yen' | 'integer' | 'number' | 'instant' | 'date' | 'boolean';
export type CellValue = string | number | boolean | Date | null | undefined;

export interface Column<Item> {
  header: string;
  kind: ColumnKind;
  value: (item: Item) => CellValue;
  /** Width in characters in the .xlsx sheet. */
  width?: number;
}

export interface ExportList<Item> {
  /** The download's name, without extension or stamp (ASCII). */
  name: string;
  /** The .xlsx sheet's name (≤ 31 characters). */
  sheet: string;
  columns: Column<Item>[];
}

export const text = <Item>(header: string, value: (item: Item) => CellValue, width = 16): Column<Item> => ({ header, kind: 'text', value, width });
export const yen = <Item>(header: string, value: (item: Item) => CellValue): Column<Item> => ({ header, kind: 'yen', value, width: 14 });
export const integer = <Item>(header: string, value: (item: Item) => CellValue): Column<Item> => ({ header, kind: 'integer', value, width: 10 });
export const number = <Item>(header: string, value: (item: Item) => CellValue): Column<Item> => ({ header, kind: 'number', value, width: 10 });
export const instant = <Item>(header: string, value: (item: Item) => CellValue): Column<Item> => ({ header, kind: 'instant', value, width: 20 });
export const date = <Item>(header: string, value: (item: Item) => CellValue): Column<Item> => ({ header, kind: 'date', value, width: 12 });
export const flag = <Item>(header: string, value: (item: Item) => CellValue): Column<Item> => ({ header, kind: 'boolean', value, width: 8 });

/** Lists (countries, goals) in one cell. */
export const joined = (values: readonly string[] | null | undefined): string | null => (values ? values.join(', ') : null);

const JST_OFFSET_MS = 9 * 3_600_000;

/** Milliseconds of an instant given as a Date or as the API's RFC 3339 text. */
export function instantMs(value: CellValue): number | null {
  if (value === null || value === undefined || value === '') return null;
  const ms = value instanceof Date ? value.getTime() : Date.parse(String(value));
  return Number.isNaN(ms) ? null : ms;
}

/**
 * A spreadsheet has no time zones: a cell shows the wall-clock time of its serial number,
 * so an instant is written as its JST wall-clock time (what staff read in the API as +09:00).
 */
export const jstWallClock = (ms: number): Date => new Date(ms + JST_OFFSET_MS);

/** `YYYY-MM-DD HH:mm:ss` in JST: what Excel and LibreOffice read as a date-time from CSV. */
export const jstText = (ms: number): string => jstWallClock(ms).toISOString().slice(0, 19).replace('T', ' ');

/** A calendar date `YYYY-MM-DD` as the Date of its midnight (UTC, which the sheet shows as that day). */
export function calendarDate(value: CellValue): Date | null {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return null;
  return new Date(`${value}T00:00:00Z`);
}

// The .xlsx export through exceljs's streaming WorkbookWriter: rows are written and
// committed as they come (no workbook in memory), strings inline (no shared-strings table
// growing with the list), and one style per column (¥ for yen, dates as dates).
import { PassThrough, type Readable, type Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { calendarDate, instantMs, jstWallClock, type CellValue, type Column, type ColumnKind, type ExportList } from './columns.js';

const NUMBER_FORMATS: Partial<Record<ColumnKind, string>> = {
  yen: '"¥"#,##0',
  integer: '0',
  instant: 'yyyy-mm-dd hh:mm:ss',
  date: 'yyyy-mm-dd',
};

function cellValue<Item>(column: Column<Item>, item: Item): CellValue {
  const value = column.value(item);
  if (value === null || value === undefined) return null;
  switch (column.kind) {
    case 'instant': {
      const ms = instantMs(value);
      return ms === null ? null : jstWallClock(ms);
    }
    case 'date':
      return calendarDate(value);
    case 'yen': case 'integer': case 'number':
      return typeof value === 'number' ? value : Number(value);
    case 'boolean':
      return Boolean(value);
    case 'text':
      return String(value);
  }
}

/** Resolves once `stream` has room again (or is gone: the client went away). */
function roomIn(stream: Writable): Promise<void> {
  if (!stream.writableNeedDrain || stream.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => { stream.off('drain', done); stream.off('close', done); resolve(); };
    stream.on('drain', done);
    stream.on('close', done);
  });
}

/**
 * exceljs writes a sheet's XML into the zip's deflate stream and ignores its backpressure, so
 * after each batch we wait until that stream (and our output) has drained: a client that
 * reads slowly holds the next batch in PostgreSQL, not the whole sheet in this process.
 */
function sheetSink(sheet: ExcelJS.Worksheet): Writable | undefined {
  return (sheet as unknown as { stream?: { pipes?: Writable[] } }).stream?.pipes?.[0];
}

export function xlsxStream<Item>(list: ExportList<Item>, batches: AsyncIterable<Item[]>): Readable {
  const out = new PassThrough();
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  const sheet = workbook.addWorksheet(list.sheet, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = list.columns.map((c) => ({ key: c.header, width: c.width, style: NUMBER_FORMATS[c.kind] ? { numFmt: NUMBER_FORMATS[c.kind] } : {} }));
  const header = sheet.addRow(list.columns.map((c) => c.header));
  header.font = { bold: true };
  header.commit();

  const pump = async () => {
    for await (const batch of batches) {
      if (out.destroyed) return;
      for (const item of batch) sheet.addRow(list.columns.map((c) => cellValue(c, item))).commit();
      const sink = sheetSink(sheet);
      if (sink) await roomIn(sink);
      await roomIn(out);
    }
    sheet.commit();
    await workbook.commit();
  };
  pump().catch((error: unknown) => out.destroy(error instanceof Error ? error : new Error(String(error))));
  return out;
}

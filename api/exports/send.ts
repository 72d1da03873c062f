// Answers a list request with the whole filtered list as CSV or .xlsx, read in keyset batches
// (EXPORT_BATCH_SIZE rows a query) and streamed: the next batch is read only when the client
// has taken the previous one, so memory stays bounded by a batch whatever the list's length.
import { Readable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import contentDisposition from 'content-disposition';
import { decodeCursor, type Cursor } from '../../db/pagination.js';
import { CSV, XLSX, exportFormatOf, type ExportFormat } from './media.js';
import { csvHeader, csvRows } from './csv.js';
import { xlsxStream } from './xlsx.js';
import { jstText, type ExportList } from './columns.js';

export const DEFAULT_EXPORT_BATCH_SIZE = 500;

/** A list's pages as the JSON list reads them, with the page size as the batch size. */
export interface ExportPage { limit: number; cursor: Cursor | null }
export type PageReader<Item> = (page: ExportPage) => Promise<{ page: Item[]; nextCursor: string | null }>;

/** Every page of a list, one after the other, by its own keyset cursor: the same filters and order as the JSON. */
export async function* keysetBatches<Item>(read: PageReader<Item>, batchSize: number): AsyncGenerator<Item[]> {
  let cursor: Cursor | null = null;
  for (;;) {
    const { page, nextCursor } = await read({ limit: batchSize, cursor });
    if (page.length > 0) yield page;
    if (nextCursor === null) return;
    cursor = decodeCursor(nextCursor);
  }
}

function csvStream<Item>(list: ExportList<Item>, first: Item[] | undefined, rest: AsyncIterator<Item[]>): Readable {
  async function* chunks() {
    yield Buffer.from(csvHeader(list.columns));
    if (first) yield Buffer.from(csvRows(list.columns, first));
    for (let next = await rest.next(); !next.done; next = await rest.next()) yield Buffer.from(csvRows(list.columns, next.value));
  }
  // Not object mode: the stream buffers 16 KB, then stops pulling batches until the socket drains.
  return Readable.from(chunks(), { objectMode: false });
}

export async function sendExport<Item>(reply: FastifyReply, format: ExportFormat, list: ExportList<Item>, read: PageReader<Item>, batchSize: number): Promise<FastifyReply> {
  const batches = keysetBatches(read, batchSize);
  // The first batch is read before the headers go out, so a failing database is still a
  // problem+json 503, not a download cut short.
  const first = await batches.next();
  const stamp = jstText(Date.now()).replaceAll(/[-: ]/g, '').slice(0, 12);
  const filename = `${list.name}-${stamp}.${format}`;
  reply.header('content-disposition', contentDisposition(filename)).header('vary', 'Accept');
  if (format === 'csv') {
    return reply.type(`${CSV}; charset=utf-8; header=present`).send(csvStream(list, first.done ? undefined : first.value, batches));
  }
  async function* all() {
    if (!first.done) yield first.value;
    yield* batches;
  }
  return reply.type(XLSX).send(xlsxStream(list, all()));
}

/**
 * For a list route: when the client asked for CSV or .xlsx, the whole list as a download
 * (the reply); else null, and the route answers its JSON page from the same reader.
 */
export async function exportIfAsked<Item>(request: FastifyRequest, reply: FastifyReply, list: ExportList<Item>, read: PageReader<Item>): Promise<FastifyReply | null> {
  const format = exportFormatOf(request.headers.accept);
  if (!format) return null;
  return sendExport(reply, format, list, read, request.server.deps.exportBatchSize ?? DEFAULT_EXPORT_BATCH_SIZE);
}

/**
 * A list route's whole answer from its one page reader: the download when CSV or .xlsx was
 * asked for, else the JSON page (`limit`, default 50, from `cursor`).
 */
export async function listOrExport<Item>(request: FastifyRequest, reply: FastifyReply, list: ExportList<Item>, read: PageReader<Item>, query: { limit?: number; cursor?: string }): Promise<FastifyReply | { items: Item[]; nextCursor: string | null }> {
  const exported = await exportIfAsked(request, reply, list, read);
  if (exported) return exported;
  const { page, nextCursor } = await read({ limit: query.limit ?? 50, cursor: decodeCursor(query.cursor) });
  return { items: page, nextCursor };
}

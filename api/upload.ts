// A multipart upload is read whole (it is at most 10 MB) before its route runs, so the
// Idempotency-Key can be checked against the file itself, not only its size.
import type { FastifyRequest } from 'fastify';
import { badRequest } from './problem.js';

export interface Upload {
  bytes: Buffer;
  filename: string | undefined;
}

/**
 * The one file of a multipart body. The parser throws plain errors for a body it cannot
 * read (no boundary, cut off): the client's fault, so 400; errors that carry a status (413
 * too large, FST_REQ_FILE_TOO_LARGE: a truncated file is never stored) keep it.
 */
export async function readUpload(request: FastifyRequest): Promise<Upload> {
  const part = await malformedIsBadRequest(() => request.file());
  if (!part) throw badRequest('No file in the upload', [{ path: 'body/file', message: 'a file part is required' }]);
  const bytes = await malformedIsBadRequest(() => part.toBuffer());
  return { bytes, filename: part.filename };
}

async function malformedIsBadRequest<T>(read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode !== undefined) throw error;
    throw badRequest('The multipart body cannot be read (no boundary, or cut off)');
  }
}

// Evidence files per expense. The bytes never pass through Temporal: the upload is one
// PostgreSQL transaction (row lock on the case, the file as bytea, its history entry), so
// a file is committed before 201 is answered and is never lost after it. The type is
// decided from the bytes; the case's status is checked under the row lock, the same lock
// the workflow's activities take, so an upload cannot slip past a determination.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { createHash } from 'node:crypto';
import { DomainError, notFound } from '../../../domain/errors.js';
import { assertCommandAllowed, type CaseStatus } from '../../../domain/subsidy/status.js';
import { evidenceTypeOf, EVIDENCE_TYPES } from '../../../domain/subsidy/evidence-files.js';
import { recordHistory } from '../../../db/history.js';
import { documentView, lockCaseStatus, refreshCaseView, SUBSIDY_CASE } from '../../../db/repositories/subsidy-cases.js';
import { newId } from '../../../runtime/ids.js';
import { actorLabel } from '../../deps.js';
import { badRequest } from '../../problem.js';
import { problemResponses } from '../../schemas/common.js';
import { DocumentParams, DocumentView, ExpenseParams } from '../../schemas/subsidy-cases.js';

const tags = ['subsidy cases'];

/** A file name as the client sent it, made safe for a Content-Disposition header and the database. */
const cleanName = (name: string | undefined): string | null => {
  const cleaned = [...(name ?? '')].map((c) => (c.charCodeAt(0) < 0x20 || c === '\u007f' || '"\\/'.includes(c) ? '_' : c)).join('').trim().slice(0, 200);
  return cleaned === '' ? null : cleaned;
};

const routes: FastifyPluginAsyncTypebox = async (app) => {
  const { db, clock } = app.deps;

  app.post('/subsidy-cases/:id/expenses/:expenseId/documents', {
    config: { roles: ['staff'] },
    schema: {
      tags, summary: `Upload a receipt or invoice (multipart/form-data, one file; ${EVIDENCE_TYPES.join(', ')}; at most 10 MB, larger → 413)`,
      consumes: ['multipart/form-data'], params: ExpenseParams,
      response: { 201: DocumentView, ...problemResponses(404, 409, 413, 415) },
    },
  }, async (request, reply) => {
    const { id, expenseId } = request.params;
    if (!request.isMultipart()) throw new DomainError('unsupported_media_type', 'Upload the file as multipart/form-data');
    const part = await malformedIsBadRequest(() => request.file());
    if (!part) throw badRequest('No file in the upload', [{ path: 'body/file', message: 'a file part is required' }]);
    // Throws 413 (FST_REQ_FILE_TOO_LARGE) past the limit: a truncated file is never stored.
    const bytes = await malformedIsBadRequest(() => part.toBuffer());
    const contentType = evidenceTypeOf(bytes);
    if (!contentType) throw new DomainError('unsupported_media_type', `The file is not ${EVIDENCE_TYPES.join(', ')} (decided from its contents)`);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const documentId = newId('doc');
    const now = clock.now();
    const actor = actorLabel(request.actor);

    const row = await db.transaction().execute(async (trx) => {
      const status = await lockCaseStatus(trx, id);
      const expense = await trx.selectFrom('subsidy_expenses').select('id').where('id', '=', expenseId).where('case_id', '=', id).executeTakeFirst();
      if (!expense) throw notFound('Expense', expenseId);
      assertCommandAllowed('document', status as CaseStatus);
      const inserted = await trx.insertInto('subsidy_documents').values({
        id: documentId, case_id: id, expense_id: expenseId, filename: cleanName(part.filename), content_type: contentType,
        size: bytes.length, sha256, content: bytes, uploaded_by: actor, created_at: now,
      }).returning(['id', 'filename', 'content_type', 'size', 'sha256', 'uploaded_by', 'created_at']).executeTakeFirstOrThrow();
      await recordHistory(trx, {
        entityType: SUBSIDY_CASE, entityId: id, at: now, type: 'document_uploaded', actor,
        detail: { expenseId, documentId, contentType, size: bytes.length, sha256, filename: inserted.filename },
      });
      await trx.updateTable('subsidy_cases').set({ updated_at: now }).where('id', '=', id).execute();
      await refreshCaseView(trx, id);
      return inserted;
    });
    return reply.code(201).header('location', `/subsidy-cases/${id}/expenses/${expenseId}/documents/${documentId}`).send(documentView(row, id, expenseId));
  });

  app.get('/subsidy-cases/:id/expenses/:expenseId/documents/:documentId', {
    config: { roles: ['staff'] },
    schema: {
      tags, summary: 'Download an evidence file as uploaded', params: DocumentParams, produces: [...EVIDENCE_TYPES],
      response: { 200: { description: 'The bytes as uploaded; ETag is their sha256', content: Object.fromEntries(EVIDENCE_TYPES.map((t) => [t, { schema: { type: 'string', format: 'binary' } }])) }, ...problemResponses(404) },
    },
  }, async (request, reply) => {
    const { id, expenseId, documentId } = request.params;
    const doc = await db.selectFrom('subsidy_documents').select(['content', 'content_type', 'filename', 'sha256', 'size'])
      .where('id', '=', documentId).where('expense_id', '=', expenseId).where('case_id', '=', id).executeTakeFirst();
    if (!doc) throw notFound('Document', documentId);
    const name = doc.filename ?? `${documentId}.${doc.content_type.split('/')[1]}`;
    return reply
      .header('content-type', doc.content_type)
      .header('content-length', doc.size)
      .header('etag', `"${doc.sha256}"`)
      .header('x-content-sha256', doc.sha256)
      .header('x-content-type-options', 'nosniff')
      .header('content-disposition', `attachment; filename="${name.replace(/[^\x20-\x7e]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(name)}`)
      .send(doc.content);
  });
};

export default routes;

/**
 * The multipart parser throws plain errors for a body it cannot read (no boundary, cut off):
 * the client's fault, so 400; errors that carry a status (413 too large) keep it.
 */
async function malformedIsBadRequest<T>(read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode !== undefined) throw error;
    throw badRequest('The multipart body cannot be read (no boundary, or cut off)');
  }
}

// Evidence files per expense. The bytes never pass through Temporal: the upload is one
// PostgreSQL transaction (row lock on the case, the file as bytea, its history entry), so
// a file is committed before 201 is answered and is never lost after it. The type is
// decided from the bytes; the case's status is checked under a FOR SHARE lock on the case
// row, which conflicts with the FOR UPDATE every activity takes on it: an upload waits for a
// running determination and then sees its status, or holds the determination back until the
// file is committed, so an upload cannot slip past a determination.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import contentDisposition from 'content-disposition';
import { createHash } from 'node:crypto';
import { DomainError, notFound } from '../../../domain/errors.js';
import { assertCommandAllowed, type CaseStatus } from '../../../domain/subsidy/status.js';
import { evidenceTypeOf, EVIDENCE_TYPES } from '../../../domain/subsidy/evidence-files.js';
import { recordHistory } from '../../../db/history.js';
import { documentView, lockCaseStatus, refreshCaseView, SUBSIDY_CASE } from '../../../db/repositories/subsidy-cases.js';
import { commandKey } from '../../command-runner.js';
import { actorLabel } from '../../deps.js';
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
    config: { roles: ['staff'], upload: true },
    schema: {
      tags, summary: `Upload a receipt or invoice (multipart/form-data, one file; ${EVIDENCE_TYPES.join(', ')}; at most 10 MB, larger → 413)`,
      consumes: ['multipart/form-data'], params: ExpenseParams,
      response: { 201: DocumentView, ...problemResponses(404, 409, 413, 415) },
    },
  }, async (request, reply) => {
    const { id, expenseId } = request.params;
    // Read (and checked against its Idempotency-Key) before this handler runs: api/upload.ts.
    const upload = request.upload;
    if (!upload) throw new DomainError('unsupported_media_type', 'Upload the file as multipart/form-data');
    const { bytes } = upload;
    const contentType = evidenceTypeOf(bytes);
    if (!contentType) throw new DomainError('unsupported_media_type', `The file is not ${EVIDENCE_TYPES.join(', ')} (decided from its contents)`);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    // Named after the Idempotency-Key: a retried upload finds the file the first attempt stored.
    const documentId = commandKey(request).idFor('doc');
    const now = clock.now();
    const actor = actorLabel(request.actor);

    const row = await db.transaction().execute(async (trx) => {
      const status = await lockCaseStatus(trx, id);
      const stored = await trx.selectFrom('subsidy_documents').select(['id', 'filename', 'content_type', 'size', 'sha256', 'uploaded_by', 'created_at']).where('id', '=', documentId).executeTakeFirst();
      if (stored) return stored;
      const expense = await trx.selectFrom('subsidy_expenses').select('id').where('id', '=', expenseId).where('case_id', '=', id).executeTakeFirst();
      if (!expense) throw notFound('Expense', expenseId);
      assertCommandAllowed('document', status as CaseStatus);
      const inserted = await trx.insertInto('subsidy_documents').values({
        id: documentId, case_id: id, expense_id: expenseId, filename: cleanName(upload.filename), content_type: contentType,
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
      .header('content-disposition', contentDisposition(name))
      .send(doc.content);
  });
};

export default routes;

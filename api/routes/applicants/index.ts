import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { DomainError } from '../../../domain/errors.js';
import { isValidCorporateNumber } from '../../../domain/corporate-number.js';
import { toJstIso } from '../../../domain/time.js';
import { isUniqueViolation } from '../../../db/database.js';
import { getApplicant, listApplicants, type ApplicantRow } from '../../../db/repositories/applicants.js';
import { capUsageOf } from '../../../db/repositories/cap-ledger.js';
import { recordHistory } from '../../../db/history.js';
import { commandKey } from '../../command-runner.js';
import { actorLabel } from '../../deps.js';
import { IdParams, listOf, problemResponses } from '../../schemas/common.js';
import { ApplicantCreate, ApplicantListQuery, ApplicantView } from '../../schemas/applicants.js';
import { exportableList } from '../../exports/media.js';
import { listOrExport, type ExportPage } from '../../exports/send.js';
import { applicantsExport } from '../../exports/lists/applicants.js';

export const applicantView = (row: ApplicantRow) => ({
  id: row.id, name: row.name, kind: row.kind, corporateNumber: row.corporate_number, prefecture: row.prefecture,
  contactEmail: row.contact_email, createdAt: toJstIso(row.created_at),
});

const routes: FastifyPluginAsyncTypebox = async (app) => {
  const { db, clock } = app.deps;

  app.post('/applicants', {
    config: { roles: ['staff'] },
    schema: { tags: ['applicants'], summary: 'Register an applicant', body: ApplicantCreate, response: { 201: ApplicantView, ...problemResponses(409, 422) } },
  }, async (request, reply) => {
    const body = request.body;
    if (body.corporateNumber !== undefined && !isValidCorporateNumber(body.corporateNumber)) {
      throw new DomainError('invalid_corporate_number', `${body.corporateNumber} is not a valid 法人番号 (check digit)`, [{ path: 'body/corporateNumber', message: 'check digit is wrong' }]);
    }
    // Named after the Idempotency-Key: a retried registration finds the applicant the first one made.
    const id = commandKey(request).idFor('ap');
    const now = clock.now();
    try {
      const row = await db.transaction().execute(async (trx) => {
        const inserted = await trx.insertInto('applicants').values({
          id, name: body.name, kind: body.kind, corporate_number: body.corporateNumber ?? null, prefecture: body.prefecture ?? null,
          contact_email: body.contactEmail ?? null, created_at: now,
        }).onConflict((oc) => oc.column('id').doNothing()).returningAll().executeTakeFirst();
        if (!inserted) return getApplicant(trx, id);
        await recordHistory(trx, { entityType: 'applicant', entityId: id, at: now, type: 'registered', actor: actorLabel(request.actor), detail: { name: body.name, kind: body.kind } });
        return inserted;
      });
      return reply.code(201).send(applicantView(row));
    } catch (error) {
      if (isUniqueViolation(error)) throw new DomainError('conflict', `法人番号 ${body.corporateNumber} is already registered`);
      throw error;
    }
  });

  app.get('/applicants', {
    config: { roles: ['staff'] },
    schema: { tags: ['applicants'], summary: 'List applicants', querystring: ApplicantListQuery, response: { 200: exportableList(listOf(ApplicantView)), ...problemResponses() } },
  }, async (request, reply) => {
    const { limit = 50, cursor, q, kind } = request.query;
    const read = async (page: ExportPage) => {
      const { page: rows, nextCursor } = await listApplicants(db, { q, kind, ...page });
      return { page: rows.map(applicantView), nextCursor };
    };
    return listOrExport(request, reply, applicantsExport, read, { limit: limit, cursor: cursor });
  });

  app.get('/applicants/:id', {
    config: { roles: ['staff'] },
    schema: { tags: ['applicants'], summary: 'One applicant with its per-applicant cap usage', params: IdParams, response: { 200: ApplicantView, ...problemResponses(404) } },
  }, async (request) => {
    const row = await getApplicant(db, request.params.id);
    return { ...applicantView(row), capUsage: await capUsageOf(db, row.id) };
  });
};

export default routes;

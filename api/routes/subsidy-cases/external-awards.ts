// Awards an applicant received from other implementing bodies (prefectural centres, JETRO)
// for the same year: staff record them by hand and they count against the per-applicant
// cap as settled.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Selectable } from 'kysely';
import { toJstIso } from '../../../domain/time.js';
import { recordHistory } from '../../../db/history.js';
import { getApplicant } from '../../../db/repositories/applicants.js';
import { referencedProgramYear } from '../../../db/repositories/program-years.js';
import { recordExternalAward } from '../../../db/repositories/cap-ledger.js';
import type { SubsidyExternalAwardsTable } from '../../../db/tables/subsidy.js';
import { commandKey } from '../../command-runner.js';
import { actorLabel } from '../../deps.js';
import { IdParams, listOf, problemResponses } from '../../schemas/common.js';
import { olderThan, pageOf } from '../../../db/pagination.js';
import { exportableList } from '../../exports/media.js';
import { exportIfAsked, type ExportPage } from '../../exports/send.js';
import { externalAwardsExport } from '../../exports/lists/external-awards.js';
import { ExternalAwardBody, ExternalAwardView } from '../../schemas/subsidy-cases.js';
import { pastDateField } from '../../fields.js';

const awardView = (row: Selectable<SubsidyExternalAwardsTable>) => ({
  id: row.id, applicantId: row.applicant_id, programYearId: row.program_year_id, procedure: row.procedure, body: row.body,
  amountJpy: row.amount_jpy, awardedOn: row.awarded_on, reference: row.reference, recordedBy: row.recorded_by, createdAt: toJstIso(row.created_at),
});

const routes: FastifyPluginAsyncTypebox = async (app) => {
  const { db, clock } = app.deps;

  app.post('/applicants/:id/external-awards', {
    config: { roles: ['staff'] },
    schema: { tags: ['applicants'], summary: 'Record an award from another implementing body (counts as settled against the per-applicant cap)', params: IdParams, body: ExternalAwardBody, response: { 201: ExternalAwardView, ...problemResponses(404, 422) } },
  }, async (request, reply) => {
    const body = request.body;
    const now = clock.now();
    const applicant = await getApplicant(db, request.params.id);
    const year = await referencedProgramYear(db, body.programYearId, 'overseas_ip_subsidy');
    const awardedOn = pastDateField('body/awardedOn', body.awardedOn, now);
    // Named after the Idempotency-Key: a retried award finds the one the first attempt recorded.
    const id = commandKey(request).idFor('xa');
    const actor = actorLabel(request.actor);
    const row = await db.transaction().execute(async (trx) => {
      const inserted = await trx.insertInto('subsidy_external_awards').values({
        id, applicant_id: applicant.id, program_year_id: year.id, procedure: body.procedure, body: body.body, amount_jpy: body.amountJpy,
        awarded_on: awardedOn, reference: body.reference ?? null, recorded_by: actor, created_at: now,
      }).onConflict((oc) => oc.column('id').doNothing()).returningAll().executeTakeFirst();
      if (!inserted) return trx.selectFrom('subsidy_external_awards').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
      await recordExternalAward(trx, { applicantId: applicant.id, programYearId: year.id, procedure: body.procedure, externalAwardId: id, amountJpy: body.amountJpy, at: now });
      await recordHistory(trx, { entityType: 'applicant', entityId: applicant.id, at: now, type: 'external_award_recorded', actor, detail: { externalAwardId: id, programYearId: year.id, procedure: body.procedure, body: body.body, amountJpy: body.amountJpy } });
      return inserted;
    });
    return reply.code(201).send(awardView(row));
  });

  app.get('/applicants/:id/external-awards', {
    config: { roles: ['staff'] },
    schema: { tags: ['applicants'], summary: 'Awards from other implementing bodies recorded for an applicant', params: IdParams, response: { 200: exportableList(listOf(ExternalAwardView)), ...problemResponses(404) } },
  }, async (request, reply) => {
    const applicant = await getApplicant(db, request.params.id);
    const read = async ({ limit, cursor }: ExportPage) => {
      let query = db.selectFrom('subsidy_external_awards').selectAll().where('applicant_id', '=', applicant.id);
      if (cursor) query = query.where(olderThan(cursor));
      const { page, nextCursor } = pageOf(await query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit + 1).execute(), limit);
      return { page: page.map(awardView), nextCursor };
    };
    const exported = await exportIfAsked(request, reply, externalAwardsExport, read);
    if (exported) return exported;
    // An applicant has a handful of awards: the JSON list is one page of up to 500.
    return { items: (await read({ limit: 500, cursor: null })).page, nextCursor: null };
  });

};

export default routes;

// Subsidy cases (Program A): api.md → Subsidy cases. Reads come from PostgreSQL (the read
// model the case workflows write), never from Temporal; commands go through the case's
// workflow as Updates.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { caseSummary, listCases, listCasesForExport } from '../../../db/repositories/subsidy-cases.js';
import { decodeCursor } from '../../../db/pagination.js';
import { listOf, problemResponses } from '../../schemas/common.js';
import { CaseIdParams, SubsidyCaseListQuery, SubsidyCaseSummary, SubsidyCaseView } from '../../schemas/subsidy-cases.js';
import { exportableList } from '../../exports/media.js';
import { exportIfAsked } from '../../exports/send.js';
import { subsidyCasesExport } from '../../exports/lists/subsidy-cases.js';
import { sendCase } from './commands.js';
import intake from './intake.js';
import caseCommands from './case-commands.js';
import documents from './documents.js';
import externalAwards from './external-awards.js';

const tags = ['subsidy cases'];

const routes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app.deps;

  app.get('/subsidy-cases', {
    config: { roles: ['staff'] },
    schema: { tags, summary: 'List cases, newest first (summaries; GET one for expenses, filings, reports and history)', querystring: SubsidyCaseListQuery, response: { 200: exportableList(listOf(SubsidyCaseSummary)), ...problemResponses() } },
  }, async (request, reply) => {
    const { limit = 50, cursor, ...filter } = request.query;
    const exported = await exportIfAsked(request, reply, subsidyCasesExport, (page) => listCasesForExport(db, { ...filter, ...page }));
    if (exported) return exported;
    const { page, nextCursor } = await listCases(db, { ...filter, limit, cursor: decodeCursor(cursor) });
    return { items: page.map(caseSummary), nextCursor };
  });

  app.get('/subsidy-cases/:id', {
    config: { roles: ['staff'] },
    schema: { tags, summary: 'The whole case, with every calculation step by step', params: CaseIdParams, response: { 200: SubsidyCaseView, ...problemResponses(404) } },
  }, async (request, reply) => sendCase(reply, db, request.params.id));

  await app.register(intake);
  await app.register(caseCommands);
  await app.register(documents);
  await app.register(externalAwards);
};

export default routes;

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { DomainError } from '../../../domain/errors.js';
import { completeRules, validateProgramYear, type ProgramYearRules } from '../../../domain/program-year.js';
import { getProgramYear, listProgramYears, upsertProgramYear } from '../../../db/repositories/program-years.js';
import { recordHistory } from '../../../db/history.js';
import { actorLabel } from '../../deps.js';
import { problemResponses } from '../../schemas/common.js';
import { ProgramYearBody, ProgramYearIdParams, ProgramYearView } from '../../schemas/program-years.js';
import { announceProgramYear } from '../../program-year-announcements.js';
import summary from './summary.js';

const routes: FastifyPluginAsyncTypebox = async (app) => {
  const { db, clock } = app.deps;

  app.get('/program-years', {
    schema: { tags: ['program years'], summary: 'List program years', response: { 200: Type.Object({ items: Type.Array(ProgramYearView), nextCursor: Type.Null() }), ...problemResponses() } },
  }, async () => ({ items: await listProgramYears(db), nextCursor: null }));

  app.get('/program-years/:id', {
    schema: { tags: ['program years'], summary: 'One program year', params: ProgramYearIdParams, response: { 200: ProgramYearView, ...problemResponses(404) } },
  }, async (request) => getProgramYear(db, request.params.id));

  app.put('/program-years/:id', {
    config: { roles: ['staff'] },
    schema: { tags: ['program years'], summary: 'Create or replace a program year', params: ProgramYearIdParams, body: ProgramYearBody, response: { 200: ProgramYearView, 201: ProgramYearView, ...problemResponses(409, 422) } },
  }, async (request, reply) => {
    // v1 bodies stay valid: a missing v1.1 field takes its FY2024 value, stored with the year.
    const rules = completeRules(request.body as ProgramYearRules);
    const problems = validateProgramYear(rules);
    if (problems.length > 0) throw new DomainError('invalid_program_year', 'The program year rules are inconsistent', problems.map((p) => ({ ...p, path: `body${p.path}` })));
    const now = clock.now();
    const result = await db.transaction().execute(async (trx) => {
      const outcome = await upsertProgramYear(trx, request.params.id, rules, now);
      if (outcome.previous && outcome.previous.program !== rules.program) {
        throw new DomainError('conflict', `Program year ${request.params.id} belongs to ${outcome.previous.program}; it cannot become ${rules.program}`);
      }
      await recordHistory(trx, { entityType: 'program_year', entityId: request.params.id, at: now, type: outcome.created ? 'created' : 'replaced', actor: actorLabel(request.actor), detail: { rules } });
      return outcome;
    });
    // The rules are saved; running cases hear of them now, or from the recovery loop if this is cut short.
    if (!result.created) await announceProgramYear(app.deps, request.params.id, request.log);
    return reply.code(result.created ? 201 : 200).send(await getProgramYear(db, request.params.id));
  });

  await app.register(summary);
};

export default routes;

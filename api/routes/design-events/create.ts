import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { DomainError } from '../../../domain/errors.js';
import type { EventKind } from '../../../domain/design/event.js';
import { toJstIso } from '../../../domain/time.js';
import { referencedProgramYear } from '../../../db/repositories/program-years.js';
import { storedEventView } from '../../../db/repositories/design-events.js';
import { createEventUpdate, DESIGN_EVENT_WORKFLOW, eventWorkflowId, type DesignEventInput } from '../../../workflows/design-event-messages.js';
import { commandReceipt } from '../../../workflows/receipts.js';
import { ProgramYearId } from '../../../workflows/search-attributes.js';
import { commandKey, runCommand } from '../../command-runner.js';
import { commandMeta } from '../../case-commands.js';
import { instantField } from '../../fields.js';
import { badRequest } from '../../problem.js';
import { problemResponses } from '../../schemas/common.js';
import { EventCreate, EventView } from '../../schemas/design.js';

const routes: FastifyPluginAsyncTypebox = async (app) => {
  const { db, taskQueue } = app.deps;

  app.post('/design-events', {
    config: { roles: ['staff'] },
    schema: {
      tags: ['design events'], summary: 'Create a seminar or workshop → 201 open',
      description: 'An event created with `startsAt` (or `registrationClosesAt`) already past is a record entered after the fact: its registration is closed from the start. `endsAt` must be after `startsAt`, and `registrationClosesAt` not after `startsAt` (400). An unknown program year or one of another program: 422 `unknown_program_year`.',
      body: EventCreate, response: { 201: EventView, ...problemResponses(409, 422) },
    },
  }, async (request, reply) => {
    const id = commandKey(request).idFor('de');
    await runCommand(app, request, {
      what: `Design event ${id}`,
      receipt: commandReceipt('design-event', id, commandKey(request).updateId),
      build: async () => {
        const b = request.body;
        const { meta } = commandMeta(app, request);
        const startsAt = instantField('body/startsAt', b.startsAt);
        const endsAt = instantField('body/endsAt', b.endsAt);
        const closesAt = instantField('body/registrationClosesAt', b.registrationClosesAt);
        if (endsAt <= startsAt) throw badRequest('endsAt must be after startsAt', [{ path: 'body/endsAt', message: 'must be after startsAt' }]);
        if (closesAt > startsAt) throw badRequest('registrationClosesAt may not be after startsAt', [{ path: 'body/registrationClosesAt', message: 'may not be after startsAt' }]);
        const year = await referencedProgramYear(db, b.programYearId, 'design_management');
        const event = {
          kind: b.kind as EventKind, title: b.title, city: b.city, venue: b.venue, description: b.description ?? null,
          startsAt: toJstIso(startsAt), endsAt: toJstIso(endsAt), capacity: b.capacity, registrationClosesAt: toJstIso(closesAt),
        };
        return {
          workflowId: eventWorkflowId(id), update: createEventUpdate.name, updateId: commandKey(request).updateId, args: [{ meta, event }],
          start: {
            workflowType: DESIGN_EVENT_WORKFLOW, taskQueue,
            args: [{ eventId: id, programYearId: year.id, rules: { reminderDaysBefore: year.reminderDaysBefore } } satisfies DesignEventInput],
            searchAttributes: { [ProgramYearId.name]: year.id },
          },
        };
      },
      whenGone: async () => new DomainError('conflict', 'The event under this Idempotency-Key was refused earlier; send a new key'),
    });
    return reply.code(201).send(await storedEventView(db, id));
  });
};

export default routes;

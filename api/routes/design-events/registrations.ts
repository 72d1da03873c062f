import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { DomainError, notFound } from '../../../domain/errors.js';
import { notAnAttendee } from '../../../domain/design/event.js';
import { toJstIso } from '../../../domain/time.js';
import { findRegistration } from '../../../db/repositories/design-events.js';
import { referencedApplicant } from '../../../db/repositories/applicants.js';
import { cancelRegistrationUpdate, registerUpdate, surveyUpdate } from '../../../workflows/design-event-messages.js';
import { commandKey } from '../../command-runner.js';
import { commandMeta } from '../../case-commands.js';
import { pastInstantField } from '../../fields.js';
import { problemResponses } from '../../schemas/common.js';
import { EventParams, EventView, RegistrationCreate, RegistrationParams, RegistrationView, SurveyBody } from '../../schemas/design.js';
import { runEventCommand } from './run.js';

const tags = ['design events'];

const routes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app.deps;

  /** The registration must belong to the event of the path. */
  const registrationOf = async (eventId: string, rid: string) => {
    const r = await findRegistration(db, rid);
    if (!r || r.event_id !== eventId) throw notFound('Registration', rid);
    return r;
  };

  app.post('/design-events/:id/registrations', {
    config: { roles: ['staff'] },
    schema: {
      tags, summary: 'Register someone → 201 `{id, status}`: registered while seats remain, else waitlisted',
      description: '422 `registration_closed` once registration closed (a record entered after the fact may carry `registeredAt` before that); the same e-mail address twice on one event: 409 `conflict`. An unknown `applicantId`: 422 `unknown_applicant`.',
      params: EventParams, body: RegistrationCreate, response: { 201: RegistrationView, ...problemResponses(404, 409, 422) },
    },
  }, async (request, reply) => {
    const { meta, now } = commandMeta(app, request);
    const b = request.body;
    const registeredAt = b.registeredAt === undefined ? now : pastInstantField('body/registeredAt', b.registeredAt, now);
    if (b.applicantId !== undefined) await referencedApplicant(db, b.applicantId);
    const registration = {
      id: commandKey(request).idFor('dr'), name: b.name, email: b.email.trim(), organization: b.organization ?? null, applicantId: b.applicantId ?? null,
      registeredAt: toJstIso(registeredAt),
    };
    const view = await runEventCommand(app, request, request.params.id, 'register', registerUpdate, { meta, registration });
    const created = view.registrations.find((r) => r.id === registration.id);
    if (!created) throw new Error(`registration ${registration.id} was not written`);
    return reply.code(201).send(created);
  });

  app.post('/design-events/:id/registrations/:rid/cancellation', {
    config: { roles: ['staff'] },
    schema: {
      tags, summary: 'Cancel a registration: the earliest waitlisted registration takes the seat (and is notified)',
      params: RegistrationParams, response: { 200: EventView, ...problemResponses(404, 409) },
    },
  }, async (request) => {
    const { meta } = commandMeta(app, request);
    const { id, rid } = request.params;
    return runEventCommand(app, request, id, 'cancel registration', cancelRegistrationUpdate, { meta, registrationId: rid }, async () => {
      const r = await registrationOf(id, rid);
      if (r.status === 'cancelled') throw new DomainError('invalid_state', `Registration ${rid} is already cancelled`);
    });
  });

  app.post('/design-events/:id/registrations/:rid/survey', {
    config: { roles: ['staff'] },
    schema: {
      tags, summary: 'Record an attendee\'s survey (after held): satisfaction 1–5, comment, wantsDispatch',
      description: 'Only for an attendee (422 `not_an_attendee`); a second answer: 409 `conflict`; before the event is held: 409 `invalid_state`.',
      params: RegistrationParams, body: SurveyBody, response: { 200: EventView, ...problemResponses(404, 409, 422) },
    },
  }, async (request) => {
    const { meta } = commandMeta(app, request);
    const { id, rid } = request.params;
    const b = request.body;
    return runEventCommand(app, request, id, 'survey', surveyUpdate, { meta, registrationId: rid, survey: { satisfaction: b.satisfaction, comment: b.comment ?? null, wantsDispatch: b.wantsDispatch } }, async (event) => {
      const r = await registrationOf(id, rid);
      if (event.status !== 'held') return; // the status table answers
      if (!r.attended) throw notAnAttendee(rid);
      if (r.survey !== null) throw new DomainError('conflict', `Registration ${rid} has already answered the survey`);
    });
  });
};

export default routes;

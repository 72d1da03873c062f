import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { toJstIso } from '../../../domain/time.js';
import type { SessionKind } from '../../../domain/brand/plan.js';
import { commandKey } from '../../command-runner.js';
import { addSessionUpdate, cancelSessionUpdate, completeSessionUpdate, rescheduleSessionUpdate } from '../../../workflows/brand-engagement-messages.js';
import { problemResponses } from '../../schemas/common.js';
import { CompletionBody, EngagementParams, EngagementView, SessionCreate, SessionParams, SessionPatch, SessionView } from '../../schemas/brand-engagements.js';
import { accessibleEngagement, runEngagementCommand } from './access.js';
import { commandMeta } from '../../case-commands.js';
import { instantField, pastInstantField } from '../../fields.js';

const tags = ['brand engagements'];
const PLAN_RULES = 'The plan rules keep holding for the sessions that are not cancelled (422 `one_sharing_session_only`, `sharing_session_not_last`, `sharing_session_required`).';

const routes: FastifyPluginAsyncTypebox = async (app) => {
  app.post('/brand-engagements/:id/sessions', {
    config: { roles: ['staff', 'support_leader', 'expert'] },
    schema: {
      tags, summary: 'Add a session (staff; its support leader) → 201 with the session', description: `Sessions may be scheduled in the past (records entered after the fact). ${PLAN_RULES}`,
      params: EngagementParams, body: SessionCreate, response: { 201: SessionView, ...problemResponses(404, 409, 422) },
    },
  }, async (request, reply) => {
    const row = await accessibleEngagement(app, request, request.params.id);
    const { meta } = commandMeta(app, request);
    const b = request.body;
    const session = { id: commandKey(request).idFor('bs'), title: b.title, kind: b.kind as SessionKind, lecturerName: b.lecturerName, lecturerOrganization: b.lecturerOrganization ?? null, scheduledAt: toJstIso(instantField('body/scheduledAt', b.scheduledAt)) };
    const view = await runEngagementCommand(app, request, row, 'add session', addSessionUpdate, { meta, session });
    const created = view.sessions.find((s) => s.id === session.id);
    if (!created) throw new Error(`session ${session.id} was not written`);
    return reply.code(201).send(created);
  });

  app.patch('/brand-engagements/:id/sessions/:sessionId', {
    config: { roles: ['staff', 'support_leader', 'expert'] },
    schema: {
      tags, summary: 'Reschedule (`{scheduledAt}`) or cancel (`{status: "cancelled"}`) a session', description: `Moving a session clears its overdue flag and moves its timer. ${PLAN_RULES}`,
      params: SessionParams, body: SessionPatch, response: { 200: EngagementView, ...problemResponses(404, 409, 422) },
    },
  }, async (request) => {
    const row = await accessibleEngagement(app, request, request.params.id);
    const { meta } = commandMeta(app, request);
    const { sessionId } = request.params;
    const { scheduledAt } = request.body;
    if (scheduledAt !== undefined) {
      const when = toJstIso(instantField('body/scheduledAt', scheduledAt));
      return runEngagementCommand(app, request, row, 'reschedule session', rescheduleSessionUpdate, { meta, sessionId, scheduledAt: when });
    }
    return runEngagementCommand(app, request, row, 'cancel session', cancelSessionUpdate, { meta, sessionId });
  });

  app.post('/brand-engagements/:id/sessions/:sessionId/completion', {
    config: { roles: ['staff', 'support_leader', 'expert'] },
    schema: {
      tags, summary: 'Report a session as held (its support leader; staff)',
      description: '`heldAt` may not be in the future and need not match `scheduledAt`. The action_plan_sharing session needs an action plan first (409 `action_plan_missing`). When every session that is not cancelled is held, the engagement is `completed`.',
      params: SessionParams, body: CompletionBody, response: { 200: EngagementView, ...problemResponses(404, 409) },
    },
  }, async (request) => {
    const row = await accessibleEngagement(app, request, request.params.id);
    const { meta, now } = commandMeta(app, request);
    const b = request.body;
    const heldAt = toJstIso(pastInstantField('body/heldAt', b.heldAt, now));
    return runEngagementCommand(app, request, row, 'complete session', completeSessionUpdate, { meta, sessionId: request.params.sessionId, heldAt, attendeeCount: b.attendeeCount, summary: b.summary });
  });
};

export default routes;

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { toJstIso } from '../../../domain/time.js';
import { unknownExpert, type BrandMeasure } from '../../../domain/brand/engagement.js';
import type { SessionKind } from '../../../domain/brand/plan.js';
import { commandKey } from '../../command-runner.js';
import { actionPlanUpdate, hearingUpdate, planUpdate, selectionUpdate, withdrawalUpdate } from '../../../workflows/brand-engagement-messages.js';
import { badRequest } from '../../problem.js';
import { problemResponses } from '../../schemas/common.js';
import { ActionPlanBody, EngagementParams, EngagementView, HearingBody, PlanBody, SelectionBody, WithdrawalBody } from '../../schemas/brand-engagements.js';
import { accessibleEngagement, runEngagementCommand } from './access.js';
import { commandMeta } from '../../case-commands.js';
import { dateField, instantField, pastDateField } from '../../fields.js';

const tags = ['brand engagements'];

const routes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app.deps;

  app.post('/brand-engagements/:id/selection', {
    config: { roles: ['staff'] },
    schema: {
      tags, summary: 'Select or not select (422 capacity_reached when the year is full)',
      description: 'Not selecting needs a `reason` (the group is told why). A group that withdraws after selection gives its place back.',
      params: EngagementParams, body: SelectionBody, response: { 200: EngagementView, ...problemResponses(404, 409, 422) },
    },
  }, async (request) => {
    const { selected, reason } = request.body;
    if (!selected && reason === undefined) throw badRequest('A reason is needed when the group is not selected', [{ path: 'body/reason', message: 'is required when selected is false' }]);
    const row = await accessibleEngagement(app, request, request.params.id);
    const { meta } = commandMeta(app, request);
    return runEngagementCommand(app, request, row, 'selection', selectionUpdate, { meta, selected, reason: reason ?? null });
  });

  app.post('/brand-engagements/:id/hearing', {
    config: { roles: ['staff'] },
    schema: { tags, summary: 'Record the hearing (課題の把握・整理) → hearing_done', params: EngagementParams, body: HearingBody, response: { 200: EngagementView, ...problemResponses(404, 409) } },
  }, async (request) => {
    const row = await accessibleEngagement(app, request, request.params.id);
    const { meta, now } = commandMeta(app, request);
    const hearing = { heldOn: pastDateField('body/heldOn', request.body.heldOn, now), findings: request.body.findings, notes: request.body.notes ?? null };
    return runEngagementCommand(app, request, row, 'hearing', hearingUpdate, { meta, hearing });
  });

  app.post('/brand-engagements/:id/plan', {
    config: { roles: ['staff'] },
    schema: {
      tags, summary: 'Decide the direction and plan the sessions (支援の方向性) → in_support',
      description: 'At least one session, exactly one `action_plan_sharing` session, scheduled after every lecture (422 `session_required`, `sharing_session_required`, `one_sharing_session_only`, `sharing_session_not_last`). `supportLeaderId` must be a registered expert: 422 `unknown_expert`.',
      params: EngagementParams, body: PlanBody, response: { 200: EngagementView, ...problemResponses(404, 409, 422) },
    },
  }, async (request) => {
    const row = await accessibleEngagement(app, request, request.params.id);
    const { meta } = commandMeta(app, request);
    const body = request.body;
    const sessions = body.sessions.map((s, i) => ({
      id: commandKey(request).idFor(`bs${i}`), title: s.title, kind: s.kind as SessionKind, lecturerName: s.lecturerName, lecturerOrganization: s.lecturerOrganization ?? null,
      scheduledAt: toJstIso(instantField(`body/sessions/${i}/scheduledAt`, s.scheduledAt)),
    }));
    const leader = await db.selectFrom('experts').select('id').where('id', '=', body.supportLeaderId).executeTakeFirst();
    if (!leader) throw unknownExpert(body.supportLeaderId);
    return runEngagementCommand(app, request, row, 'plan', planUpdate, { meta, supportLeaderId: body.supportLeaderId, direction: body.direction, measures: body.measures as BrandMeasure[], sessions });
  });

  app.post('/brand-engagements/:id/action-plan', {
    config: { roles: ['staff', 'support_leader', 'expert'] },
    schema: {
      tags, summary: 'Record the action plan (its support leader; staff)', description: 'A later action plan replaces the earlier one; history keeps every revision.',
      params: EngagementParams, body: ActionPlanBody, response: { 200: EngagementView, ...problemResponses(404, 409) },
    },
  }, async (request) => {
    const row = await accessibleEngagement(app, request, request.params.id);
    const { meta } = commandMeta(app, request);
    const actions = request.body.actions.map((a, i) => ({ title: a.title, owner: a.owner, dueOn: dateField(`body/actions/${i}/dueOn`, a.dueOn) }));
    return runEngagementCommand(app, request, row, 'action plan', actionPlanUpdate, { meta, actionPlan: { summary: request.body.summary, actions } });
  });

  app.post('/brand-engagements/:id/withdrawal', {
    config: { roles: ['staff'] },
    schema: {
      tags, summary: 'Withdraw (any status before completed)', description: 'Sessions still scheduled are cancelled with the engagement.',
      params: EngagementParams, body: WithdrawalBody, response: { 200: EngagementView, ...problemResponses(404, 409) },
    },
  }, async (request) => {
    const row = await accessibleEngagement(app, request, request.params.id);
    const { meta } = commandMeta(app, request);
    return runEngagementCommand(app, request, row, 'withdrawal', withdrawalUpdate, { meta, reason: request.body.reason });
  });
};

export default routes;

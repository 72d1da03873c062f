import type { FastifyBaseLogger } from 'fastify';
import type { RegionalBrandYear } from '../../../domain/program-year.js';
import { openEngagementIds } from '../../../db/repositories/brand-engagements.js';
import { engagementWorkflowId, rulesChangedUpdate } from '../../../workflows/brand-engagement-messages.js';
import type { AppDeps } from '../../deps.js';

/**
 * Tell running engagements of this year that its deadlines moved (supportEndsAt,
 * sessionGraceDays). An Update, not a Signal: when the PUT answers, flags that are no longer
 * due are already cleared in PostgreSQL. One engagement that cannot be told is logged and
 * does not fail the PUT (the rules are saved; reads already compute overdue from them).
 */
export async function tellBrandEngagements(deps: AppDeps, programYearId: string, rules: RegionalBrandYear, log: FastifyBaseLogger): Promise<void> {
  const ids = await openEngagementIds(deps.db, programYearId);
  const revision = await deps.db.selectFrom('program_years').select('revision').where('id', '=', programYearId).executeTakeFirst();
  const update = { rules: { supportEndsAt: rules.supportEndsAt, sessionGraceDays: rules.sessionGraceDays }, revision: revision?.revision ?? null };
  const results = await Promise.allSettled(ids.map((id) => deps.temporal.workflow.getHandle(engagementWorkflowId(id)).executeUpdate(rulesChangedUpdate, { args: [update] })));
  results.forEach((r, i) => {
    if (r.status === 'rejected') log.warn({ err: r.reason, engagementId: ids[i], programYearId }, 'could not tell a brand engagement that its program year changed');
  });
}

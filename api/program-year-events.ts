// Running cases keep the caps and rate of their year as received, but a moved deadline
// (reportDeadline, supportEndsAt, sessionGraceDays) must reach them: each program's
// running workflows are told here.
import type { FastifyBaseLogger } from 'fastify';
import type { ProgramYearRules } from '../domain/program-year.js';
import type { AppDeps } from './deps.js';
import { tellSubsidyCases } from './routes/subsidy-cases/program-year-changed.js';
import { tellBrandEngagements } from './routes/brand-engagements/program-year-changed.js';

export async function programYearChanged(deps: AppDeps, programYearId: string, rules: ProgramYearRules, log: FastifyBaseLogger): Promise<void> {
  if (rules.program === 'overseas_ip_subsidy') await tellSubsidyCases(deps, programYearId, rules, log);
  else await tellBrandEngagements(deps, programYearId, rules, log);
}

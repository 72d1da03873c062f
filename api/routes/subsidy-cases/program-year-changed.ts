import type { FastifyBaseLogger } from 'fastify';
import type { OverseasIpYear } from '../../../domain/program-year.js';
import type { AppDeps } from '../../deps.js';

/** Tell running subsidy cases of this year that its deadlines moved. */
export async function tellSubsidyCases(_deps: AppDeps, _programYearId: string, _rules: OverseasIpYear, _log: FastifyBaseLogger): Promise<void> {}

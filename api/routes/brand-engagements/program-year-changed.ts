import type { FastifyBaseLogger } from 'fastify';
import type { RegionalBrandYear } from '../../../domain/program-year.js';
import type { AppDeps } from '../../deps.js';

/** Tell running engagements of this year that its deadlines moved. */
export async function tellBrandEngagements(_deps: AppDeps, _programYearId: string, _rules: RegionalBrandYear, _log: FastifyBaseLogger): Promise<void> {}

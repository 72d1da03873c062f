// A support leader's request on an engagement they do not lead is refused (403) before its
// body is validated: a huge body for someone else's engagement costs one primary-key read,
// not a validation. Staff may act on every engagement, so nothing is read for them; the
// route's handler still checks access as before.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { findEngagement } from '../../../db/repositories/brand-engagements.js';
import { assertMayAccess } from './access.js';

export function leaderAccessFirst(app: FastifyInstance) {
  return async (request: FastifyRequest): Promise<void> => {
    if (request.actor?.role !== 'support_leader' && request.actor?.role !== 'expert') return;
    const id = (request.params as { id?: unknown } | undefined)?.id;
    if (typeof id !== 'string' || id === '' || id.length > 100) return; // the params schema answers
    const row = await findEngagement(app.deps.db, id);
    if (row) assertMayAccess(request, row);
  };
}

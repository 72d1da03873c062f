// How the event routes run a command (the case-command runner), answering with the event as GET shows it.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { UpdateDefinition } from '@temporalio/common';
import { EVENT_STATUS, type EventCommand, type EventStatus } from '../../../domain/design/event.js';
import { findEvent, getEvent, storedEventView, type EventRow } from '../../../db/repositories/design-events.js';
import { eventWorkflowId } from '../../../workflows/design-event-messages.js';
import { runCaseCommand, type CaseKind } from '../../case-commands.js';

export const DESIGN_EVENTS: CaseKind<EventStatus, EventCommand, EventRow> = {
  label: 'Design event', receiptEntity: 'design-event', workflowId: eventWorkflowId, statusTable: EVENT_STATUS, find: findEvent,
};

export async function runEventCommand<A>(app: FastifyInstance, request: FastifyRequest, id: string, command: EventCommand, update: UpdateDefinition<void, [A]>, arg: A, check?: (row: EventRow) => void | Promise<void>) {
  const row = await getEvent(app.deps.db, id);
  await check?.(row);
  await runCaseCommand(app, request, DESIGN_EVENTS, id, command, update, arg);
  return storedEventView(app.deps.db, id);
}

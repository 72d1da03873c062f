// The one way a route runs a command on a case of any type (a subsidy case, a brand
// engagement, …): who and when (`commandMeta`), then the command through the command log
// (command-runner.ts). A case whose workflow has ended answers from its status table without
// asking Temporal — its final status is exact — unless the command already took effect (its
// receipt), which a retry of the same key is answered by.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { UpdateDefinition } from '@temporalio/common';
import { DomainError, notFound } from '../domain/errors.js';
import type { StatusTable } from '../domain/state-machine.js';
import { toJstIso } from '../domain/time.js';
import type { Db } from '../db/database.js';
import type { CommandMeta } from '../workflows/kernel/case-entity.js';
import { commandReceipt, type ReceiptEntity } from '../workflows/receipts.js';
import { commandKey, runCommand } from './command-runner.js';
import { actorLabel } from './deps.js';

/** What the API needs to know of a case type to run its commands. */
export interface CaseKind<S extends string, C extends string, Row extends { status: string }> {
  /** `Subsidy case`, `Brand engagement`: for messages. */
  label: string;
  receiptEntity: ReceiptEntity;
  workflowId(id: string): string;
  statusTable: StatusTable<S, C>;
  find(db: Db, id: string): Promise<Row | undefined>;
}

/** Who and when (the API's clock, shown in JST), as the workflow writes it to history. */
export function commandMeta(app: FastifyInstance, request: FastifyRequest): { meta: CommandMeta; now: number } {
  const now = app.deps.clock.now();
  return { meta: { actor: actorLabel(request.actor), at: toJstIso(now) }, now: now.getTime() };
}

export async function runCaseCommand<S extends string, C extends string, Row extends { status: string }, A>(
  app: FastifyInstance, request: FastifyRequest, kind: CaseKind<S, C, Row>, id: string, command: C, update: UpdateDefinition<void, [A]>, arg: A,
  /** A check only the API can make against the row (a date before another), before anything is sent. */
  check?: (row: Row) => void,
): Promise<void> {
  const { db } = app.deps;
  const load = async () => {
    const row = await kind.find(db, id);
    if (!row) throw notFound(kind.label, id);
    return row;
  };
  await runCommand(app, request, {
    what: `${kind.label} ${id}`,
    receipt: commandReceipt(kind.receiptEntity, id, commandKey(request).updateId),
    build: async () => {
      const row = await load();
      if (kind.statusTable.isFinal(row.status as S)) kind.statusTable.assertCommandAllowed(command, row.status as S);
      check?.(row);
      return { workflowId: kind.workflowId(id), update: update.name, updateId: commandKey(request).updateId, args: [arg] };
    },
    // The workflow ended between our read and the Update (a lapse at the deadline, say).
    whenGone: async () => {
      kind.statusTable.assertCommandAllowed(command, (await load()).status as S);
      return new DomainError('not_found', `${kind.label} ${id} has no running process`);
    },
  });
}

// What a request that died leaves behind is finished here, by whichever API process gets
// to it first: a command whose outcome is unknown (its process was killed, or Temporal was
// down past the request's deadline) is sent again with the same Update id once its lease
// runs out — so the workflow and PostgreSQL agree again and the key gets its outcome — and
// a program year revision some running case has not heard of is announced again.
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { forgetOldKeys, leaseStrandedCommands, settleCommand } from '../../db/repositories/command-log.js';
import { deliver } from '../command-delivery.js';
import { commandTiming } from '../command-runner.js';
import { announceProgramYear, unannouncedYears } from '../program-year-announcements.js';

const EVERY_MS = 2_000;
const BATCH = 20;
/** Answers are replayed to retries for a week, then forgotten. */
const KEEP_KEYS_MS = 7 * 24 * 3600_000;

export interface RecoveryPass {
  commands: number;
  settled: number;
  years: number;
}

declare module 'fastify' {
  interface FastifyInstance {
    recovery: { runOnce(): Promise<RecoveryPass> };
  }
}

export default fp(async function recovery(app: FastifyInstance, opts: { enabled: boolean }) {
  const deps = app.deps;
  let lastForget = 0;

  async function runOnce(): Promise<RecoveryPass> {
    const pass: RecoveryPass = { commands: 0, settled: 0, years: 0 };
    const timing = commandTiming(deps);
    const stranded = await leaseStrandedCommands(deps.db, BATCH, timing.leaseMs);
    pass.commands = stranded.length;
    await Promise.all(stranded.map(async (entry) => {
      try {
        // Done, refused or gone: an outcome either way. The client's retry answers it from
        // Temporal or the receipt; nothing is left to send.
        await deliver(deps.temporal, entry.command, `Command ${entry.command.update} on ${entry.command.workflowId}`, timing.deadlineMs);
        await settleCommand(deps.db, entry);
        pass.settled += 1;
      } catch (error) {
        app.log.warn({ err: error, workflowId: entry.command.workflowId, update: entry.command.update, attempts: entry.attempts }, 'a stranded command could not be sent again yet');
      }
    }));
    for (const id of await unannouncedYears(deps)) {
      if (await announceProgramYear(deps, id, app.log)) pass.years += 1;
    }
    if (Date.now() - lastForget > 3600_000) {
      lastForget = Date.now();
      await forgetOldKeys(deps.db, KEEP_KEYS_MS);
    }
    if (pass.commands > 0) app.log.info(pass, 'recovery pass');
    return pass;
  }

  app.decorate('recovery', { runOnce });
  if (!opts.enabled) return;

  let running: Promise<unknown> | null = null;
  const timer = setInterval(() => {
    if (running) return;
    running = runOnce().catch((error: unknown) => app.log.warn({ err: error }, 'recovery pass failed; trying again shortly')).finally(() => { running = null; });
  }, EVERY_MS);
  timer.unref();
  app.addHook('onClose', async () => {
    clearInterval(timer);
    await running;
  });
});

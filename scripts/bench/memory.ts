// (e) The worker's memory with many open cases. With the workflow cache bounded
// (WORKER_MAX_CACHED_WORKFLOWS) the worker keeps at most that many cases in memory however
// many are open; the rest live in Temporal's history and are replayed when a command comes.
// The cases are started with a carried state (open-cases.ts): at 50,000 cases, opening each
// by its intake would take most of an hour on this machine.
import type { Client } from '@temporalio/client';
import type { Db } from '../../db/database.js';
import { rssMiB } from './infra.js';
import { startCarriedCases } from './open-cases.js';
import { fmt } from './stats.js';

export interface WorkerMemory {
  beforeMiB: number;
  peakMiB: number;
  afterMiB: number;
  casesPerSecond: number;
}

/** Opens `count` cases and reads the worker's RSS before, at its highest while opening, and after. */
export async function workerMemory(options: {
  temporal: Client; db: Db; taskQueue: string; programYearId: string; applicantId: string; count: number; workerPid: number; log: (line: string) => void;
}): Promise<WorkerMemory> {
  const beforeMiB = rssMiB(options.workerPid);
  let peakMiB = beforeMiB;
  const sampler = setInterval(() => { peakMiB = Math.max(peakMiB, rssMiB(options.workerPid)); }, 1000);
  try {
    const opened = await startCarriedCases({
      ...options, first: 100_000,
      log: (line) => options.log(`${line}; worker RSS ${fmt(rssMiB(options.workerPid), 0)} MiB`),
    });
    // Let the last tasks settle and the collector run before the reading that counts.
    await new Promise((r) => setTimeout(r, 5000));
    const afterMiB = rssMiB(options.workerPid);
    return { beforeMiB, peakMiB: Math.max(peakMiB, afterMiB), afterMiB, casesPerSecond: options.count / (opened.ms / 1000) };
  } finally {
    clearInterval(sampler);
  }
}

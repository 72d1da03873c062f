// (j) What a cache miss costs a command. A worker of its own, on a task queue of its own,
// with a small workflow cache, holds many cases; each is sent a command after every other
// case has had one (so it was evicted: the worker replays its history first) and then at
// once a second command (cached). Same command, same case, same history length but one
// event, so the difference is the replay.
import type { Client } from '@temporalio/client';
import type { Db } from '../../db/database.js';
import { jstDate } from '../../domain/time.js';
import type { Http } from './http.js';
import { startWorkerProcess, type BenchSystem } from './infra.js';
import { openCases } from './open-cases.js';
import { runPool, Samples, timed } from './stats.js';

export interface EvictionFigures {
  evicted: Samples;
  cached: Samples;
}

/** Every case is of one applicant: a small grant limit keeps the per-applicant cap from running out. */
const SMALL_GRANT_JPY = 10_000;

const expense = (n: string) => {
  const today = jstDate(Date.now());
  return { category: 'foreign_office_fee', payee: 'USPTO', country: 'US', invoiceNumber: `INV-J-${n}`, incurredOn: today, paidOn: today, amountJpy: 110_000, consumptionTaxJpy: 0, currency: 'USD', foreignAmount: 730 };
};

export async function evictedAgainstCached(options: {
  system: BenchSystem; http: Http; temporal: Client; db: Db; programYearId: string; applicantId: string;
  cases: number; cache: number; rounds: number; log: (line: string) => void;
}): Promise<EvictionFigures> {
  const { system, http, cases, cache, rounds, log } = options;
  const taskQueue = `${system.taskQueue}-small-cache`;
  const worker = await startWorkerProcess(system, { TEMPORAL_TASK_QUEUE: taskQueue, WORKER_MAX_CACHED_WORKFLOWS: String(cache) }, 'small-cache worker');
  try {
    const { ids } = await openCases({ ...options, taskQueue, count: cases, first: 900_000, concurrency: 16, log });
    await runPool(ids.length, 8, async (i) => { await http('POST', `/subsidy-cases/${ids[i]}/decision`, { approve: true, grantLimitJpy: SMALL_GRANT_JPY }); });
    log(`${ids.length} cases approved on a worker with a workflow cache of ${cache}`);
    const evicted = new Samples();
    const cached = new Samples();
    for (let r = 0; r < rounds; r++) {
      for (const [i, id] of ids.entries()) {
        await timed(evicted, () => http('POST', `/subsidy-cases/${id}/expenses`, expense(`${r}-${i}-a`)));
        await timed(cached, () => http('POST', `/subsidy-cases/${id}/expenses`, expense(`${r}-${i}-b`)));
      }
    }
    return { evicted, cached };
  } finally {
    await worker.stop();
  }
}

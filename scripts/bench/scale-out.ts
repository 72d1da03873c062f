// (i) Scaling out with no code change: a second worker process polls the same task queue and
// a second API process serves the same routes, against the one Temporal server and the one
// PostgreSQL; the load generator takes the APIs in turn, as a load balancer would. On a
// machine of two cores both processes share those cores, so this shows that the system runs
// split across processes (and what that costs here), not what a second machine would add.
import { httpClient } from './http.js';
import { startApiProcess, startWorkerProcess, type BenchSystem } from './infra.js';
import { createApplicants, runLifecycle } from './scenario.js';
import { runPool } from './stats.js';

export interface ScaleOutRow {
  processes: number;
  concurrency: number;
  cases: number;
  perSecond: number;
}

export async function scaleOut(options: { system: BenchSystem; programYearId: string; scale: number; log: (line: string) => void }): Promise<ScaleOutRow[]> {
  const { system, programYearId, scale, log } = options;
  const rows: ScaleOutRow[] = [];
  let n = 200_000;
  for (const processes of [1, 2]) {
    const extra = processes === 2
      // The second API runs no activities: a small pool leaves PostgreSQL's connections to the workers.
      ? await Promise.all([startWorkerProcess(system, {}, 'second worker'), startApiProcess(system, { DB_POOL_SIZE: '16' }, 'second api')])
      : [];
    try {
      const urls = [system.apiUrl, ...extra.flatMap((p) => ('url' in p ? [p.url] : []))];
      const http = httpClient(urls, system.staffToken);
      const warm = await createApplicants(http, 4, `scale-warm-${processes}`);
      await runPool(4, 4, (i) => runLifecycle(http, programYearId, warm[i]!, n++).then(() => undefined));
      for (const concurrency of [8, 32]) {
        const cases = Math.max(concurrency, Math.round((concurrency === 8 ? 48 : 128) * scale));
        const applicants = await createApplicants(http, cases, `scale-${processes}-${concurrency}`);
        const ms = await runPool(cases, concurrency, (i) => runLifecycle(http, programYearId, applicants[i]!, n++).then(() => undefined));
        rows.push({ processes, concurrency, cases, perSecond: cases / (ms / 1000) });
        log(`${processes} worker(s) + ${processes} API(s), concurrency ${concurrency}: ${cases} lifecycles in ${(ms / 1000).toFixed(1)} s`);
      }
    } finally {
      for (const p of extra) await p.stop();
    }
  }
  return rows;
}

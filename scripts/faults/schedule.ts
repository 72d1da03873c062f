// The faults, one at a time at fixed intervals, in an order fixed by their count: every
// kind appears once the count allows, and one Temporal outage lasts longer than ~20 s.
import type { FaultSystem } from './system.js';

export type FaultKind = 'kill_worker' | 'kill_api' | 'kill_temporal' | 'kill_temporal_long' | 'restart_postgres' | 'kill_postgres';

// A running worker meets the long Temporal outage (a worker just restarted would only be
// starting), and restarts of one part never follow each other directly.
const CYCLE: FaultKind[] = [
  'kill_worker', 'kill_api', 'restart_postgres', 'kill_temporal', 'kill_api', 'kill_postgres', 'kill_temporal_long',
  'kill_worker', 'kill_api', 'kill_temporal', 'restart_postgres', 'kill_worker', 'kill_api',
];

export function faultPlan(count: number): FaultKind[] {
  return Array.from({ length: count }, (_, i) => CYCLE[i % CYCLE.length]!);
}

export interface InjectedFault {
  kind: FaultKind;
  /** Seconds since the run started. */
  at: number;
  /** How long the part was down (kill to back up), ms. */
  downMs: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Takes one part down and brings it back; resolves when it is back. */
async function inject(system: FaultSystem, kind: FaultKind, longOutageMs: number): Promise<void> {
  switch (kind) {
    case 'kill_worker':
    case 'kill_api': {
      const role = kind === 'kill_worker' ? 'worker' : 'api';
      await system.killNode(role);
      await sleep(1000);
      await system.startNode(role);
      return;
    }
    case 'kill_temporal':
    case 'kill_temporal_long':
      await system.killTemporal();
      await sleep(kind === 'kill_temporal' ? 3000 : longOutageMs);
      await system.startTemporal();
      return;
    case 'restart_postgres':
    case 'kill_postgres':
      await system.downPostgres(kind === 'restart_postgres' ? 'stop' : 'kill');
      await sleep(kind === 'restart_postgres' ? 500 : 2000);
      await system.startPostgres();
  }
}

/**
 * Runs the plan: fault i no earlier than `firstAtMs + i × intervalMs` after `t0`, and never
 * before the previous part is back. Stops early (between faults) when `stop` aborts.
 */
export async function runSchedule(system: FaultSystem, plan: FaultKind[], o: { t0: number; firstAtMs: number; intervalMs: number; longOutageMs: number; stop: AbortSignal; log: (line: string) => void }): Promise<InjectedFault[]> {
  const done: InjectedFault[] = [];
  for (const [i, kind] of plan.entries()) {
    const wait = o.t0 + o.firstAtMs + i * o.intervalMs - Date.now();
    if (wait > 0) await sleep(wait);
    if (o.stop.aborted) break;
    const started = Date.now();
    o.log(`fault ${i + 1}/${plan.length}: ${kind}`);
    await inject(system, kind, o.longOutageMs);
    done.push({ kind, at: (started - o.t0) / 1000, downMs: Date.now() - started });
    o.log(`fault ${i + 1}/${plan.length}: ${kind} — back after ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
  return done;
}

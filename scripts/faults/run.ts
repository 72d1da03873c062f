// One fault-injection run: start the system, drive N cases with C clients while the
// schedule kills and restarts its parts, then check what must hold and gather figures.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { clockOf } from '../../runtime/clock.js';
import { FaultClient } from './client.js';
import { runCase, type CaseRun } from './lifecycle.js';
import { faultPlan, runSchedule, type InjectedFault } from './schedule.js';
import { startFaultSystem } from './system.js';
import { checkAnswers, checkCases, checkIdempotencyTable, checkLedger, checkWorkflows, type CheckResult } from './checks.js';

export interface FaultOptions {
  cases: number;
  clients: number;
  faults: number;
  /** Between faults, ms; the first comes after one interval. */
  intervalMs: number;
  /** The long Temporal outage, ms. */
  longOutageMs: number;
  /** Every client stops after this long, whatever is left. */
  timeoutMs: number;
  attemptTimeoutMs: number;
  commandBudgetMs: number;
  stuckAfterMs: number;
  log: (line: string) => void;
}

export const DEFAULTS: Omit<FaultOptions, 'log'> = {
  cases: 150, clients: 16, faults: 13, intervalMs: 10_000, longOutageMs: 25_000, timeoutMs: 10 * 60_000,
  attemptTimeoutMs: 20_000, commandBudgetMs: 120_000, stuckAfterMs: 45_000,
};

// Inside the 2nd FY2024 filing window of the seeded overseas-ip-2024 year, months before its
// report deadline: the whole lifecycle is allowed and nothing lapses while the run lasts.
const CLOCK_START = '2024-08-20T10:00:00+09:00';

export interface FaultReport {
  checks: CheckResult[];
  faults: InjectedFault[];
  figures: Record<string, string | number>;
  /** Cases whose client ran (all of them, unless the time bound stopped the clients). */
  casesRun: number;
  ok: boolean;
}

export async function runFaultInjection(o: FaultOptions): Promise<FaultReport> {
  const started = Date.now();
  const runId = randomBytes(3).toString('hex');
  const clockAnchor = new Date().toISOString();
  const clock = clockOf({ start: CLOCK_START, anchor: clockAnchor });
  const system = await startFaultSystem({ clockStart: CLOCK_START, clockAnchor, log: o.log });
  try {
    const stopClients = new AbortController();
    const stopFaults = new AbortController();
    const deadline = setTimeout(() => {
      stopClients.abort();
      stopFaults.abort();
    }, o.timeoutMs);
    const client = new FaultClient(system.apiUrl, system.staffToken, o, stopClients.signal);
    const plan = faultPlan(o.faults);
    const t0 = Date.now();
    // Cases start at an even pace over the schedule, so faults always meet traffic.
    const spanMs = (o.faults + 1) * o.intervalMs + o.longOutageMs;
    const paceMs = spanMs / o.cases;

    const schedule = runSchedule(system, plan, { t0, firstAtMs: o.intervalMs, intervalMs: o.intervalMs, longOutageMs: o.longOutageMs, stop: stopFaults.signal, log: o.log });
    const runs: CaseRun[] = [];
    let next = 0;
    const worker = async () => {
      for (let n = next++; n < o.cases && !stopClients.signal.aborted; n = next++) {
        const wait = t0 + n * paceMs - Date.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        runs.push(await runCase(client, runId, n, clock));
        if (runs.length % 25 === 0) o.log(`${runs.length}/${o.cases} cases done (${client.attempts} attempts, ${client.retries} retries)`);
      }
    };
    await Promise.all(Array.from({ length: o.clients }, worker));
    const clientsMs = Date.now() - t0;
    // The cases are paced to outlast the schedule; if they did not, the rest of it still runs.
    const faults = await schedule;
    clearTimeout(deadline);
    if (stopClients.signal.aborted) o.log(`clients stopped at the ${o.timeoutMs / 1000} s bound`);

    // Everything up again (a restart may still be settling) before reading.
    await new Promise((r) => setTimeout(r, 2000));
    const db = new pg.Client({ connectionString: system.databaseUrl });
    await db.connect();
    let checks: CheckResult[];
    try {
      const caseIds = (await db.query<{ id: string }>('select id from subsidy_cases')).rows.map((r) => r.id);
      checks = [
        ...checkAnswers(client.commands),
        await checkIdempotencyTable(db),
        ...(await checkCases(db, runs)),
        await checkLedger(db, runs.map((r) => r.applicantId).filter((id): id is string => !!id)),
        await checkWorkflows(system.temporalAddress, db, caseIds),
      ];
    } finally {
      await db.end();
    }

    const byKind: Record<string, number> = {};
    for (const f of faults) byKind[f.kind] = (byKind[f.kind] ?? 0) + 1;
    const answered = client.commands.filter((c) => c.final === 'ok' || c.final === 'client_error');
    const slowest = [...answered].sort((a, b) => b.ms - a.ms)[0];
    const unanswered = client.commands.length - answered.length;
    const figures = {
      'faults injected': `${faults.length} (${Object.entries(byKind).map(([k, n]) => `${k} ${n}`).join(', ')})`,
      'longest outage': `${(Math.max(0, ...faults.map((f) => f.downMs)) / 1000).toFixed(1)} s`,
      'logical commands': client.commands.length,
      'HTTP attempts': client.attempts,
      retries: `${client.retries} (${Object.entries(client.retryReasons).map(([k, n]) => `${k} ${n}`).join(', ') || 'none'})`,
      'max recovery': `${slowest ? `${(slowest.ms / 1000).toFixed(1)} s (${slowest.key}, ${slowest.attempts} attempts)` : '—'}${unanswered ? `; ${unanswered} commands never answered, given up after ${o.commandBudgetMs / 1000} s or ${o.stuckAfterMs / 1000} s of "in progress"` : ''}`,
      // Not a check: a process that cannot reach Temporal at start exits, and its supervisor restarts it.
      'unplanned exits': system.unplannedExits.length ? `${system.unplannedExits.length} (restarted): ${system.unplannedExits.slice(0, 3).join('; ')}${system.unplannedExits.length > 3 ? '; …' : ''}` : 0,
      'clients done after': `${(clientsMs / 1000).toFixed(1)} s`,
      'total duration': `${((Date.now() - started) / 1000).toFixed(1)} s`,
    };
    return { checks, faults, figures, casesRun: runs.length, ok: checks.every((c) => c.violations.length === 0) };
  } finally {
    await system.stop();
  }
}

export function formatReport(report: FaultReport): string {
  const lines = ['', 'Fault injection — checks'];
  for (const c of report.checks) {
    lines.push(`  ${c.violations.length ? 'FAIL' : 'ok  '}  ${c.name}: ${c.figure}`);
    for (const v of c.violations) lines.push(`          - ${v}`);
  }
  lines.push('', 'Figures');
  for (const [k, v] of Object.entries(report.figures)) lines.push(`  ${k.padEnd(20)} ${v}`);
  lines.push('', report.ok ? 'ALL CHECKS HOLD' : `${report.checks.filter((c) => c.violations.length).length} CHECKS FAIL`);
  return lines.join('\n');
}

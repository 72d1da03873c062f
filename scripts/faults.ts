// npm run faults -- [--cases 150] [--clients 16] [--faults 13] [--interval 10] [--long-outage 25] [--timeout 600]
// Starts its own system (embedded PostgreSQL, Temporal dev server on SQLite, worker and
// API processes, all on 127.0.0.1), drives subsidy cases through HTTP while killing and
// restarting its parts, then prints the checks and figures. Exits 1 if any check fails.
import { parseArgs } from 'node:util';
import { DEFAULTS, formatReport, runFaultInjection } from './faults/run.js';

const { values } = parseArgs({
  options: {
    cases: { type: 'string' }, clients: { type: 'string' }, faults: { type: 'string' },
    interval: { type: 'string' }, 'long-outage': { type: 'string' }, timeout: { type: 'string' },
  },
});
const int = (raw: string | undefined, fallback: number, name: string): number => {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`--${name} must be a non-negative integer, got "${raw}"`);
  return n;
};
// Ctrl-C or a CI timeout: exit through 'exit', whose hooks kill every child process.
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));
const log = (line: string) => console.log(`[faults ${new Date().toISOString().slice(11, 19)}] ${line}`);

const report = await runFaultInjection({
  ...DEFAULTS,
  cases: int(values.cases, DEFAULTS.cases, 'cases'),
  clients: Math.max(1, int(values.clients, DEFAULTS.clients, 'clients')),
  faults: int(values.faults, DEFAULTS.faults, 'faults'),
  intervalMs: int(values.interval, DEFAULTS.intervalMs / 1000, 'interval') * 1000,
  longOutageMs: int(values['long-outage'], DEFAULTS.longOutageMs / 1000, 'long-outage') * 1000,
  timeoutMs: int(values.timeout, DEFAULTS.timeoutMs / 1000, 'timeout') * 1000,
  log,
});
console.log(formatReport(report));
process.exit(report.ok ? 0 : 1);

// CPU seconds spent by each process of the bench's system (the API, the worker, the
// Temporal server, PostgreSQL), read from /proc: what a workload costs each part,
// whatever else the machine is doing meanwhile (a wall-clock ratio is not).
import { readdirSync, readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100;

type Part = 'api' | 'worker' | 'temporal' | 'postgres' | 'bench' | 'other';

function partOf(cmdline: string): Part {
  if (cmdline.includes('worker/main')) return 'worker';
  if (cmdline.includes('api/server')) return 'api';
  if (/temporal/.test(cmdline)) return 'temporal';
  if (/postgres/.test(cmdline)) return 'postgres';
  return 'other';
}

function readStat(pid: string): { ppid: number; cpu: number } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime, stime, and the same of waited-for children (a PostgreSQL backend that has ended).
    return { ppid: Number(f[1]), cpu: (Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) / TICKS_PER_SECOND };
  } catch {
    return null; // ended meanwhile
  }
}

export type CpuSample = Record<Part, number>;

/** CPU seconds so far of this process and every process below it, by part. */
export function cpuByPart(): CpuSample {
  const stats = new Map<number, { ppid: number; cpu: number }>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const s = readStat(entry);
    if (s) stats.set(Number(entry), s);
  }
  const sample: CpuSample = { api: 0, worker: 0, temporal: 0, postgres: 0, bench: 0, other: 0 };
  for (const [pid, s] of stats) {
    let up = s.ppid;
    while (up > 1 && up !== process.pid) up = stats.get(up)?.ppid ?? 0;
    if (up !== process.pid) continue;
    let cmdline: string;
    try { cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' '); } catch { continue; }
    sample[partOf(cmdline)] += s.cpu;
  }
  const own = process.cpuUsage();
  sample.bench = (own.user + own.system) / 1e6;
  return sample;
}

export function cpuSince(before: CpuSample): CpuSample {
  const now = cpuByPart();
  return Object.fromEntries(Object.entries(now).map(([k, v]) => [k, Math.max(0, v - before[k as Part])])) as CpuSample;
}

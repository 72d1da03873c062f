// Latency samples and the figures printed from them.
export class Samples {
  private readonly values: number[] = [];

  add(ms: number): void {
    this.values.push(ms);
  }

  get count(): number {
    return this.values.length;
  }

  percentile(p: number): number {
    if (this.values.length === 0) return Number.NaN;
    const sorted = [...this.values].sort((a, b) => a - b);
    const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
    return sorted[rank]!;
  }

  summary(): string {
    return `p50 ${fmt(this.percentile(50))} ms  p95 ${fmt(this.percentile(95))} ms  p99 ${fmt(this.percentile(99))} ms  (n=${this.count})`;
  }
}

export const fmt = (n: number, digits = 1): string => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');

export async function timed<T>(samples: Samples | undefined, fn: () => Promise<T>): Promise<T> {
  const t = performance.now();
  try {
    return await fn();
  } finally {
    samples?.add(performance.now() - t);
  }
}

/** Runs `total` jobs with at most `concurrency` at once; answers the wall time in ms. */
export async function runPool(total: number, concurrency: number, job: (i: number) => Promise<void>): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: Math.min(concurrency, total) }, async () => {
    while (next < total) {
      const i = next++;
      await job(i);
    }
  }));
  return performance.now() - started;
}

/** Hits `fn` from `concurrency` loops for `durationMs`; answers requests per second. */
export async function throughputFor(durationMs: number, concurrency: number, fn: () => Promise<void>): Promise<{ perSecond: number; samples: Samples }> {
  const samples = new Samples();
  const until = performance.now() + durationMs;
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (performance.now() < until) await timed(samples, fn);
  }));
  return { perSecond: samples.count / ((performance.now() - started) / 1000), samples };
}

// The smallest workflow driven by Updates: the baseline the benchmark compares case
// workflows against, and the platform's smoke test of worker + server. With `activity`, each
// Update runs one trivial activity (one PostgreSQL round trip), local or regular: the
// benchmark's measure of what each kind of activity costs a command.
import { condition, defineUpdate, proxyActivities, proxyLocalActivities, setHandler } from '@temporalio/workflow';
import type { createProbeActivities } from '../activities/probe.js';

type Probe = ReturnType<typeof createProbeActivities>;
const local = proxyLocalActivities<Probe>({ startToCloseTimeout: '10 seconds' });
const regular = proxyActivities<Probe>({ startToCloseTimeout: '10 seconds' });

export const noopUpdate = defineUpdate<number, [number]>('noop');
export const finishUpdate = defineUpdate<void>('finish');

export async function echoWorkflow(options: { activity?: 'local' | 'regular' } = {}): Promise<number> {
  let count = 0;
  let done = false;
  setHandler(noopUpdate, async (n) => {
    if (options.activity === 'local') await local.probe();
    if (options.activity === 'regular') await regular.probe();
    count += 1;
    return n;
  });
  setHandler(finishUpdate, () => {
    done = true;
  });
  await condition(() => done);
  return count;
}

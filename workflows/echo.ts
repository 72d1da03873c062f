// The smallest workflow driven by Updates: the baseline the benchmark compares case
// workflows against, and the platform's smoke test of worker + server.
import { condition, defineUpdate, setHandler } from '@temporalio/workflow';

export const noopUpdate = defineUpdate<number, [number]>('noop');
export const finishUpdate = defineUpdate<void>('finish');

export async function echoWorkflow(): Promise<number> {
  let count = 0;
  let done = false;
  setHandler(noopUpdate, (n) => {
    count += 1;
    return n;
  });
  setHandler(finishUpdate, () => {
    done = true;
  });
  await condition(() => done);
  return count;
}

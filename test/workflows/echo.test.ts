import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { echoWorkflow, finishUpdate, noopUpdate } from '../../workflows/echo.js';
import { devServer, timeSkipping, workerFor, uniqueTaskQueue, type DevServerHarness } from '../helpers/temporal.js';
import { useTestDatabase } from '../helpers/db.js';
import { systemClock } from '../../runtime/clock.js';
import type { DatabaseHandle } from '../../db/database.js';

describe('workflows on the real Temporal servers', () => {
  let temporal: DevServerHarness;
  let database: DatabaseHandle;
  beforeAll(async () => {
    database = await useTestDatabase();
    temporal = await devServer();
  });
  afterAll(() => temporal.close());

  it('runs an update-driven workflow on the dev server', async () => {
    const worker = await temporal.startWorker({ db: database.db, clock: systemClock });
    await worker.runUntil(async () => {
      const handle = await temporal.client.workflow.start(echoWorkflow, { taskQueue: temporal.taskQueue, workflowId: `echo-${randomBytes(4).toString('hex')}` });
      expect(await handle.executeUpdate(noopUpdate, { args: [41] })).toBe(41);
      expect(await handle.executeUpdate(noopUpdate, { args: [42] })).toBe(42);
      await handle.executeUpdate(finishUpdate);
      expect(await handle.result()).toBe(2);
    });
  });

  it('runs on the time-skipping test server', async () => {
    const env = await timeSkipping();
    try {
      const taskQueue = uniqueTaskQueue();
      const worker = await workerFor(env, taskQueue, { db: database.db, clock: systemClock });
      await worker.runUntil(async () => {
        const handle = await env.client.workflow.start(echoWorkflow, { taskQueue, workflowId: 'echo-ts' });
        expect(await handle.executeUpdate(noopUpdate, { args: [7] })).toBe(7);
        await handle.executeUpdate(finishUpdate);
        expect(await handle.result()).toBe(1);
      });
    } finally {
      await env.teardown();
    }
  });
});

// Cases run for years, so a new build must replay the histories the last one wrote. This is
// a case taken from intake to payment by the v1.1 build (ab07878), whose workflows still
// copied their status into a search attribute on every command.
import { readFileSync } from 'node:fs';
import { Worker } from '@temporalio/worker';
import { expect, inject, it } from 'vitest';

const history = JSON.parse(readFileSync(new URL('./fixtures/subsidy-case-paid-v1.1.json', import.meta.url), 'utf8')) as { events: Array<{ eventType: string }> };

it('replays a paid case recorded by the v1.1 build, search-attribute upserts included, with no nondeterminism', async () => {
  // What makes it a test of the change: the old build's upserts are in the history.
  expect(history.events.filter((e) => e.eventType === 'EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES').length).toBeGreaterThanOrEqual(4);
  await expect(Worker.runReplayHistory({ workflowBundle: { codePath: inject('workflowBundlePath') } }, history, 'subsidy-case-v1.1')).resolves.toBeUndefined();
});

import type { DemoClient } from './client.js';

/** Sample overseas IP subsidy cases in every status. */
export async function loadSubsidyDemo(_client: DemoClient): Promise<void> {}

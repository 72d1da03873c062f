import type { DemoClient } from './client.js';

/** The three FY2023 engagements of the seed (Biei wheat, Asahikawa sweet potato, Atsuma haskap). */
export async function loadBrandDemo(_client: DemoClient): Promise<void> {}

import type { ActivityDeps } from './deps.js';

export function createBrandActivities(_deps: ActivityDeps) {
  return {};
}

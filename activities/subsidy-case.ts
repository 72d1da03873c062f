import type { ActivityDeps } from './deps.js';

export function createSubsidyActivities(_deps: ActivityDeps) {
  return {};
}

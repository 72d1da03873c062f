// createActivities(deps): every activity, each one idempotent transaction.
import type { ActivityDeps } from './deps.js';
import { createSubsidyActivities } from './subsidy-case.js';
import { createBrandActivities } from './brand-engagement.js';
import { createProbeActivities } from './probe.js';
import { createDesignEventActivities } from './design-event.js';
import { createDesignDispatchActivities } from './design-dispatch.js';

export function createActivities(deps: ActivityDeps) {
  return {
    ...createSubsidyActivities(deps), ...createBrandActivities(deps), ...createDesignEventActivities(deps), ...createDesignDispatchActivities(deps),
    ...createProbeActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
export type { ActivityDeps };

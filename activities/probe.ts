// One round trip to PostgreSQL and nothing else: what the benchmark runs as a local and as a
// regular activity to measure what each kind costs a command (the kernel's choice of local).
import { sql } from 'kysely';
import type { ActivityDeps } from './deps.js';

export function createProbeActivities(deps: ActivityDeps) {
  return {
    async probe(): Promise<void> {
      await sql`select 1`.execute(deps.db);
    },
  };
}

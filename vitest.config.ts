import { defineConfig } from 'vitest/config';

/** Tests that need neither PostgreSQL nor Temporal: pure rules and pure helpers. */
const UNIT = ['test/domain/**/*.test.ts', 'test/runtime/**/*.test.ts', 'test/api/fields.test.ts'];

export default defineConfig({
  test: {
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    reporters: ['default'],
    projects: [
      // `npm run test:unit`: seconds, nothing started.
      { extends: true, test: { name: 'unit', include: UNIT } },
      // One shared Temporal dev server and PostgreSQL, started once by the global setup; each
      // file gets its own database and task queue.
      { extends: true, test: { name: 'integration', include: ['test/**/*.test.ts'], exclude: UNIT, globalSetup: ['test/global-setup.ts'] } },
    ],
  },
});

// The fault-injection run (scripts/faults) once, full size: 150 cases by 16 clients over
// HTTP while the worker, the API and Temporal are killed and PostgreSQL restarted, 13 times.
// It starts its own processes; the suite's shared servers are not used.
import { describe, expect, it } from 'vitest';
import { DEFAULTS, formatReport, runFaultInjection } from '../../scripts/faults/run.js';

describe('fault injection', () => {
  it(`${DEFAULTS.cases} cases, ${DEFAULTS.faults} faults: nothing stuck, lost or doubled`, { timeout: DEFAULTS.timeoutMs + 5 * 60_000 }, async () => {
    const report = await runFaultInjection({ ...DEFAULTS, log: (line) => console.log(`[faults] ${line}`) });
    console.log(formatReport(report));
    expect(report.faults).toHaveLength(DEFAULTS.faults);
    expect(report.casesRun).toBe(DEFAULTS.cases);
    const failing = report.checks.filter((c) => c.violations.length > 0);
    expect(failing.map((c) => `${c.name}: ${c.figure}\n  ${c.violations.join('\n  ')}`)).toEqual([]);
  });
});

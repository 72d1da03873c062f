// `npm run demo` loads sample subsidy cases through the API: run the loader against the app
// in-process and check what v1.1 asks of it (every status, no JETRO award from FY2024 on,
// every cost with its country).
import { describe, expect, it } from 'vitest';
import { loadSubsidyDemo } from '../../scripts/demo/subsidy.js';
import { createDemoClient } from '../../scripts/demo/client.js';
import { tokenFor } from '../helpers/app.js';
import { useSubsidyApp } from './subsidy-cases-fixtures.js';

const ctx = useSubsidyApp();

describe('the subsidy demo', () => {
  it('loads a case in every status, with a prefectural centre\'s award instead of JETRO\'s', { timeout: 120_000 }, async () => {
    // The loader uploads evidence files with fetch: the app listens on a port of its own.
    const address = await ctx.app.listen({ port: 0, host: '127.0.0.1' });
    const lines: string[] = [];
    const client = { ...createDemoClient({ baseUrl: address, staffToken: tokenFor({ sub: 'demo-staff', role: 'staff' }), mint: tokenFor }), log: (line: string) => { lines.push(line); } };
    await loadSubsidyDemo(client);
    expect(lines.join('\n')).toMatch(/one or more in every status/);
    const awards = await ctx.db.selectFrom('subsidy_external_awards').select(['body', 'program_year_id']).execute();
    expect(awards.length).toBeGreaterThan(0);
    expect(awards.every((a) => !a.body.includes('JETRO'))).toBe(true);
    const expenses = await ctx.db.selectFrom('subsidy_expenses').select(['category', 'country']).execute();
    expect(expenses.filter((e) => e.category !== 'domestic_agent_fee' && e.country === null)).toEqual([]);
  });
});

// Schemathesis over /openapi.json with every check, as staff and as a support leader: no
// server errors, and every answer as the document says (status, content type, headers,
// schema). The app listens on a free port with a real worker; a few real ids are seeded so
// that some generated requests reach past 404. Schemathesis runs with one worker: with two,
// hypothesis now and then fails inside itself (a race in its lambda cache).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../runtime/config.js';
import { findTool, SCHEMATHESIS } from '../../scripts/lib/tools.js';
import { staffToken } from '../helpers/app.js';
import { actionPlan, currentYear, inSupport } from './brand-engagements.fixtures.js';
import { filingBody, newApplicant, openYear, putYear } from './subsidy-cases-fixtures.js';
import { useAppWithWorker } from '../helpers/app-with-worker.js';
import { designYear, dispatch, event, ok, person, registration, visit } from './design.fixtures.js';

const h = useAppWithWorker();
const { schemathesisExamples: EXAMPLES, schemathesisHar: HAR } = loadConfig().test;

/** Half of the generated path ids are real ones, so requests get past 404 to the commands. */
const config = (ids: string[], sessionIds: string[], registrationIds: string[], visitIds: string[]) => `
[dictionaries.ids]
values = ${JSON.stringify(ids)}
[dictionaries.sessions]
values = ${JSON.stringify(sessionIds)}
[dictionaries.registrations]
values = ${JSON.stringify(registrationIds)}
[dictionaries.visits]
values = ${JSON.stringify(visitIds)}

[parameters]
"path.id" = { dictionary = "ids", probability = 0.5 }
"path.sessionId" = { dictionary = "sessions", probability = 0.5 }
"path.rid" = { dictionary = "registrations", probability = 0.5 }
"path.visitId" = { dictionary = "visits", probability = 0.5 }

# positive_data_acceptance expects a schema-valid request to succeed. Here a valid shape may
# still be refused by the contract: 422 for a business rule (window closed, capacity
# reached, …) and 400 for what a schema cannot say (an instant in the future, 2024-02-30, a
# reason required when \`selected\` is false). So those two are accepted answers too.
[checks.positive_data_acceptance]
expected-statuses = ["2xx", "400", "401", "403", "404", "409", "422"]

# An upload's type is decided from its bytes (PDF, PNG, JPEG; else 415, as the contract
# says); a schema cannot say "PDF bytes", so a generated file is usually a 415.
[[operations]]
include-name = "POST /subsidy-cases/{id}/expenses/{expenseId}/documents"
checks.positive_data_acceptance.expected-statuses = ["2xx", "400", "401", "403", "404", "409", "415", "422"]
`;

let baseUrl: string;
let scratch: string;
let leaderToken: string;
let seeded: Record<string, string>;

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'schemathesis-'));
  const yearId = 'overseas-ip-fuzz';
  await putYear(h.http, yearId, openYear(new Date()));
  const applicantId = await newApplicant(h.http);
  const intake = await h.http.post('/subsidy-cases', filingBody(yearId, applicantId));
  expect(intake.statusCode, intake.body).toBe(201);
  const brandYear = (await currentYear(h, { capacity: 100 })).id;
  const engagement = await inSupport(h, brandYear);
  await h.http.post(`/brand-engagements/${engagement.id}/action-plan`, actionPlan, { token: engagement.leader.token });
  leaderToken = engagement.leader.token;
  // Program C: an open event with a registrant, and a dispatch assigned to the same outside person.
  const designYearId = (await designYear(h, { companies: 100 })).id;
  const designEvent = await event(h, designYearId, { capacity: 100 });
  const registrant = await registration(h, designEvent.id, person('fuzz'));
  const dispatchId = (await dispatch(h, designYearId)).id;
  await ok(h, `/design-dispatches/${dispatchId}/decision`, { accept: true });
  await ok(h, `/design-dispatches/${dispatchId}/assignment`, { expertId: engagement.leader.id, plannedVisits: 3 });
  const designVisit = await visit(h, dispatchId, new Date(Date.now() + 5 * 86_400_000).toISOString());
  seeded = { applicantId, caseId: intake.json().id, engagementId: engagement.id, expertId: engagement.leader.id, yearId, designYearId, eventId: designEvent.id, dispatchId };
  writeFileSync(join(scratch, 'schemathesis.toml'), config(Object.values(seeded), engagement.sessionIds, [registrant.id], [designVisit.id]));
  baseUrl = await h.app.listen({ host: '127.0.0.1', port: 0 });
}, 120_000);

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function run(token: string): Promise<{ code: number | null; output: string }> {
  const binary = findTool(SCHEMATHESIS, () => undefined);
  const args = [
    '--config-file', join(scratch, 'schemathesis.toml'),
    'run', `${baseUrl}/openapi.json`, '--checks', 'all', '--max-examples', String(EXAMPLES), '--workers', '1', '--seed', '20261126',
    '--header', `Authorization: Bearer ${token}`, '--request-timeout', '20', '--no-shrink', ...(HAR ? ['--report', 'har', '--report-har-path', HAR] : []),
  ];
  return new Promise((resolve, reject) => {
    // Asynchronous: the app under test answers from this very process.
    const child = spawn(binary, args, { env: { ...process.env, NO_COLOR: '1', SCHEMATHESIS_TELEMETRY: 'false' }, cwd: scratch });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => { output += chunk.toString(); });
    child.stderr.on('data', (chunk: Buffer) => { output += chunk.toString(); });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

describe('schemathesis over /openapi.json', () => {
  it('finds nothing as staff', async () => {
    expect(seeded.caseId).toBeTruthy();
    const { code, output } = await run(staffToken);
    console.log(code === 0 ? output.slice(output.indexOf('SUMMARY')) : output);
    expect(code, output.slice(-6000)).toBe(0);
  }, 300_000);

  it('finds nothing as a support leader', async () => {
    const { code, output } = await run(leaderToken);
    console.log(code === 0 ? output.slice(output.indexOf('SUMMARY')) : output);
    expect(code, output.slice(-6000)).toBe(0);
  }, 300_000);
});

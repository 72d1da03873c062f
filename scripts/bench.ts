// npm run bench: figures, not a test. Starts its own system (embedded PostgreSQL, Temporal
// dev server, worker and API processes) on this machine and prints:
//   (a) case lifecycle throughput at concurrency 1, 8, 32 beside an empty workflow driven by
//       the same number of no-op Updates; (b) p50/p95/p99 of each command; (c) GET by id
//   requests/s beside bare Fastify + pg; (d) list/filter latency with 100,000 cases;
//   (e) worker RSS with 10,000 open cases, the workflow cache bounded.
// BENCH_SCALE (default 1) multiplies case counts; BENCH_OPEN_CASES (default 10000);
// BENCH_PARTS (default abcdefghijp) picks the parts, e.g. `abc` to compare two commits quickly;
//   (i) is lifecycle throughput with one and with two worker and API processes;
//   (j) is a command on a case evicted from the worker's cache against one on a cached case;
//   (f) is one activity per Update, local against regular: why commands run local activities;
//   (g) is event registrations (Program C) beside the lifecycle figures;
//   (h) is the CSV and .xlsx export of 100,000 cases with the API process's memory growth;
//   (p) is where a command's time goes: CPU milliseconds per command in each process.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { sql } from 'kysely';
import { Client, Connection } from '@temporalio/client';
import { echoWorkflow, finishUpdate, noopUpdate } from '../workflows/echo.js';
import { loadConfig } from '../runtime/config.js';
import { freePort } from './lib/postgres.js';
import { startBenchSystem } from './bench/infra.js';
import { httpClient } from './bench/http.js';
import { benchEvent, putBenchDesignYear, registration } from './bench/events.js';
import { COMMANDS, createApplicants, putBenchProgramYear, runLifecycle, type Command } from './bench/scenario.js';
import { fmt, runPool, Samples, throughputFor, timed } from './bench/stats.js';
import { cpuByPart, cpuSince } from './bench/cpu.js';
import { benchExports } from './bench/exports.js';
import { workerMemory } from './bench/memory.js';
import { evictedAgainstCached } from './bench/eviction.js';
import { scaleOut } from './bench/scale-out.js';

const log = (line: string) => console.log(`[bench] ${line}`);
const config = loadConfig();
const { scale, openCases, label, parts } = config.bench;
const out: string[] = [];
const report = (line = '') => {
  out.push(line);
  console.log(line);
};

const system = await startBenchSystem(log);
try {
  const http = httpClient(system.apiUrl, system.staffToken);
  const connection = await Connection.connect({ address: system.temporalAddress });
  const temporal = new Client({ connection });
  const programYearId = await putBenchProgramYear(http);
  report(`# Benchmark — ${new Date().toISOString()} — ${label} (node ${process.version})`);

  // Warm up: webpack'd workflow code, JIT, pools.
  const warm = await createApplicants(http, 4, 'warm');
  await runPool(4, 4, (i) => runLifecycle(http, programYearId, warm[i]!, i).then(() => undefined));

  // (a) + (b)
  if (parts.has('a')) {
    report('\n## (a) lifecycle throughput (intake → approve → expense → report → confirm → determine → disburse)');
    report('| concurrency | cases | case lifecycles/s | empty workflow + 7 no-op Updates /s | ratio |');
    report('|---|---|---|---|---|');
    const latencies: Record<number, Record<Command, Samples>> = {};
    let n = 1000;
    for (const concurrency of [1, 8, 32]) {
      const total = Math.max(concurrency, Math.round((concurrency === 1 ? 8 : concurrency === 8 ? 48 : 128) * scale));
      const applicants = await createApplicants(http, total, `c${concurrency}`);
      const samples = Object.fromEntries(COMMANDS.map((c) => [c, new Samples()])) as Record<Command, Samples>;
      latencies[concurrency] = samples;
      const caseMs = await runPool(total, concurrency, async (i) => {
        await runLifecycle(http, programYearId, applicants[i]!, n++, samples);
      });
      const echoMs = await runPool(total, concurrency, async () => {
        const handle = await temporal.workflow.start(echoWorkflow, { taskQueue: system.taskQueue, workflowId: `echo-${randomBytes(6).toString('hex')}` });
        for (let u = 0; u < 6; u++) await handle.executeUpdate(noopUpdate, { args: [u] });
        await handle.executeUpdate(finishUpdate);
      });
      const caseRate = total / (caseMs / 1000);
      const echoRate = total / (echoMs / 1000);
      report(`| ${concurrency} | ${total} | ${fmt(caseRate, 2)} | ${fmt(echoRate, 2)} | ${fmt(caseRate / echoRate, 2)} |`);
    }
    report('\n## (b) command latency (ms, through HTTP → Update → activity → PostgreSQL)');
    report('| command | c=1 p50 / p95 / p99 | c=8 p50 / p95 / p99 | c=32 p50 / p95 / p99 |');
    report('|---|---|---|---|');
    for (const command of COMMANDS) {
      const cells = [1, 8, 32].map((c) => {
        const s = latencies[c]![command];
        return `${fmt(s.percentile(50))} / ${fmt(s.percentile(95))} / ${fmt(s.percentile(99))}`;
      });
      report(`| ${command} | ${cells.join(' | ')} |`);
    }
  }

  // (p)
  if (parts.has('p')) {
    // CPU, not wall time: what each process spends on a command, however busy the machine.
    const total = Math.max(8, Math.round(48 * scale));
    const applicants = await createApplicants(http, total, 'cpu');
    let n = 50_000;
    let before = cpuByPart();
    await runPool(total, 8, (i) => runLifecycle(http, programYearId, applicants[i]!, n++).then(() => undefined));
    const lifecycle = cpuSince(before);
    before = cpuByPart();
    await runPool(total, 8, async () => {
      const handle = await temporal.workflow.start(echoWorkflow, { taskQueue: system.taskQueue, workflowId: `cpu-echo-${randomBytes(6).toString('hex')}` });
      for (let u = 0; u < 6; u++) await handle.executeUpdate(noopUpdate, { args: [u] });
      await handle.executeUpdate(finishUpdate);
    });
    const echo = cpuSince(before);
    const perCommand = (s: number) => (s * 1000) / (total * COMMANDS.length);
    const perUpdate = (s: number) => (s * 1000) / (total * 8);
    report(`\n## (p) where a command's time goes: CPU ms per command (${total} lifecycles of ${COMMANDS.length} commands, concurrency 8) beside an empty workflow's Update`);
    report('| process | case command | empty-workflow Update | difference |');
    report('|---|---|---|---|');
    for (const part of ['api', 'worker', 'temporal', 'postgres', 'bench'] as const) {
      report(`| ${part} | ${fmt(perCommand(lifecycle[part]), 2)} | ${fmt(perUpdate(echo[part]), 2)} | ${fmt(perCommand(lifecycle[part]) - perUpdate(echo[part]), 2)} |`);
    }
    const sum = (s: typeof echo) => s.api + s.worker + s.temporal + s.postgres + s.bench;
    report(`| all | ${fmt(perCommand(sum(lifecycle)), 2)} | ${fmt(perUpdate(sum(echo)), 2)} | ${fmt(perCommand(sum(lifecycle)) - perUpdate(sum(echo)), 2)} |`);
  }

  // (f)
  if (parts.has('f')) {
    report('\n## (f) one activity (a PostgreSQL round trip) per Update: local against regular');
    report('| concurrency | activity | Updates/s | Update latency |');
    report('|---|---|---|---|');
    for (const concurrency of [1, 8]) {
      for (const activity of ['local', 'regular'] as const) {
        const samples = new Samples();
        const workflows = Math.max(concurrency, Math.round(8 * scale)) * (concurrency === 1 ? 1 : 2);
        const ms = await runPool(workflows, concurrency, async () => {
          const handle = await temporal.workflow.start(echoWorkflow, { taskQueue: system.taskQueue, workflowId: `probe-${randomBytes(6).toString('hex')}`, args: [{ activity }] });
          for (let u = 0; u < 7; u++) await timed(samples, () => handle.executeUpdate(noopUpdate, { args: [u] }));
          await handle.executeUpdate(finishUpdate);
        });
        report(`| ${concurrency} | ${activity} | ${fmt((workflows * 7) / (ms / 1000), 1)} | ${samples.summary()} |`);
      }
    }
  }

  // (g)
  if (parts.has('g')) {
    const designYearId = await putBenchDesignYear(http);
    report('\n## (g) event registrations (Program C): one seminar, capacity 50, the rest waitlisted');
    report('| concurrency | registrations | registrations/s | latency |');
    report('|---|---|---|---|');
    let person = 0;
    for (const concurrency of [1, 8, 32]) {
      const total = Math.max(concurrency * 4, Math.round((concurrency === 1 ? 20 : 100) * scale));
      const eventId = await benchEvent(http, designYearId, 50, concurrency);
      const samples = new Samples();
      const ms = await runPool(total, concurrency, async () => {
        await timed(samples, () => http('POST', `/design-events/${eventId}/registrations`, registration(person++)));
      });
      report(`| ${concurrency} | ${total} | ${fmt(total / (ms / 1000), 1)} | ${samples.summary()} |`);
    }
  }

  // (c)
  if (parts.has('c')) {
    const ids = (await system.database.db.selectFrom('subsidy_cases').select('id').execute()).map((r) => r.id);
    const barePort = await freePort();
    const bare = spawn(process.execPath, ['--import', 'tsx', resolve(import.meta.dirname, 'bench', 'bare-server.ts')], { env: { ...process.env, DATABASE_URL: system.databaseUrl, PORT: String(barePort) }, stdio: 'ignore' });
    process.once('exit', () => bare.kill('SIGKILL'));
    for (let i = 0; i < 100; i++) {
      if (await fetch(`http://127.0.0.1:${barePort}/bare/x`).then(() => true, () => false)) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    let k = 0;
    const pick = () => ids[k++ % ids.length]!;
    const api = await throughputFor(10_000, 32, async () => {
      const r = await fetch(`${system.apiUrl}/subsidy-cases/${pick()}`, { headers: { authorization: `Bearer ${system.staffToken}` } });
      if (!r.ok) throw new Error(`GET case → ${r.status}`);
      await r.arrayBuffer();
    });
    const baseline = await throughputFor(10_000, 32, async () => {
      const r = await fetch(`http://127.0.0.1:${barePort}/bare/${pick()}`);
      await r.arrayBuffer();
    });
    const sameDocument = await throughputFor(10_000, 32, async () => {
      const r = await fetch(`http://127.0.0.1:${barePort}/view/${pick()}`);
      if (!r.ok) throw new Error(`GET view → ${r.status}`);
      await r.arrayBuffer();
    });
    bare.kill('SIGTERM');
    report('\n## (c) GET /subsidy-cases/{id} (10 s, 32 connections)');
    report('| server | requests/s | latency |');
    report('|---|---|---|');
    report(`| API (auth, case + expenses + filings + reports + history) | ${fmt(api.perSecond, 0)} | ${api.samples.summary()} |`);
    report(`| bare Fastify + one pg select by id | ${fmt(baseline.perSecond, 0)} | ${baseline.samples.summary()} |`);
    report(`| bare Fastify + the same stored document (the view as JSON text) | ${fmt(sameDocument.perSecond, 0)} | ${sameDocument.samples.summary()} |`);
    report(`| ratio API / one select by id | ${fmt(api.perSecond / baseline.perSecond, 2)} | |`);
    report(`| ratio API / same document | ${fmt(api.perSecond / sameDocument.perSecond, 2)} | |`);
  }

  // (e)
  if (parts.has('e')) {
    const [holder] = await createApplicants(http, 1, 'open');
    const memory = await workerMemory({ temporal, db: system.database.db, taskQueue: system.taskQueue, programYearId, applicantId: holder!, count: openCases, workerPid: system.workerPid, log });
    report(`\n## (e) worker memory with ${openCases} open cases (each a running workflow waiting for its decision), workflow cache ${config.maxCachedWorkflows}`);
    report('| worker RSS before | highest while opening | after | cases started/s (through the client, 128 at once, until the worker has run them) |');
    report('|---|---|---|---|');
    report(`| ${fmt(memory.beforeMiB, 0)} MiB | ${fmt(memory.peakMiB, 0)} MiB | ${fmt(memory.afterMiB, 0)} MiB | ${fmt(memory.casesPerSecond, 1)} |`);
  }

  // (j)
  if (parts.has('j')) {
    const [holder] = await createApplicants(http, 1, 'evict');
    const cache = 20;
    const cases = Math.max(2 * cache, Math.round(200 * scale));
    const { evicted, cached } = await evictedAgainstCached({ system, http, temporal, db: system.database.db, programYearId, applicantId: holder!, cases, cache, rounds: 2, log });
    report(`\n## (j) an expense on a case evicted from the worker's cache against the same on a cached case (${cases} cases, cache ${cache}, one at a time)`);
    report('| case | latency |');
    report('|---|---|');
    report(`| evicted (history replayed first) | ${evicted.summary()} |`);
    report(`| cached | ${cached.summary()} |`);
    report(`| ratio evicted / cached | p50 ${fmt(evicted.percentile(50) / cached.percentile(50), 2)}  p95 ${fmt(evicted.percentile(95) / cached.percentile(95), 2)} |`);
  }

  // (i)
  if (parts.has('i')) {
    const rows = await scaleOut({ system, programYearId, scale, log });
    report('\n## (i) lifecycle throughput with one and with two worker and API processes (one Temporal, one PostgreSQL)');
    report('| worker + API processes | concurrency | cases | case lifecycles/s |');
    report('|---|---|---|---|');
    for (const row of rows) report(`| ${row.processes} + ${row.processes} | ${row.concurrency} | ${row.cases} | ${fmt(row.perSecond, 2)} |`);
  }

  // (d)
  if (parts.has('d')) {
    const existing = await sql<{ n: number }>`select count(*)::int as n from subsidy_cases`.execute(system.database.db);
    const toAdd = Math.max(0, 100_000 - existing.rows[0]!.n);
    const statuses = ['under_review', 'approved', 'rejected', 'reported', 'determined', 'disbursed', 'closed', 'withdrawn', 'lapsed'];
    const t0 = performance.now();
    await sql`insert into applicants (id, name, kind) select 'ap_bench_' || g, 'ベンチ申請者 ' || g, 'sme' from generate_series(0, 4999) g on conflict do nothing`.execute(system.database.db);
    // Copies of a real row with new ids, spread over statuses, applicants and time: the
    // columns are whatever the migration made, so this stays right when the table changes.
    await sql`
      insert into subsidy_cases
      select (jsonb_populate_record(null::subsidy_cases, to_jsonb(t) || jsonb_build_object(
        'id', 'bench_' || g,
        'status', (${sql.val(statuses)}::text[])[1 + g % ${statuses.length}],
        'applicant_id', 'ap_bench_' || (g % 5000),
        'created_at', now() - make_interval(secs => g)))).*
      from (select * from subsidy_cases limit 1) t, generate_series(1, ${toAdd}) g`.execute(system.database.db);
    await sql`analyze subsidy_cases`.execute(system.database.db);
    log(`inserted ${toAdd} cases in ${fmt((performance.now() - t0) / 1000)} s`);
    const queries: Array<[string, string]> = [
      ['newest 50', '/subsidy-cases?limit=50'],
      ['status=approved', '/subsidy-cases?status=approved&limit=50'],
      ['applicantId', '/subsidy-cases?applicantId=ap_bench_42&limit=50'],
      ['programYearId + procedure + rightType', `/subsidy-cases?programYearId=${programYearId}&procedure=filing&rightType=patent&limit=50`],
      ['status=closed, limit 500', '/subsidy-cases?status=closed&limit=500'],
    ];
    report(`\n## (d) list/filter latency with ${fmt(existing.rows[0]!.n + toAdd, 0)} cases in the table (50 sequential requests each)`);
    report('| query | first page | page 2 (cursor) |');
    report('|---|---|---|');
    for (const [label, path] of queries) {
      const first = new Samples();
      const second = new Samples();
      for (let i = 0; i < 50; i++) {
        const page = await timed(first, () => http<{ nextCursor: string | null }>('GET', path));
        if (page.nextCursor) await timed(second, () => http('GET', `${path}&cursor=${page.nextCursor}`));
      }
      report(`| ${label} | ${first.summary()} | ${second.count ? second.summary() : '—'} |`);
    }
  }

  // (h)
  if (parts.has('h')) await benchExports(system, report, log);
  await connection.close();
} finally {
  await system.stop();
}

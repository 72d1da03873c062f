// Part (h): the whole list of 100,000 subsidy cases exported as CSV and as .xlsx through the
// real API process, with the API's memory sampled from /proc while it streams. A read
// benchmark: the cases are copies of a real row inserted by SQL into the read model, not
// cases driven through workflows (which would take hours here).
import { sql } from 'kysely';
import type { BenchSystem } from './infra.js';
import { rssMiB } from './infra.js';
import { fmt } from './stats.js';

const CASES = 100_000;
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Copies of a real case (whatever columns the migrations made) up to `total` rows, spread over statuses and time. */
async function seedCases(system: BenchSystem, total: number): Promise<number> {
  const db = system.database.db;
  const existing = (await sql<{ n: number }>`select count(*)::int as n from subsidy_cases`.execute(db)).rows[0]!.n;
  const toAdd = Math.max(0, total - existing);
  const statuses = ['under_review', 'approved', 'rejected', 'reported', 'determined', 'disbursed', 'closed', 'withdrawn', 'lapsed'];
  await sql`insert into applicants (id, name, kind) select 'ap_bench_' || g, 'ベンチ申請者 ' || g, 'sme' from generate_series(0, 4999) g on conflict do nothing`.execute(db);
  // LATERAL: `(f(x)).*` in a select list calls f once per column (40 of them), which made
  // this insert take minutes; as a FROM item it is called once per row.
  await sql`
    insert into subsidy_cases
    select r.* from (select * from subsidy_cases limit 1) t, generate_series(1, ${toAdd}) g,
      lateral jsonb_populate_record(null::subsidy_cases, to_jsonb(t) || jsonb_build_object(
        'id', 'bench_export_' || g,
        'title', 'ベンチ案件 "' || g || '", 電動草刈機の刃の固定構造',
        'status', (${sql.val(statuses)}::text[])[1 + g % ${statuses.length}],
        'applicant_id', 'ap_bench_' || (g % 5000),
        'created_at', now() - make_interval(secs => g))) r
    on conflict (id) do nothing`.execute(db);
  await sql`analyze subsidy_cases`.execute(db);
  return toAdd;
}

interface ExportRun { ms: number; bytes: number; rows: number; rssBefore: number; rssPeak: number }

/** One download, read as fast as the bench can, the API's VmRSS sampled every 20 ms meanwhile. */
async function download(system: BenchSystem, accept: string): Promise<ExportRun> {
  const rssBefore = rssMiB(system.apiPid);
  let rssPeak = rssBefore;
  const sampler = setInterval(() => { rssPeak = Math.max(rssPeak, rssMiB(system.apiPid)); }, 20);
  const t0 = performance.now();
  try {
    const response = await fetch(`${system.apiUrl}/subsidy-cases?limit=50`, { headers: { authorization: `Bearer ${system.staffToken}`, accept } });
    if (!response.ok || !response.body) throw new Error(`export ${accept} → ${response.status} ${await response.text()}`);
    let bytes = 0, lines = 0;
    for await (const chunk of response.body) {
      bytes += chunk.length;
      // CRLF ends each CSV record (no title here holds a line break).
      for (let i = 0; i < chunk.length; i++) if (chunk[i] === 0x0a) lines++;
    }
    return { ms: performance.now() - t0, bytes, rows: accept === XLSX ? 0 : lines - 1, rssBefore, rssPeak: Math.max(rssPeak, rssMiB(system.apiPid)) };
  } finally {
    clearInterval(sampler);
  }
}

export async function benchExports(system: BenchSystem, report: (line?: string) => void, log: (line: string) => void): Promise<void> {
  const t0 = performance.now();
  const added = await seedCases(system, CASES);
  const total = (await sql<{ n: number }>`select count(*)::int as n from subsidy_cases`.execute(system.database.db)).rows[0]!.n;
  log(`(h) inserted ${added} cases by SQL in ${fmt((performance.now() - t0) / 1000)} s; ${total} in the table`);
  report(`\n## (h) exports of the whole list: ${fmt(total, 0)} subsidy cases (seeded by direct SQL inserts into the read model — a read benchmark), GET /subsidy-cases through the API process`);
  report(`| format | duration | rows/s | size | API RSS before | peak | growth |`);
  report('|---|---|---|---|---|---|---|');
  for (const [format, accept] of [['CSV', 'text/csv'], ['.xlsx', XLSX], ['CSV (again)', 'text/csv'], ['.xlsx (again)', XLSX]] as const) {
    const run = await download(system, accept);
    if (accept !== XLSX && run.rows !== total) throw new Error(`CSV export had ${run.rows} rows, the table ${total}`);
    report(`| ${format} | ${fmt(run.ms / 1000, 2)} s | ${fmt(total / (run.ms / 1000), 0)} | ${fmt(run.bytes / 1024 / 1024, 1)} MiB | ${fmt(run.rssBefore, 0)} MiB | ${fmt(run.rssPeak, 0)} MiB | ${fmt(run.rssPeak - run.rssBefore, 0)} MiB |`);
    // Let the collector settle between runs, so each starts from the API's resting size.
    await new Promise((r) => setTimeout(r, 3000));
  }
}

// The figures of GET /program-years/{id}/summary, each worked out by PostgreSQL over the read
// model (the tables the API reads): sums of bigint yen are exact integers, so a report agrees
// to the yen with the cases it counts, whatever their number. Null amounts count as 0.
import { sql } from 'kysely';
import type { DbOrTrx } from '../database.js';

const yenSum = (column: string) => sql<number>`coalesce(sum(${sql.ref(column)}), 0)::int8`;
const countAll = sql<number>`count(*)::int4`;

export interface SubsidyFigures {
  count: number; maxGrantJpy: number; grantLimitJpy: number; determinedJpy: number; disbursedJpy: number;
}

/** Program A: one row per status × procedure × right type, the totals and the cap ledger of the year. */
export async function subsidyCaseFigures(db: DbOrTrx, programYearId: string) {
  // GROUPING SETS: the rows and the grand total in one pass, the total summed by PostgreSQL too.
  const grouped = await db.selectFrom('subsidy_cases')
    .select([
      'status', 'procedure', 'right_type',
      sql<number>`grouping(status, procedure, right_type)::int4`.as('total_row'),
      countAll.as('count'),
      yenSum('max_grant_jpy').as('max_grant_jpy'),
      yenSum('grant_limit_jpy').as('grant_limit_jpy'),
      yenSum('determined_jpy').as('determined_jpy'),
      yenSum('disbursed_jpy').as('disbursed_jpy'),
    ])
    .where('program_year_id', '=', programYearId)
    .groupBy(sql`grouping sets ((status, procedure, right_type), ())`)
    .orderBy('status').orderBy('procedure').orderBy('right_type')
    .execute();
  const figures = (r: (typeof grouped)[number]): SubsidyFigures => ({
    count: r.count, maxGrantJpy: r.max_grant_jpy, grantLimitJpy: r.grant_limit_jpy, determinedJpy: r.determined_jpy, disbursedJpy: r.disbursed_jpy,
  });
  const total = grouped.find((r) => r.total_row !== 0);
  const rows = grouped.filter((r) => r.total_row === 0)
    .map((r) => ({ status: r.status, procedure: r.procedure, rightType: r.right_type, ...figures(r) }));
  const byStatus: Record<string, number> = {};
  for (const r of rows) byStatus[r.status] = (byStatus[r.status] ?? 0) + r.count;
  const cap = await db.selectFrom('subsidy_cap_balances')
    .select([yenSum('reserved_jpy').as('reserved_jpy'), yenSum('settled_jpy').as('settled_jpy')])
    .where('program_year_id', '=', programYearId).executeTakeFirstOrThrow();
  return {
    totals: total ? figures(total) : { count: 0, maxGrantJpy: 0, grantLimitJpy: 0, determinedJpy: 0, disbursedJpy: 0 },
    byStatus,
    rows,
    // The per-applicant cap ledger of the year: reservations of approved cases, settled
    // determinations and awards from other bodies (external awards count as settled).
    capUsage: { reservedJpy: cap.reserved_jpy, settledJpy: cap.settled_jpy },
  };
}

async function countsByStatus(db: DbOrTrx, table: 'brand_engagements' | 'design_events' | 'design_dispatches', programYearId: string): Promise<Record<string, number>> {
  const rows = await db.selectFrom(table).select(['status', countAll.as('count')])
    .where('program_year_id', '=', programYearId).groupBy('status').orderBy('status').execute();
  return Object.fromEntries(rows.map((r) => [r.status, r.count]));
}

/**
 * Program B. A session is overdue as a GET shows it (domain/brand/overdue.ts): still scheduled
 * and flagged by its timer, or `sessionGraceDays` past `scheduledAt` on the API clock (`now`).
 */
export async function brandEngagementFigures(db: DbOrTrx, programYearId: string, graceDays: number, now: Date) {
  const sessions = await db.selectFrom('brand_sessions as s')
    .innerJoin('brand_engagements as e', 'e.id', 's.engagement_id')
    .select([
      sql<number>`count(*) filter (where s.status = 'held')::int4`.as('held'),
      sql<number>`coalesce(sum(s.attendee_count) filter (where s.status = 'held'), 0)::int8`.as('attendees'),
      sql<number>`count(*) filter (where s.status = 'scheduled'
        and (s.overdue_at is not null or s.scheduled_at + make_interval(days => ${graceDays}) <= ${now}))::int4`.as('overdue'),
    ])
    .where('e.program_year_id', '=', programYearId).executeTakeFirstOrThrow();
  return { byStatus: await countsByStatus(db, 'brand_engagements', programYearId), sessionsHeld: sessions.held, attendees: sessions.attendees, overdueSessions: sessions.overdue };
}

/** Program C events: registrations not cancelled (seated or waitlisted), attendees, the mean of survey satisfaction (2 decimals, as the event view rounds it). */
export async function designEventFigures(db: DbOrTrx, programYearId: string) {
  const r = await db.selectFrom('design_registrations as r')
    .innerJoin('design_events as e', 'e.id', 'r.event_id')
    .select([
      sql<number>`count(*) filter (where r.status <> 'cancelled')::int4`.as('registrations'),
      sql<number>`count(*) filter (where r.attended)::int4`.as('attended'),
      sql<number | null>`round(avg((r.survey->>'satisfaction')::numeric), 2)`.as('average_satisfaction'),
    ])
    .where('e.program_year_id', '=', programYearId).executeTakeFirstOrThrow();
  return { byStatus: await countsByStatus(db, 'design_events', programYearId), registrations: r.registrations, attended: r.attended, averageSatisfaction: r.average_satisfaction };
}

/** Program C dispatches: visits held and their hours (numeric(6,2), summed exactly). */
export async function designDispatchFigures(db: DbOrTrx, programYearId: string) {
  const v = await db.selectFrom('design_visits as v')
    .innerJoin('design_dispatches as d', 'd.id', 'v.dispatch_id')
    .select([
      sql<number>`count(*) filter (where v.status = 'held')::int4`.as('visits_held'),
      sql<number>`coalesce(sum(v.hours) filter (where v.status = 'held'), 0)`.as('hours'),
    ])
    .where('d.program_year_id', '=', programYearId).executeTakeFirstOrThrow();
  return { byStatus: await countsByStatus(db, 'design_dispatches', programYearId), visitsHeld: v.visits_held, hours: v.hours };
}

// What GET /metrics shows of the data: open cases by program, program year and status, and
// the delivery queues. Cheap enough to run at every scrape (the API caches it a few
// seconds anyway): one grouped query per program, each an index-only range over the
// `(…status, created_at, id)` list indexes, and the queues over their partial indexes.
import { sql } from 'kysely';
import type { Db } from '../database.js';
import { SUBSIDY_CASE_STATUS } from '../../domain/subsidy/status.js';
import { ENGAGEMENT_STATUS } from '../../domain/brand/engagement.js';
import { EVENT_STATUS } from '../../domain/design/event.js';
import { DISPATCH_STATUS } from '../../domain/design/dispatch.js';

export type CaseType = 'subsidy_case' | 'brand_engagement' | 'design_event' | 'design_dispatch';

/** Each case type: its table, its program, and the statuses that are not final in its status table. */
export const CASE_TYPES: Record<CaseType, { table: 'subsidy_cases' | 'brand_engagements' | 'design_events' | 'design_dispatches'; program: string; openStatuses: readonly string[] }> = {
  subsidy_case: { table: 'subsidy_cases', program: 'overseas_ip_subsidy', openStatuses: SUBSIDY_CASE_STATUS.openStatuses },
  brand_engagement: { table: 'brand_engagements', program: 'regional_brand', openStatuses: ENGAGEMENT_STATUS.openStatuses },
  design_event: { table: 'design_events', program: 'design_management', openStatuses: EVENT_STATUS.openStatuses },
  design_dispatch: { table: 'design_dispatches', program: 'design_management', openStatuses: DISPATCH_STATUS.openStatuses },
};

export interface OpenCaseCount {
  program: string;
  caseType: CaseType;
  programYearId: string;
  status: string;
  count: number;
}

function grouped(db: Db, caseType: CaseType) {
  const { table, openStatuses } = CASE_TYPES[caseType];
  return db.selectFrom(table)
    .select((eb) => [sql<CaseType>`${caseType}::text`.as('case_type'), 'program_year_id', 'status', eb.fn.countAll<number>().as('count')])
    .where('status', 'in', [...openStatuses])
    .groupBy(['program_year_id', 'status']);
}

/**
 * Open cases of every program year, with a zero for each open status that has none, so a
 * dashboard sees a status empty out rather than its series vanish.
 */
export async function openCaseCounts(db: Db): Promise<OpenCaseCount[]> {
  const [years, subsidy, brand, design] = await Promise.all([
    db.selectFrom('program_years').select(['id', 'program']).execute(),
    grouped(db, 'subsidy_case').execute(),
    grouped(db, 'brand_engagement').execute(),
    // Program C has two kinds of case: one statement for both.
    grouped(db, 'design_event').unionAll(grouped(db, 'design_dispatch')).execute(),
  ]);
  const counts = new Map<string, OpenCaseCount>();
  const keyOf = (caseType: string, yearId: string, status: string) => `${caseType}\u0000${yearId}\u0000${status}`;
  for (const [caseType, { program, openStatuses }] of Object.entries(CASE_TYPES) as [CaseType, (typeof CASE_TYPES)[CaseType]][]) {
    for (const year of years.filter((y) => y.program === program)) {
      for (const status of openStatuses) counts.set(keyOf(caseType, year.id, status), { program, caseType, programYearId: year.id, status, count: 0 });
    }
  }
  for (const row of [...subsidy, ...brand, ...design]) {
    counts.set(keyOf(row.case_type, row.program_year_id, row.status), {
      program: CASE_TYPES[row.case_type].program, caseType: row.case_type, programYearId: row.program_year_id, status: row.status, count: Number(row.count),
    });
  }
  return [...counts.values()];
}

export type DeliveryState = 'due' | 'retry_later' | 'sending';

export interface DeliveryQueueDepth {
  queue: 'notifications' | 'webhooks';
  state: DeliveryState;
  count: number;
}

/**
 * Notices and webhook deliveries not yet done: due now (waiting for a dispatcher), waiting for
 * a later attempt after a failure, or claimed and being sent.
 */
export async function deliveryQueueDepth(db: Db): Promise<DeliveryQueueDepth[]> {
  const { rows } = await sql<{ queue: DeliveryQueueDepth['queue']; due: string; retry_later: string; sending: string }>`
    select 'notifications' as queue,
           count(*) filter (where status = 'pending' and next_attempt_at <= now()) as due,
           count(*) filter (where status = 'pending' and next_attempt_at > now()) as retry_later,
           count(*) filter (where status = 'sending') as sending
      from outbox where status in ('pending', 'sending')
    union all
    select 'webhooks',
           count(*) filter (where status = 'pending' and next_attempt_at <= now()),
           count(*) filter (where status = 'pending' and next_attempt_at > now()),
           count(*) filter (where status = 'sending')
      from webhook_deliveries where status in ('pending', 'sending')`.execute(db);
  return rows.flatMap((row) => (['due', 'retry_later', 'sending'] as const).map((state) => ({ queue: row.queue, state, count: Number(row[state]) })));
}

import type { Kysely } from 'kysely';

// The FY2024 (令和6年度) rules as the seed document gives them (shared/domain.md).
// Frozen in time: a later change to these rules is a PUT or a new migration, not an edit.
const overseasIp2024 = {
  program: 'overseas_ip_subsidy',
  fiscalYear: 2024,
  title: '令和6年度 中小企業等海外展開支援事業費補助金（海外展開権利化支援事業）',
  windows: [
    { label: '第1回', procedures: ['filing'], opensAt: '2024-05-30T00:00:00+09:00', closesAt: '2024-06-14T12:00:00+09:00' },
    { label: '第2回', procedures: ['filing'], opensAt: '2024-08-19T00:00:00+09:00', closesAt: '2024-08-30T12:00:00+09:00' },
    { label: '第3回', procedures: ['filing'], opensAt: '2024-11-18T00:00:00+09:00', closesAt: '2024-12-03T12:00:00+09:00' },
    { label: '中間応答・審査請求', procedures: ['office_action_response', 'examination_request'], opensAt: '2024-05-30T00:00:00+09:00', closesAt: '2025-02-07T12:00:00+09:00' },
  ],
  rate: { numerator: 1, denominator: 2 },
  roundingUnitJpy: 1000,
  caps: {
    filing: { patent: 1_500_000, utility_model: 600_000, design: 600_000, trademark: 600_000, anti_squatting_trademark: 300_000 },
    office_action_response: { patent: 500_000 },
    examination_request: { patent: 500_000 },
  },
  perApplicantCaps: { filing: 3_000_000 },
  perApplicantCapExemptKinds: ['university'],
  // The seed gives no deadline for the documents (step 7): the fiscal year's last business day, 17:00 JST.
  reportDeadline: '2025-03-31T17:00:00+09:00',
  statusReports: { years: 5, asOf: '03-31', due: '05-31' },
};

const regionalBrand2024 = {
  program: 'regional_brand',
  fiscalYear: 2024,
  title: '令和６年度 地域ブランド確立促進支援事業',
  callWindow: { opensAt: '2024-07-01T00:00:00+09:00', closesAt: '2024-07-31T17:00:00+09:00' },
  capacity: 4,
  supportEndsAt: '2025-03-31T23:59:59+09:00',
  sessionGraceDays: 7,
};

export async function up(db: Kysely<any>): Promise<void> {
  await db.insertInto('program_years').values([
    { id: 'overseas-ip-2024', program: overseasIp2024.program, fiscal_year: 2024, rules: JSON.stringify(overseasIp2024) },
    { id: 'regional-brand-2024', program: regionalBrand2024.program, fiscal_year: 2024, rules: JSON.stringify(regionalBrand2024) },
  ]).onConflict((oc) => oc.column('id').doNothing()).execute();
  await db.insertInto('history').values([
    { entity_type: 'program_year', entity_id: 'overseas-ip-2024', at: new Date(), type: 'seeded', actor: 'migration', detail: '{}' },
    { entity_type: 'program_year', entity_id: 'regional-brand-2024', at: new Date(), type: 'seeded', actor: 'migration', detail: '{}' },
  ]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.deleteFrom('program_years').where('id', 'in', ['overseas-ip-2024', 'regional-brand-2024']).execute();
}

// GET /subsidy-cases as a sheet (Program A, 海外展開権利化支援事業).
import type { CaseExportRow } from '../../../db/repositories/subsidy-cases.js';
import { date, instant, joined, text, yen, type ExportList } from '../columns.js';

export const subsidyCasesExport: ExportList<CaseExportRow> = {
  name: 'subsidy-cases',
  sheet: '補助案件',
  columns: [
    text('案件ID', (c) => c.id, 24),
    text('年度', (c) => c.program_year_id, 18),
    text('申請者ID', (c) => c.applicant_id, 24),
    text('申請者名', (c) => c.applicant_name, 28),
    text('手続', (c) => c.procedure),
    text('権利種別', (c) => c.right_type),
    text('名称', (c) => c.title, 36),
    text('状態', (c) => c.status),
    text('基礎出願番号', (c) => c.jpo_application_number, 20),
    text('出願国', (c) => joined(c.target_countries)),
    instant('受付日時', (c) => c.received_at),
    instant('交付決定日時', (c) => c.decided_at),
    yen('補助上限見込額(円)', (c) => c.max_grant_jpy),
    yen('交付決定額(円)', (c) => c.grant_limit_jpy),
    yen('補助対象経費(円)', (c) => c.eligible_cost_jpy ?? c.estimated_eligible_cost_jpy),
    yen('確定額(円)', (c) => c.determined_jpy),
    yen('支払額(円)', (c) => c.disbursed_jpy),
    instant('支払日時', (c) => c.paid_at),
    date('次回状況報告期限', (c) => c.next_status_report_due),
    instant('登録日時', (c) => c.created_at),
  ],
};

// GET /brand-engagements as a sheet (Program B, 地域ブランド確立促進支援事業).
import type { Static } from '@sinclair/typebox';
import type { EngagementSummary } from '../../schemas/brand-engagements.js';
import { flag, instant, joined, text, type ExportList } from '../columns.js';

export const brandEngagementsExport: ExportList<Static<typeof EngagementSummary>> = {
  name: 'brand-engagements',
  sheet: '地域ブランド',
  columns: [
    text('支援ID', (e) => e.id, 24),
    text('年度', (e) => e.programYearId, 18),
    text('申請者ID', (e) => e.applicantId, 24),
    text('産品名', (e) => e.productName, 20),
    text('市町村', (e) => e.municipality, 12),
    text('目標', (e) => joined(e.goals), 30),
    text('状態', (e) => e.status),
    text('支援リーダーID', (e) => e.supportLeaderId, 24),
    flag('期限超過', (e) => e.overdue),
    instant('受付日時', (e) => e.receivedAt),
    instant('登録日時', (e) => e.createdAt),
  ],
};

// GET /design-dispatches as a sheet (Program C, 専門家派遣).
import type { Static } from '@sinclair/typebox';
import type { DispatchSummary } from '../../schemas/design.js';
import { flag, instant, integer, text, type ExportList } from '../columns.js';

export const designDispatchesExport: ExportList<Static<typeof DispatchSummary>> = {
  name: 'design-dispatches',
  sheet: '専門家派遣',
  columns: [
    text('派遣ID', (d) => d.id, 24),
    text('年度', (d) => d.programYearId, 18),
    text('申請者ID', (d) => d.applicantId, 24),
    text('課題', (d) => d.issue, 36),
    text('元の申込ID', (d) => d.sourceRegistrationId, 24),
    text('状態', (d) => d.status),
    text('専門家ID', (d) => d.expertId, 24),
    integer('予定訪問回数', (d) => d.plannedVisits),
    flag('期限超過', (d) => d.overdue),
    instant('受付日時', (d) => d.receivedAt),
    instant('登録日時', (d) => d.createdAt),
  ],
};

// GET /applicants/{id}/external-awards as a sheet: awards from other implementing bodies.
import type { Static } from '@sinclair/typebox';
import type { ExternalAwardView } from '../../schemas/subsidy-cases.js';
import { date, instant, text, yen, type ExportList } from '../columns.js';

export const externalAwardsExport: ExportList<Static<typeof ExternalAwardView>> = {
  name: 'external-awards',
  sheet: '他機関の助成',
  columns: [
    text('ID', (a) => a.id, 24),
    text('申請者ID', (a) => a.applicantId, 24),
    text('年度', (a) => a.programYearId, 18),
    text('手続', (a) => a.procedure),
    text('実施機関', (a) => a.body, 24),
    yen('金額(円)', (a) => a.amountJpy),
    date('交付日', (a) => a.awardedOn),
    text('参照番号', (a) => a.reference),
    text('記録者', (a) => a.recordedBy),
    instant('登録日時', (a) => a.createdAt),
  ],
};

// GET /design-events as a sheet (Program C, seminars and workshops).
import type { Static } from '@sinclair/typebox';
import type { EventSummary } from '../../schemas/design.js';
import { instant, integer, number, text, type ExportList } from '../columns.js';

export const designEventsExport: ExportList<Static<typeof EventSummary>> = {
  name: 'design-events',
  sheet: 'セミナー',
  columns: [
    text('イベントID', (e) => e.id, 24),
    text('年度', (e) => e.programYearId, 18),
    text('種別', (e) => e.kind),
    text('名称', (e) => e.title, 32),
    text('市町村', (e) => e.city, 12),
    text('会場', (e) => e.venue, 24),
    instant('開始日時', (e) => e.startsAt),
    instant('終了日時', (e) => e.endsAt),
    integer('定員', (e) => e.capacity),
    instant('申込締切', (e) => e.registrationClosesAt),
    text('状態', (e) => e.status),
    integer('申込', (e) => e.counts.registered),
    integer('キャンセル待ち', (e) => e.counts.waitlisted),
    integer('出席', (e) => e.counts.attended),
    integer('アンケート', (e) => e.counts.surveys),
    integer('派遣希望', (e) => e.counts.wantsDispatch),
    number('満足度平均', (e) => e.averageSatisfaction),
    instant('登録日時', (e) => e.createdAt),
  ],
};

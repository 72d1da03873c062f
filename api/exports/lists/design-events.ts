// GET /design-events and an event's registrations as sheets (Program C, seminars and workshops).
import type { Static } from '@sinclair/typebox';
import type { EventSummary, RegistrationView } from '../../schemas/design.js';
import { flag, instant, integer, number, text, type ExportList } from '../columns.js';

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

type Registration = Static<typeof RegistrationView>;

/** GET /design-events/{id}/registrations as a sheet: the roster (名簿) with attendance and survey. */
export const registrationsExport: ExportList<Registration> = {
  name: 'registrations',
  sheet: '申込者',
  columns: [
    text('申込ID', (r) => r.id, 24),
    text('氏名', (r) => r.name, 18),
    text('メール', (r) => r.email, 28),
    text('所属', (r) => r.organization, 24),
    text('申請者ID', (r) => r.applicantId, 24),
    text('状態', (r) => r.status),
    flag('出席', (r) => r.attended),
    integer('満足度', (r) => r.survey?.satisfaction),
    flag('派遣希望', (r) => r.survey?.wantsDispatch),
    text('感想', (r) => r.survey?.comment, 30),
    instant('申込日時', (r) => r.registeredAt),
    instant('繰上日時', (r) => r.promotedAt),
    instant('キャンセル日時', (r) => r.cancelledAt),
  ],
};

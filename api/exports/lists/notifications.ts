// GET /notifications as a sheet: every notice and its delivery.
import type { Static } from '@sinclair/typebox';
import type { NotificationView } from '../../schemas/notifications.js';
import { instant, integer, text, type ExportList } from '../columns.js';

export const notificationsExport: ExportList<Static<typeof NotificationView>> = {
  name: 'notifications',
  sheet: '通知',
  columns: [
    text('通知ID', (n) => n.id, 10),
    text('種類', (n) => n.kind, 20),
    text('対象ID', (n) => n.caseId, 24),
    text('宛先', (n) => n.recipient, 28),
    text('送信先アドレス', (n) => n.address, 28),
    text('件名', (n) => n.subject, 36),
    text('状態', (n) => n.status),
    integer('試行回数', (n) => n.attempts),
    instant('作成日時', (n) => n.createdAt),
    instant('送信日時', (n) => n.sentAt),
    instant('次回試行', (n) => n.nextAttemptAt),
    text('最後のエラー', (n) => n.lastError, 30),
  ],
};

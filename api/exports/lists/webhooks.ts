// GET /webhooks and GET /webhooks/{id}/deliveries as sheets.
import type { Static } from '@sinclair/typebox';
import type { WebhookDeliveryView, WebhookView } from '../../schemas/webhooks.js';
import { instant, integer, joined, text, type ExportList } from '../columns.js';

export const webhooksExport: ExportList<Static<typeof WebhookView>> = {
  name: 'webhooks',
  sheet: 'Webhook',
  columns: [
    text('Webhook ID', (w) => w.id, 24),
    text('URL', (w) => w.url, 40),
    text('イベント', (w) => joined(w.events), 40),
    text('説明', (w) => w.description, 24),
    instant('登録日時', (w) => w.createdAt),
  ],
};

export const webhookDeliveriesExport: ExportList<Static<typeof WebhookDeliveryView>> = {
  name: 'webhook-deliveries',
  sheet: '配信履歴',
  columns: [
    text('配信ID', (d) => d.id, 24),
    text('イベントID', (d) => d.eventId, 24),
    text('イベント種別', (d) => d.eventType, 30),
    text('状態', (d) => d.status),
    integer('試行回数', (d) => d.attempts),
    integer('最後の応答コード', (d) => d.lastStatusCode),
    instant('次回試行', (d) => d.nextAttemptAt),
    text('最後のエラー', (d) => d.lastError, 30),
    instant('作成日時', (d) => d.createdAt),
    instant('配信日時', (d) => d.deliveredAt),
  ],
};

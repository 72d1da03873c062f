// `npm start`'s local mailbox: what the dispatcher sends is kept as a readable .eml file.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { useTestDatabase } from '../helpers/db.js';
import { enqueueNotification } from '../../db/outbox.js';
import { startLocalMailbox } from '../../scripts/lib/local-mailbox.js';
import { createMailDispatcher } from '../../worker/notifications/mail.js';
import { createMailTransport } from '../../worker/notifications/transport.js';

describe('local mailbox', () => {
  it('writes each message as an .eml file under the mail folder, UTF-8 subject and body intact', async () => {
    const database = await useTestDatabase();
    const dir = join(mkdtempSync(join(tmpdir(), 'mailbox-')), 'mail');
    const mailbox = await startLocalMailbox({ dir, port: 0 });
    const transport = createMailTransport({ host: '127.0.0.1', port: mailbox.port });
    try {
      await enqueueNotification(database.db, {
        dedupeKey: 'mailbox:1', recipient: 'staff', kind: 'brand_session_overdue', subject: '【十勝ワイン】未報告のセッション: 商標の基礎（2024-09-01）',
        payload: { engagementId: 'be_1', sessionId: 's1', title: '商標の基礎', scheduledAt: '2024-09-01T14:00:00+09:00', dueAt: '2024-09-08T14:00:00+09:00' },
      });
      const sent = await createMailDispatcher({ db: database.db, transport, from: 'noreply@example.jp', staffEmail: 'staff@example.jp' }).drain();
      expect(sent).toBe(1);
      const files = readdirSync(dir).filter((f) => f.endsWith('.eml'));
      expect(files).toHaveLength(1);
      const mail = await simpleParser(readFileSync(join(dir, files[0]!)));
      expect(mail.subject).toBe('【十勝ワイン】未報告のセッション: 商標の基礎（2024-09-01）');
      expect(mail.text).toContain('予定日時: 2024年9月1日 14:00（日本時間）');
      expect(mail.text).toContain('支援番号: be_1');
    } finally {
      transport.close();
      await mailbox.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

// GET /experts as a sheet.
import type { Static } from '@sinclair/typebox';
import type { ExpertView } from '../../schemas/experts.js';
import { instant, text, type ExportList } from '../columns.js';

export const expertsExport: ExportList<Static<typeof ExpertView>> = {
  name: 'experts',
  sheet: '専門家',
  columns: [
    text('専門家ID', (e) => e.id, 24),
    text('氏名', (e) => e.name, 20),
    text('所属', (e) => e.organization, 28),
    text('肩書', (e) => e.title),
    text('メール', (e) => e.email, 28),
    instant('登録日時', (e) => e.createdAt),
  ],
};

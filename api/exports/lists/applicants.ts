// GET /applicants as a sheet.
import type { Static } from '@sinclair/typebox';
import type { ApplicantView } from '../../schemas/applicants.js';
import { instant, text, type ExportList } from '../columns.js';

export const applicantsExport: ExportList<Static<typeof ApplicantView>> = {
  name: 'applicants',
  sheet: '申請者',
  columns: [
    text('申請者ID', (a) => a.id, 24),
    text('名称', (a) => a.name, 30),
    text('種別', (a) => a.kind),
    text('法人番号', (a) => a.corporateNumber, 16),
    text('都道府県', (a) => a.prefecture, 10),
    text('連絡先メール', (a) => a.contactEmail, 28),
    instant('登録日時', (a) => a.createdAt),
  ],
};

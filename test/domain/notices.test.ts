// Every kind of notice the three programs queue reads as a program officer would write it:
// Japanese 本文 with the case, the date in JST and what to do — never the generic text.
import { describe, expect, it } from 'vitest';
import { NOTICE_TEMPLATES, renderNotice } from '../../domain/notices.js';

const QUEUED_KINDS = [
  'subsidy_evidence_reminder', 'subsidy_case_lapsed', 'subsidy_deadlines_changed', 'subsidy_status_report_reminder', 'subsidy_status_report_overdue',
  'brand_session_reminder', 'brand_session_overdue', 'brand_engagement_overdue',
  'design_event_reminder', 'design_registration_promoted', 'design_event_cancelled', 'design_visit_reminder', 'design_visit_overdue', 'design_dispatch_overdue',
];

describe('notice templates', () => {
  it('has a template for every kind the programs queue', () => {
    expect(QUEUED_KINDS.filter((kind) => !(kind in NOTICE_TEMPLATES))).toEqual([]);
  });

  it('writes a Program C reminder with the seminar, its time in JST and its venue', () => {
    const { body } = renderNotice({
      kind: 'design_event_reminder', subject: '【リマインド】デザイン経営セミナー', caseId: 'de_1',
      payload: { name: '札幌 花子', title: 'デザイン経営セミナー in 札幌', startsAt: '2024-10-13T05:00:00Z', venue: '札幌市産業振興センター', city: '札幌市' },
    });
    expect(body).toContain('札幌 花子 様');
    expect(body).toContain('2024年10月13日 14:00（日本時間）');
    expect(body).toContain('札幌市産業振興センター（札幌市）');
    expect(body).not.toContain('（不明）');
  });

  it('tells staff which visit is overdue and since when', () => {
    const { body } = renderNotice({
      kind: 'design_visit_overdue', subject: '【専門家派遣】未報告の訪問', caseId: 'dd_1',
      payload: { scheduledAt: '2025-01-20T10:00:00+09:00', dueAt: '2025-01-27T10:00:00+09:00' },
    });
    expect(body).toContain('派遣番号: dd_1');
    expect(body).toContain('報告期限: 2025年1月27日 10:00（日本時間）');
  });
});

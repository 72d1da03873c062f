// What a program officer would write for each kind of notice: 本文 from a template per kind
// (a table, so a new kind is one entry), a generic text for a kind with no template yet.
// Pure: the outbox renders a notice when it is queued, the dispatcher one queued before.
import { toJstIso } from './time.js';

export interface NoticeToRender {
  kind: string;
  subject: string;
  caseId: string | null;
  payload: Record<string, unknown>;
}

export interface RenderedNotice {
  subject: string;
  body: string;
}

const SIGNATURE = [
  '',
  '――――――――――――――――――――',
  '北海道 知財支援事業 事務局',
  '※本メールはシステムから自動送信されています。ご不明な点は事務局までお問い合わせください。',
].join('\n');

const text = (v: unknown): string => (typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : '（不明）');

/** `2025年3月31日 17:00`: an instant as a Japanese reader expects it, in JST. */
export function jstLabel(value: unknown): string {
  if (typeof value !== 'string') return '（不明）';
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const [y, m, d] = value.split('-').map(Number);
    return `${y}年${m}月${d}日`;
  }
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) return value;
  const jst = toJstIso(ms);
  const [y, m, d] = jst.slice(0, 10).split('-').map(Number);
  return `${y}年${m}月${d}日 ${jst.slice(11, 16)}`;
}

const STATUS_JA: Record<string, string> = {
  applied: '申請中', selected: '採択', in_progress: '支援中', completed: '完了', withdrawn: '辞退', rejected: '不採択',
};

type Template = (n: NoticeToRender, p: Record<string, unknown>) => string[];

const caseLines = (n: NoticeToRender, p: Record<string, unknown>) => [`案件番号: ${n.caseId ?? '（なし）'}`, `案件名: ${text(p.title)}`];

/** Keyed by the outbox `kind`: every kind the three programs queue. */
export const NOTICE_TEMPLATES: Readonly<Record<string, Template>> = {
  subsidy_evidence_reminder: (n, p) => [
    'ご担当者様', '',
    `外国出願補助金の支払証憑および実績報告書の提出期限まで、あと${text(p.daysBefore)}日です。`, '',
    ...caseLines(n, p),
    `提出期限: ${jstLabel(p.reportDeadline)}（日本時間）`, '',
    '【ご対応いただくこと】',
    '・現地代理人等への支払を証する書類（請求書・送金記録）を提出してください。',
    '・実績報告書を作成し、期限までに提出してください。',
    '期限までに提出がない場合、本案件は失効し、交付予定額は取り消されます。',
  ],
  subsidy_case_lapsed: (n, p) => [
    'ご担当者様', '',
    '提出期限までに支払証憑・実績報告書の提出が確認できなかったため、下記の補助金案件は失効しました。', '',
    ...caseLines(n, p),
    `提出期限: ${jstLabel(p.reportDeadline)}（日本時間）`,
    ...(typeof p.releasedJpy === 'number' ? [`取り消された交付予定額: ${p.releasedJpy.toLocaleString('ja-JP')}円`] : []), '',
    '事情がある場合は、速やかに事務局までご連絡ください。',
  ],
  subsidy_deadlines_changed: (n, p) => [
    'ご担当者様', '',
    '下記の補助金案件の提出期限が変更されました。', '',
    ...caseLines(n, p),
    ...(p.reportDeadline ? [`新しい実績報告の提出期限: ${jstLabel(p.reportDeadline)}（日本時間）`] : []),
    ...(p.nextStatusReportDue ? [`次回の査定状況報告の提出期限: ${jstLabel(p.nextStatusReportDue)}`] : []), '',
    '新しい期限までにご提出ください。',
  ],
  subsidy_status_report_reminder: (n, p) => [
    'ご担当者様', '',
    `補助対象出願の査定状況報告（第${text(p.year)}回、${text(p.asOf)}時点）の提出期限まで、あと${text(p.daysBefore)}日です。`, '',
    ...caseLines(n, p),
    `提出期限: ${jstLabel(p.dueOn)}`, '',
    '【ご対応いただくこと】',
    '・各国における審査・登録の状況を記入し、期限までに提出してください。',
  ],
  subsidy_status_report_overdue: (n, p) => [
    'ご担当者様', '',
    `補助対象出願の査定状況報告（第${text(p.year)}回、${text(p.asOf)}時点）の提出期限を過ぎていますが、まだ提出が確認できていません。`, '',
    ...caseLines(n, p),
    `提出期限: ${jstLabel(p.dueOn)}`, '',
    '至急ご提出ください。提出が難しい場合は事務局までご連絡ください。',
  ],
  brand_session_reminder: (n, p) => [
    `${text(p.leaderName)} 様`, '',
    '地域ブランド支援のセッションが近づいています。', '',
    `支援番号: ${n.caseId ?? '（なし）'}`,
    `産品: ${text(p.productName)}（${text(p.municipality)}）`,
    `セッション: ${text(p.title)}`,
    `講師: ${text(p.lecturerName)}`,
    `日時: ${jstLabel(p.scheduledAt)}（日本時間）`, '',
    '【ご対応いただくこと】',
    '・開催準備をお願いします。日程に変更がある場合はシステムで変更してください。',
    '・開催後は参加人数と内容を報告してください。',
  ],
  brand_session_overdue: (n, p) => [
    '事務局ご担当者様', '',
    '開催予定日を過ぎても報告のないセッションがあります。', '',
    `支援番号: ${n.caseId ?? '（なし）'}`,
    `セッション: ${text(p.title)}`,
    `予定日時: ${jstLabel(p.scheduledAt)}（日本時間）`,
    `報告期限: ${jstLabel(p.dueAt)}（日本時間）`, '',
    '支援リーダーに開催状況を確認してください。',
  ],
  brand_engagement_overdue: (n, p) => [
    '事務局ご担当者様', '',
    '支援期間が終了しましたが、完了していない地域ブランド支援があります。', '',
    `支援番号: ${n.caseId ?? '（なし）'}`,
    `現在の状態: ${STATUS_JA[text(p.status)] ?? text(p.status)}`,
    `支援期間終了: ${jstLabel(p.supportEndsAt)}（日本時間）`, '',
    '状況を確認し、完了または辞退の手続きを行ってください。',
  ],
  design_event_reminder: (n, p) => [
    `${text(p.name)} 様`, '',
    'お申し込みいただいたデザイン経営セミナーの開催が近づいています。', '',
    `セミナー: ${text(p.title)}`,
    `日時: ${jstLabel(p.startsAt)}（日本時間）`,
    `会場: ${text(p.venue)}（${text(p.city)}）`, '',
    'ご来場をお待ちしております。ご都合が悪くなった場合は事務局までご連絡ください（キャンセル待ちの方にお席をお譲りします）。',
  ],
  design_registration_promoted: (n, p) => [
    `${text(p.name)} 様`, '',
    'キャンセル待ちでお申し込みいただいたセミナーに空きが出たため、参加が確定しました。', '',
    `セミナー: ${text(p.title)}`,
    `日時: ${jstLabel(p.startsAt)}（日本時間）`,
    `会場: ${text(p.venue)}（${text(p.city)}）`, '',
    'ご参加が難しい場合はお早めに事務局までご連絡ください。',
  ],
  design_event_cancelled: (n, p) => [
    `${text(p.name)} 様`, '',
    'お申し込みいただいたセミナーは、誠に申し訳ございませんが中止となりました。', '',
    `セミナー: ${text(p.title)}`,
    `予定日時: ${jstLabel(p.startsAt)}（日本時間）`,
    `理由: ${text(p.reason)}`, '',
    'ご迷惑をおかけしますことをお詫び申し上げます。',
  ],
  design_visit_reminder: (n, p) => [
    `${text(p.expertName)} 様`, '',
    '専門家派遣の訪問予定が近づいています。', '',
    `派遣番号: ${n.caseId ?? '（なし）'}`,
    `訪問先: ${text(p.company)}`,
    `相談内容: ${text(p.issue)}`,
    `日時: ${jstLabel(p.scheduledAt)}（日本時間）`, '',
    '【ご対応いただくこと】',
    '・訪問後は、訪問時間と内容をシステムで報告してください。',
    '・日程に変更がある場合はシステムで変更してください。',
  ],
  design_visit_overdue: (n, p) => [
    '事務局ご担当者様', '',
    '予定日を過ぎても報告のない専門家派遣の訪問があります。', '',
    `派遣番号: ${n.caseId ?? '（なし）'}`,
    `予定日時: ${jstLabel(p.scheduledAt)}（日本時間）`,
    `報告期限: ${jstLabel(p.dueAt)}（日本時間）`, '',
    '担当の専門家に訪問状況を確認してください。',
  ],
  design_dispatch_overdue: (n, p) => [
    '事務局ご担当者様', '',
    '年度末を迎えましたが、完了していない専門家派遣があります。', '',
    `派遣番号: ${n.caseId ?? '（なし）'}`,
    `現在の状態: ${text(p.status)}`,
    `年度末: ${jstLabel(p.fiscalYearEndsAt)}（日本時間）`, '',
    '状況を確認し、完了または取り下げの手続きを行ってください。',
  ],
};

const generic: Template = (n, p) => [
  'ご担当者様', '',
  `「${n.subject}」についてお知らせします。`, '',
  `案件番号: ${n.caseId ?? '（なし）'}`,
  ...Object.entries(p).filter(([k]) => k !== 'caseId').map(([k, v]) => `${k}: ${typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(v) ? jstLabel(v) : typeof v === 'object' ? JSON.stringify(v) : String(v)}`),
];

/** The 件名 (as the notice was queued) and the 本文 of its kind's template. */
export function renderNotice(n: NoticeToRender): RenderedNotice {
  const template = NOTICE_TEMPLATES[n.kind] ?? generic;
  return { subject: n.subject, body: `${template(n, n.payload).join('\n')}\n${SIGNATURE}\n` };
}

/** The case, engagement, event or dispatch a notice's payload is about. */
export function subjectIdOf(payload: Record<string, unknown>): string | null {
  for (const key of ['caseId', 'engagementId', 'eventId', 'dispatchId']) {
    const v = payload[key];
    if (typeof v === 'string' && v !== '') return v;
  }
  return null;
}

// The three FY2023 (令和５年度) engagements of the seed, entered through the API after the
// fact, as staff and the support leaders would. Names, organisations, topics and dates are
// the seed's (shared/seed, 支援対象の地域産品 and 専門家支援概要). What the seed does not give
// is marked: the FY2023 call dates (FY2024's shape is assumed), times of day (14:00 JST),
// hearing dates, attendance, summaries and action items (illustrative).
import type { DemoClient } from './client.js';

const YEAR = 'regional-brand-2023';

const regionalBrand2023 = {
  program: 'regional_brand', fiscalYear: 2023, title: '令和５年度 地域ブランド確立促進支援事業',
  callWindow: { opensAt: '2023-07-03T00:00:00+09:00', closesAt: '2023-07-31T17:00:00+09:00' },
  capacity: 4, supportEndsAt: '2024-03-31T23:59:59+09:00', sessionGraceDays: 7,
};

interface Leader { name: string; organization: string; title: string }
interface Session { title: string; lecturerName: string; lecturerOrganization: string; date: string; kind?: 'action_plan_sharing'; attendees: number; summary: string }
interface Engagement {
  applicant: string;
  productName: string;
  municipality: string;
  goals: string[];
  background: string;
  issues: string;
  direction: string;
  receivedAt: string;
  hearing: { heldOn: string; findings: string[] };
  leader: Leader;
  sessions: Session[];
  actionPlan: { summary: string; actions: { title: string; owner: string; dueOn: string }[] };
  /** How far the records go: every report in, or the last one still awaited. */
  finalReportIn: boolean;
}

const sharing = (date: string, leader: Leader, attendees: number): Session => ({
  title: 'これまでの支援内容を基に作成した「アクションプラン」の説明、地域への共有', lecturerName: '支援リーダー、事務局', lecturerOrganization: leader.organization,
  date, kind: 'action_plan_sharing', attendees, summary: 'アクションプランを説明し、地域の関係者と共有した。',
});

const asakaze: Leader = { name: '中山 俊彦', organization: 'あさかぜ特許商標事務所', title: '弁理士' };
const kandata: Leader = { name: '福島 健太', organization: '株式会社KANDATA', title: '代表社員' };
const cogito: Leader = { name: '関口 陸', organization: '合同会社COGITO', title: '代表社員' };

const ENGAGEMENTS: Engagement[] = [
  {
    applicant: '美瑛小麦ブランド推進協議会', productName: '美瑛小麦', municipality: '美瑛町', goals: ['regional_collective_trademark', 'branding', 'tourism'],
    background: '美瑛小麦は、他産地と比較して高タンパクで製パン性に優れており、安定的に生産されてきた実績から製粉業者や実需者からの評価も高く、「美瑛小麦」の指名買いも増えている。生産者の努力により、畑作４品目（小麦、豆類、馬鈴薯、てん菜）の輪作体系の維持、農作物の生育に適した土づくりが実践されてきた経過があり、観光資源となっている「農業景観」も営農活動により創出されている。',
    issues: 'これまで名称の統一やロゴマーク作成、スタンプラリー等のイベント開催などによりＰＲを進めてきたが、今後は地域団体商標などを活用したより効果的なプロモーションが必要。',
    direction: '農業と観光のつながりを活かしつつ、ブランド戦略の再構築、地域団体商標登録に向けた助言、他地域のブランド化に対する取組事例を学ぶ機会を提供。方針：農業と観光のつながりを活かしつつ、「美瑛小麦」の価値向上に向けた支援を実施。',
    receivedAt: '2023-07-20T10:00:00+09:00',
    hearing: { heldOn: '2023-08-24', findings: ['名称の統一やロゴマーク作成、イベントによるＰＲは進んできた', '地域団体商標などを活用したより効果的なプロモーションが必要'] },
    leader: asakaze,
    sessions: [
      { title: '知的財産の保護と活用方法', lecturerName: '熊野 彩', lecturerOrganization: 'あさかぜ特許商標事務所', date: '2023-09-26', attendees: 14, summary: '商標・地域団体商標による名称の保護と活用方法を学んだ。' },
      { title: 'ブランディングにおけるデザインの役割', lecturerName: '小林 元', lecturerOrganization: '株式会社インプロバイド', date: '2023-10-11', attendees: 12, summary: 'ロゴマークやパッケージのデザインがブランドに果たす役割を確認した。' },
      { title: '他地域の知的財産活用事例', lecturerName: '佐藤 聡', lecturerOrganization: '十勝品質事業協同組合', date: '2023-11-13', attendees: 16, summary: '十勝の品質認証と知的財産の活用事例を共有した。' },
      { title: '非営利団体における資金調達の手法', lecturerName: '久保 匠', lecturerOrganization: 'ソーシャルセクターパートナーすくらむ', date: '2023-12-13', attendees: 10, summary: 'ブランド活動の財源確保の手法を検討した。' },
      sharing('2024-01-24', asakaze, 25),
    ],
    actionPlan: { summary: '農業景観と結びついた「美瑛小麦」の価値向上：地域団体商標の取得と観光と連動したプロモーション', actions: [
      { title: '地域団体商標「美瑛小麦」の出願準備', owner: '美瑛小麦ブランド推進協議会', dueOn: '2024-09-30' },
      { title: '農業景観と連動したＰＲ企画の立案', owner: '美瑛小麦ブランド推進協議会', dueOn: '2024-12-27' },
    ] },
    finalReportIn: true,
  },
  {
    applicant: 'あさひかわ産さつまいもブランド協議会', productName: 'あさひかわ産さつまいも', municipality: '旭川市', goals: ['regional_collective_trademark', 'branding'],
    background: 'さつまいもを安定して生産するには、苗を植えてから収穫までの日積算気温（一日ごとの平均気温の合計）が2,400度以上必要といわれており、近年の気温上昇により旭川でも昨年から本格栽培を開始。甘味が強くねっとりとした食感が特徴の紅はるかを主に栽培し、収穫後は貯蔵庫で3ヶ月間保管し、熟成したより糖度の高いさつまいもとして販売。販売額1億円を目指している。',
    issues: '道外の主要産地をはじめ、近年は道内でも多くの地域でさつまいもの栽培に取り組んでいるため、付加価値を高めて、消費者に選ばれるさつまいもを生産する取組が必要。',
    direction: '目指すブランドの明確化、地域団体商標登録に向けた助言、他地域のブランド化に対する取組事例を学ぶ機会を提供。方針：「あさひかわ産さつまいも」を旭川の新たな名産として生み出すための支援を実施。',
    receivedAt: '2023-07-25T15:30:00+09:00',
    hearing: { heldOn: '2023-08-22', findings: ['道内外の多くの産地と競合する', '付加価値を高め、消費者に選ばれる取組が必要'] },
    leader: kandata,
    sessions: [
      { title: '知的財産経営の理解', lecturerName: '中山 俊彦', lecturerOrganization: 'あさかぜ特許商標事務所', date: '2023-09-21', attendees: 11, summary: '知的財産を経営に活かす考え方を学んだ。' },
      { title: '先行事例の把握（マーケティング/ブランディング）', lecturerName: '大谷 悠巴', lecturerOrganization: '株式会社KANDATA', date: '2023-10-12', attendees: 13, summary: '他産地のさつまいもブランドの事例を分析した。' },
      { title: 'デジタルマーケティング・ブランディングの基礎的手法とその活用手法', lecturerName: '岡本 紅羽', lecturerOrganization: 'コーヒー屋さん月祭', date: '2023-11-21', attendees: 15, summary: 'ＳＮＳ等を使った発信の基礎を学んだ。' },
      { title: 'コピーライティングの一般的知識と活用例', lecturerName: '秋山 理二郎', lecturerOrganization: '株式会社 第弐表現', date: '2024-01-26', attendees: 12, summary: '熟成さつまいもの魅力を伝える言葉づくりを行った。' },
      sharing('2024-02-15', kandata, 22),
    ],
    actionPlan: { summary: '「あさひかわ産さつまいも」を旭川の新たな名産に：目指すブランドの明確化と地域団体商標に向けた準備', actions: [
      { title: 'ブランドコンセプトと表示ルールの策定', owner: 'あさひかわ産さつまいもブランド協議会', dueOn: '2024-07-31' },
      { title: '地域団体商標の要件確認と出願準備', owner: 'あさひかわ産さつまいもブランド協議会', dueOn: '2025-03-31' },
    ] },
    finalReportIn: true,
  },
  {
    applicant: '厚真町ハスカップブランド推進協議会', productName: '厚真産ハスカップ', municipality: '厚真町', goals: ['regional_collective_trademark', 'gi', 'branding', 'sales_channels'],
    background: '地域を挙げてハスカップを栽培し始めて約40年。厚真町は日本一の作付け面積を誇る。ポリフェノールやビタミンCなどの抗酸化作用のある物質が多く含まれ、加工品や生食、健康食品として多くの人に親しまれている。平成30年の胆振東部地震でハスカップ畑の1/4にあたる約8haの土地が被害を受けたが、現在復旧に向けた取り組みが進められている。',
    issues: 'ハスカップの生産者数は令和5年現在100戸を超えているが、『高齢化』が顕著であるため、将来的に生産者数の減少及び収穫量の減少が懸念。また、厚真産ハスカップが「貴重な（高級な）果実」であることがまだ世間に認知されていない。',
    direction: '効果的なブランディングの手法、地域団体商標やＧＩ制度の登録に向けた助言、他地域のブランド化に対する取組事例を学ぶ機会を提供。方針：生産者の高齢化が進む中、生産量の増大と販売単価の向上に向けた支援を実施。',
    receivedAt: '2023-07-28T11:00:00+09:00',
    hearing: { heldOn: '2023-09-05', findings: ['生産者の高齢化により生産者数・収穫量の減少が懸念される', '「貴重な（高級な）果実」であることがまだ認知されていない'] },
    leader: cogito,
    sessions: [
      { title: '先行事例の把握（マーケティング/ブランディング）', lecturerName: '榮 大吾', lecturerOrganization: '合同会社さかえる', date: '2023-10-30', attendees: 9, summary: '一次産品のブランド化の実践例（ひじき漁）を学んだ。' },
      // The seed says 11月中旬 (mid-November): the 15th stands in for it.
      { title: '知的財産経営の理解', lecturerName: '中山 俊彦', lecturerOrganization: 'あさかぜ特許商標事務所', date: '2023-11-15', attendees: 10, summary: '地域団体商標とＧＩの違いと活用を学んだ。' },
      { title: '先行事例の把握（マーケティング/ブランディング）', lecturerName: '大谷 悠巴', lecturerOrganization: '株式会社KANDATA', date: '2023-12-19', attendees: 11, summary: '高付加価値果実のブランディング事例を分析した。' },
      { title: '地域ブランディング戦略', lecturerName: '堀口 研', lecturerOrganization: '明善株式会社', date: '2024-01-22', attendees: 12, summary: '生産量の増大と販売単価の向上に向けた戦略を検討した。' },
      sharing('2024-02-22', cogito, 18),
    ],
    actionPlan: { summary: '生産量の増大と販売単価の向上：「貴重な果実」としての認知づくりと地域団体商標・ＧＩの検討', actions: [
      { title: '新規就農者・担い手向けの栽培支援策の検討', owner: '厚真町ハスカップブランド推進協議会', dueOn: '2024-10-31' },
      { title: '地域団体商標・ＧＩ登録の要件整理', owner: '厚真町ハスカップブランド推進協議会', dueOn: '2025-01-31' },
    ] },
    // Left with its last report outstanding: it shows how an unreported session and an
    // engagement open past its support period look (overdue), and what its leader sees at /me/sessions.
    finalReportIn: false,
  },
];

const at = (date: string, time = '14:00') => `${date}T${time}:00+09:00`;

interface View { id: string; status: string; sessions: { id: string; kind: string }[] }

async function loadOne(client: DemoClient, e: Engagement, leaders: Map<string, { id: string; token: string }>): Promise<View> {
  // The applicant is the group that will own the brand — a council (協議会) of the producers,
  // the JA and the town, whose office the municipality hosts — not the town itself (the
  // councils' names are illustrative; the seed names only the towns).
  const applicant = await client.request<{ id: string }>('POST', '/applicants', { name: e.applicant, kind: 'other_group', prefecture: '北海道' });
  const created = await client.request<View>('POST', '/brand-engagements', {
    programYearId: YEAR, applicantId: applicant.id, productName: e.productName, municipality: e.municipality, goals: e.goals,
    background: e.background, issues: e.issues, receivedAt: e.receivedAt,
  });
  const path = `/brand-engagements/${created.id}`;
  await client.request('POST', `${path}/selection`, { selected: true });
  await client.request('POST', `${path}/hearing`, { heldOn: e.hearing.heldOn, findings: e.hearing.findings });
  const leader = leaders.get(e.leader.name)!;
  const planned = await client.request<View>('POST', `${path}/plan`, {
    supportLeaderId: leader.id, direction: e.direction, measures: e.goals,
    sessions: e.sessions.map((s) => ({ title: s.title, lecturerName: s.lecturerName, lecturerOrganization: s.lecturerOrganization, scheduledAt: at(s.date), kind: s.kind ?? 'lecture' })),
  });
  // Sessions come back in date order, as the seed lists them; the leader reports each one.
  let view = planned;
  for (const [i, s] of e.sessions.entries()) {
    if (s.kind === 'action_plan_sharing') {
      await client.request('POST', `${path}/action-plan`, e.actionPlan, leader.token);
      if (!e.finalReportIn) break;
    }
    view = await client.request<View>('POST', `${path}/sessions/${planned.sessions[i]!.id}/completion`, { heldAt: at(s.date, '16:00'), attendeeCount: s.attendees, summary: s.summary }, leader.token);
  }
  return view;
}

/** The three FY2023 engagements of the seed (Biei wheat, Asahikawa sweet potato, Atsuma haskap). */
export async function loadBrandDemo(client: DemoClient): Promise<void> {
  await client.request('PUT', `/program-years/${YEAR}`, regionalBrand2023);
  const existing = await client.request<{ items: unknown[] }>('GET', `/brand-engagements?programYearId=${YEAR}&limit=1`);
  if (existing.items.length > 0) {
    client.log(`${YEAR}: engagements already loaded, left as they are`);
    return;
  }
  const leaders = new Map<string, { id: string; token: string }>();
  for (const l of [asakaze, kandata, cogito]) {
    const expert = await client.request<{ id: string }>('POST', '/experts', { name: l.name, organization: l.organization, title: l.title });
    leaders.set(l.name, { id: expert.id, token: client.tokenFor({ sub: expert.id, role: 'support_leader', name: l.name }) });
  }
  for (const e of ENGAGEMENTS) {
    const view = await loadOne(client, e, leaders);
    client.log(`${YEAR}: ${e.productName} (${e.municipality}) → ${view.status}  GET /brand-engagements/${view.id}`);
  }
  const cogitoToken = leaders.get(cogito.name)!.token;
  client.log(`support leader ${cogito.name} (${cogito.organization}) sees an overdue session: GET /me/sessions with token ${cogitoToken}`);
}

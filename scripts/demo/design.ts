// Program C (デザイン経営セミナー事業) demo data, entered through the API after the fact as staff
// and experts would. From the seed: the FY2023 programme — design seminars in Sapporo (10/13)
// and Hakodate (10/21), a design-thinking workshop (12/19) and expert (mostly designer)
// dispatches to companies from January to March — and the FY2024 seminars planned in Sapporo
// and Obihiro. Everything else is illustrative and marked so: times, venues, capacities,
// registrants, companies, experts, survey answers, visit dates, hours, summaries and reports.
import type { DemoClient } from './client.js';
import { clockOf } from '../../runtime/clock.js';
import { loadConfig } from '../../runtime/config.js';
import { DAY_MS, toJstIso } from '../../domain/time.js';

const FY2023 = 'design-management-2023';
const FY2024 = 'design-management-2024';

interface Registrant { name: string; organization: string; attended: boolean; survey?: { satisfaction: number; comment?: string; wantsDispatch: boolean } }
interface DemoEvent { kind: 'seminar' | 'workshop'; title: string; city: string; venue: string; date: string; from: string; until: string; capacity: number; registrants: Registrant[]; summary: string }

// Illustrative registrants: the seed names no participant.
const r = (name: string, organization: string, attended = true, survey?: Registrant['survey']): Registrant => ({ name, organization, attended, survey });

const EVENTS_2023: DemoEvent[] = [
  {
    kind: 'seminar', title: 'デザイン経営セミナー in 札幌', city: '札幌市', venue: '札幌市内の会場（illustrative）', date: '2023-10-13', from: '14:00', until: '16:30', capacity: 60,
    summary: 'デザイン経営の考え方と、デザインを知的財産権で守る重要性を事例とともに紹介した。（illustrative）',
    registrants: [
      r('高橋 美咲', '株式会社札幌スイーツ工房', true, { satisfaction: 5, comment: 'パッケージの見直しに取り組みたい', wantsDispatch: true }),
      r('佐々木 健', '北海木工株式会社', true, { satisfaction: 4, comment: 'ブランドの一貫性が課題', wantsDispatch: true }),
      r('伊藤 陽子', '有限会社いとう商店', true, { satisfaction: 4, wantsDispatch: false }),
      r('渡辺 大輔', '株式会社ノースソフト', true, { satisfaction: 3, comment: 'IT企業の事例も聞きたい', wantsDispatch: false }),
      r('小林 さやか', '札幌市内の個人事業者', false),
    ],
  },
  {
    kind: 'seminar', title: 'デザイン経営セミナー in 函館', city: '函館市', venue: '函館市内の会場（illustrative）', date: '2023-10-21', from: '13:30', until: '16:00', capacity: 40,
    summary: '函館の事業者向けに、デザイン経営と意匠・商標の活用を紹介した。（illustrative）',
    registrants: [
      r('中村 翔太', '株式会社はこだて海産', true, { satisfaction: 5, comment: '土産物のブランド化を相談したい', wantsDispatch: true }),
      r('山本 恵', '函館ガラス工芸株式会社', true, { satisfaction: 4, wantsDispatch: false }),
      r('加藤 誠', '有限会社かとう製麺', true, { satisfaction: 4, comment: '商標の出願を検討する', wantsDispatch: false }),
    ],
  },
  {
    kind: 'workshop', title: 'デザイン思考ワークショップ', city: '札幌市', venue: '札幌市内の会場（illustrative）', date: '2023-12-19', from: '13:00', until: '17:00', capacity: 20,
    summary: '顧客体験を起点に自社の課題を捉え直すワークを行った。（illustrative）',
    registrants: [
      r('吉田 直子', '株式会社札幌スイーツ工房', true, { satisfaction: 5, wantsDispatch: false }),
      r('松本 拓也', '株式会社とかち農機', true, { satisfaction: 5, comment: '自社製品の見せ方を変えたい', wantsDispatch: true }),
      r('井上 里美', '北海木工株式会社', true, { satisfaction: 4, wantsDispatch: false }),
      r('木村 亮', '株式会社ノースソフト', false),
    ],
  },
];

// The FY2024 seminars the seed plans (札幌市, 帯広市); their dates are not in the seed (illustrative).
const EVENTS_2024 = [
  { title: 'デザイン経営セミナー in 札幌', city: '札幌市', venue: '札幌市内の会場（illustrative）', date: '2024-11-22', capacity: 60 },
  { title: 'デザイン経営セミナー in 帯広', city: '帯広市', venue: '帯広市内の会場（illustrative）', date: '2024-12-06', capacity: 40 },
];

// Illustrative experts (the seed says "mainly designers") and the dispatches that followed
// the surveys asking for help; visits fall in the seed's January–March period.
const EXPERTS = [
  { name: '青木 デザイン（illustrative）', organization: 'アオキデザイン事務所', title: 'グラフィックデザイナー' },
  { name: '森 プロダクト（illustrative）', organization: 'モリプロダクトデザイン', title: 'プロダクトデザイナー' },
];

interface DemoDispatch { company: string; registrant: string; issue: string; receivedAt: string; expert: number; visits: { date: string; hours: number; summary: string }[]; report: { summary: string; outcomes: string[]; ipFollowUp: string[] } }

const DISPATCHES: DemoDispatch[] = [
  {
    company: '株式会社札幌スイーツ工房', registrant: '高橋 美咲', issue: '主力商品のパッケージが商品ごとにばらばらで、ブランドとして認知されていない。', receivedAt: '2023-10-27T10:00:00+09:00', expert: 0,
    visits: [
      { date: '2024-01-16', hours: 2, summary: '経営者へのヒアリングでブランドの核となる価値を整理した。' },
      { date: '2024-02-13', hours: 2.5, summary: 'パッケージのデザイン方針とロゴの使い方を検討した。' },
      { date: '2024-03-12', hours: 2, summary: '新パッケージ案を確認し、展開計画を立てた。' },
    ],
    report: { summary: 'ブランドコンセプトを定め、パッケージの統一方針をまとめた。（illustrative）', outcomes: ['ブランドコンセプトの策定', 'パッケージデザインの統一方針'], ipFollowUp: ['新ロゴの商標出願', 'パッケージ形状の意匠登録の検討'] },
  },
  {
    company: '株式会社はこだて海産', registrant: '中村 翔太', issue: '観光客向け土産物の見せ方と名称が他社と差別化できていない。', receivedAt: '2023-11-08T14:00:00+09:00', expert: 0,
    visits: [
      { date: '2024-01-23', hours: 2, summary: '売場と顧客層を確認し、課題を共有した。' },
      { date: '2024-02-27', hours: 2, summary: '商品名とラベルの改善案を検討した。' },
    ],
    report: { summary: '商品名の見直しとラベルデザインの改善案をまとめた。（illustrative）', outcomes: ['商品名の再設計', 'ラベルの改善案'], ipFollowUp: ['新商品名の商標調査と出願'] },
  },
  {
    company: '株式会社とかち農機', registrant: '松本 拓也', issue: '自社製品の機能は評価されているが、デザインで価値が伝わっていない。', receivedAt: '2023-12-20T11:00:00+09:00', expert: 1,
    visits: [
      { date: '2024-01-30', hours: 3, summary: '製品と利用現場を視察し、デザイン上の課題を洗い出した。' },
      { date: '2024-03-05', hours: 3, summary: '外観デザインの改善方向と展示会での見せ方を検討した。' },
    ],
    report: { summary: '製品外観と展示の改善方向をまとめ、次年度の開発に反映する。（illustrative）', outcomes: ['外観デザインの改善方向', '展示会での訴求方法'], ipFollowUp: ['改良製品の意匠登録出願の検討'] },
  },
];

interface EventView { id: string; status: string; registrations: { id: string; name: string }[] }
interface DispatchView { id: string; status: string; visits: { id: string }[] }

const at = (date: string, time: string): string => `${date}T${time}:00+09:00`;
const slug = (text: string): string => [...text].map((c) => c.charCodeAt(0).toString(36)).join('').slice(0, 24);

async function loadEvent(client: DemoClient, year: string, e: DemoEvent, registrationsByName: Map<string, string>): Promise<EventView> {
  const created = await client.request<EventView>('POST', '/design-events', {
    programYearId: year, kind: e.kind, title: e.title, city: e.city, venue: e.venue, capacity: e.capacity,
    startsAt: at(e.date, e.from), endsAt: at(e.date, e.until), registrationClosesAt: toJstIso(Date.parse(at(e.date, '12:00')) - 2 * DAY_MS),
  });
  const path = `/design-events/${created.id}`;
  const registeredAt = toJstIso(Date.parse(at(e.date, '10:00')) - 14 * DAY_MS);
  const ids: string[] = [];
  for (const p of e.registrants) {
    const reg = await client.request<{ id: string }>('POST', `${path}/registrations`, { name: p.name, email: `${slug(p.name)}@example.jp`, organization: p.organization, registeredAt });
    ids.push(reg.id);
    registrationsByName.set(p.name, reg.id);
  }
  const came = e.registrants.flatMap((p, i) => (p.attended ? [ids[i]!] : []));
  await client.request('POST', `${path}/attendance`, { registrationIds: came });
  let view = await client.request<EventView>('POST', `${path}/completion`, { summary: e.summary });
  for (const [i, p] of e.registrants.entries()) {
    if (p.survey) view = await client.request<EventView>('POST', `${path}/registrations/${ids[i]}/survey`, p.survey);
  }
  return view;
}

export async function loadDesignDemo(client: DemoClient): Promise<void> {
  const existing = await client.request<{ items: unknown[] }>('GET', `/design-events?programYearId=${FY2023}&limit=1`);
  if (existing.items.length > 0) {
    client.log(`${FY2023}: events and dispatches already loaded, left as they are`);
    return;
  }
  const registrations = new Map<string, string>();
  for (const e of EVENTS_2023) {
    const view = await loadEvent(client, FY2023, e, registrations);
    client.log(`${FY2023}: ${e.title}（${e.date}）→ ${view.status}  GET /design-events/${view.id}`);
  }

  const experts: { id: string; token: string }[] = [];
  for (const x of EXPERTS) {
    const expert = await client.request<{ id: string }>('POST', '/experts', x);
    experts.push({ id: expert.id, token: client.tokenFor({ sub: expert.id, role: 'expert', name: x.name }) });
  }
  for (const d of DISPATCHES) {
    const company = await client.request<{ id: string }>('POST', '/applicants', { name: d.company, kind: 'sme', prefecture: '北海道' });
    const created = await client.request<DispatchView>('POST', '/design-dispatches', {
      programYearId: FY2023, applicantId: company.id, issue: d.issue, sourceRegistrationId: registrations.get(d.registrant), receivedAt: d.receivedAt,
    });
    const path = `/design-dispatches/${created.id}`;
    const expert = experts[d.expert]!;
    await client.request('POST', `${path}/decision`, { accept: true });
    await client.request('POST', `${path}/assignment`, { expertId: expert.id, plannedVisits: d.visits.length });
    for (const v of d.visits) {
      const visit = await client.request<{ id: string }>('POST', `${path}/visits`, { scheduledAt: at(v.date, '10:00') }, expert.token);
      await client.request('POST', `${path}/visits/${visit.id}/completion`, { heldAt: at(v.date, '10:00'), hours: v.hours, summary: v.summary }, expert.token);
    }
    const view = await client.request<DispatchView>('POST', `${path}/report`, d.report, expert.token);
    client.log(`${FY2023}: dispatch to ${d.company}（${d.visits.length} visits）→ ${view.status}  GET ${path}`);
  }

  // FY2024: open for registration. With a clock past these (illustrative) dates, they move
  // ahead of it so that registration is still open; CLOCK_START=2024-10-01T09:00:00+09:00
  // shows them on their own dates.
  const now = clockOf(loadConfig().clock).now().getTime();
  for (const [i, e] of EVENTS_2024.entries()) {
    const planned = Date.parse(at(e.date, '14:00'));
    const startsAt = planned - 3 * DAY_MS > now ? planned : now + (30 + 14 * i) * DAY_MS;
    const created = await client.request<EventView>('POST', '/design-events', {
      programYearId: FY2024, kind: 'seminar', title: e.title, city: e.city, venue: e.venue, capacity: e.capacity,
      startsAt: toJstIso(startsAt), endsAt: toJstIso(startsAt + 2.5 * 3_600_000), registrationClosesAt: toJstIso(startsAt - 2 * DAY_MS),
      description: 'デザイン経営の考え方と、デザインを知的財産権で守る重要性を紹介します。（日程・会場は illustrative）',
    });
    for (const p of [r('斎藤 由紀', '株式会社おびひろ菓子'), r('清水 隆', '十勝デザイン合同会社')]) {
      await client.request('POST', `/design-events/${created.id}/registrations`, { name: p.name, email: `${slug(p.name)}.${i}@example.jp`, organization: p.organization });
    }
    client.log(`${FY2024}: ${e.title}（${toJstIso(startsAt).slice(0, 10)}${startsAt === planned ? '' : ', moved ahead of the clock'}）→ ${created.status}  GET /design-events/${created.id}`);
  }
  client.log(`an expert's visits: GET /me/visits with token ${experts[0]!.token}`);
}

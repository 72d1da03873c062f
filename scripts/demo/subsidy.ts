// Sample overseas IP subsidy cases (Program A) in every status, entered through the API as
// staff would. Applicants, inventions and amounts are illustrative (Hokkaido SMEs, a
// university, a cooperative with a regional collective trademark); the rules are the seed's
// FY2024 rules carried to the years the demo needs, all relative to today:
//   - this fiscal year (overseas-ip-<FY>): cases under review, approved, rejected, withdrawn,
//     reported, determined and disbursed (status reports still owed);
//   - last fiscal year: a case approved whose evidence never came — its deadline has passed,
//     so it lapses (the seeded overseas-ip-2024 when that is last year);
//   - six years ago: a case entered after the fact from intake to its fifth yearly status
//     report, closed (its year's deadline is held open while the records go in, then put back).
import type { DemoClient } from './client.js';
import { corporateNumberCheckDigit } from '../../domain/corporate-number.js';
import { DAY_MS, fiscalYearOfInstant, jstDate, parseInstant, toJstIso } from '../../domain/time.js';

type Json = Record<string, unknown>;
interface CaseView { id: string; status: string; receivedAt: string; maxGrantJpy: number; grantLimitJpy: number | null; statusReportSchedule: { year: number; asOf: string; dueOn: string }[]; expenses: { id: string }[] }

const WAREKI = (fy: number) => (fy >= 2019 ? `令和${fy - 2018 === 1 ? '元' : fy - 2018}年度` : `${fy}年度`);

/** The FY2024 call (shared/domain.md), moved to fiscal year `fy`. */
function overseasYear(fy: number, reportDeadline: string, extraWindows: Json[] = []): Json {
  const next = fy + 1;
  return {
    program: 'overseas_ip_subsidy', fiscalYear: fy, title: `${WAREKI(fy)} 中小企業等海外展開支援事業費補助金（海外展開権利化支援事業）`,
    windows: [
      ...extraWindows,
      { label: '第1回', procedures: ['filing'], opensAt: `${fy}-05-30T00:00:00+09:00`, closesAt: `${fy}-06-14T12:00:00+09:00` },
      { label: '第2回', procedures: ['filing'], opensAt: `${fy}-08-19T00:00:00+09:00`, closesAt: `${fy}-08-30T12:00:00+09:00` },
      { label: '第3回', procedures: ['filing'], opensAt: `${fy}-11-18T00:00:00+09:00`, closesAt: `${fy}-12-03T12:00:00+09:00` },
      { label: '中間応答・審査請求', procedures: ['office_action_response', 'examination_request'], opensAt: `${fy}-05-30T00:00:00+09:00`, closesAt: `${next}-02-07T12:00:00+09:00` },
    ],
    rate: { numerator: 1, denominator: 2 }, roundingUnitJpy: 1000,
    caps: {
      filing: { patent: 1_500_000, utility_model: 600_000, design: 600_000, trademark: 600_000, anti_squatting_trademark: 300_000 },
      office_action_response: { patent: 500_000 }, examination_request: { patent: 500_000 },
    },
    perApplicantCaps: { filing: 3_000_000 }, perApplicantCapExemptKinds: ['university'],
    reportDeadline, statusReports: { years: 5, asOf: '03-31', due: '05-31' },
  };
}

const corporateNumber = (base12: string) => `${corporateNumberCheckDigit(base12)}${base12}`;

const APPLICANTS = {
  northfield: { name: '株式会社ノースフィールド精機', kind: 'sme', corporateNumber: corporateNumber('430101012345'), prefecture: '北海道', contactEmail: 'chizai@northfield-seiki.example.jp' },
  tokachi: { name: '有限会社とかち酪農テック', kind: 'small_enterprise', corporateNumber: corporateNumber('460102023456'), prefecture: '北海道', contactEmail: 'info@tokachi-dairytech.example.jp' },
  okhotsk: { name: '株式会社オホーツクバイオラボ', kind: 'sme_startup', corporateNumber: corporateNumber('460103034567'), prefecture: '北海道', contactEmail: 'ip@okhotsk-bio.example.jp' },
  otaru: { name: '株式会社小樽硝子工房', kind: 'small_enterprise', corporateNumber: corporateNumber('430104045678'), prefecture: '北海道', contactEmail: 'design@otaru-glass.example.jp' },
  kushiro: { name: '株式会社釧路マリンフーズ', kind: 'sme', corporateNumber: corporateNumber('460105056789'), prefecture: '北海道', contactEmail: 'brand@kushiro-marine.example.jp' },
  asahikawa: { name: '旭川木工家具協同組合', kind: 'business_cooperative', corporateNumber: corporateNumber('450106067890'), prefecture: '北海道', contactEmail: 'office@asahikawa-mokko.example.jp' },
  university: { name: '国立大学法人 北海道北斗大学', kind: 'university', corporateNumber: corporateNumber('430107078901'), prefecture: '北海道', contactEmail: 'tlo@hokuto-u.example.ac.jp' },
} as const;
type ApplicantKey = keyof typeof APPLICANTS;

/** A small, valid one-page PDF (an invoice or receipt) to upload as evidence. */
function receiptPdf(lines: string[]): Buffer {
  const text = lines.map((l, i) => `BT /F1 12 Tf 56 ${780 - i * 18} Td (${l.replace(/[()\\]/g, '')}) Tj ET`).join('\n');
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>',
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
    `<< /Length ${Buffer.byteLength(text)} >>\nstream\n${text}\nendstream`,
  ];
  let pdf = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(Buffer.byteLength(pdf));
    pdf += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = Buffer.byteLength(pdf);
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(pdf, 'latin1');
}

export async function loadSubsidyDemo(client: DemoClient): Promise<void> {
  const existing = await client.request<{ items: unknown[] }>('GET', `/applicants?q=${encodeURIComponent(APPLICANTS.northfield.name)}`);
  if (existing.items.length > 0) {
    client.log('subsidy cases: already loaded (applicant 株式会社ノースフィールド精機 exists), skipping');
    return;
  }
  const now = Date.now();
  const staff = client.tokenFor({ sub: 'demo-staff', role: 'staff', name: 'デモ職員' });
  const post = <T = Json>(path: string, body?: unknown) => client.request<T>('POST', path, body ?? {});
  const get = <T = Json>(path: string) => client.request<T>('GET', path);

  async function yearOrCreate(id: string, rules: Json): Promise<Json> {
    const found = await get<Json>(`/program-years/${id}`).catch(() => null);
    if (found) return found;
    await client.request('PUT', `/program-years/${id}`, rules);
    return rules;
  }

  // --- program years -----------------------------------------------------------------
  const fy = fiscalYearOfInstant(now);
  const thisYearId = `overseas-ip-${fy}`;
  const deadline = toJstIso(Math.max(Date.parse(`${fy + 1}-03-31T17:00:00+09:00`), now + 30 * DAY_MS));
  // Early in the fiscal year no round has opened yet: an early intake window stands in.
  const early = now < Date.parse(`${fy}-05-30T00:00:00+09:00`)
    ? [{ label: '早期受付', procedures: ['filing', 'office_action_response', 'examination_request'], opensAt: `${fy}-04-01T00:00:00+09:00`, closesAt: `${fy}-05-29T12:00:00+09:00` }]
    : [];
  const thisYear = await yearOrCreate(thisYearId, overseasYear(fy, deadline, early));
  const lastYearId = `overseas-ip-${fy - 1}`;
  await yearOrCreate(lastYearId, overseasYear(fy - 1, `${fy}-03-31T17:00:00+09:00`));
  const oldFy = fy - 6;
  const oldYearId = `overseas-ip-${oldFy}`;
  const oldYear = await yearOrCreate(oldYearId, overseasYear(oldFy, `${oldFy + 1}-03-31T17:00:00+09:00`));
  client.log(`subsidy program years: ${thisYearId}, ${lastYearId}, ${oldYearId}`);

  // --- applicants ---------------------------------------------------------------------
  const applicant = {} as Record<ApplicantKey, string>;
  for (const [key, body] of Object.entries(APPLICANTS)) applicant[key as ApplicantKey] = (await post<{ id: string }>('/applicants', body)).id;
  await post(`/applicants/${applicant.tokachi}/external-awards`, {
    // From FY2024 JETRO no longer runs this subsidy; the regional implementing body is the
    // prefecture's SME support centre (illustrative reference number).
    programYearId: thisYearId, procedure: 'filing', body: '公益財団法人北海道中小企業総合支援センター 外国出願支援事業', amountJpy: 600_000,
    awardedOn: jstDate(now - 40 * DAY_MS), reference: 'HSC-外国出願-0412',
  });

  // --- time: every case's dates lie in an open window and before today -----------------
  const windows = (thisYear.windows as { label: string; procedures: string[]; opensAt: string; closesAt: string }[]);
  /** A moment `share` of the way through the latest window of `procedure` that has opened. */
  const receivedIn = (procedure: string, share: number): number => {
    const open = windows.filter((w) => w.procedures.includes(procedure) && parseInstant(w.opensAt)! <= now)
      .sort((a, b) => parseInstant(b.opensAt)! - parseInstant(a.opensAt)!)[0]!;
    const opens = parseInstant(open.opensAt)!;
    const until = Math.min(now - 60_000, parseInstant(open.closesAt)! - 60_000);
    return Math.round(opens + (until - opens) * share);
  };
  const between = (from: number, share: number) => Math.round(from + (now - 60_000 - from) * share);

  const intake = async (programYearId: string, key: ApplicantKey, body: Json): Promise<CaseView> => post<CaseView>('/subsidy-cases', {
    programYearId, applicantId: applicant[key], regionalCollectiveTrademark: false, priorCaseId: null, priorSubsidyReference: null,
    refusalGrounds: [], examinationRequested: false, ...body,
  });
  const approve = (id: string, decidedAt: number, extra: Json = {}) => post<CaseView>(`/subsidy-cases/${id}/decision`, { approve: true, decidedAt: toJstIso(decidedAt), ...extra });
  const expense = async (id: string, body: Json, document?: string[]) => {
    const created = await post<{ id: string }>(`/subsidy-cases/${id}/expenses`, body);
    if (document) {
      const form = new FormData();
      form.append('file', new Blob([new Uint8Array(receiptPdf(document))], { type: 'application/pdf' }), `${String(body.invoiceNumber ?? created.id)}.pdf`);
      const res = await fetch(`${client.baseUrl}/subsidy-cases/${id}/expenses/${created.id}/documents`, { method: 'POST', headers: { authorization: `Bearer ${staff}` }, body: form });
      if (!res.ok) throw new Error(`upload for ${id} → ${res.status}: ${await res.text()}`);
    }
    return created.id;
  };
  const confirmAll = async (id: string, refuse: Record<string, string> = {}) => {
    const view = await get<CaseView>(`/subsidy-cases/${id}`);
    for (const e of view.expenses) {
      await post(`/subsidy-cases/${id}/expenses/${e.id}/confirmation`, refuse[e.id] ? { accepted: false, reason: refuse[e.id] } : { accepted: true });
    }
  };
  const statuses: string[] = [];
  const made = (label: string, view: { id: string; status: string }) => {
    statuses.push(view.status);
    client.log(`subsidy case ${view.id} ${view.status}: ${label}`);
  };

  // under_review: a patent filing (Paris route) and a design filing, just received.
  made('特許 米国・欧州・中国', await intake(thisYearId, 'northfield', {
    procedure: 'filing', rightType: 'patent', title: '寒冷地向け精密減速機の潤滑構造', jpoApplicationNumber: `特願${fy}-031457`,
    targetCountries: ['US', 'EP', 'CN'], receivedAt: toJstIso(receivedIn('filing', 0.85)),
    estimatedCosts: [
      { category: 'foreign_office_fee', amountJpy: 620_000, country: 'US' }, { category: 'foreign_office_fee', amountJpy: 540_000, country: 'EP' },
      { category: 'local_agent_fee', amountJpy: 480_000, country: 'CN' }, { category: 'translation_fee', amountJpy: 650_000 },
      { category: 'domestic_agent_fee', amountJpy: 550_000, consumptionTaxJpy: 50_000 },
    ],
  }));
  made('意匠 中国・韓国', await intake(thisYearId, 'otaru', {
    procedure: 'filing', rightType: 'design', title: 'ガラス製ランプシェード', jpoApplicationNumber: `意願${fy}-008812`,
    targetCountries: ['CN', 'KR'], receivedAt: toJstIso(receivedIn('filing', 0.9)),
    estimatedCosts: [{ category: 'foreign_office_fee', amountJpy: 180_000 }, { category: 'local_agent_fee', amountJpy: 260_000 }, { category: 'domestic_agent_fee', amountJpy: 308_000, consumptionTaxJpy: 28_000 }],
  }));

  // rejected: an anti-squatting trademark whose bad-faith filing could not be shown.
  {
    const r = await intake(thisYearId, 'kushiro', {
      procedure: 'filing', rightType: 'anti_squatting_trademark', title: '冒認対策商標「釧路炉端」（台湾）', jpoApplicationNumber: `商願${fy}-045120`,
      targetCountries: ['TW'], receivedAt: toJstIso(receivedIn('filing', 0.3)),
      estimatedCosts: [{ category: 'foreign_office_fee', amountJpy: 90_000 }, { category: 'local_agent_fee', amountJpy: 150_000 }],
    });
    const decided = between(parseInstant(r.receivedAt)!, 0.3);
    made('冒認対策商標 台湾', await post(`/subsidy-cases/${r.id}/decision`, { approve: false, decidedAt: toJstIso(decided), reason: '第三者による冒認出願・登録のおそれを示す資料が確認できないため' }));
  }

  // withdrawn: a utility model the applicant decided not to file abroad after all.
  {
    const w = await intake(thisYearId, 'okhotsk', {
      procedure: 'filing', rightType: 'utility_model', title: 'ホタテ貝殻粉末を用いた土壌改良材の包装容器', jpoApplicationNumber: `実願${fy}-002345`,
      targetCountries: ['CN'], receivedAt: toJstIso(receivedIn('filing', 0.4)),
      estimatedCosts: [{ category: 'foreign_office_fee', amountJpy: 120_000 }, { category: 'local_agent_fee', amountJpy: 200_000 }],
    });
    made('実用新案 中国', await post(`/subsidy-cases/${w.id}/withdrawal`, { reason: '事業計画の見直しにより外国出願を見送るため（申請者より取下げ）' }));
  }

  // approved ×2: a regional collective trademark with nothing in yet; a patent filing with a
  // foreign filing, an expense and its invoice recorded (after an external award).
  {
    const received = receivedIn('filing', 0.2);
    const a = await intake(thisYearId, 'asahikawa', {
      procedure: 'filing', rightType: 'trademark', regionalCollectiveTrademark: true, title: '地域団体商標「旭川家具」（マドリッド協定議定書：中国・台湾・米国）',
      jpoApplicationNumber: `商願${fy}-012001`, targetCountries: ['CN', 'TW', 'US'], receivedAt: toJstIso(received),
      estimatedCosts: [{ category: 'foreign_office_fee', amountJpy: 420_000 }, { category: 'domestic_agent_fee', amountJpy: 330_000, consumptionTaxJpy: 30_000 }],
    });
    made('地域団体商標 旭川家具', await approve(a.id, between(received, 0.2)));
  }
  {
    const received = receivedIn('filing', 0.25);
    const t = await intake(thisYearId, 'tokachi', {
      procedure: 'filing', rightType: 'patent', title: '搾乳ロボット用乳頭洗浄ノズル', jpoApplicationNumber: `特願${fy}-019876`,
      targetCountries: ['US', 'NZ'], receivedAt: toJstIso(received),
      estimatedCosts: [{ category: 'foreign_office_fee', amountJpy: 500_000 }, { category: 'local_agent_fee', amountJpy: 900_000 }, { category: 'translation_fee', amountJpy: 400_000 }],
    });
    const decided = between(received, 0.2);
    await approve(t.id, decided);
    const filedOn = jstDate(between(decided, 0.3));
    await post(`/subsidy-cases/${t.id}/foreign-filings`, { country: 'US', applicationNumber: '19/204,551', filedOn });
    await expense(t.id, { category: 'foreign_office_fee', payee: 'United States Patent and Trademark Office', invoiceNumber: 'USPTO-FEE-88231', incurredOn: filedOn, paidOn: filedOn, amountJpy: 276_000, currency: 'USD', foreignAmount: 1820, country: 'US' },
      ['RECEIPT - USPTO filing, search and examination fees', 'Application 19/204,551', 'USD 1,820.00']);
    made('特許 米国・ニュージーランド（北海道中小企業総合支援センターの支援と併用）', await get(`/subsidy-cases/${t.id}`));
  }

  // reported, determined, disbursed: the same path, stopped at each step.
  const throughEvidence = async (key: ApplicantKey, body: Json, share: number, costs: { expense: Json; doc: string[] }[]) => {
    const received = receivedIn('filing', share);
    const c = await intake(thisYearId, key, { receivedAt: toJstIso(received), ...body });
    const decided = between(received, 0.15);
    await approve(c.id, decided);
    const day = (s: number) => jstDate(between(decided, s));
    for (const [i, country] of (body.targetCountries as string[]).entries()) {
      await post(`/subsidy-cases/${c.id}/foreign-filings`, { country, applicationNumber: `${country}-${fy}-${4400 + i}`, filedOn: day(0.2) });
    }
    for (const [i, cost] of costs.entries()) await expense(c.id, { incurredOn: day(0.25 + i * 0.05), paidOn: day(0.45 + i * 0.05), ...cost.expense }, cost.doc);
    await post(`/subsidy-cases/${c.id}/report`, { note: '実績報告書・支払証憑一式を受領' });
    return c.id;
  };

  made('特許 PCT国内移行 米国・欧州', await get(`/subsidy-cases/${await throughEvidence('northfield', {
    procedure: 'filing', rightType: 'patent', title: '積雪荷重センサ付き屋根融雪制御装置', jpoApplicationNumber: `特願${fy - 1}-208841`, targetCountries: ['US', 'EP'],
    estimatedCosts: [{ category: 'foreign_office_fee', amountJpy: 700_000 }, { category: 'translation_fee', amountJpy: 600_000 }, { category: 'domestic_agent_fee', amountJpy: 440_000, consumptionTaxJpy: 40_000 }],
  }, 0.1, [
    { expense: { category: 'translation_fee', payee: '株式会社札幌テクニカル翻訳', invoiceNumber: 'ST-7781', amountJpy: 583_000, consumptionTaxJpy: 53_000, country: 'US' }, doc: ['INVOICE ST-7781', 'Translation JP-EN, PCT national phase', 'JPY 583,000 (incl. consumption tax 53,000)'] },
    { expense: { category: 'foreign_office_fee', payee: 'European Patent Office', invoiceNumber: 'EPO-2291-4410', amountJpy: 312_000, currency: 'EUR', foreignAmount: 1935, country: 'EP' }, doc: ['EPO fee payment receipt', 'EUR 1,935.00'] },
  ])}`));

  {
    const id = await throughEvidence('university', {
      procedure: 'filing', rightType: 'patent', title: '海洋微生物由来の低温活性プロテアーゼ', jpoApplicationNumber: `特願${fy - 1}-150003`, targetCountries: ['US', 'EP', 'CN'],
      estimatedCosts: [{ category: 'foreign_office_fee', amountJpy: 1_100_000 }, { category: 'local_agent_fee', amountJpy: 900_000 }, { category: 'translation_fee', amountJpy: 800_000 }],
    }, 0.15, [
      { expense: { category: 'foreign_office_fee', payee: 'China National Intellectual Property Administration', invoiceNumber: 'CNIPA-5520', amountJpy: 98_000, currency: 'CNY', foreignAmount: 4700, country: 'CN' }, doc: ['CNIPA official fee receipt', 'CNY 4,700'] },
      { expense: { category: 'local_agent_fee', payee: 'Lin & Partners IP', invoiceNumber: 'LP-2024-118', amountJpy: 410_000, currency: 'USD', foreignAmount: 2700, country: 'CN' }, doc: ['INVOICE LP-2024-118', 'Professional fees, CN filing', 'USD 2,700'] },
      { expense: { category: 'other', payee: '国際宅配便', invoiceNumber: 'EMS-0091', amountJpy: 4_200, country: 'CN' }, doc: ['EMS courier receipt', 'JPY 4,200'] },
      { expense: { category: 'translation_fee', payee: '株式会社北大通翻訳', invoiceNumber: 'KT-330', amountJpy: 660_000, consumptionTaxJpy: 60_000, country: 'CN' }, doc: ['INVOICE KT-330', 'Translation JP-ZH', 'JPY 660,000 incl. tax 60,000'] },
    ]);
    const view = await get<CaseView>(`/subsidy-cases/${id}`);
    await confirmAll(id, { [view.expenses[3]!.id]: '納品物（翻訳文）の確認書類が未提出のため対象外' });
    made('特許 大学（１法人上限の対象外）', await post(`/subsidy-cases/${id}/determination`, { note: '翻訳費は証憑不備のため除外' }));
  }

  {
    const id = await throughEvidence('kushiro', {
      procedure: 'filing', rightType: 'trademark', title: '商標「KUSHIRO ROBATA」（マドリッド協定議定書：米国・シンガポール）', jpoApplicationNumber: `商願${fy - 1}-101777`, targetCountries: ['WIPO', 'US', 'SG'],
      estimatedCosts: [{ category: 'foreign_office_fee', amountJpy: 380_000 }, { category: 'domestic_agent_fee', amountJpy: 220_000, consumptionTaxJpy: 20_000 }],
    }, 0.05, [
      { expense: { category: 'foreign_office_fee', payee: 'WIPO (Madrid System)', invoiceNumber: 'MM-IRN-1822931', amountJpy: 352_000, currency: 'CHF', foreignAmount: 2063, country: 'WIPO' }, doc: ['WIPO Madrid fee receipt', 'CHF 2,063'] },
      { expense: { category: 'domestic_agent_fee', payee: 'くしろ国際特許事務所', invoiceNumber: 'KIP-0712', amountJpy: 198_000, consumptionTaxJpy: 18_000 }, doc: ['INVOICE KIP-0712', 'Madrid filing via JPO', 'JPY 198,000 incl. tax 18,000'] },
    ]);
    await confirmAll(id);
    await post(`/subsidy-cases/${id}/determination`);
    made('商標 マドリッド 米国・シンガポール', await post(`/subsidy-cases/${id}/disbursement`, { paidAt: toJstIso(now - 120_000), transferReference: `北洋銀行 振込 ${fy}-0315` }));
  }

  // lapsed: last year's case whose evidence never came; its deadline has passed.
  {
    const received = Date.parse(`${fy - 1}-08-22T14:30:00+09:00`);
    const l = await intake(lastYearId, 'okhotsk', {
      procedure: 'filing', rightType: 'patent', title: 'ホタテ貝殻由来カルシウムの抽出方法', jpoApplicationNumber: `特願${fy - 1}-077310`,
      targetCountries: ['US', 'KR'], receivedAt: toJstIso(received),
      estimatedCosts: [{ category: 'foreign_office_fee', amountJpy: 450_000 }, { category: 'local_agent_fee', amountJpy: 600_000 }],
    });
    await approve(l.id, received + 21 * DAY_MS);
    let view = await get<CaseView>(`/subsidy-cases/${l.id}`);
    for (let i = 0; i < 50 && view.status !== 'lapsed'; i++) {
      await new Promise((r) => setTimeout(r, 200));
      view = await get<CaseView>(`/subsidy-cases/${l.id}`);
    }
    made('特許 米国・韓国（実績報告なし）', view);
  }

  // closed: six years ago, entered after the fact, all five status reports in. Its year's
  // deadline is held open while the records go in (a case approved after its deadline
  // lapses at once), then put back as it was.
  {
    const { id: _id, revision: _rev, ...oldRules } = oldYear as Json & { id?: string; revision?: number };
    await client.request('PUT', `/program-years/${oldYearId}`, { ...oldRules, reportDeadline: toJstIso(now + DAY_MS) });
    try {
      const received = Date.parse(`${oldFy}-08-26T10:15:00+09:00`);
      const decided = Date.parse(`${oldFy}-09-20T16:00:00+09:00`);
      const c = await intake(oldYearId, 'northfield', {
        procedure: 'filing', rightType: 'patent', title: '除雪機用オーガの衝撃吸収機構', jpoApplicationNumber: `特願${oldFy}-115502`,
        targetCountries: ['US', 'CA'], receivedAt: toJstIso(received),
        estimatedCosts: [{ category: 'foreign_office_fee', amountJpy: 520_000 }, { category: 'local_agent_fee', amountJpy: 780_000 }, { category: 'translation_fee', amountJpy: 420_000 }],
      });
      await approve(c.id, decided);
      await post(`/subsidy-cases/${c.id}/foreign-filings`, { country: 'US', applicationNumber: '17/118,204', filedOn: `${oldFy}-10-14` });
      await post(`/subsidy-cases/${c.id}/foreign-filings`, { country: 'CA', applicationNumber: '3,102,558', filedOn: `${oldFy}-10-16` });
      await expense(c.id, { category: 'translation_fee', payee: '株式会社札幌テクニカル翻訳', invoiceNumber: 'ST-2207', incurredOn: `${oldFy}-10-02`, paidOn: `${oldFy}-10-30`, amountJpy: 418_000, consumptionTaxJpy: 38_000, country: 'US' }, ['INVOICE ST-2207', 'JPY 418,000 incl. tax 38,000']);
      await expense(c.id, { category: 'foreign_office_fee', payee: 'United States Patent and Trademark Office', invoiceNumber: 'USPTO-17118204', incurredOn: `${oldFy}-10-14`, paidOn: `${oldFy}-10-14`, amountJpy: 186_000, currency: 'USD', foreignAmount: 1720, country: 'US' }, ['USPTO fee receipt', 'USD 1,720']);
      await expense(c.id, { category: 'local_agent_fee', payee: 'Maple Leaf IP LLP', invoiceNumber: 'MLIP-5531', incurredOn: `${oldFy}-10-16`, paidOn: `${oldFy}-11-20`, amountJpy: 690_000, currency: 'CAD', foreignAmount: 8400, country: 'CA' }, ['INVOICE MLIP-5531', 'CAD 8,400']);
      await post(`/subsidy-cases/${c.id}/report`);
      await confirmAll(c.id);
      await post(`/subsidy-cases/${c.id}/determination`);
      const paid = await post<CaseView>(`/subsidy-cases/${c.id}/disbursement`, { paidAt: `${oldFy + 1}-05-21T11:00:00+09:00`, transferReference: `北洋銀行 振込 ${oldFy + 1}-0521` });
      const outcomes = ['pending', 'pending', 'granted', 'granted', 'granted'];
      for (const due of paid.statusReportSchedule) {
        await post(`/subsidy-cases/${c.id}/status-reports`, {
          year: due.year, asOf: due.asOf,
          countries: [{ country: 'US', status: outcomes[due.year - 1], ...(due.year === 3 ? { note: '米国特許 第11,xxx,xxx号として登録' } : {}) }, { country: 'CA', status: due.year < 5 ? 'pending' : 'granted' }],
        });
      }
      made('特許 米国・カナダ（５年分の査定状況報告済み）', await get(`/subsidy-cases/${c.id}`));

      // An office-action response resting on that subsidised filing, this year.
      made('中間応答 米国（先行案件あり）', await intake(thisYearId, 'northfield', {
        procedure: 'office_action_response', rightType: 'patent', title: '除雪機用オーガの衝撃吸収機構（米国継続出願 拒絶理由対応）', jpoApplicationNumber: `特願${oldFy}-115502`,
        targetCountries: ['US'], priorCaseId: c.id, refusalGrounds: ['novelty', 'inventive_step'], receivedAt: toJstIso(receivedIn('office_action_response', 0.95)),
        estimatedCosts: [{ category: 'local_agent_fee', amountJpy: 640_000, country: 'US' }, { category: 'domestic_agent_fee', amountJpy: 275_000, consumptionTaxJpy: 25_000 }],
      }));
    } finally {
      await client.request('PUT', `/program-years/${oldYearId}`, oldRules);
    }
  }

  const missing = ['under_review', 'approved', 'rejected', 'reported', 'withdrawn', 'lapsed', 'determined', 'disbursed', 'closed'].filter((s) => !statuses.includes(s));
  client.log(`subsidy cases: ${statuses.length} loaded${missing.length ? `; missing statuses: ${missing.join(', ')}` : ', one or more in every status'}`);
}

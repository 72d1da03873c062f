// Every staff list as CSV and .xlsx (api.md → Reports and exports): the whole filtered list,
// not one page, read in batches of 3 here so that several batches are stitched together.
import { describe, expect, it, beforeAll } from 'vitest';
import ExcelJS from 'exceljs';
import { tokenFor } from '../helpers/app.js';
import { useAppWithWorker } from '../helpers/app-with-worker.js';
import { expectProblem } from '../helpers/problem.js';
import { filingBody, newApplicant, openYear, putYear } from './subsidy-cases-fixtures.js';
import { jstText } from '../../api/exports/columns.js';
import { designYear, event, person, registration } from './design.fixtures.js';

const ctx = useAppWithWorker({ exportBatchSize: 3 });
const yearId = 'overseas-ip-exports';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const csv = { headers: { accept: 'text/csv' } };
const xlsx = { headers: { accept: XLSX } };

/** RFC 4180, as a spreadsheet reads it. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [], field = '', quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') { field += '"'; i++; } else if (ch === '"') quoted = false; else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') { row.push(field); field = ''; }
    else if (ch === '\r' && text[i + 1] === '\n') { row.push(field); rows.push(row); row = []; field = ''; i++; }
    else field += ch;
  }
  if (field !== '' || row.length > 0) { row.push(field); rows.push(row); }
  return rows;
}

const titles = ['普通の名称', '"引用符", カンマ入り', '改行\nを含む', '=HYPERLINK("http://evil")', '電動草刈機', '刃の固定構造', '商標 ほっかいどう'];
const cases: { id: string; rightType: string; maxGrantJpy: number; receivedAt: string; title: string }[] = [];

beforeAll(async () => {
  await putYear(ctx.http, yearId, openYear(new Date()));
  for (const [i, title] of titles.entries()) {
    const rightType = i >= 5 ? 'trademark' : 'patent';
    const body = filingBody(yearId, await newApplicant(ctx.http, 'sme', `株式会社エクスポート${i}`), {
      title, rightType, jpoApplicationNumber: `特願2024-00${i}`,
      estimatedCosts: [{ category: 'foreign_office_fee', amountJpy: 100_000 * (i + 1) + 1234, country: 'US' }],
    });
    const res = await ctx.http.post('/subsidy-cases', body);
    expect(res.statusCode, res.body).toBe(201);
    const c = res.json();
    cases.push({ id: c.id, rightType, maxGrantJpy: c.maxGrantJpy, receivedAt: c.receivedAt, title });
  }
});

describe('CSV', () => {
  it('is UTF-8 with a BOM, a Japanese header row and every case of the list, not one page', async () => {
    const res = await ctx.http.get(`/subsidy-cases?programYearId=${yearId}&limit=2`, csv);
    expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv; charset=utf-8/);
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="subsidy-cases-\d{12}\.csv"$/);
    const bytes = res.rawPayload;
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const [header, ...rows] = parseCsv(bytes.subarray(3).toString('utf8'));
    expect(header).toEqual(['案件ID', '年度', '申請者ID', '申請者名', '手続', '権利種別', '名称', '状態', '基礎出願番号', '出願国', '受付日時', '交付決定日時',
      '補助上限見込額(円)', '交付決定額(円)', '補助対象経費(円)', '確定額(円)', '支払額(円)', '支払日時', '次回状況報告期限', '登録日時']);
    expect(rows).toHaveLength(cases.length);
    // Newest first, as the JSON list.
    expect(rows.map((r) => r[0])).toEqual(cases.map((c) => c.id).reverse());
    for (const c of cases) {
      const row = rows.find((r) => r[0] === c.id)!;
      expect(row[6]).toBe(c.title.startsWith('=') ? `'${c.title}` : c.title);
      expect(row[12]).toBe(String(c.maxGrantJpy));
      expect(row[10]).toBe(jstText(Date.parse(c.receivedAt)));
      expect(row[9]).toBe('US, CN');
      expect(row[7]).toBe('under_review');
    }
  });

  it('applies the same filters as the JSON list', async () => {
    const json = (await ctx.http.get(`/subsidy-cases?programYearId=${yearId}&rightType=trademark`)).json();
    const res = await ctx.http.get(`/subsidy-cases?programYearId=${yearId}&rightType=trademark`, csv);
    const [, ...rows] = parseCsv(res.rawPayload.subarray(3).toString('utf8'));
    expect(rows.map((r) => r[0])).toEqual(json.items.map((c: { id: string }) => c.id));
    expect(rows.map((r) => r[5])).toEqual(['trademark', 'trademark']);
  });

  it('an empty list is the header row alone', async () => {
    const res = await ctx.http.get('/subsidy-cases?programYearId=no-such-year', csv);
    expect(res.statusCode).toBe(200);
    expect(parseCsv(res.rawPayload.subarray(3).toString('utf8'))).toHaveLength(1);
  });
});

describe('.xlsx', () => {
  it('is a workbook with typed cells: yen as numbers in ¥, instants as dates', async () => {
    const res = await ctx.http.get(`/subsidy-cases?programYearId=${yearId}&limit=1`, xlsx);
    expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
    expect(res.headers['content-type']).toBe(XLSX);
    expect(res.headers['content-disposition']).toMatch(/filename="subsidy-cases-\d{12}\.xlsx"$/);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet('補助案件')!;
    expect(sheet.rowCount).toBe(cases.length + 1);
    expect(sheet.getRow(1).getCell(1).value).toBe('案件ID');
    expect(sheet.getRow(1).getCell(13).value).toBe('補助上限見込額(円)');
    for (let r = 2; r <= sheet.rowCount; r++) {
      const row = sheet.getRow(r);
      const c = cases.find((x) => x.id === row.getCell(1).value)!;
      expect(row.getCell(7).value).toBe(c.title);
      const amount = row.getCell(13);
      expect(amount.type).toBe(ExcelJS.ValueType.Number);
      expect(amount.value).toBe(c.maxGrantJpy);
      expect(amount.numFmt).toContain('¥');
      const received = row.getCell(11);
      expect(received.type).toBe(ExcelJS.ValueType.Date);
      // The sheet shows JST wall-clock time (spreadsheets have no zones), to the second.
      expect((received.value as Date).toISOString().slice(0, 19).replace('T', ' ')).toBe(jstText(Date.parse(c.receivedAt)));
      expect(received.numFmt).toBe('yyyy-mm-dd hh:mm:ss');
      expect(row.getCell(14).value).toBeNull();
    }
  });
});

describe('negotiation and access', () => {
  it('JSON stays the answer to no Accept, */*, application/json and types no list offers', async () => {
    for (const accept of [undefined, '*/*', 'application/json', 'text/html', 'text/csv;q=0.5, application/json']) {
      const res = await ctx.http.get(`/subsidy-cases?programYearId=${yearId}&limit=2`, accept ? { headers: { accept } } : {});
      expect(res.statusCode, accept).toBe(200);
      expect(res.headers['content-type'], accept).toMatch(/^application\/json/);
      expect(res.json().items).toHaveLength(2);
    }
    const preferred = await ctx.http.get(`/subsidy-cases?programYearId=${yearId}`, { headers: { accept: 'application/json;q=0.1, text/csv' } });
    expect(preferred.headers['content-type']).toMatch(/^text\/csv/);
  });

  it('is staff only: 403 problem+json for a support leader and an expert', async () => {
    for (const role of ['support_leader', 'expert'] as const) {
      const token = tokenFor({ sub: 'ex_export', role });
      expectProblem(await ctx.http.get('/subsidy-cases', { token, ...csv }), 403, 'forbidden');
      expectProblem(await ctx.http.get('/notifications', { token, ...xlsx }), 403, 'forbidden');
    }
    expectProblem(await ctx.http.get('/subsidy-cases', { token: null, ...csv }), 401, 'unauthorized');
  });

  it('a bad filter is still a 400 problem', async () => {
    expectProblem(await ctx.http.get('/subsidy-cases?status=nonsense', csv), 400, 'bad_request');
  });
});

describe('every staff list', () => {
  it('answers CSV and .xlsx', async () => {
    const applicantId = await newApplicant(ctx.http, 'sme', '株式会社一覧');
    expect((await ctx.http.post('/experts', { name: '一覧 専門家', organization: 'デザイン事務所' })).statusCode).toBe(201);
    const hook = await ctx.http.post('/webhooks', { url: 'https://example.jp/hooks/ip-support', events: ['subsidy_case.status_changed'] });
    expect(hook.statusCode, hook.body).toBe(201);
    const paths = ['/applicants', '/experts', '/brand-engagements', '/design-events', '/design-dispatches', '/notifications', '/webhooks',
      `/applicants/${applicantId}/external-awards`, `/webhooks/${hook.json().id}/deliveries`];
    for (const path of paths) {
      const res = await ctx.http.get(path, csv);
      expect(res.statusCode, `${path} ${res.body.slice(0, 200)}`).toBe(200);
      expect(res.headers['content-type'], path).toMatch(/^text\/csv/);
      expect(res.headers['content-disposition'], path).toMatch(/^attachment; filename="[a-z-]+-\d{12}\.csv"$/);
      expect([...res.rawPayload.subarray(0, 3)], path).toEqual([0xef, 0xbb, 0xbf]);
      const [header] = parseCsv(res.rawPayload.subarray(3).toString('utf8'));
      expect(header!.length, path).toBeGreaterThan(3);
      const book = await ctx.http.get(path, xlsx);
      expect(book.statusCode, path).toBe(200);
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(book.rawPayload as unknown as ArrayBuffer);
      expect(workbook.worksheets[0]!.getRow(1).values, path).toEqual([undefined, ...header!]);
    }
    const applicants = parseCsv((await ctx.http.get('/applicants?q=一覧', csv)).rawPayload.subarray(3).toString('utf8'));
    expect(applicants.slice(1).map((r) => r[0])).toEqual([applicantId]);
    expectProblem(await ctx.http.get('/webhooks/no-such-hook/deliveries', csv), 404, 'not_found');
  });
});

describe("an event's registrations (the roster)", () => {
  it('lists them in the order entered, as JSON and as CSV, with the status filter', async () => {
    const year = await designYear(ctx);
    const created = await event(ctx, year.id, { capacity: 2 });
    const regs = [];
    for (const n of [1, 2, 3]) regs.push(await registration(ctx, created.id, person(`roster${n}`)));
    expect(regs.map((r) => r.status)).toEqual(['registered', 'registered', 'waitlisted']);
    const json = (await ctx.http.get(`/design-events/${created.id}/registrations?limit=2`)).json();
    expect(json.items.map((r: { id: string }) => r.id)).toEqual([regs[0]!.id, regs[1]!.id]);
    const next = (await ctx.http.get(`/design-events/${created.id}/registrations?limit=2&cursor=${json.nextCursor}`)).json();
    expect(next).toMatchObject({ items: [{ id: regs[2]!.id, status: 'waitlisted' }], nextCursor: null });

    const res = await ctx.http.get(`/design-events/${created.id}/registrations?limit=1`, csv);
    expect(res.headers['content-disposition']).toMatch(/filename="registrations-\d{12}\.csv"$/);
    const [header, ...rows] = parseCsv(res.rawPayload.subarray(3).toString('utf8'));
    expect(header!.slice(0, 3)).toEqual(['申込ID', '氏名', 'メール']);
    expect(rows.map((r) => r[0])).toEqual(regs.map((r) => r.id));
    const waiting = parseCsv((await ctx.http.get(`/design-events/${created.id}/registrations?status=waitlisted`, csv)).rawPayload.subarray(3).toString('utf8'));
    expect(waiting.slice(1).map((r) => r[0])).toEqual([regs[2]!.id]);
    expectProblem(await ctx.http.get('/design-events/no-such-event/registrations', csv), 404, 'not_found');
  });
});
